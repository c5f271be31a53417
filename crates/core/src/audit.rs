//! What the audit log (G6) says happened, and to what kind of object.

use crate::stored::stored_text;

stored_text! {
    /// An audited event: `object.verb`.
    pub enum AuditAction {
        /// A patient record was created.
        PatientCreate = "patient.create",
        /// A member of staff opened a patient's record.
        PatientView = "patient.view",
        /// A member of staff searched for patients (the count found, never the words).
        PatientSearch = "patient.search",
        /// A consent was given.
        ConsentGive = "consent.give",
        /// A visit was booked.
        AppointmentCreate = "appointment.create",
        /// A visit was cancelled.
        AppointmentCancel = "appointment.cancel",
        /// A visit was moved to another time.
        AppointmentReschedule = "appointment.reschedule",
        /// A patient's account was created.
        AccountCreate = "account.create",
        /// A self-registration whose address was never confirmed was replaced by a new one.
        AccountReplace = "account.replace",
        /// An account's e-mail address was confirmed by its link.
        AccountConfirmEmail = "account.confirm_email",
        /// A single-use link (a password reset) was used.
        AccountUseLink = "account.use_link",
        /// A one-time password was used to sign in.
        AccountUseOneTimePassword = "account.use_one_time_password",
        /// A personal password was set.
        AccountSetPassword = "account.set_password",
        /// An account was blocked (lost credentials, suspension).
        AccountBlock = "account.block",
        /// Lost credentials were reported on the public form: the owner got a letter.
        AccountLostReport = "account.lost_report",
        /// A suspension was lifted.
        AccountUnblock = "account.unblock",
        /// The registrar issued a one-time password.
        AccountIssueOneTimePassword = "account.issue_one_time_password",
        /// The registrar confirmed access after the rules were signed on paper.
        AccountConfirmAccess = "account.confirm_access",
        /// Someone signed in.
        SessionCreate = "session.create",
        /// A sign-in was refused: a wrong login, password or code, or a blocked account.
        SessionRefuse = "session.refuse",
        /// Someone signed out.
        SessionDelete = "session.delete",
        /// A patient ended every session of their account.
        SessionEndAll = "session.end_all",
        /// A patient ended one other session of their account (another device).
        SessionEndOther = "session.end_other",
        /// The first administrator's bootstrap link was issued.
        StaffBootstrapIssue = "staff.bootstrap_issue",
        /// The first administrator was created by the bootstrap link.
        StaffBootstrap = "staff.bootstrap",
        /// A member of staff was added.
        StaffCreate = "staff.create",
        /// A member of staff set a password by their setup link.
        StaffSetPassword = "staff.set_password",
        /// A member of staff was suspended.
        StaffSuspend = "staff.suspend",
        /// A member's suspension was lifted.
        StaffUnsuspend = "staff.unsuspend",
        /// A member was made an auditor.
        StaffAuditorGrant = "staff.auditor_grant",
        /// A member is no longer an auditor.
        StaffAuditorRevoke = "staff.auditor_revoke",
        /// An auditor read the audit log.
        AuditView = "audit.view",
        /// A member enrolled their second factor (TOTP) and got ten recovery codes.
        StaffTotpEnrol = "staff.totp_enrol",
        /// An administrator reset a colleague's second factor: they enrol again.
        StaffTotpReset = "staff.totp_reset",
        /// A patient asked to change their personal data.
        ChangeRequestCreate = "change_request.create",
        /// The registrar completed a change request.
        ChangeRequestComplete = "change_request.complete",
        /// The registrar rejected a change request.
        ChangeRequestReject = "change_request.reject",
        /// A whole catalog was loaded.
        CatalogLoad = "catalog.load",
        /// A version of the rules or the policy was published.
        DocumentPublish = "document.publish",
        /// The administrator added a weekly template to a specialist's schedule.
        ScheduleTemplateAdd = "schedule.template_add",
        /// The administrator ended a weekly template.
        ScheduleTemplateEnd = "schedule.template_end",
        /// The administrator added an exception (days away, an extra or a shortened day).
        ScheduleExceptionAdd = "schedule.exception_add",
        /// The administrator removed an exception.
        ScheduleExceptionRemove = "schedule.exception_remove",
        /// The administrator made a price list (by import, or the demo's).
        PriceListCreate = "price_list.create",
        /// A price list's day came: its prices became the current ones.
        PriceListApply = "price_list.apply",
        /// The administrator added or changed a service and who provides it.
        ServiceSave = "service.save",
        /// The administrator hid a service or showed it again.
        ServiceArchive = "service.archive",
        /// The administrator added a discount card, a certificate or a promotion.
        DiscountCreate = "discount.create",
        /// The administrator ended a discount card, a certificate or a promotion.
        DiscountEnd = "discount.end",
        /// The administrator added a branch.
        BranchCreate = "branch.create",
        /// The administrator changed a branch.
        BranchUpdate = "branch.update",
        /// The administrator deleted a branch no specialist works at.
        BranchDelete = "branch.delete",
        /// The administrator added a specialty.
        SpecialtyCreate = "specialty.create",
        /// The administrator changed a specialty.
        SpecialtyUpdate = "specialty.update",
        /// The administrator deleted a specialty nobody and nothing has.
        SpecialtyDelete = "specialty.delete",
        /// The administrator added a specialist.
        SpecialistCreate = "specialist.create",
        /// The administrator changed a specialist.
        SpecialistUpdate = "specialist.update",
        /// The administrator hid a specialist from the directory (their visits stay).
        SpecialistHide = "specialist.hide",
        /// The administrator showed a hidden specialist again.
        SpecialistShow = "specialist.show",
        /// The administrator uploaded a specialist's photo.
        SpecialistPhotoSet = "specialist.photo_set",
        /// The administrator removed a specialist's photo.
        SpecialistPhotoRemove = "specialist.photo_remove",
        /// A patient made their private calendar feed (its address shown once).
        CalendarFeedCreate = "calendar_feed.create",
        /// A patient replaced their calendar feed's address: the old one stopped working.
        CalendarFeedReplace = "calendar_feed.replace",
        /// A patient revoked their calendar feed: its address stopped working.
        CalendarFeedRevoke = "calendar_feed.revoke",
        /// A patient chose whether their calendar names the specialist and the service.
        CalendarFeedDetails = "calendar_feed.details",
        /// A patient switched reminders before visits on or off.
        PatientReminders = "patient.reminders",
        /// A message was written in a thread between the clinic and a patient (by either side).
        MessageCreate = "message.create",
        /// A member of staff opened a patient's thread with the clinic.
        MessageThreadView = "message_thread.view",
        /// The registrar opened a list of visits with patients' names and phones (the call
        /// list or a day's visits).
        VisitListView = "visit_list.view",
        /// The registrar recorded a confirmation call about a visit and how it went.
        AppointmentCall = "appointment.call",
        /// The registrar marked what happened to a visit (arrived, completed, no-show).
        AppointmentOutcome = "appointment.outcome",
        /// Too many no-shows closed online booking for the patient.
        PatientOnlineBookingClose = "patient.online_booking_close",
        /// The registrar reopened online booking for the patient.
        PatientOnlineBookingReopen = "patient.online_booking_reopen",
        /// A patient withdrew a consent (G1).
        ConsentWithdraw = "consent.withdraw",
        /// A patient joined the waiting list for a specialist.
        WaitlistJoin = "waitlist.join",
        /// A patient left the waiting list (an open offer's hold ended with it).
        WaitlistLeave = "waitlist.leave",
        /// A freed time was offered and held for the first patient in line.
        WaitlistOffer = "waitlist.offer",
        /// A patient booked the time the waiting list held for them.
        WaitlistBook = "waitlist.book",
        /// A request was refused for coming too often (sign-ins, bookings, reports, letters).
        RequestThrottle = "request.throttle",
        /// A form came without its session's CSRF token.
        RequestForged = "request.forged",
        /// A patient made a subject request (G8).
        SubjectRequestCreate = "subject_request.create",
        /// A member of staff opened a subject request.
        SubjectRequestView = "subject_request.view",
        /// The clinic answered a subject request.
        SubjectRequestAnswer = "subject_request.answer",
        /// The clinic extended an access request's period once, with a reason.
        SubjectRequestExtend = "subject_request.extend",
        /// The clinic refused a subject request, with a reason.
        SubjectRequestRefuse = "subject_request.refuse",
        /// A patient (or staff) read the copy of the patient's data.
        DataExportView = "data_export.view",
        /// Staff recorded a disclosure of a patient's data, with its legal basis (G3).
        DisclosureCreate = "disclosure.create",
        /// A patient filed a written request or complaint (K6).
        AppealCreate = "appeal.create",
        /// A member of staff opened a written request or complaint.
        AppealView = "appeal.view",
        /// The clinic answered a written request or complaint.
        AppealAnswer = "appeal.answer",
        /// A member of staff downloaded a patient's attachment.
        FileView = "file.view",
        /// The administrator uploaded a production calendar.
        CalendarUpload = "calendar.upload",
        /// The registrar linked a legal representative to a dependent after checking the
        /// documents (A8).
        RepresentativeLink = "representative.link",
        /// A representative's link ended: by the registrar with a reason, or at 18.
        RepresentativeUnlink = "representative.unlink",
        /// A representative switched into a dependent's cabinet, or back to their own.
        RepresentativeActFor = "representative.act_for",
        /// A registrar blocked a patient's personal data (G4).
        PatientDataBlock = "patient_data.block",
        /// A registrar unblocked a patient's personal data, with a reason (G4).
        PatientDataUnblock = "patient_data.unblock",
        /// The clinic cancelled a self-registration it believes false (A5, R14).
        AccountCancelRegistration = "account.cancel_registration",
        /// The clinic ended the service for a patient (A7, R21).
        AccountEndService = "account.end_service",
        /// An administrator recorded an incident and its patients were notified (G5).
        IncidentCreate = "incident.create",
        /// An administrator recorded the results of an incident's investigation.
        IncidentUpdate = "incident.update",
        /// A notice of an incident was marked sent to the supervisory authority.
        IncidentNoticeSent = "incident.notice_sent",
    }
}

