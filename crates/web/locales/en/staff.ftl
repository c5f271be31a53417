# The clinic's back office (/staff): registrars and administrators.

staff-title = Front desk
staff-nav-label = Front desk menu
staff-nav-patients = Patients
staff-nav-new-access = New access
staff-nav-requests = Requests
staff-nav-feed = Changes feed
staff-nav-team = Staff
staff-sign-in = Sign in
staff-sign-out = Sign out

# Sign-in, bootstrap, setup
staff-login-title = Staff sign-in
staff-field-login = Staff login
staff-field-password = Password
staff-field-new-password = Personal password
staff-field-full-name = Full name
staff-field-role = Role
staff-role-registrar = Registrar
staff-role-administrator = Administrator
staff-login-help = 3 to 40 characters: Latin letters, digits, dot, hyphen, underscore.
staff-password-help = At least 10 characters; a phrase of several words works best. Only you know it.
staff-bootstrap-title = First administrator
staff-bootstrap-lead = This one-time link creates the portal's first administrator. Choose a login and a personal password.
staff-setup-title = Staff password
staff-setup-lead = An administrator added you to the portal's staff. Set a personal password: the link works once.
staff-link-submit = Save
staff-link-done = Done. Now sign in with your login and password.
staff-link-invalid = The link is not valid: it was used, has expired or was copied incompletely.
staff-required-legend = Fields marked with an asterisk (*) are required.

# Patients
staff-search-title = Find a patient
staff-search-label = Name, phone, card number or login
staff-search-none = Nobody found. You can create access for a new patient:
staff-patient = Patient
staff-access-level = Access level
staff-card-title = Patient card
staff-card-data = Personal data
staff-card-account = Access to the cabinet
staff-card-messages = Messages with the patient
staff-messages-none = No messages yet.
staff-unread-messages = { $count ->
    [one] { $count } new
   *[other] { $count } new
}
staff-message-from-patient = started by the patient
staff-message-write = Write to the patient
staff-message-send = Send to the patient
staff-message-letter-help = The patient reads it in their cabinet. If they have an e-mail, only a letter «New message in your cabinet» goes out — no text, no name of yours.
staff-message-back = ← Patient's card: { $name }
staff-message-with = Thread with the patient: { $name }
staff-message-notice = Clinic notice
staff-message-read = read
staff-message-unread = not read yet
staff-account-state = State
staff-account-none = No account.
staff-account-active = Active
staff-account-awaiting = Awaiting activation
staff-account-lost = Blocked: the patient reported lost credentials
staff-account-suspended = Suspended by the clinic
staff-otp-valid-until = One-time password valid until
staff-otp-issue = Issue a new one-time password
staff-otp-refused = A one-time password is issued only with confirmed access, and not while access is suspended.
staff-suspend = Suspend access
staff-unsuspend = Restore access
staff-visits-planned = Planned visits
staff-visits-past = Past and cancelled visits
staff-visits-none = None.
staff-visit-cancel = Cancel visit
staff-visit-cancelled = cancelled
staff-visit-cancel-label = Cancel visit: { $when }
staff-book-specialist = Book with a specialist
staff-book-choose-time = Choose time
staff-book-title = Book a visit for the patient
staff-age = { $age ->
    [one] { $age } year old
   *[other] { $age } years old
}
staff-age-of-patient = The patient is { $age ->
    [one] { $age } year old
   *[other] { $age } years old
}
staff-ages-between = aged { $from } to { $to }
staff-ages-from = aged { $from } and over
staff-ages-to = aged up to { $to }
staff-ages-any = any age
staff-age-unfit = not for the patient's age
staff-age-unfit-help = Specialists who do not see patients of this age are marked "not for the patient's age".
staff-age-warning = This specialist does not see patients of this age
staff-age-warning-advice = Check that you are booking the right specialist. If you are, book as usual.

