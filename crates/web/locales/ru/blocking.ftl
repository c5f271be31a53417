# Issue 13, points 2, 5, 9: blocking of personal data, closures of access, incidents.

## Refusals
error-data-blocked = Обработка ваших персональных данных заблокирована по запросу. Пока блокировка действует, записаться, перенести приём или написать в клинику через кабинет нельзя. Позвоните в клинику — телефон указан вверху страницы.
error-data-blocked-phone = Обработка ваших персональных данных заблокирована по запросу. Пока блокировка действует, записаться, перенести приём или написать в клинику через кабинет нельзя. Позвоните в клинику: { $phone }.
error-access-suspended = Доступ к личному кабинету приостановлен.
error-registration-cancelled = Клиника аннулировала вашу регистрацию в личном кабинете.
error-service-ended = Клиника прекратила обслуживание вашего личного кабинета.
access-closed-details = Причина: { $reason }. Обратитесь в регистратуру клиники с паспортом или позвоните по телефону { $phone }.
error-block-requested-by = Выберите, по чьему запросу блокируются данные.
error-block-authority = Укажите название органа, который направил запрос.
error-block-basis = Укажите основание блокировки.
error-block-document = Укажите вид и номер документа.
error-block-document-date = Укажите дату документа — не позже сегодняшнего дня.
error-text-too-long = Слишком длинный текст: не больше 1000 знаков.
error-unblock-reason = Укажите, почему блокировка снимается.
error-closure-reason = Укажите причину — пациент увидит её при попытке входа.
error-incident-selection = Выберите, как найти затронутых пациентов.
error-incident-chosen = Перечислите номера карт или логины пациентов, по одному в строке.
error-incident-dates = Укажите обе даты; первая не позже второй.
error-incident-text = Заполните это поле.
error-incident-found-at = Укажите дату и время обнаружения — не позже текущего момента.
error-incident-categories = Отметьте хотя бы одну категорию данных.

## Blocking on the card
data-block-section = Блокировка персональных данных
data-block-title = Заблокировать персональные данные
data-block-intro = После блокировки клиника не обрабатывает данные пациента: запись, сообщения, звонки, напоминания и выгрузки недоступны, а в поиске регистратуры пациент не виден. Карточку открывают только ответственный за организацию обработки персональных данных (администратор) и аудитор. Уже назначенные приёмы сохраняются.
data-block-requested-by = По чьему запросу
block-requested-by-patient = Пациента
block-requested-by-representative = Законного представителя
block-requested-by-authority = Уполномоченного органа
data-block-authority = Название органа
data-block-authority-help = Только если запрос направил орган, например Роскомнадзор или суд.
data-block-basis = Основание
data-block-document = Документ
data-block-document-type = Вид документа
data-block-document-ref = Номер или ссылка
data-block-document-date = Дата документа
data-block-submit = Заблокировать данные
data-block-back = Вернуться к карточке
data-block-done = Данные пациента заблокированы. Пациенту отправлено уведомление. Карточка теперь доступна только ответственному за обработку персональных данных и аудитору.
data-block-state-blocked = Данные заблокированы с
data-block-state-help = Запись, сообщения, звонки и напоминания для пациента недоступны.
data-block-state-free = Данные не заблокированы.
data-unblocked-at = Блокировка снята
data-blocked-visit = Данные заблокированы
data-unblock-title = Снять блокировку данных
data-unblock-intro = После снятия блокировки клиника снова обрабатывает данные пациента. Пациенту придёт уведомление.
data-unblock-reason = Почему блокировка снимается
data-unblock-submit = Снять блокировку

