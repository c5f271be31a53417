# The clinic's back office (/staff): registrars and administrators.

staff-title = Регистратура
staff-nav-label = Меню регистратуры
staff-nav-patients = Пациенты
staff-nav-new-access = Новый доступ
staff-nav-requests = Запросы
staff-nav-feed = Лента изменений
staff-nav-team = Сотрудники
staff-sign-in = Войти
staff-sign-out = Выйти

# Sign-in, bootstrap, setup
staff-login-title = Вход для сотрудников
staff-field-login = Логин сотрудника
staff-field-password = Пароль
staff-field-new-password = Личный пароль
staff-field-full-name = ФИО сотрудника
staff-field-role = Роль
staff-role-registrar = Регистратор
staff-role-administrator = Администратор
staff-login-help = От 3 до 40 символов: латинские буквы, цифры, точка, дефис, подчёркивание.
staff-password-help = Не короче 10 символов; удобнее всего фраза из нескольких слов. Пароль знаете только вы.
staff-bootstrap-title = Первый администратор
staff-bootstrap-lead = Эта одноразовая ссылка создаёт первого администратора портала. Придумайте логин и личный пароль.
staff-setup-title = Пароль сотрудника
staff-setup-lead = Администратор добавил вас в число сотрудников портала. Задайте личный пароль: ссылка действует один раз.
staff-link-submit = Сохранить
staff-link-done = Готово. Теперь войдите со своим логином и паролем.
staff-link-invalid = Ссылка недействительна: она уже использована, устарела или скопирована не полностью.
staff-required-legend = Поля, отмеченные звёздочкой (*), обязательны для заполнения.

# Patients
staff-search-title = Поиск пациента
staff-search-label = ФИО, телефон, номер карты или логин
staff-search-none = Никого не нашли. Можно оформить доступ новому пациенту:
staff-patient = Пациент
staff-access-level = Уровень доступа
staff-card-title = Карточка пациента
staff-card-data = Персональные данные
staff-card-account = Доступ к личному кабинету
staff-card-messages = Переписка с пациентом
staff-messages-none = Переписки пока нет.
staff-unread-messages = { $count ->
    [one] { $count } новое
    [few] { $count } новых
   *[many] { $count } новых
}
staff-message-from-patient = начал пациент
staff-message-write = Написать пациенту
staff-message-send = Отправить пациенту
staff-message-letter-help = Пациент прочитает сообщение в личном кабинете. Если у него есть e-mail, придёт только письмо «Новое сообщение в личном кабинете» — без текста и без вашего имени.
staff-message-back = ← Карточка пациента: { $name }
staff-message-with = Переписка с пациентом: { $name }
staff-message-notice = Уведомление клиники
staff-message-read = прочитано
staff-message-unread = не прочитано
staff-account-state = Состояние
staff-account-none = Учётной записи нет.
staff-account-active = Действует
staff-account-awaiting = Ожидает активации
staff-account-lost = Заблокирована: пациент сообщил об утрате данных для входа
staff-account-suspended = Приостановлена клиникой
staff-otp-valid-until = Одноразовый пароль действует до
staff-otp-issue = Выдать новый одноразовый пароль
staff-otp-refused = Одноразовый пароль выдаётся только при подтверждённом доступе и не выдаётся, пока доступ приостановлен.
staff-suspend = Приостановить доступ
staff-unsuspend = Возобновить доступ
staff-visits-planned = Запланированные приёмы
staff-visits-past = Прошедшие и отменённые приёмы
staff-visits-none = Нет.
staff-visit-cancel = Отменить приём
staff-visit-cancelled = отменён
staff-visit-cancel-label = Отменить приём: { $when }
staff-book-specialist = Записать к специалисту
staff-book-choose-time = Выбрать время
staff-book-title = Запись пациента на приём
staff-age = { $age ->
    [one] { $age } год
    [few] { $age } года
   *[many] { $age } лет
}
staff-age-of-patient = Пациенту { $age ->
    [one] { $age } год
    [few] { $age } года
   *[many] { $age } лет
}
staff-ages-between = от { $from } до { $to } { $to ->
    [one] года
   *[other] лет
}
staff-ages-from = с { $from } { $from ->
    [one] года
   *[other] лет
}
staff-ages-to = до { $to } { $to ->
    [one] года
   *[other] лет
}
staff-ages-any = любой возраст
staff-age-unfit = не по возрасту пациента
staff-age-unfit-help = Специалисты, которые не принимают пациентов такого возраста, отмечены «не по возрасту пациента».
staff-age-warning = Этот специалист не принимает пациентов такого возраста
staff-age-warning-advice = Проверьте, к тому ли специалисту вы записываете пациента. Если всё верно, запишите как обычно.

