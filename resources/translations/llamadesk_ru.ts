<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru" sourcelanguage="en">
<context>
    <name></name>
    <message>
        <source>Message the model (Enter to send, Shift+Enter for a new line)</source>
        <translation>Сообщение модели (Enter — отправить, Shift+Enter — новая строка)</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Сообщение</translation>
    </message>
    <message>
        <source>Your message to the model; Enter sends it, Shift+Enter starts a new line</source>
        <translation>Ваше сообщение модели; Enter отправляет его, Shift+Enter начинает новую строку</translation>
    </message>
    <message>
        <source>Explain a concept to me as if I were new to it: </source>
        <translation>Объясни мне понятие так, будто я слышу о нём впервые: </translation>
    </message>
    <message>
        <source>Write a short, friendly email that says </source>
        <translation>Напиши короткое дружелюбное письмо о том, что </translation>
    </message>
    <message>
        <source>Review this code and suggest improvements:

</source>
        <translation>Посмотри этот код и предложи улучшения:

</translation>
    </message>
    <message>
        <source>Summarise this text in three bullet points:

</source>
        <translation>Перескажи этот текст в трёх пунктах:

</translation>
    </message>
    <message>
        <source>Enter sends, Shift+Enter starts a new line · Esc stops an answer · Ctrl+N new chat · Ctrl+K search · Ctrl+Shift+P settings panel</source>
        <translation>Enter отправляет, Shift+Enter — новая строка · Esc останавливает ответ · Ctrl+N — новый чат · Ctrl+K — поиск · Ctrl+Shift+P — панель настроек</translation>
    </message>
    <message>
        <source>Start a conversation</source>
        <translation>Начните разговор</translation>
    </message>
    <message>
        <source>Start with: {prompt}</source>
        <translation>Начать с: {prompt}</translation>
    </message>
    <message>
        <source>Model: {name}</source>
        <translation>Модель: {name}</translation>
    </message>
    <message>
        <source>No model is loaded yet: choose one in the Models menu.</source>
        <translation>Модель ещё не загружена: выберите её в меню «Модели».</translation>
    </message>
    <message>
        <source>Attach text, code, Markdown or PDF files (or drop them on the window)</source>
        <translation>Приложить файлы с текстом, кодом, Markdown или PDF (или перетащите их в окно)</translation>
    </message>
    <message>
        <source>Attach files</source>
        <translation>Приложить файлы</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Отправить</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Файл</translation>
    </message>
    <message>
        <source>&amp;New chat</source>
        <translation>&amp;Новый чат</translation>
    </message>
    <message>
        <source>Open chat in new &amp;window</source>
        <translation>Открыть чат в новом &amp;окне</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>&amp;Экспорт…</translation>
    </message>
    <message>
        <source>Export &amp;all…</source>
        <translation>Экспорт вс&amp;ех чатов…</translation>
    </message>
    <message>
        <source>&amp;Copy as Markdown</source>
        <translation>&amp;Копировать как Markdown</translation>
    </message>
    <message>
        <source>&amp;Import…</source>
        <translation>&amp;Импорт…</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>Пара&amp;метры…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Выход</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Вид</translation>
    </message>
    <message>
        <source>Chat &amp;list</source>
        <translation>Список &amp;чатов</translation>
    </message>
    <message>
        <source>Show or hide the chat list (Ctrl+Shift+L)</source>
        <translation>Показать или скрыть список чатов (Ctrl+Shift+L)</translation>
    </message>
    <message>
        <source>Chat &amp;settings panel</source>
        <translation>Панель &amp;настроек чата</translation>
    </message>
    <message>
        <source>Show or hide the chat&apos;s settings (Ctrl+Shift+P)</source>
        <translation>Показать или скрыть настройки чата (Ctrl+Shift+P)</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>&amp;Тема</translation>
    </message>
    <message>
        <source>&amp;Chat</source>
        <translation>&amp;Чат</translation>
    </message>
    <message>
        <source>&amp;Regenerate the last answer</source>
        <translation>&amp;Повторить последний ответ</translation>
    </message>
    <message>
        <source>&amp;Copy the last answer</source>
        <translation>&amp;Копировать последний ответ</translation>
    </message>
    <message>
        <source>Go to the &amp;message box</source>
        <translation>Перейти к полю &amp;ввода</translation>
    </message>
    <message>
        <source>&amp;Stop the answer</source>
        <translation>&amp;Остановить ответ</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Справка</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Сочетания клавиш</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Основная</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>Новый чат</translation>
    </message>
    <message>
        <source>New chat (Ctrl+N)</source>
        <translation>Новый чат (Ctrl+N)</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Модель</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Стоп</translation>
    </message>
    <message>
        <source>Stop the answer (Esc)</source>
        <translation>Остановить ответ (Esc)</translation>
    </message>
    <message>
        <source>Send the message (Enter)</source>
        <translation>Отправить сообщение (Enter)</translation>
    </message>
    <message>
        <source>Loading {name}…</source>
        <translation>Загрузка {name}…</translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation>Модель не загружена</translation>
    </message>
    <message>
        <source>An answer is being written; stop it to open another chat here, or open that chat in a new window (Ctrl+Shift+N).</source>
        <translation>Сейчас пишется ответ: остановите его, чтобы открыть здесь другой чат, или откройте тот чат в новом окне (Ctrl+Shift+N).</translation>
    </message>
    <message>
        <source>Stop the answer before deleting this chat.</source>
        <translation>Остановите ответ, прежде чем удалять этот чат.</translation>
    </message>
    <message>
        <source>Deleted “{title}”.</source>
        <translation>Чат «{title}» удалён.</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Отменить</translation>
    </message>
    <message>
        <source>Text, code, Markdown and PDF</source>
        <translation>Текст, код, Markdown и PDF</translation>
    </message>
    <message>
        <source>All files</source>
        <translation>Все файлы</translation>
    </message>
    <message>
        <source>The last answer was copied.</source>
        <translation>Последний ответ скопирован.</translation>
    </message>
    <message>
        <source>Send the message</source>
        <translation>Отправить сообщение</translation>
    </message>
    <message>
        <source>A new line in the message</source>
        <translation>Новая строка в сообщении</translation>
    </message>
    <message>
        <source>or</source>
        <translation>или</translation>
    </message>
    <message>
        <source>Search the chats</source>
        <translation>Поиск по чатам</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Сочетания клавиш</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Клавиши</translation>
    </message>
    <message>
        <source>What it does</source>
        <translation>Действие</translation>
    </message>
    <message>
        <source>Editing a message: Send makes a new version beside the old one; Esc cancels.</source>
        <translation>Правка сообщения: «Отправить» создаёт новую версию рядом со старой; Esc отменяет.</translation>
    </message>
    <message>
        <source>Waiting for another answer (another window&apos;s or the local server&apos;s) to finish…</source>
        <translation>Ожидание, пока закончится другой ответ (в другом окне или на локальном сервере)…</translation>
    </message>
    <message>
        <source>Writing…</source>
        <translation>Пишет…</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>остановлен</translation>
    </message>
    <message>
        <source>cut off (the app closed)</source>
        <translation>оборван (приложение закрылось)</translation>
    </message>
    <message>
        <source>interrupted by an error</source>
        <translation>прерван ошибкой</translation>
    </message>
    <message>
        <source>writing…</source>
        <translation>пишется…</translation>
    </message>
    <message>
        <source>{count} tokens</source>
        <translation>токенов: {count}</translation>
    </message>
    <message>
        <source>{speed} tokens/s</source>
        <translation>{speed} токенов/с</translation>
    </message>
    <message>
        <source>The {count} oldest messages no longer fit in the context and are marked; the system prompt is always kept.</source>
        <translation>Самые старые сообщения ({count}) больше не помещаются в контекст и отмечены; системный промпт сохраняется всегда.</translation>
    </message>
    <message>
        <source>With your message, the chat takes {used} of {size} tokens</source>
        <translation>Вместе с вашим сообщением чат занимает {used} из {size} токенов</translation>
    </message>
    <message>
        <source>The chat takes {used} of {size} tokens</source>
        <translation>Чат занимает {used} из {size} токенов</translation>
    </message>
    <message>
        <source>: more than fits, so the oldest turns are left out</source>
        <translation>: больше, чем помещается, поэтому самые старые реплики не учитываются</translation>
    </message>
    <message>
        <source>context {used} / {size}</source>
        <translation>контекст {used} / {size}</translation>
    </message>
    <message>
        <source>Act on the message</source>
        <translation>Действие по сообщению</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Закрыть</translation>
    </message>
    <message>
        <source>Dismiss the message</source>
        <translation>Закрыть сообщение</translation>
    </message>
    <message>
        <source>The model that answers; the Models menu has the catalog</source>
        <translation>Модель, которая отвечает; каталог — в меню «Модели»</translation>
    </message>
    <message>
        <source>Pinned</source>
        <translation>Закреплённые</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Сегодня</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>Вчера</translation>
    </message>
    <message>
        <source>Previous 7 days</source>
        <translation>Последние 7 дней</translation>
    </message>
    <message>
        <source>Older</source>
        <translation>Ранее</translation>
    </message>
    <message>
        <source>Search chats (Ctrl+K)</source>
        <translation>Поиск по чатам (Ctrl+K)</translation>
    </message>
    <message>
        <source>Search chats</source>
        <translation>Поиск по чатам</translation>
    </message>
    <message>
        <source>Titles and message text; Up and Down choose a result, Enter opens it</source>
        <translation>Названия и текст сообщений; стрелки вверх и вниз выбирают результат, Enter открывает его</translation>
    </message>
    <message>
        <source>Chats</source>
        <translation>Чаты</translation>
    </message>
    <message>
        <source>{count} messages</source>
        <translation>сообщений: {count}</translation>
    </message>
    <message>
        <source>No matches</source>
        <translation>Ничего не найдено</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>Переименовать</translation>
    </message>
    <message>
        <source>Unpin</source>
        <translation>Открепить</translation>
    </message>
    <message>
        <source>Pin</source>
        <translation>Закрепить</translation>
    </message>
    <message>
        <source>Open in new window</source>
        <translation>Открыть в новом окне</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Экспорт…</translation>
    </message>
    <message>
        <source>Copy as Markdown</source>
        <translation>Копировать как Markdown</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Удалить</translation>
    </message>
</context>
</TS>