# Confirmation of actions that are hard to undo
staff-confirm-cancel-title = Cancel the visit?
staff-confirm-cancel-lead = The time becomes free for other patients. The patient is told of the cancellation in the cabinet and by e-mail, where they have them.
staff-confirm-cancel-submit = Yes, cancel the visit
staff-confirm-cancel-keep = Keep it, back to the card
staff-confirm-suspend-title = Suspend the patient's access?
staff-confirm-suspend-lead = All of the patient's sessions end at once, and signing in to the cabinet is impossible until you restore access. The patient gets a letter asking them to contact the clinic.
staff-confirm-suspend-submit = Yes, suspend access
staff-confirm-suspend-keep = Do not suspend, back to the card
staff-confirm-otp-title = Issue a new one-time password?
staff-confirm-otp-lead = The previous one-time password and the patient's personal password stop working, and all sessions end. The patient signs in with the new one-time password and sets a new personal one.
staff-confirm-otp-submit = Yes, issue a new password
staff-confirm-otp-keep = Do not issue, back to the card
staff-confirm-suspend-member-title = Suspend the colleague's access?
staff-confirm-suspend-member-lead = The colleague's sessions end at once, and signing in to the back office is impossible until you restore access.
staff-confirm-suspend-member-submit = Yes, suspend access
staff-confirm-suspend-member-keep = Do not suspend, back to the list

# Confirmed access
staff-access-title = Confirmed access
staff-access-lead = Create access for a patient who signed the portal rules on paper at the clinic. Identity and e-mail were checked in person.
staff-access-confirm = Create confirmed access
staff-access-submit = Create access and issue a one-time password
staff-access-refused = Access is already confirmed or suspended: issue a new one-time password or restore access.
staff-field-patient-login = Login (e-mail address)
staff-field-card-number = Medical card number
staff-field-rules-version = Version of the signed rules
staff-field-paper-reference = Reference of the paper copy
staff-sheet-title = Sign-in details for the patient cabinet
staff-sheet-portal = Portal address
staff-sheet-password = One-time password
staff-sheet-instructions = Sign in to the portal with this login and one-time password and set a personal password only you know. The one-time password works once.
staff-sheet-keep = Do not share your sign-in details. If someone else got them, report it in the cabinet or by phone
staff-sheet-back = Back to the patient card
staff-sheet-once = The one-time password is shown once and never stored in clear. Print the sheet or hand the password over now.

# Change requests
staff-requests-title = Personal data change requests
staff-requests-lead = Changes are made only after checking the patient's documents in person.
staff-requests-none = No new requests.
staff-request-complete = Documents checked — apply the change
staff-request-reason = Reason for rejection
staff-request-reject = Reject
staff-request-filed = Filed:
staff-request-was = now:
staff-request-becomes = becomes:

# Feed
staff-feed-title = Changes made by patients
staff-feed-none = Nothing yet.
staff-feed-lead = Newest first. Each entry shows when it happened.
staff-feed-booked = Booked online
staff-feed-moved = Visit moved online
staff-feed-cancelled = Visit cancelled online
staff-feed-credentials-lost = Lost sign-in details reported
staff-feed-visit-at = visit:
staff-feed-message = Message from a patient
staff-feed-open-thread = Open the thread

# Team
staff-team-title = Staff
staff-team-add = Add a colleague
staff-team-submit = Add
staff-team-link = Give the colleague this one-time link to set a password (valid 24 hours, shown once):
staff-link-copy = Copy the link
staff-link-copied = Link copied.
staff-link-copy-failed = The link is selected: press Ctrl+C to copy it.

# Errors
error-staff-login-invalid = 3 to 40 characters: Latin letters, digits, dot, hyphen, underscore.
error-staff-login-taken = This login is taken.
error-patient-login-taken = An account with this address exists: find the patient by login.
error-card-number-invalid = Enter the medical card number: up to 32 letters and digits; hyphen, dot and slash allowed.
error-card-number-taken = This medical card number belongs to another patient.
error-rules-version-invalid = Enter the number of the current or an earlier version of the rules.
error-paper-reference-invalid = Enter the reference of the paper copy (up to 100 characters).
error-access-under-15 = The patient is under 15: no access of their own is issued. Link a legal representative on the patient's card.
error-change-empty = Enter at least one new value.
error-reason-required = Give a reason (up to 500 characters).
error-login-taken = This e-mail is another patient's login already: it cannot be changed to it.
staff-failed-mail-title = Letters that could not be delivered
staff-failed-mail-intro = The recipient's mail server refused them; sending again will not help. Ask the patient for a working address.
staff-failed-mail-answer = Server's answer
mail-kind-booking-confirmation = booking confirmation
mail-kind-confirm-email = address confirmation
mail-kind-already-registered = repeated registration attempt
mail-kind-account-activated = access activated
mail-kind-password-changed = password changed
mail-kind-credentials-lost = access blocked
mail-kind-lost-report = report of lost access
mail-kind-account-suspended = access suspended
mail-kind-visit-changed-by-clinic = visit changed by the clinic
mail-kind-change-request-decided = decision on a data change request
mail-kind-visit-reminder = reminder before a visit
mail-kind-new-message = new message in the cabinet
mail-kind-waitlist-offer = a time offered from the waiting list
staff-level-one-time = One-time booking
staff-level-unconfirmed = Online registration
staff-level-confirmed = Confirmed access
mail-kind-visit-changed = visit changed by the patient