# Confirmation of actions that are hard to undo
staff-confirm-cancel-title = Отменить приём?
staff-confirm-cancel-lead = Время освободится для записи других пациентов. Уведомление об отмене придёт в личный кабинет и на почту пациента, если они есть.
staff-confirm-cancel-submit = Да, отменить приём
staff-confirm-cancel-keep = Не отменять, вернуться к карточке
staff-confirm-suspend-title = Приостановить доступ пациента?
staff-confirm-suspend-lead = Все сеансы пациента сразу завершатся, и войти в личный кабинет не получится, пока вы не возобновите доступ. Пациенту придёт письмо с просьбой связаться с клиникой.
staff-confirm-suspend-submit = Да, приостановить доступ
staff-confirm-suspend-keep = Не приостанавливать, вернуться к карточке
staff-confirm-otp-title = Выдать новый одноразовый пароль?
staff-confirm-otp-lead = Прежний одноразовый пароль и личный пароль пациента перестанут действовать, все сеансы завершатся. Пациент войдёт с новым одноразовым паролем и задаст новый личный.
staff-confirm-otp-submit = Да, выдать новый пароль
staff-confirm-otp-keep = Не выдавать, вернуться к карточке
staff-confirm-suspend-member-title = Приостановить доступ сотрудника?
staff-confirm-suspend-member-lead = Сеансы сотрудника сразу завершатся, и войти в рабочий кабинет не получится, пока вы не возобновите доступ.
staff-confirm-suspend-member-submit = Да, приостановить доступ
staff-confirm-suspend-member-keep = Не приостанавливать, вернуться к списку

# Confirmed access
staff-access-title = Подтверждённый доступ
staff-access-lead = Оформите доступ пациенту, который подписал правила портала на бумаге в клинике. Личность и адрес почты проверены по документам лично.
staff-access-confirm = Оформить подтверждённый доступ
staff-access-submit = Оформить доступ и выдать одноразовый пароль
staff-access-refused = Доступ уже подтверждён или приостановлен: выдайте новый одноразовый пароль или возобновите доступ.
staff-field-patient-login = Логин (адрес электронной почты)
staff-field-card-number = Номер медицинской карты
staff-field-rules-version = Версия подписанных правил
staff-field-paper-reference = Реквизиты бумажного экземпляра
staff-sheet-title = Данные для входа в личный кабинет
staff-sheet-portal = Адрес портала
staff-sheet-password = Одноразовый пароль
staff-sheet-instructions = Войдите на портал с этим логином и одноразовым паролем и сразу задайте личный пароль, известный только вам. Одноразовый пароль действует один раз.
staff-sheet-keep = Никому не сообщайте данные для входа. Если они попали к посторонним, сообщите об этом в личном кабинете или по телефону
staff-sheet-back = К карточке пациента
staff-sheet-once = Одноразовый пароль показан один раз и нигде не хранится в открытом виде. Распечатайте лист или передайте пароль пациенту сейчас.

# Change requests
staff-requests-title = Запросы на изменение данных
staff-requests-lead = Изменения вносятся только после проверки документов пациента лично.
staff-requests-none = Новых запросов нет.
staff-request-complete = Документы проверены — внести изменения
staff-request-reason = Причина отказа
staff-request-reject = Отклонить
staff-request-filed = Подан:
staff-request-was = сейчас:
staff-request-becomes = станет:

