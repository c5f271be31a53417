# Frame
skip-to-content = Skip to content
nav-label = Main menu
nav-specialists = Specialists
nav-prices = Prices
nav-rules = Terms of service
nav-privacy = Privacy policy
footer-note = Online booking, schedules and prices of the clinic. Information on this site does not replace a doctor's advice.
notice-label = Cookies and personal data notice
notice-text = This site uses cookies and processes visit data to work and to improve. By continuing to use it you agree to this and to the
notice-policy-link = privacy policy
notice-accept = I agree
notice-decline = I disagree
declined-title = You did not accept the terms
declined-text = Without accepting the privacy policy you may not use this site: please leave it. You can book a visit by phone.
declined-phone = The clinic's phone:

# Home
home-title = Book a doctor online
home-lead = Find a specialist, see their free time and prices with the online discount, and book in a couple of minutes — no registration needed.
home-tile-specialists = Specialists
home-tile-specialists-text = Doctors, schedules and free time
home-tile-prices = Prices
home-tile-prices-text = The clinic's full price list
home-tile-rules = Terms
home-tile-rules-text = How booking and the patient account work
home-branches = Our branches
home-branch-specialists = Specialists of this branch

# Search
search-name = Doctor or specialty
search-name-placeholder = For example, neurologist or a surname
search-specialty = Specialty
search-any-specialty = Any specialty
search-branch = Branch
search-any-branch = Any branch
search-submit = Search
search-day = Free on
search-day-hint = Booking is open from { $first } to { $last }
search-day-outside = Booking is not open for that day: choose one of the days shown
search-day-invalid = Enter the day as DD.MM.YYYY
search-sort = Order
search-sort-name = By name
search-sort-nearest = Soonest free first

# Directory
specialists-title = Specialists
specialists-found = { $count ->
    [one] { $count } specialist found
   *[other] { $count } specialists found
}
specialists-none = Nobody matches. Change the search or
specialists-show-all = see all specialists
experience-years = { $count ->
    [one] { $count } year of practice
   *[other] { $count } years of practice
}
price-from = Visit from
price-regular = Price-list price:
discount-online = −{ $percent } % for booking online
nearest-slot = Nearest time
no-free-slots = No free time in the coming weeks
choose-time = Choose a time
booking-by-phone = Online booking is closed for this specialist. Book by phone
pager-label = Pages
pager-previous = ← Previous
pager-next = Next →
pager-position = Page { $page }
slots-count = { $count ->
    [one] { $count } opening
   *[other] { $count } openings
}

# Specialist
crumbs-label = Breadcrumbs
photo-alt = Photo of the specialist
photo-of = Photo of { $name }
free-time = Free time
week-nav-label = Schedule weeks
week-previous = ← Previous week
week-next = Next week →
week-from = Week from { $date }
no-slots-day = No free time
book-slot-label = Book { $when }
booking-closed-text = Online booking is closed for this specialist. You can book by phone
booking-window-weeks = Booking is open { $count ->
    [one] { $count } week
   *[other] { $count } weeks
} ahead.
booking-window-days = Booking is open { $count ->
    [one] { $count } day
   *[other] { $count } days
} ahead.
services-and-prices = Services and prices
services-consultations = Consultations
services-procedures = Procedures
services-diagnostics = Diagnostics
services-tests = Laboratory tests
services-certificates = Certificates and records
services-programs = Complex programs
service = Service
service-code = Code
price = Price
price-online = Price when booking online
complex-program = Complex program
complex-no-online-discount = The online discount does not apply to complex programs.
discount-rules = The online discount does not add up with a discount card, a discount certificate or promotions, and does not apply to complex programs. Full price list —

# Prices
prices-title = Prices
prices-lead = The clinic's current price list. Prices with the online discount are shown on the specialists' pages.
prices-search = Find a service
prices-search-placeholder = For example, ultrasound or B01.023
prices-none = Nothing found.
prices-show-all = Show the whole price list

# Booking
booking-title = Book a visit
booking-one-time-note = This is a one-time online booking without registration: it can be made once, with one specialist. It cannot be cancelled or moved online — only by phoning the clinic.
field-last-name = Last name
field-first-name = First name
field-middle-name = Patronymic
field-birth-date = Date of birth
field-phone = Phone
field-email = E-mail
optional = optional
consents-legend = Consents
consent-personal-data = I consent to the processing of my personal data to book and receive medical services
consent-calls = I agree to receive calls and messages confirming my booking
booking-rules-note = By booking you accept the
booking-submit = Book
choose-other-time = Choose another time
one-time-used-help = Register for a patient account at the clinic, or call us and the front desk will book you:
one-time-used-next = To book again, register for a patient account: once you confirm your e-mail address you can book there. If you have an account already, sign in.
one-time-used-register = Register
one-time-used-login = Sign in to your account
one-time-used-call = Or call us and the front desk will book you:
booking-yours = You are already booked
booking-yours-open = Open the booking confirmation