# The second step of sign-in: the code from the app, enrolment, recovery codes
staff-code-title = Confirmation code
staff-code-lead = The password is right. Now enter the six digits from the authenticator app on your phone.
staff-field-code = Code from the app or a recovery code
staff-code-help = Six digits, no spaces. If your phone is not at hand, enter one of your recovery codes: each works once.
staff-code-submit = Confirm
staff-code-lost = Lost your phone and your recovery codes? Ask an administrator to reset your second factor; you will set it up again at your next sign-in.
staff-code-wrong = That code did not work. Check that your phone's clock is right and enter a new code: each code is accepted once.
staff-enrol-title = Set up your second factor
staff-enrol-lead = Signing in to the front desk takes a code from an app on your phone as well as your password (Google Authenticator, Yandex Key, FreeOTP and others). It takes a minute.
staff-enrol-scan = Open the app and scan the QR code.
staff-enrol-qr-alt = QR code for the authenticator app
staff-enrol-manual = If the camera is not available, type this key into the app:
staff-enrol-code = The six digits the app shows
staff-enrol-submit = Set up
staff-enrol-done = Your second factor is set up. From now on, the app gives you a code at every sign-in.
staff-recovery-title = Recovery codes
staff-recovery-lead = Keep these ten codes: print them or write them down, and store them away from your phone. Each code signs you in once without the app. We will not show them again.
staff-recovery-continue = Go to the front desk

# Second factor on the team page
staff-second-factor = Second factor
staff-totp-on = Set up
staff-totp-off = Not set up
staff-totp-reset = Reset second factor

# Schedules (the administrator)
staff-nav-schedules = Schedules
staff-schedules-title = Specialists' schedules
staff-schedules-intro = Choose a specialist to change their weekly template or to add a vacation, sick leave, an extra or a shortened day.
staff-schedule-title = Schedule
staff-schedule-back = ← All schedules
staff-schedule-templates = Weekly templates
staff-schedule-no-templates = No templates: the specialist does not see patients.
staff-schedule-template-words = { $weekday }, { $start }–{ $end }, visits of { $slot } min
staff-schedule-slot-words = visits of { $slot } min
staff-schedule-from-open = from { $from } until further notice
staff-schedule-from-until = from { $from } to { $until }
staff-schedule-last-day = Last working day
staff-schedule-end = End template
staff-schedule-exceptions = Exceptions
staff-schedule-no-exceptions = No exceptions.
staff-schedule-remove = Remove
staff-schedule-kind-vacation = Vacation
staff-schedule-kind-sick-leave = Sick leave
staff-schedule-kind-day-off = Day off
staff-schedule-kind-extra-day = Extra working day
staff-schedule-kind-short-day = Shortened day
staff-schedule-add-exception = Add an exception
staff-schedule-add-exception-submit = Add exception
staff-schedule-field-kind = What happens
staff-schedule-field-from = First day
staff-schedule-field-until = Last day
staff-schedule-until-help = Empty: the first day only.
staff-schedule-hours-legend = Working hours (for an extra or a shortened day)
staff-schedule-field-start = Visits from
staff-schedule-field-end = Visits until
staff-schedule-field-slot = Visit length, minutes
staff-schedule-add-template = Add a weekly template
staff-schedule-add-template-submit = Add template
staff-schedule-field-weekday = Weekday
staff-schedule-field-valid-from = In force from
staff-schedule-field-valid-until = In force until
staff-schedule-valid-until-help = Empty: until further notice.
error-schedule-weekday = Choose a weekday.
error-schedule-time = Write the time as HH:MM, for example 09:30.
error-schedule-end-before-start = The end must be later than the start.
error-schedule-slot = A visit lasts 5 to 240 minutes.
error-schedule-slot-longer-than-hours = The visit is longer than the working hours.
error-schedule-date = Write the date as DD.MM.YYYY, for example 01.12.2026.
error-schedule-until-before-from = The last day cannot be before the first.
error-schedule-kind = Choose what happens: a vacation, sick leave, a day off, an extra or a shortened day.

