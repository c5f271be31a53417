//! The kinds of e-mail the portal sends through its outbox (N3).

use crate::stored::stored_text;

stored_text! {
    /// What a letter is about: the outbox keeps it, logs name it (never the address).
    pub enum MailKind {
        /// A one-time booking is confirmed.
        BookingConfirmation = "booking_confirmation",
        /// The link that confirms a new account's address.
        ConfirmEmail = "confirm_email",
        /// Somebody tried to register an address that has an account.
        AlreadyRegistered = "already_registered",
        /// An account was activated with a personal password.
        AccountActivated = "account_activated",
        /// The password was changed.
        PasswordChanged = "password_changed",
        /// Access was blocked after a report of lost credentials.
        CredentialsLost = "credentials_lost",
        /// A report of lost credentials came from the public form: the owner chooses to
        /// block access or to set a new password.
        LostReport = "lost_report",
        /// The clinic suspended the account.
        AccountSuspended = "account_suspended",
        /// The clinic booked, moved or cancelled a visit for the patient.
        VisitChangedByClinic = "visit_changed_by_clinic",
        /// The patient booked, moved or cancelled a visit in the cabinet or over the API.
        VisitChanged = "visit_changed",
        /// The registrar decided on a change request.
        ChangeRequestDecided = "change_request_decided",
        /// A reminder before a planned visit (B8).
        VisitReminder = "visit_reminder",
        /// The clinic wrote in the cabinet: a neutral "you have a new message" letter.
        NewMessage = "new_message",
        /// A freed time held for a patient of the waiting list (B8).
        WaitlistOffer = "waitlist_offer",
        /// The clinic answered a subject request or a written request: a neutral letter
        /// pointing to the cabinet.
        RequestAnswered = "request_answered",
        /// The patient's personal data was blocked (G4).
        DataBlocked = "data_blocked",
        /// The patient's personal data was unblocked (G4).
        DataUnblocked = "data_unblocked",
        /// The clinic cancelled the patient's self-registration (A5, R14).
        RegistrationCancelled = "registration_cancelled",
        /// The clinic ended the service for the patient (A7, R21).
        ServiceEnded = "service_ended",
        /// An incident touched the patient's data (G5).
        IncidentNotice = "incident_notice",
    }
}
