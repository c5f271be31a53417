# The patient's account: sign-in, registration, the cabinet.

nav-cabinet = My account
nav-login = Sign in
nav-register = Register

error-activation-required = Set a personal password in place of the one-time password first.
error-login-failed = Wrong login or password.
error-register-consent-required = You cannot register without consenting to the processing of personal data.
error-password-mismatch = The passwords do not match.
error-page-forbidden = Not done
error-page-forbidden-text = Not available: you may not do this, or the form is out of date. Open the page again and retry.

field-login = E-mail (login)
field-password = Password
field-new-password = New password
field-password-repeat = New password again
field-current-password = Current password
password-rules = At least 10 characters. A phrase of several words is easiest. Do not use your name, phone or e-mail.

login-title = Sign in to your account
login-one-time-hint = Got a one-time password at the front desk? Type it as the password: after signing in you will set your own.
login-submit = Sign in
login-register = Register
login-lost = Lost your password, or think someone else knows it?
login-done-everywhere = You have signed out everywhere: every session of your patient account has ended. Sign in again to go on.

activate-title = Set your password
activate-lead = You signed in with a one-time password. To go on, set a personal password: the one-time password will not work again.
activate-submit = Save password

register-title = Register
register-lead = Online registration gives one active visit with one specialist: you can move or cancel it in your patient account. Full access is given by the front desk after checking your identity.
register-submit = Register
register-have-account = Already registered? Sign in
accept-rules = I have read the rules of the patient account and accept them
register-sent-title = Check your e-mail
register-sent-text = We sent a letter with a link to confirm the address. Open it to finish registering: it works for 72 hours.
register-sent-spam = If there is no letter, look in the spam folder. If the address is already registered, the letter says how to sign in.
confirm-resend-title = No letter?
confirm-resend-submit = Send the letter again
confirm-resent = If this address is waiting to be confirmed, we sent it a new letter with a link. The earlier links no longer work.

lost-title = Lost or compromised credentials
lost-lead = If you lost your password or think someone else knows it, give your login. A letter goes to your e-mail: its links block access at once or set a new password. Nothing changes until you open one. If you are signed in, you can block access at once on the Security page.
lost-submit = Send the letter
lost-sent = If such an account exists, a letter went to its e-mail with two links: block access, or set a new password. Nothing changes until you open one.
lost-call = You can also get a new one-time password at the front desk with your passport. The clinic's phone: { $phone }.
lost-blocked = Access is blocked: every session has ended and the old password no longer works. A link to set a new password went to your e-mail.
lost-block-button = Block access
lost-block-ask = Press the button to block access to your patient's account: every session ends and the old password stops working. You can set a new password by the link in the letter.

reset-title = New password
reset-invalid = The link does not work: it is out of date or already used.
reset-new-link = Get a new link
reset-submit = Save password
reset-done = Password saved. Sign in with the new password.

level-one-time = One-time booking.
level-unconfirmed = Online registration: one active visit with one specialist. Full access after a visit to the front desk with your passport.
level-confirmed = Confirmed access.

cabinet-title = My account
cabinet-hello = Hello, { $name }!
cabinet-nav-label = Sections of your account
cabinet-visits = My visits
cabinet-messages = Messages
cabinet-unread = { $count ->
    [one] { $count } unread
   *[other] { $count } unread
}
cabinet-profile = Personal data
cabinet-security = Security
cabinet-sign-out = Sign out
cabinet-planned = Upcoming visits
cabinet-no-planned = No upcoming visits.
cabinet-book-link = Choose a specialist
cabinet-actions = Actions
cabinet-ics = To calendar (.ics)
cabinet-reschedule = Move
cabinet-cancel = Cancel
cabinet-print = Print the list
cabinet-book-more = Book another visit
cabinet-book-more-limit = You cannot book another visit: your access level's limit of active visits is reached. To see another specialist, cancel the visit you have or call the clinic.
cabinet-past = Past and cancelled
cabinet-no-past = None yet.
cabinet-done-booked = You are booked. The visit is in your upcoming visits.
cabinet-done-cancelled = The visit is cancelled.
cabinet-done-moved = The visit is moved.
cabinet-done-activated = Your password is saved. Welcome!
cabinet-done-password = Password changed. Your other sessions have ended.

visit-status-booked = planned
visit-status-cancelled = cancelled
visit-status-completed = took place
visit-status-no-show = missed

cancel-title = Cancel a visit
cancel-question = Cancel this visit? The time becomes free for other patients.
cancel-submit = Cancel the visit
cancel-keep = Back to my visits
call-clinic = The clinic's phone:
reschedule-title = Move a visit
reschedule-choose = Choose a new time
reschedule-no-slots = No free time this week. Call the clinic or cancel the visit.
reschedule-slot-label = Move to { $when }
reschedule-confirm = Confirm the new time
reschedule-from = Was
reschedule-to = Will be
reschedule-submit = Move the visit
reschedule-other = Choose another time

