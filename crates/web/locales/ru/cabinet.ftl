# The patient's account: sign-in, registration, the cabinet.

nav-cabinet = Личный кабинет
nav-login = Войти

error-activation-required = Сначала задайте личный пароль вместо одноразового.
error-login-failed = Неверный логин или пароль.
error-password-mismatch = Пароли не совпадают.
error-page-forbidden = Действие не выполнено
error-page-forbidden-text = Действие недоступно: у вас нет на него прав, или форма устарела. Откройте страницу заново и повторите.

field-login = Электронная почта (логин)
field-password = Пароль
field-new-password = Новый пароль
field-password-repeat = Новый пароль ещё раз
field-current-password = Текущий пароль
password-rules = Не короче 10 символов. Удобнее всего фраза из нескольких слов. Не используйте своё имя, телефон или адрес почты.

login-title = Вход в личный кабинет
login-one-time-hint = Получили одноразовый пароль в регистратуре? Введите его в поле «Пароль»: после входа вы зададите личный пароль.
login-submit = Войти
login-register = Зарегистрироваться
login-lost = Забыли пароль или подозреваете, что его узнали посторонние?

activate-title = Задайте личный пароль
activate-lead = Вы вошли по одноразовому паролю. Чтобы продолжить, задайте личный пароль: одноразовый больше не подойдёт.
activate-submit = Сохранить пароль

register-title = Регистрация в личном кабинете
register-lead = После регистрации можно записаться к одному специалисту и перенести или отменить эту запись. Полный доступ выдаёт регистратура клиники после подтверждения личности.
register-submit = Зарегистрироваться
register-have-account = Уже зарегистрированы? Войдите
accept-rules = Я ознакомлен(а) с правилами пользования личным кабинетом и принимаю их
register-sent-title = Проверьте почту
register-sent-text = Мы отправили письмо со ссылкой для подтверждения адреса. Откройте её, чтобы завершить регистрацию: ссылка действует 72 часа.
register-sent-spam = Если письма нет, проверьте папку «Спам». Если адрес уже зарегистрирован, в письме будет сказано, как войти.

lost-title = Утрата или компрометация данных для входа
lost-lead = Если вы потеряли пароль или подозреваете, что его узнали посторонние, укажите свой логин. Все сеансы будут завершены, вход по старому паролю закроется, а на вашу почту придёт ссылка для нового пароля.
lost-submit = Заблокировать вход и получить ссылку
lost-sent = Если такая учётная запись есть, вход по старому паролю закрыт, все сеансы завершены, а на адрес почты отправлена ссылка для нового пароля.
lost-call = Новый одноразовый пароль можно получить и в регистратуре с паспортом. Телефон клиники: { $phone }.

reset-title = Новый пароль
reset-invalid = Ссылка недействительна: она устарела или уже использована.
reset-new-link = Получить новую ссылку
reset-submit = Сохранить пароль
reset-done = Пароль сохранён. Войдите с новым паролем.

level-one-time = Разовая запись.
level-unconfirmed = Онлайн-регистрация: одна активная запись к одному специалисту. Полный доступ — после визита в регистратуру с паспортом.
level-confirmed = Подтверждённый доступ.

cabinet-title = Личный кабинет
cabinet-hello = Здравствуйте, { $name }!
cabinet-nav-label = Разделы личного кабинета
cabinet-visits = Мои записи
cabinet-messages = Сообщения
cabinet-unread = непрочитанных
cabinet-profile = Личные данные
cabinet-security = Безопасность
cabinet-sign-out = Выйти
cabinet-planned = Предстоящие приёмы
cabinet-no-planned = Предстоящих записей нет.
cabinet-book-link = Выбрать специалиста
cabinet-actions = Действия
cabinet-ics = В календарь (.ics)
cabinet-reschedule = Перенести
cabinet-cancel = Отменить
cabinet-print = Распечатать список
cabinet-book-more = Записаться ещё
cabinet-past = Прошедшие и отменённые
cabinet-no-past = Пока нет.
cabinet-done-booked = Вы записаны. Запись появилась в списке предстоящих приёмов.
cabinet-done-cancelled = Запись отменена.
cabinet-done-moved = Запись перенесена.
cabinet-done-activated = Личный пароль сохранён. Добро пожаловать!
cabinet-done-password = Пароль изменён. Остальные сеансы завершены.

visit-status-booked = запланирован
visit-status-cancelled = отменён
visit-status-completed = состоялся
visit-status-no-show = неявка

cancel-title = Отмена записи
cancel-question = Отменить эту запись? Время станет свободным для других пациентов.
cancel-submit = Отменить запись
cancel-keep = Вернуться к записям
call-clinic = Телефон клиники:
reschedule-title = Перенос записи
reschedule-choose = Выберите новое время
reschedule-no-slots = На ближайшую неделю свободного времени нет. Позвоните в клинику или отмените запись.
reschedule-slot-label = Перенести на { $when }

security-sessions = Активные сеансы
security-this-session = Этот сеанс
security-since = вход { $when }
security-last-seen = активность { $when }
security-end-all = Выйти на всех устройствах
security-password = Смена пароля
security-change-password = Сменить пароль
security-lost-text = Если вы подозреваете, что пароль узнали посторонние, заблокируйте вход: все сеансы завершатся, а на почту придёт ссылка для нового пароля.

messages-back = Все сообщения
messages-none = Сообщений пока нет.
messages-new = новое

profile-held = Данные в клинике
profile-card-number = Номер медицинской карты
profile-no-card = присвоит регистратура
profile-change = Изменить данные
profile-change-lead = Заполните только то, что изменилось. Изменения вступят в силу после того, как регистратура проверит документы при вашем визите в клинику.
profile-change-submit = Отправить запрос
profile-requested = Запрос отправлен. Возьмите документы при следующем визите: регистратура внесёт изменения после проверки.
profile-requests = Мои запросы
change-status-pending = ожидает проверки документов
change-status-completed = изменения внесены
change-status-rejected = отклонён
