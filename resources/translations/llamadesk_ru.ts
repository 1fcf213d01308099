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
        <source>open the chat</source>
        <translation>открыть чат</translation>
    </message>
    <message>
        <source>read the chat&apos;s title</source>
        <translation>прочитать название чата</translation>
    </message>
    <message>
        <source>Stop the answer before deleting this chat.</source>
        <translation>Остановите ответ, прежде чем удалять этот чат.</translation>
    </message>
    <message>
        <source>delete the chat</source>
        <translation>удалить чат</translation>
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
        <source>bring the chat back</source>
        <translation>вернуть чат</translation>
    </message>
    <message>
        <source>save your message</source>
        <translation>сохранить ваше сообщение</translation>
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
        <source>read the answer</source>
        <translation>прочитать ответ</translation>
    </message>
    <message>
        <source>read the message</source>
        <translation>прочитать сообщение</translation>
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
        <source>start the answer</source>
        <translation>начать ответ</translation>
    </message>
    <message>
        <source>The conversation could not be read.</source>
        <translation>Не удалось прочитать разговор.</translation>
    </message>
    <message>
        <source>continue the answer</source>
        <translation>продолжить ответ</translation>
    </message>
    <message>
        <source>Writing…</source>
        <translation>Пишет…</translation>
    </message>
    <message>
        <source>This chat&apos;s context length applies: {size} tokens (the model&apos;s context was loaded again in {seconds} s).</source>
        <translation>Действует длина контекста этого чата: {size} токенов (контекст модели загружен заново за {seconds} с).</translation>
    </message>
    <message>
        <source>Reading the chat: {percent}</source>
        <translation>Чтение чата: {percent}</translation>
    </message>
    <message>
        <source>save the answer as it is written</source>
        <translation>сохранять ответ по мере написания</translation>
    </message>
    <message>
        <source>save the end of the answer</source>
        <translation>сохранить конец ответа</translation>
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
        <source>read the conversation</source>
        <translation>прочитать разговор</translation>
    </message>
    <message>
        <source>show the other version</source>
        <translation>показать другую версию</translation>
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
        <source>save the chat&apos;s settings</source>
        <translation>сохранить настройки чата</translation>
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
        <source>search the chats</source>
        <translation>искать по чатам</translation>
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
        <source>rename the chat</source>
        <translation>переименовать чат</translation>
    </message>
    <message>
        <source>read the chat</source>
        <translation>прочитать чат</translation>
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
    <message>
        <source>pin the chat</source>
        <translation>закрепить чат</translation>
    </message>
    <message>
        <source>remove chats deleted more than 30 days ago</source>
        <translation>убрать чаты, удалённые более 30 дней назад</translation>
    </message>
    <message>
        <source>Asking the Hub about {repo}…</source>
        <translation>Запрос к Hub о {repo}…</translation>
    </message>
    <message>
        <source>Downloaded {path}. Choose it in the Models menu.</source>
        <translation>Скачано: {path}. Выберите модель в меню «Модели».</translation>
    </message>
    <message>
        <source>Could not open {name}: {error}</source>
        <translation>Не удалось открыть {name}: {error}</translation>
    </message>
    <message>
        <source>remember the open windows</source>
        <translation>запомнить открытые окна</translation>
    </message>
    <message>
        <source>close the chat history</source>
        <translation>закрыть историю чатов</translation>
    </message>
    <message>
        <source>Something went wrong inside LlamaDesk ({error}). Your chats are safe; the details are in {log}.</source>
        <translation>Внутри LlamaDesk что-то пошло не так ({error}). Ваши чаты в сохранности; подробности — в {log}.</translation>
    </message>
    <message>
        <source>save the settings</source>
        <translation>сохранить настройки</translation>
    </message>
    <message>
        <source>save the presets</source>
        <translation>сохранить пресеты</translation>
    </message>
    <message>
        <source>Copy {language} code</source>
        <translation>Копировать код {language}</translation>
    </message>
    <message>
        <source>Copy code</source>
        <translation>Копировать код</translation>
    </message>
    <message>
        <source>You</source>
        <translation>Вы</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>Ассистент</translation>
    </message>
    <message>
        <source>System</source>
        <translation>Система</translation>
    </message>
    <message>
        <source>Previous version</source>
        <translation>Предыдущая версия</translation>
    </message>
    <message>
        <source>Next version</source>
        <translation>Следующая версия</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Копировать</translation>
    </message>
    <message>
        <source>Copy the message</source>
        <translation>Копировать сообщение</translation>
    </message>
    <message>
        <source>Copy a code block</source>
        <translation>Копировать блок кода</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Изменить</translation>
    </message>
    <message>
        <source>Edit and resend: a new branch</source>
        <translation>Изменить и отправить заново: новая ветка</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>Повторить</translation>
    </message>
    <message>
        <source>Write another answer: a new branch</source>
        <translation>Написать другой ответ: новая ветка</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Продолжить</translation>
    </message>
    <message>
        <source>Go on writing this answer</source>
        <translation>Продолжить писать этот ответ</translation>
    </message>
    <message>
        <source>The message&apos;s text; select it to copy part</source>
        <translation>Текст сообщения; выделите часть, чтобы скопировать её</translation>
    </message>
    <message>
        <source>Code block {number}</source>
        <translation>Блок кода {number}</translation>
    </message>
    <message>
        <source>Outside the context: the model no longer reads this message.</source>
        <translation>Вне контекста: модель больше не читает это сообщение.</translation>
    </message>
    <message>
        <source>(outside the context)</source>
        <translation>(вне контекста)</translation>
    </message>
    <message>
        <source>Show earlier messages</source>
        <translation>Показать более ранние сообщения</translation>
    </message>
    <message>
        <source>Could not {doing}: the chat history reported “{error}”. What was saved before is safe; if this happens again, restart LlamaDesk, and check that the disk is not full and the data folder can be written.</source>
        <translation>Не удалось {doing}: история чатов сообщила «{error}». Всё сохранённое ранее цело; если это повторится, перезапустите LlamaDesk и проверьте, что диск не заполнен и в папку данных можно писать.</translation>
    </message>
    <message>
        <source>Could not {doing}: {error}.</source>
        <translation>Не удалось {doing}: {error}.</translation>
    </message>
    <message>
        <source>LlamaDesk closed unexpectedly while loading {name} last time, so it started with the built-in model instead. Choose the model in the Models menu to try it again.</source>
        <translation>В прошлый раз LlamaDesk неожиданно закрылся при загрузке {name}, поэтому запущен со встроенной моделью. Выберите модель в меню «Модели», чтобы попробовать снова.</translation>
    </message>
    <message>
        <source>note which model is loading</source>
        <translation>отметить, какая модель загружается</translation>
    </message>
    <message>
        <source>clear the loading note</source>
        <translation>убрать отметку о загрузке</translation>
    </message>
    <message>
        <source>Running on the CPU: {reason}.</source>
        <translation>Работает на CPU: {reason}.</translation>
    </message>
    <message>
        <source>&amp;Models</source>
        <translation>&amp;Модели</translation>
    </message>
    <message>
        <source>Installed models</source>
        <translation>Установленные модели</translation>
    </message>
    <message>
        <source>{size} GB</source>
        <translation>{size} ГБ</translation>
    </message>
    <message>
        <source>Run on other machines…</source>
        <translation>Запустить на других машинах…</translation>
    </message>
    <message>
        <source>Download…</source>
        <translation>Скачать…</translation>
    </message>
    <message>
        <source>GPU offload for this model</source>
        <translation>Слои этой модели на GPU</translation>
    </message>
    <message>
        <source>Add a GGUF file…</source>
        <translation>Добавить файл GGUF…</translation>
    </message>
    <message>
        <source>Open from the Hub…</source>
        <translation>Открыть из Hub…</translation>
    </message>
    <message>
        <source>Downloads…</source>
        <translation>Загрузки…</translation>
    </message>
    <message>
        <source>Hub token…</source>
        <translation>Токен Hub…</translation>
    </message>
    <message>
        <source>No models installed yet</source>
        <translation>Модели ещё не установлены</translation>
    </message>
    <message>
        <source>Automatic (all layers; the CPU if that fails)</source>
        <translation>Автоматически (все слои; CPU, если не выйдет)</translation>
    </message>
    <message>
        <source>All layers (no CPU fallback)</source>
        <translation>Все слои (без запасного CPU)</translation>
    </message>
    <message>
        <source>None (CPU only)</source>
        <translation>Ни одного (только CPU)</translation>
    </message>
    <message>
        <source>A number of layers…</source>
        <translation>Число слоёв…</translation>
    </message>
    <message>
        <source>Layers on the GPU:</source>
        <translation>Слоёв на GPU:</translation>
    </message>
    <message>
        <source>add {name}</source>
        <translation>добавить {name}</translation>
    </message>
    <message>
        <source>Add a GGUF model</source>
        <translation>Добавить модель GGUF</translation>
    </message>
    <message>
        <source>GGUF models</source>
        <translation>Модели GGUF</translation>
    </message>
    <message>
        <source>Open from the Hub</source>
        <translation>Открыть из Hub</translation>
    </message>
    <message>
        <source>Repository id (owner/name), e.g. {example}:</source>
        <translation>Репозиторий (владелец/имя), например {example}:</translation>
    </message>
    <message>
        <source>fits</source>
        <translation>помещается</translation>
    </message>
    <message>
        <source>tight</source>
        <translation>впритык</translation>
    </message>
    <message>
        <source>too big</source>
        <translation>слишком велика</translation>
    </message>
    <message>
        <source>list the conversations</source>
        <translation>перечислить разговоры</translation>
    </message>
    <message>
        <source>There is no conversation to export yet.</source>
        <translation>Пока нет разговора для экспорта.</translation>
    </message>
    <message>
        <source>export</source>
        <translation>экспортировать</translation>
    </message>
    <message>
        <source>Exported {count} conversations to {path}.</source>
        <translation>Разговоров экспортировано: {count}, в {path}.</translation>
    </message>
    <message>
        <source>Exported {count} conversation to {path}.</source>
        <translation>Разговоров экспортировано: {count}, в {path}.</translation>
    </message>
    <message>
        <source>copy the conversation</source>
        <translation>скопировать разговор</translation>
    </message>
    <message>
        <source>Copied the conversation as Markdown.</source>
        <translation>Разговор скопирован как Markdown.</translation>
    </message>
    <message>
        <source>import {name}</source>
        <translation>импортировать {name}</translation>
    </message>
    <message>
        <source>Export conversation</source>
        <translation>Экспорт разговора</translation>
    </message>
    <message>
        <source>Import conversations</source>
        <translation>Импорт разговоров</translation>
    </message>
    <message>
        <source>Conversations</source>
        <translation>Разговоры</translation>
    </message>
    <message>
        <source>Imported {count} conversation from {name}.</source>
        <translation>Разговоров импортировано: {count}, из {name}.</translation>
    </message>
    <message>
        <source>Imported {count} conversations from {name}.</source>
        <translation>Разговоров импортировано: {count}, из {name}.</translation>
    </message>
    <message>
        <source>{name}: {characters} characters, {lines} lines. Click to take it off the message.</source>
        <translation>{name}: символов — {characters}, строк — {lines}. Нажмите, чтобы убрать файл из сообщения.</translation>
    </message>
    <message>
        <source>Attached file {name}: remove</source>
        <translation>Приложенный файл {name}: убрать</translation>
    </message>
    <message>
        <source>Set the system prompt and settings in one click</source>
        <translation>Системный промпт и настройки в один щелчок</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>Пресет</translation>
    </message>
    <message>
        <source>Instructions the model keeps for the whole chat</source>
        <translation>Указания, которые модель помнит весь чат</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <source>Name of the new preset</source>
        <translation>Имя нового пресета</translation>
    </message>
    <message>
        <source>Save as preset</source>
        <translation>Сохранить как пресет</translation>
    </message>
    <message>
        <source>Choose a preset…</source>
        <translation>Выберите пресет…</translation>
    </message>
    <message>
        <source>(yours)</source>
        <translation>(ваш)</translation>
    </message>
</context>
</TS>