security-sessions = Active sessions
security-this-session = This session
security-since = signed in { $when }
security-last-seen = last active { $when }
security-end-all = Sign out everywhere
security-device = { $browser } on { $os }
security-browser-unknown = Browser
security-device-unknown = Unknown device
security-end-one = End session
security-ended = The session has ended: that device will have to sign in again.
security-password = Change password
security-change-password = Change password
security-lost-text = If you think someone else knows your password, block sign-in: every session ends and a link for a new password goes to your e-mail.

messages-back = All messages
messages-none = No messages yet.
messages-new = new
messages-from-clinic = Clinic
messages-from-you = You
messages-answer = Your answer
messages-send = Send
messages-write-clinic = Write to the clinic
messages-write-lead = The answer comes here, to your cabinet. The text is never sent by e-mail. If it is urgent, call the clinic.
messages-subject = Subject
messages-text = Message
messages-text-help = At most { $max } characters.
error-message-text-required = Write the message's text.
error-message-text-too-long = The message is too long: at most 4000 characters.
error-message-subject-required = Give a subject.
error-message-subject-too-long = The subject is too long: at most 150 characters.
error-message-rate = You have sent many messages in the last hour. Wait a little and send again — your text is kept below — or call the clinic.

profile-held = Data held by the clinic
profile-card-number = Medical record number
profile-no-card = given by the front desk
profile-change = Change your data
profile-change-lead = Fill in only what has changed. The change takes effect after the front desk checks your documents at your visit to the clinic.
profile-change-submit = Send the request
profile-requested = Request sent. Bring your documents to your next visit: the front desk makes the change after checking them.
profile-requests = My requests
change-status-pending = waiting for the documents check
change-status-completed = changed
change-status-rejected = rejected

cabinet-calendar = Calendar
calendar-feed-title = Calendar subscription
calendar-feed-intro = All your visits can appear in your phone's or computer's calendar by themselves: new, moved and cancelled ones. Your calendar subscribes to a private address for that — only you should know it.
calendar-none = No subscription yet.
calendar-create = Set up the calendar
calendar-done-created = The subscription is set up.
calendar-done-replaced = The address was replaced: the old one no longer works. Subscribe to the new one.
calendar-done-revoked = The subscription is revoked: a calendar using the old address will no longer update.
calendar-done-details = Setting saved.
calendar-address-once = This address is shown only once: we keep only its fingerprint. Subscribe now or save the address.
calendar-subscribe = Subscribe in your calendar
calendar-address-copy = Or copy the address and add it to your calendar by hand:
calendar-copy = Copy the address
calendar-copied = Address copied.
calendar-copy-failed = Could not copy: the address is selected, copy it yourself.
calendar-live-since = Subscription set up on { $when }.
calendar-last-fetched = Last read by a calendar on { $when }.
calendar-never-fetched = No calendar has read it yet.
calendar-replace = Replace the address
calendar-replace-hint = We show the new address once and the old one stops working at once — say, if you lost your phone or shared the address by mistake.
calendar-revoke = Revoke
calendar-revoke-hint = The address stops working; events already in your calendar stay but no longer update.
calendar-privacy-title = What the calendar shows
calendar-show-details = Show the specialist and the service in my calendar
calendar-show-details-hint = Without this, an event is called
calendar-show-details-why = — no doctor, no service: other people and devices often see a calendar.
calendar-save = Save
calendar-howto-title = How to subscribe on a phone
calendar-howto-iphone = iPhone and iPad: tap “Subscribe in your calendar” and confirm. Or: Settings → Calendar → Accounts → Add Account → Other → Add Subscribed Calendar, and paste the address.
calendar-howto-android = Android (Google Calendar): on a computer open calendar.google.com → Other calendars → “+” → From URL, and paste the address; the calendar appears on the phone after it syncs.
calendar-howto-outlook = Outlook: Add calendar → Subscribe from web, and paste the address.
calendar-howto-refresh = Calendars refresh subscriptions on their own, usually hourly or less often: changes do not show at once.
reminders-title = Visit reminders
reminders-on = E-mail me a reminder before each visit
reminders-hint = The letter comes { $hours } h before the visit and holds only the date, time and branch address — no doctor or service. A visit booked later than that gets none.
reminders-off-clinic = The clinic sends no reminders.
reminders-save = Save reminders
reminders-done = Reminder setting saved.

cabinet-closed-banner = Online booking is closed for you: you missed several visits you had booked. You can book by the clinic's phone
cabinet-outcome-arrived = You came
cabinet-outcome-completed = The visit took place
cabinet-outcome-no-show = You did not come
calls-consent-title = Calls to confirm visits
calls-consent-on = I agree that the front desk calls me to confirm my visits
calls-consent-hint = The day before a visit the front desk may call to confirm it. Without your consent nobody calls.
calls-consent-save = Save consent to calls
calls-consent-done = Consent to calls saved.
