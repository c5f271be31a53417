# Frame
skip-to-content = Перейти к содержанию
nav-label = Основное меню
nav-specialists = Специалисты
nav-prices = Цены
nav-rules = Правила сервиса
nav-privacy = Политика конфиденциальности
footer-note = Онлайн-запись, расписание и цены клиники. Информация на сайте не заменяет консультацию врача.
notice-label = Уведомление о cookie и персональных данных
notice-text = Сайт использует файлы cookie и обрабатывает данные о посещениях, чтобы работать и становиться удобнее. Продолжая пользоваться сайтом, вы соглашаетесь с этим и с
notice-policy-link = политикой конфиденциальности
notice-accept = Согласен
notice-decline = Не согласен
declined-title = Вы не согласились с условиями
declined-text = Без согласия с политикой конфиденциальности пользоваться сайтом нельзя: пожалуйста, покиньте сайт. Записаться на приём можно по телефону.
declined-phone = Телефон клиники:

# Home
home-title = Запись к врачу онлайн
home-lead = Найдите специалиста, посмотрите свободное время и цены со скидкой за онлайн-запись и запишитесь за пару минут — без регистрации.
home-tile-specialists = Специалисты
home-tile-specialists-text = Врачи, расписание и свободное время
home-tile-prices = Цены
home-tile-prices-text = Прейскурант всех услуг клиники
home-tile-rules = Правила
home-tile-rules-text = Как работает запись и личный кабинет
home-branches = Наши филиалы
home-branch-specialists = Специалисты филиала

# Search
search-name = Врач или специальность
search-name-placeholder = Например, невролог или Соловьёва
search-specialty = Специальность
search-any-specialty = Любая специальность
search-branch = Филиал
search-any-branch = Любой филиал
search-submit = Найти
search-day = Свободен в день
search-day-hint = Запись открыта с { $first } по { $last }
search-day-outside = На этот день запись не открыта: выберите день из указанных
search-day-invalid = Укажите день как ДД.ММ.ГГГГ
search-sort = Порядок
search-sort-name = По алфавиту
search-sort-nearest = Сначала ближайшее время

# Directory
specialists-title = Специалисты
specialists-found = { $count ->
    [one] Найден { $count } специалист
    [few] Найдено { $count } специалиста
   *[many] Найдено { $count } специалистов
}
specialists-none = Никого не нашли. Измените условия поиска или
specialists-show-all = посмотрите всех специалистов
experience-years = Стаж { $count ->
    [one] { $count } год
    [few] { $count } года
   *[many] { $count } лет
}
price-from = Приём от
price-regular = Цена по прейскуранту:
discount-online = −{ $percent } % за онлайн-запись
nearest-slot = Ближайшее время
no-free-slots = Свободного времени в ближайшие недели нет
choose-time = Выбрать время
booking-by-phone = Онлайн-запись к этому специалисту закрыта. Запишитесь по телефону
pager-label = Страницы
pager-previous = ← Назад
pager-next = Дальше →
pager-position = Страница { $page }
slots-count = { $count ->
    [one] { $count } свободное окно
    [few] { $count } свободных окна
   *[many] { $count } свободных окон
}

# Specialist
crumbs-label = Навигация
photo-alt = Фотография специалиста
photo-of = Фотография: { $name }
free-time = Свободное время
week-nav-label = Недели расписания
week-previous = ← Предыдущая неделя
week-next = Следующая неделя →
week-from = Неделя с { $date }
no-slots-day = Нет свободного времени
book-slot-label = Записаться на { $when }
booking-closed-text = Онлайн-запись к этому специалисту закрыта. Записаться можно по телефону
booking-window-weeks = Запись открыта на { $count ->
    [one] { $count } неделю
    [few] { $count } недели
   *[many] { $count } недель
} вперёд.
booking-window-days = Запись открыта на { $count ->
    [one] { $count } день
    [few] { $count } дня
   *[many] { $count } дней
} вперёд.
services-and-prices = Услуги и цены
services-consultations = Приёмы и консультации
services-procedures = Процедуры
services-diagnostics = Диагностика
services-tests = Анализы
services-certificates = Справки и документы
services-programs = Комплексные программы
service = Услуга
service-code = Код
price = Цена
price-online = Цена при онлайн-записи
complex-program = Комплексная программа
complex-no-online-discount = Скидка за онлайн-запись на комплексные программы не действует.
discount-rules = Скидка за онлайн-запись не суммируется с дисконтной картой, скидочным сертификатом и акциями и не действует на комплексные программы. Полный прейскурант —