# Feed
staff-feed-title = Изменения, сделанные пациентами
staff-feed-none = Пока ничего.
staff-feed-lead = Сначала новые. У каждого события — время, когда оно произошло.
staff-feed-booked = Запись на приём онлайн
staff-feed-moved = Перенос приёма онлайн
staff-feed-cancelled = Отмена приёма онлайн
staff-feed-credentials-lost = Сообщение об утрате данных для входа
staff-feed-visit-at = приём:
staff-feed-message = Сообщение от пациента
staff-feed-open-thread = Открыть переписку

# Team
staff-team-title = Сотрудники
staff-team-add = Добавить сотрудника
staff-team-submit = Добавить
staff-team-link = Передайте сотруднику одноразовую ссылку для создания пароля (действует 24 часа, показана один раз):
staff-link-copy = Скопировать ссылку
staff-link-copied = Ссылка скопирована.
staff-link-copy-failed = Ссылка выделена: нажмите Ctrl+C, чтобы скопировать её.

# Errors
error-staff-login-invalid = От 3 до 40 символов: латинские буквы, цифры, точка, дефис, подчёркивание.
error-staff-login-taken = Этот логин уже занят.
error-patient-login-taken = Учётная запись с этим адресом уже есть: найдите пациента по логину.
error-card-number-invalid = Укажите номер медицинской карты: до 32 букв и цифр, можно дефис, точку и косую черту.
error-card-number-taken = Этот номер медицинской карты уже принадлежит другому пациенту.
error-rules-version-invalid = Укажите номер действующей или прежней версии правил.
error-paper-reference-invalid = Укажите реквизиты бумажного экземпляра (до 100 символов).
error-access-under-15 = Пациенту нет 15 лет: собственный доступ к кабинету не выдаётся. Привяжите законного представителя на карточке пациента.
error-change-empty = Укажите хотя бы одно новое значение.
error-reason-required = Укажите причину (до 500 символов).
error-login-taken = Этот адрес почты уже служит логином другого пациента: изменить его нельзя.
staff-failed-mail-title = Письма, которые не удалось доставить
staff-failed-mail-intro = Почтовый сервер получателя отказался их принять, повторять отправку бесполезно. Попросите пациента указать рабочий адрес.
staff-failed-mail-answer = Ответ сервера
mail-kind-booking-confirmation = подтверждение записи
mail-kind-confirm-email = подтверждение адреса
mail-kind-already-registered = попытка повторной регистрации
mail-kind-account-activated = доступ активирован
mail-kind-password-changed = пароль изменён
mail-kind-credentials-lost = доступ заблокирован
mail-kind-lost-report = сообщение об утере доступа
mail-kind-account-suspended = доступ приостановлен
mail-kind-visit-changed-by-clinic = изменение записи клиникой
mail-kind-change-request-decided = решение по запросу на изменение данных
mail-kind-visit-reminder = напоминание о приёме
mail-kind-new-message = новое сообщение в кабинете
mail-kind-waitlist-offer = предложение времени из листа ожидания
staff-level-one-time = Разовая запись
staff-level-unconfirmed = Онлайн-регистрация
staff-level-confirmed = Подтверждённый доступ
mail-kind-visit-changed = изменение записи пациентом