# Confirmation
done-title = You are booked
done-code = Booking code
done-patient = Patient
done-specialist = Specialist
done-when = Date and time
done-where = Address
done-phone = Branch phone
done-arrive = Please arrive 10–15 minutes early and bring your passport. Tell the front desk your booking code.
done-no-online-change = A one-time booking cannot be cancelled or moved online.
done-call-us = If your plans change, call us:
done-print = Print
done-calendar = Add to calendar (.ics)
done-print-hint = To print this confirmation, use your browser's print command (Ctrl+P).

# Documents
document-version = Version { $version }
document-published = in force since { $date }

# Errors
error-validation = Please check the highlighted fields.
error-required = Please fill in this field.
error-name-invalid = Use letters, spaces, hyphens or apostrophes.
error-name-too-long = At most 60 characters.
error-phone-invalid = Enter a phone number, e.g. +7 900 123-45-67.
error-email-invalid = Enter an e-mail address, e.g. name@example.com.
error-date-invalid = Enter a date as DD.MM.YYYY.
error-birth-date-future = A date of birth cannot be in the future.
error-birth-date-too-old = Please check the year of birth.
error-register-under-15 = You can register yourself from the age of 15. For a child under 15 a legal representative acts in the account: please contact the clinic's front desk.
error-consent-required = You cannot book without consenting to the processing of personal data.
error-slot-invalid = Choose a time for the visit.
error-slot-taken = This time is already taken. Please choose another.
error-one-time-used = A one-time online booking has already been made with this phone number: it can be made only once.
error-idempotency-mismatch = This request key was used for another booking. Reload the page and book again.
booking-already-made = This booking was made already: its confirmation was shown in the window you booked in and sent to your e-mail if you gave one.
error-booking-closed = Online booking is closed for this specialist. Book by phone
error-not-found = Not found.
error-bad-characters = The request contains a character that is not allowed (NUL). Remove it and send again.
error-method-not-allowed = This address does not take this kind of request.
error-too-large = The request is too large.
error-internal = Internal error. Please try again later.
error-json-content-type = The request body must be JSON (Content-Type: application/json).
error-json-body = The request body could not be read: check the JSON and the required fields.
error-query-invalid = The query parameters could not be read: give each one once.
error-range-invalid = The date range must be 1 to 62 days.
error-unauthorized = Wrong login or password, or the session has expired. Please sign in again.
error-email-unconfirmed = Please confirm your e-mail first: the link came in the letter after registration.
error-throttled = Too many sign-in attempts. Wait a little and try again.
error-rate-limited = Too many requests in a short time. Wait a little and try again, or call the clinic.
error-limit-reached = You hold as many active visits as your access level allows. Cancel or move a visit, or call the clinic.
error-too-late = The visit is too close to change it online. Please call the clinic.
error-too-early = This visit has not started yet: its outcome can be marked once it has.
error-online-booking-closed = Online booking is closed for you: you missed several visits. Please book by the clinic's phone at the top of the page.
error-online-booking-closed-phone = Online booking is closed for you: you missed several visits. Please book by the clinic's phone { $phone }.
error-already-waiting = You are already on the waiting list for this doctor on these days. To change the dates, leave the list and join again.
error-waitlist-day = Enter a date as YYYY-MM-DD, e.g. 2026-12-15.
error-waitlist-past = The date cannot be before today.
error-waitlist-horizon = Booking is not open that far ahead yet: pick an earlier date.
error-waitlist-order = The last day cannot be before the first.
error-forbidden = This is not available for your access level.
error-rules-required = You cannot register without accepting the portal's rules.
error-password-short = The password must be at least 10 characters long.
error-password-long = The password must be at most 128 characters long.
error-password-common = This password is too common. Try a phrase of several words.
error-password-personal = The password must not contain your name, phone or e-mail.
error-password-clinic = The password must not contain the clinic's name.
error-password-wrong = The current password is wrong.
error-page-not-found = Page not found
error-page-not-found-text = The link may be out of date, or the address mistyped.
error-page-internal = Something went wrong
error-page-internal-text = We know about the error. Please try again in a few minutes or call us.
error-request-id = Request number for support: { $id }
error-go-home = Home

confirm-title = Confirm your e-mail
confirm-ask = Press the button to confirm your e-mail and finish registering for the patient's account.
confirm-button = Confirm the address
confirm-done = Your address is confirmed. You can now sign in with your login and password.
confirm-invalid = The link is not valid: it was used already, has expired or was not copied whole.

## A visit booked for a service at a price
price-service = Service
price-to-pay = To pay
price-without-discount = Price without discount
price-discount = Discount
discount-code-label = Discount card, certificate or promo code
discount-code-help = The card number or the code as written on it. Discounts do not add up: the one best for you applies. «Recalculate the price» shows the price before you book.
discount-recalculate = Recalculate the price
error-discount-code-unknown = There is no such card, certificate or promo code. Check how it is written.
error-discount-code-expired = The card, certificate or promo code has expired.
error-discount-code-used = This certificate has been used already.
error-discount-code-not-for-service = This promo code does not apply to the chosen service.
error-service-not-bookable = This service cannot be booked online with this specialist. Choose another one.
service-choose = Service
service-show-times = Show times
error-limit-invalid = Give a number from 1 to 100.
error-cursor-invalid = This cursor was not given out: start from the first page.
error-sort-invalid = Order: name or nearest.