## Suspension, cancelled registration, end of service
closure-suspend-title = Приостановить доступ
closure-suspend-intro = Все сеансы пациента сразу завершатся. Пациенту придёт письмо с просьбой связаться с клиникой; причину он увидит только при попытке входа, после верного пароля.
closure-suspend-reason = Причина приостановки
closure-suspend-submit = Приостановить доступ
closure-cancel-title = Аннулировать регистрацию
closure-cancel-intro = Для самостоятельной регистрации, данные которой клиника считает недостоверными. Учётная запись закрывается навсегда, сеансы завершаются, запланированные приёмы отменяются и время освобождается. Пациенту придёт письмо.
closure-cancel-reason = Причина аннулирования
closure-cancel-submit = Аннулировать регистрацию
closure-end-title = Прекратить обслуживание
closure-end-intro = Доступ к кабинету закрывается навсегда, сеансы и адрес календаря отзываются, запланированные приёмы отменяются с уведомлениями. Медицинская документация и журнал аудита сохраняются. Пациенту придёт письмо.
closure-end-reason = Причина прекращения
closure-end-submit = Прекратить обслуживание
closure-refused = Это действие недоступно для этой учётной записи.
closure-state-cancelled = Регистрация аннулирована
closure-state-ended = Обслуживание прекращено
closure-reason = Причина

## Incidents
incident-nav = Инциденты
incident-list-title = Инциденты с персональными данными
incident-list-none = Инцидентов нет.
incident-new-title = Зарегистрировать инцидент
incident-patients-count = { $count ->
    [one] { $count } пациент
    [few] { $count } пациента
   *[many] { $count } пациентов
}
incident-summary = Что произошло
incident-found-at = Когда обнаружен
incident-found-date = Дата
incident-found-time = Время
incident-categories = Категории данных
incident-category-full-name = ФИО
incident-category-contacts = Контакты (телефон, e-mail)
incident-category-birth-date = Дата рождения
incident-category-address = Почтовый адрес
incident-category-visits = Сведения о записях к врачам
incident-category-health = Сведения о здоровье
incident-category-credentials = Учётные данные
incident-category-documents = Реквизиты документов
incident-category-payments = Сведения об оплате
incident-causes = Предполагаемые причины
incident-harm = Предполагаемый вред
incident-measures = Принятые меры
incident-contact = Контактное лицо для Роскомнадзора
incident-patients = Затронутые пациенты
incident-selection-chosen = Перечислить пациентов
incident-selection-visits = Все, у кого был приём в период
incident-selection-accounts = Все, чья учётная запись создана в период
incident-from = С
incident-to = По
incident-chosen = Номера карт или логины
incident-chosen-help = По одному в строке; только для «Перечислить пациентов».
incident-preview = { $count ->
    [one] Найден { $count } пациент.
    [few] Найдено { $count } пациента.
   *[many] Найдено { $count } пациентов.
}
incident-preview-submit = Посчитать пациентов
incident-notify-help = После сохранения каждый затронутый пациент получит сообщение в кабинете и письмо «Уведомление о безопасности персональных данных».
incident-submit = Сохранить и уведомить пациентов
incident-title = Инцидент с персональными данными
incident-recorded = Зарегистрирован
incident-notices = Уведомления Роскомнадзора
incident-notice-24 = Уведомление в течение 24 часов
incident-notice-72 = Уведомление в течение 72 часов
incident-sent = отправлено
incident-due = срок —
incident-overdue = просрочено
incident-mark-sent = Отметить отправленным
incident-72-needs-investigation = Сначала внесите результаты расследования.
incident-investigation-title = Результаты внутреннего расследования
incident-investigation = Результаты расследования
incident-responsible = Лица, действия которых стали причиной инцидента
incident-investigation-submit = Сохранить результаты
incident-doc-24-title = Уведомление о факте неправомерной передачи персональных данных
incident-doc-72-title = Уведомление о результатах внутреннего расследования
incident-doc-to = В Федеральную службу по надзору в сфере связи, информационных технологий и массовых коммуникаций (Роскомнадзор)
incident-doc-from = Оператор:
incident-back = Вернуться к инциденту
incident-open-notices = Не отправлены уведомления Роскомнадзору
cabinet-data-blocked = Обработка ваших персональных данных заблокирована по запросу. Пока блокировка действует, запись, сообщения и напоминания недоступны. Уже назначенные приёмы сохраняются.
mail-kind-data-blocked = блокировка персональных данных
mail-kind-data-unblocked = снятие блокировки персональных данных
mail-kind-registration-cancelled = аннулирование регистрации
mail-kind-service-ended = прекращение обслуживания
mail-kind-incident-notice = уведомление об инциденте