stored_text! {
    /// What kind of object an audited event touched.
    pub enum ObjectKind {
        /// A patient's record.
        Patient = "patient",
        /// A consent of the ledger.
        Consent = "consent",
        /// A visit.
        Appointment = "appointment",
        /// A patient's account.
        Account = "account",
        /// A member of staff.
        Staff = "staff",
        /// A staff secret (the bootstrap link).
        StaffSecret = "staff_secret",
        /// A request to change personal data.
        ChangeRequest = "change_request",
        /// The clinic's catalog.
        Catalog = "catalog",
        /// A published document.
        Document = "document",
        /// A branch of the clinic.
        Branch = "branch",
        /// A medical specialty.
        Specialty = "specialty",
        /// A specialist.
        Specialist = "specialist",
        /// A weekly template of a specialist's schedule.
        WorkRule = "work_rule",
        /// An exception to a specialist's weekly templates.
        ScheduleException = "schedule_exception",
        /// A price list.
        PriceList = "price_list",
        /// A service of the price list.
        Service = "service",
        /// A discount card.
        DiscountCard = "discount_card",
        /// A discount certificate.
        Certificate = "certificate",
        /// A promotion.
        Promotion = "promotion",
        /// A patient's private calendar feed (its id is the patient's).
        CalendarFeed = "calendar_feed",
        /// A thread of messages between the clinic and a patient.
        MessageThread = "message_thread",
        /// A patient's place in the waiting list.
        WaitlistEntry = "waitlist_entry",
        /// A request itself (a refusal that touches no object).
        Request = "request",
        /// The audit log itself (an auditor read it).
        AuditLog = "audit_log",
        /// A subject request (G8).
        SubjectRequest = "subject_request",
        /// A written request or complaint (K6).
        Appeal = "appeal",
        /// A disclosure of a patient's data (G3).
        Disclosure = "disclosure",
        /// A stored file (an attachment).
        StoredFile = "stored_file",
        /// The production calendar.
        ProductionCalendar = "production_calendar",
        /// A link between a legal representative and a dependent.
        RepresentativeLink = "representative_link",
        /// An incident with personal data (G5).
        Incident = "incident",
    }
}

stored_text! {
    /// What the registrar's feed (N2) shows: the audit actions it is read from.
    pub enum FeedEvent {
        /// A visit was booked.
        Booked = "appointment.create",
        /// A visit was moved.
        Moved = "appointment.reschedule",
        /// A visit was cancelled.
        Cancelled = "appointment.cancel",
        /// A patient reported their credentials lost (the account was blocked for it).
        CredentialsLost = "account.block",
        /// A patient wrote to the clinic (a new thread or an answer).
        PatientMessage = "message.create",
    }
}

stored_text! {
    /// How an audited attempt ended (ASVS 16.3): done, or refused (a wrong password, a
    /// missing token, too many attempts).
    pub enum AuditResult {
        /// It happened.
        Success = "success",
        /// It was refused.
        Failure = "failure",
    }
}