# Prices
prices-title = Цены на услуги
prices-lead = Действующий прейскурант клиники. Цены со скидкой за онлайн-запись показаны на страницах специалистов.
prices-search = Поиск услуги
prices-search-placeholder = Например, УЗИ или B01.023
prices-none = Ничего не нашли.
prices-show-all = Показать весь прейскурант

# Booking
booking-title = Запись на приём
booking-one-time-note = Это разовая онлайн-запись без регистрации: её можно сделать один раз, к одному специалисту. Отменить или перенести такую запись онлайн нельзя — только по телефону клиники.
field-last-name = Фамилия
field-first-name = Имя
field-middle-name = Отчество
field-birth-date = Дата рождения
field-phone = Телефон
field-email = Электронная почта
optional = необязательно
consents-legend = Согласия
consent-personal-data = Я даю согласие на обработку моих персональных данных для записи на приём и оказания медицинских услуг
consent-calls = Я согласен(на) получать звонки и сообщения для подтверждения записи
booking-rules-note = Записываясь, вы принимаете
booking-submit = Записаться
choose-other-time = Выбрать другое время
one-time-used-help = Зарегистрируйтесь в личном кабинете в клинике или позвоните нам, и администратор запишет вас:
one-time-used-next = Чтобы записаться ещё раз, зарегистрируйтесь в личном кабинете: после подтверждения адреса почты вы сможете записаться там. Если вы уже зарегистрированы, войдите.
one-time-used-register = Зарегистрироваться
one-time-used-login = Войти в личный кабинет
one-time-used-call = Или позвоните нам, и администратор запишет вас:
booking-yours = Вы уже записаны
booking-yours-open = Открыть подтверждение записи

# Confirmation
done-title = Вы записаны
done-code = Код записи
done-patient = Пациент
done-specialist = Специалист
done-when = Дата и время
done-where = Адрес
done-phone = Телефон филиала
done-arrive = Приходите за 10–15 минут до приёма, возьмите паспорт. Назовите администратору код записи.
done-no-online-change = Разовую запись нельзя отменить или перенести онлайн.
done-call-us = Если планы изменились, позвоните нам:
done-print = Распечатать
done-calendar = Добавить в календарь (.ics)
done-print-hint = Чтобы распечатать подтверждение, воспользуйтесь печатью в браузере (Ctrl+P).

# Documents
document-version = Версия { $version }
document-published = действует с { $date }

