# Issue 13, points 2, 5, 9: blocking of personal data, closures of access, incidents.

## Refusals
error-data-blocked = The processing of your personal data is blocked on request. While the block lasts you cannot book, reschedule or write to the clinic in the account. Please call the clinic — the phone is at the top of the page.
error-data-blocked-phone = The processing of your personal data is blocked on request. While the block lasts you cannot book, reschedule or write to the clinic in the account. Please call the clinic: { $phone }.
error-access-suspended = Access to your account is suspended.
error-registration-cancelled = The clinic cancelled your registration in the patient account.
error-service-ended = The clinic ended the service of your patient account.
access-closed-details = Reason: { $reason }. Please come to the front desk with your passport or call { $phone }.
error-block-requested-by = Choose on whose request the data is blocked.
error-block-authority = Name the authority that sent the request.
error-block-basis = Give the basis of the block.
error-block-document = Give the document's type and number.
error-block-document-date = Give the document's date — not later than today.
error-text-too-long = The text is too long: at most 1000 characters.
error-unblock-reason = Say why the block is lifted.
error-closure-reason = Give the reason — the patient sees it when trying to sign in.
error-incident-selection = Choose how to find the patients affected.
error-incident-chosen = List the patients' card numbers or logins, one per line.
error-incident-dates = Give both dates; the first not after the second.
error-incident-text = Fill in this field.
error-incident-found-at = Give the date and time of detection — not later than now.
error-incident-categories = Tick at least one category of data.

## Blocking on the card
data-block-section = Blocking of personal data
data-block-title = Block personal data
data-block-intro = Once blocked, the clinic does not process the patient's data: booking, messages, calls, reminders and exports are unavailable, and the front desk's search does not find the patient. Only the person responsible for the processing of personal data (the administrator) and the auditor open the card. Visits already booked stay.
data-block-requested-by = On whose request
block-requested-by-patient = The patient
block-requested-by-representative = A legal representative
block-requested-by-authority = An authority
data-block-authority = The authority's name
data-block-authority-help = Only when an authority sent the request, such as Roskomnadzor or a court.
data-block-basis = Basis
data-block-document = Document
data-block-document-type = Type of document
data-block-document-ref = Number or reference
data-block-document-date = Date of the document
data-block-submit = Block the data
data-block-back = Back to the card
data-block-done = The patient's data is blocked and the patient was notified. The card is now open only to the person responsible for personal data and the auditor.
data-block-state-blocked = Data blocked since
data-block-state-help = Booking, messages, calls and reminders are unavailable for the patient.
data-block-state-free = The data is not blocked.
data-unblocked-at = Unblocked
data-blocked-visit = Data blocked
data-unblock-title = Lift the block of data
data-unblock-intro = Once the block is lifted, the clinic processes the patient's data again. The patient is notified.
data-unblock-reason = Why the block is lifted
data-unblock-submit = Lift the block

## Suspension, cancelled registration, end of service
closure-suspend-title = Suspend access
closure-suspend-intro = Every session of the patient ends at once. The patient gets a letter asking them to contact the clinic; they see the reason only when trying to sign in, after the right password.
closure-suspend-reason = Reason of the suspension
closure-suspend-submit = Suspend access
closure-cancel-title = Cancel the registration
closure-cancel-intro = For a self-registration whose data the clinic believes false. The account is closed for good, sessions end, planned visits are cancelled and their times freed. The patient gets a letter.
closure-cancel-reason = Reason of the cancellation
closure-cancel-submit = Cancel the registration
closure-end-title = End the service
closure-end-intro = Access to the account ends for good, sessions and the calendar address are revoked, planned visits are cancelled with notices. The medical records and the audit log stay. The patient gets a letter.
closure-end-reason = Reason of the end of service
closure-end-submit = End the service
closure-refused = This action is not available for this account.
closure-state-cancelled = Registration cancelled
closure-state-ended = Service ended
closure-reason = Reason

## Incidents
incident-nav = Incidents
incident-list-title = Incidents with personal data
incident-list-none = No incidents.
incident-new-title = Record an incident
incident-patients-count = { $count ->
    [one] { $count } patient
   *[other] { $count } patients
}
incident-summary = What happened
incident-found-at = When found
incident-found-date = Date
incident-found-time = Time
incident-categories = Categories of data
incident-category-full-name = Full name
incident-category-contacts = Contacts (phone, e-mail)
incident-category-birth-date = Date of birth
incident-category-address = Postal address
incident-category-visits = Bookings with doctors
incident-category-health = Health data
incident-category-credentials = Credentials
incident-category-documents = Identity documents
incident-category-payments = Payments
incident-causes = Presumed causes
incident-harm = Presumed harm
incident-measures = Measures taken
incident-contact = Contact person for Roskomnadzor
incident-patients = Patients affected
incident-selection-chosen = List the patients
incident-selection-visits = Everyone with a visit in the period
incident-selection-accounts = Everyone whose account was created in the period
incident-from = From
incident-to = To
incident-chosen = Card numbers or logins
incident-chosen-help = One per line; only for «List the patients».
incident-preview = { $count ->
    [one] { $count } patient found.
   *[other] { $count } patients found.
}
incident-preview-submit = Count the patients
incident-notify-help = Once saved, every patient affected gets a message in the account and the letter «Уведомление о безопасности персональных данных».
incident-submit = Save and notify the patients
incident-title = Incident with personal data
incident-recorded = Recorded
incident-notices = Notices to Roskomnadzor
incident-notice-24 = Notice within 24 hours
incident-notice-72 = Notice within 72 hours
incident-sent = sent
incident-due = due
incident-overdue = overdue
incident-mark-sent = Mark sent
incident-72-needs-investigation = Enter the investigation's results first.
incident-investigation-title = Results of the internal investigation
incident-investigation = Results of the investigation
incident-responsible = People whose actions caused the incident
incident-investigation-submit = Save the results
incident-doc-24-title = Notice of an unlawful transfer of personal data
incident-doc-72-title = Notice of the results of the internal investigation
incident-doc-to = To the Federal Service for Supervision of Communications, Information Technology and Mass Media (Roskomnadzor)
incident-doc-from = Operator:
incident-back = Back to the incident
incident-open-notices = Notices to Roskomnadzor not sent
cabinet-data-blocked = The processing of your personal data is blocked on request. While the block lasts, booking, messages and reminders are unavailable. Visits already booked stay.
mail-kind-data-blocked = personal data blocked
mail-kind-data-unblocked = block of personal data lifted
mail-kind-registration-cancelled = registration cancelled
mail-kind-service-ended = service ended
mail-kind-incident-notice = incident notice
