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