# Visits to move (the registrar)
staff-nav-moves = Visits to move
staff-moves-title = Visits to move
staff-moves-intro = A schedule change took the time of these visits. Move each to another time (with this or another specialist) or cancel it with a reason: the patient gets a cabinet message and a letter.
staff-moves-none = There are none.
staff-moves-specialist = Specialist
staff-moves-when = Visit time
staff-moves-action = Action
staff-moves-act = Move or cancel
staff-schedule-to-move = Visits this change hits
staff-schedule-to-move-intro = Patients are booked at these times. The front desk sees them under “Visits to move”; move or cancel each.
staff-visit-move = Move
staff-visit-move-label = Move visit: { $when }
staff-move-title = Move a visit
staff-move-to = New time
staff-move-new-time = Free time for two weeks
staff-move-reason = Reason for the move
staff-move-reason-help = The patient sees it in the message and the letter.
staff-move-submit = Move visit
staff-move-or-cancel = Or cancel the visit
staff-cancel-reason = Reason for cancelling
staff-cancel-submit = Cancel visit
error-move-reason-missing = Write the reason: the patient sees it in the message and the letter.
error-move-reason-long = The reason is at most 500 characters.

# The front desk's day: confirmation calls, visit outcomes, no-shows (issue 12)
staff-nav-calls = Calls
staff-nav-visits = Day's visits
staff-calls-title = Calls to confirm visits
staff-calls-days = Visits on
staff-desk-pick-day = Another day
staff-desk-show = Show
staff-calls-next-day = Next working day
staff-calls-to-call = To call
staff-calls-none = No visits.
staff-desk-when = When
staff-desk-time = Time
staff-desk-specialist = Specialist, branch
staff-desk-confirmation = Confirmation
staff-calls-record = Call outcome
staff-calls-record-label = Call outcome: { $who }
staff-calls-no-consent = No consent to calls — do not call
staff-calls-no-consent-help = These patients did not consent to calls or withdrew it: do not call them; the visit is confirmed when they come.
call-outcome-none = not called
call-outcome-confirmed = confirmed
call-outcome-no-answer = no answer
call-outcome-cancelled = cancelled
call-outcome-moved = moved
call-outcome-wrong-number = wrong number
staff-visits-title = Day's visits
staff-visits-help = Mark whether the patient came and whether the visit took place. The buttons appear once the visit's time has come.
staff-visits-outcome = Outcome
staff-visits-mark-label = Outcome: { $who }
staff-visits-not-yet = not started yet
visit-outcome-arrived = arrived
visit-outcome-completed = visit took place
visit-outcome-no-show = did not come
staff-online-booking-closed = Online booking is closed: { $count } recent no-shows. The patient books through the front desk.
staff-online-booking-reopen = Reopen online booking
staff-card-confirmation = confirmation
## The waiting list (B8)
staff-nav-waitlist = Waiting list
staff-waitlist-title = Waiting list
staff-waitlist-none = Nobody is on the waiting list.
staff-waitlist-lead = Each doctor's line is in the order patients joined. A freed time is offered automatically to the first who may book it, and held for them.
staff-waitlist-place = No.
staff-waitlist-patient = Patient
staff-waitlist-service = Service
staff-waitlist-days = Days that suit
staff-waitlist-joined = Joined
staff-waitlist-state = State
staff-waitlist-waiting = waiting
staff-waitlist-offered = time offered
staff-waitlist-booked = booked
staff-waitlist-left = left the list
staff-waitlist-held-until = held until { $until }