# The second step of sign-in: the code from the app, enrolment, recovery codes
staff-code-title = Код подтверждения
staff-code-lead = Пароль верный. Теперь введите шесть цифр из приложения-аутентификатора на вашем телефоне.
staff-field-code = Код из приложения или резервный код
staff-code-help = Шесть цифр без пробелов. Если телефона нет под рукой, введите один из резервных кодов — каждый действует один раз.
staff-code-submit = Подтвердить
staff-code-lost = Потеряли телефон и резервные коды? Попросите администратора сбросить второй фактор — при следующем входе вы подключите его заново.
staff-code-wrong = Код не подошёл. Проверьте, что время на телефоне верное, и введите новый код — каждый код принимается один раз.
staff-enrol-title = Подключите второй фактор
staff-enrol-lead = Для входа в рабочий кабинет, кроме пароля, нужен код из приложения на телефоне (Google Authenticator, Яндекс Ключ, FreeOTP и другие). Настройка займёт минуту.
staff-enrol-scan = Откройте приложение и отсканируйте QR-код.
staff-enrol-qr-alt = QR-код для приложения-аутентификатора
staff-enrol-manual = Если камера недоступна, введите в приложении этот ключ вручную:
staff-enrol-code = Шесть цифр, которые показывает приложение
staff-enrol-submit = Подключить
staff-enrol-done = Второй фактор подключён. Теперь при каждом входе приложение будет давать вам код.
staff-recovery-title = Резервные коды
staff-recovery-lead = Сохраните эти десять кодов — распечатайте или перепишите и храните отдельно от телефона. Каждый код позволяет войти один раз без приложения. Больше мы их не покажем.
staff-recovery-continue = Перейти в рабочий кабинет

# Second factor on the team page
staff-second-factor = Второй фактор
staff-totp-on = Подключён
staff-totp-off = Не подключён
staff-totp-reset = Сбросить второй фактор

# Schedules (the administrator)
staff-nav-schedules = Расписания
staff-schedules-title = Расписания специалистов
staff-schedules-intro = Выберите специалиста, чтобы изменить его недельный шаблон или добавить отпуск, больничный, дополнительный или сокращённый день.
staff-schedule-title = Расписание
staff-schedule-back = ← Все расписания
staff-schedule-templates = Недельные шаблоны
staff-schedule-no-templates = Шаблонов нет: специалист не принимает.
staff-schedule-template-words = { $weekday }, { $start }–{ $end }, приём по { $slot } мин
staff-schedule-slot-words = приём по { $slot } мин
staff-schedule-from-open = с { $from } до дальнейших изменений
staff-schedule-from-until = с { $from } по { $until }
staff-schedule-last-day = Последний рабочий день
staff-schedule-end = Завершить шаблон
staff-schedule-exceptions = Исключения
staff-schedule-no-exceptions = Исключений нет.
staff-schedule-remove = Удалить
staff-schedule-kind-vacation = Отпуск
staff-schedule-kind-sick-leave = Больничный
staff-schedule-kind-day-off = Выходной
staff-schedule-kind-extra-day = Дополнительный рабочий день
staff-schedule-kind-short-day = Сокращённый день
staff-schedule-add-exception = Добавить исключение
staff-schedule-add-exception-submit = Добавить исключение
staff-schedule-field-kind = Что происходит
staff-schedule-field-from = Первый день
staff-schedule-field-until = Последний день
staff-schedule-until-help = Пусто — только первый день.
staff-schedule-hours-legend = Часы работы (для дополнительного и сокращённого дня)
staff-schedule-field-start = Начало приёма
staff-schedule-field-end = Конец приёма
staff-schedule-field-slot = Длительность приёма, минут
staff-schedule-add-template = Добавить недельный шаблон
staff-schedule-add-template-submit = Добавить шаблон
staff-schedule-field-weekday = День недели
staff-schedule-field-valid-from = Действует с
staff-schedule-field-valid-until = Действует по
staff-schedule-valid-until-help = Пусто — до дальнейших изменений.
error-schedule-weekday = Выберите день недели.
error-schedule-time = Укажите время в виде ЧЧ:ММ, например 09:30.
error-schedule-end-before-start = Конец приёма должен быть позже начала.
error-schedule-slot = Длительность приёма — от 5 до 240 минут.
error-schedule-slot-longer-than-hours = Длительность приёма больше, чем часы работы.
error-schedule-date = Укажите дату в виде ДД.ММ.ГГГГ, например 01.12.2026.
error-schedule-until-before-from = Последний день не может быть раньше первого.
error-schedule-kind = Выберите, что происходит: отпуск, больничный, выходной, дополнительный или сокращённый день.