# Errors
error-validation = Проверьте выделенные поля.
error-required = Заполните это поле.
error-name-invalid = Используйте буквы, пробел, дефис или апостроф.
error-name-too-long = Не длиннее 60 символов.
error-phone-invalid = Укажите номер телефона, например +7 900 123-45-67.
error-email-invalid = Укажите адрес электронной почты, например name@example.ru.
error-date-invalid = Укажите дату в виде ДД.ММ.ГГГГ.
error-birth-date-future = Дата рождения не может быть в будущем.
error-birth-date-too-old = Проверьте год рождения.
error-register-under-15 = Зарегистрироваться самостоятельно можно с 15 лет. За ребёнка младше 15 лет в кабинете действует законный представитель: обратитесь в регистратуру клиники.
error-consent-required = Без согласия на обработку персональных данных записаться нельзя.
error-slot-invalid = Выберите время приёма.
error-slot-taken = Это время уже занято. Выберите другое.
error-one-time-used = С этого номера телефона уже сделана разовая онлайн-запись: её можно сделать только один раз.
error-idempotency-mismatch = Этот ключ запроса уже использован для другой записи. Обновите страницу и запишитесь заново.
booking-already-made = Эта запись уже сделана: подтверждение было показано в окне, где вы записывались, и отправлено на почту, если вы её указали.
error-booking-closed = Онлайн-запись к этому специалисту закрыта. Запишитесь по телефону
error-not-found = Не найдено.
error-bad-characters = В запросе есть недопустимый символ (NUL). Уберите его и отправьте снова.
error-method-not-allowed = Этот адрес не принимает такой запрос.
error-too-large = Запрос слишком большой.
error-internal = Внутренняя ошибка. Попробуйте ещё раз позже.
error-json-content-type = Ожидается тело запроса в формате JSON (Content-Type: application/json).
error-json-body = Тело запроса не удалось прочитать: проверьте JSON и обязательные поля.
error-query-invalid = Параметры запроса не удалось прочитать: каждый задаётся один раз.
error-range-invalid = Диапазон дат должен быть от 1 до 62 дней.
error-unauthorized = Неверный логин или пароль, или сеанс истёк. Войдите снова.
error-email-unconfirmed = Сначала подтвердите адрес почты: ссылка пришла в письме после регистрации.
error-throttled = Слишком много попыток входа. Подождите немного и попробуйте снова.
error-rate-limited = Слишком много запросов за короткое время. Подождите немного и попробуйте снова или позвоните в клинику.
error-limit-reached = Достигнут предел активных записей для вашего уровня доступа. Отмените или перенесите имеющуюся запись либо позвоните в клинику.
error-too-late = До приёма осталось слишком мало времени, чтобы изменить запись онлайн. Позвоните в клинику.
error-too-early = Время этого визита ещё не наступило: отметить, чем он закончился, можно после его начала.
error-online-booking-closed = Онлайн-запись для вас закрыта: вы несколько раз не пришли на приём. Запишитесь по телефону клиники — он указан вверху страницы.
error-online-booking-closed-phone = Онлайн-запись для вас закрыта: вы несколько раз не пришли на приём. Запишитесь по телефону клиники { $phone }.
error-already-waiting = Вы уже в листе ожидания к этому врачу на эти дни. Изменить даты можно, выйдя из листа и встав в него снова.
error-waitlist-day = Укажите дату в формате ГГГГ-ММ-ДД, например 2026-12-15.
error-waitlist-past = Дата не может быть раньше сегодняшней.
error-waitlist-horizon = Так далеко вперёд запись ещё не открыта: выберите более раннюю дату.
error-waitlist-order = Последний день не может быть раньше первого.
error-forbidden = Это действие недоступно для вашего уровня доступа.
error-rules-required = Без согласия с правилами портала зарегистрироваться нельзя.
error-password-short = Пароль должен быть не короче 10 символов.
error-password-long = Пароль должен быть не длиннее 128 символов.
error-password-common = Этот пароль слишком распространён. Придумайте фразу из нескольких слов.
error-password-personal = Пароль не должен содержать ваше имя, фамилию, телефон или адрес почты.
error-password-clinic = Пароль не должен содержать название клиники.
error-password-wrong = Текущий пароль указан неверно.
error-page-not-found = Страница не найдена
error-page-not-found-text = Возможно, ссылка устарела или в адресе опечатка.
error-page-internal = Что-то пошло не так
error-page-internal-text = Мы уже знаем об ошибке. Попробуйте ещё раз через несколько минут или позвоните нам.
error-request-id = Номер запроса для службы поддержки: { $id }
error-go-home = На главную

confirm-title = Подтверждение адреса почты
confirm-ask = Нажмите кнопку, чтобы подтвердить адрес почты и закончить регистрацию в личном кабинете.
confirm-button = Подтвердить адрес
confirm-done = Адрес подтверждён. Теперь вы можете войти в личный кабинет со своим логином и паролем.
confirm-invalid = Ссылка недействительна: она уже использована, устарела или скопирована не полностью.

## A visit booked for a service at a price
price-service = Услуга
price-to-pay = К оплате
price-without-discount = Цена без скидки
price-discount = Скидка
discount-code-label = Дисконтная карта, сертификат или промокод
discount-code-help = Номер карты или код, как на нём написано. Скидки не суммируются: применяется одна, самая выгодная для вас. «Пересчитать цену» покажет цену до записи.
discount-recalculate = Пересчитать цену
error-discount-code-unknown = Такой карты, сертификата или промокода нет. Проверьте, как он написан.
error-discount-code-expired = Срок действия карты, сертификата или промокода истёк.
error-discount-code-used = Этот сертификат уже использован.
error-discount-code-not-for-service = Этот промокод не действует на выбранную услугу.
error-service-not-bookable = На эту услугу к этому специалисту нельзя записаться онлайн. Выберите другую.
service-choose = Услуга
service-show-times = Показать время
error-limit-invalid = Укажите число от 1 до 100.
error-cursor-invalid = Этот курсор не выдавался: начните с первой страницы.
error-sort-invalid = Порядок: name или nearest.