# Visits to move (the registrar)
staff-nav-moves = Перенос записей
staff-moves-title = Записи, которые нужно перенести
staff-moves-intro = Изменение расписания отняло время у этих записей. Перенесите каждую на другое время (к этому или другому специалисту) или отмените с причиной — пациент получит сообщение в кабинете и письмо.
staff-moves-none = Таких записей нет.
staff-moves-specialist = Специалист
staff-moves-when = Время приёма
staff-moves-action = Действие
staff-moves-act = Перенести или отменить
staff-schedule-to-move = Записи, которые задело изменение
staff-schedule-to-move-intro = На это время уже записаны пациенты. Регистратура видит их в разделе «Перенос записей»; перенесите или отмените каждую.
staff-visit-move = Перенести
staff-visit-move-label = Перенести приём: { $when }
staff-move-title = Перенос записи
staff-move-to = Новое время
staff-move-new-time = Свободное время на две недели
staff-move-reason = Причина переноса
staff-move-reason-help = Пациент увидит её в сообщении и в письме.
staff-move-submit = Перенести запись
staff-move-or-cancel = Или отменить запись
staff-cancel-reason = Причина отмены
staff-cancel-submit = Отменить запись
error-move-reason-missing = Напишите причину: пациент увидит её в сообщении и в письме.
error-move-reason-long = Причина — не длиннее 500 символов.

# The front desk's day: confirmation calls, visit outcomes, no-shows (issue 12)
staff-nav-calls = Звонки
staff-nav-visits = Визиты дня
staff-calls-title = Звонки для подтверждения записи
staff-calls-days = Визиты на
staff-desk-pick-day = Другой день
staff-desk-show = Показать
staff-calls-next-day = Следующий рабочий день
staff-calls-to-call = Позвонить
staff-calls-none = Визитов нет.
staff-desk-when = Когда
staff-desk-time = Время
staff-desk-specialist = Специалист, филиал
staff-desk-confirmation = Подтверждение
staff-calls-record = Итог звонка
staff-calls-record-label = Итог звонка: { $who }
staff-calls-no-consent = Нет согласия на звонки — не звонить
staff-calls-no-consent-help = Эти пациенты не дали согласия на звонки или отозвали его: не звоните им, визит подтверждается при приходе.
call-outcome-none = не звонили
call-outcome-confirmed = подтвердил
call-outcome-no-answer = не дозвонились
call-outcome-cancelled = отменил
call-outcome-moved = перенёс
call-outcome-wrong-number = неверный номер
staff-visits-title = Визиты дня
staff-visits-help = Отметьте, пришёл ли пациент и состоялся ли приём. Кнопки появляются, когда время визита наступило.
staff-visits-outcome = Итог визита
staff-visits-mark-label = Итог визита: { $who }
staff-visits-not-yet = время ещё не наступило
visit-outcome-arrived = пришёл
visit-outcome-completed = приём состоялся
visit-outcome-no-show = не пришёл
staff-online-booking-closed = Онлайн-запись закрыта: неявок за последнее время — { $count }. Пациент записывается через регистратуру.
staff-online-booking-reopen = Открыть онлайн-запись
staff-card-confirmation = подтверждение
## The waiting list (B8)
staff-nav-waitlist = Лист ожидания
staff-waitlist-title = Лист ожидания
staff-waitlist-none = В листе ожидания никого нет.
staff-waitlist-lead = Очередь к каждому врачу — по времени, когда пациент встал в лист. Освободившееся время система сама предлагает первому, кто может на него записаться, и держит его для него.
staff-waitlist-place = №
staff-waitlist-patient = Пациент
staff-waitlist-service = Услуга
staff-waitlist-days = Когда удобно
staff-waitlist-joined = Встал в лист
staff-waitlist-state = Состояние
staff-waitlist-waiting = ждёт
staff-waitlist-offered = предложено время
staff-waitlist-booked = записался
staff-waitlist-left = вышел из листа
staff-waitlist-held-until = держим до { $until }
