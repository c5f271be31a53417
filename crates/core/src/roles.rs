//! Who of the staff may do what in the back office: one table, [`Action::holders`], that the
//! service's use cases, the pages' handlers and menus, and the tests (as their oracle) all
//! consult. A member holds their role (registrar or administrator) and, given by another
//! administrator, the auditor grant on top of it; what they may do is what any of these holds.
//!
//! A new back-office action is a new variant of [`Action`]: the compiler then asks for its row
//! in the table, so nothing is allowed or refused by forgetting.

use crate::access::StaffRole;
use crate::stored::stored_text;

stored_text! {
    /// A thing a member of staff does in the back office. The names are not stored; they name
    /// the action in tests and logs.
    pub enum Action {
        /// Search patients by name, phone, card number or login.
        SearchPatients = "search_patients",
        /// Open a patient's card: their data, access, visits and the clinic's messages to them.
        ViewPatientCard = "view_patient_card",
        /// Confirm a patient's access after the paper rules (A2), and issue a new one-time
        /// password.
        IssueAccess = "issue_access",
        /// Book a visit for a patient at the front desk or by phone.
        BookVisits = "book_visits",
        /// Cancel a patient's visit on their behalf.
        CancelVisits = "cancel_visits",
        /// Move a patient's visit to another time or specialist, with a reason (B5).
        MoveVisits = "move_visits",
        /// Work the list of confirmation calls and record each call (B7, R10).
        CallPatients = "call_patients",
        /// Mark a visit arrived, completed or not attended, and reopen online booking closed
        /// by no-shows.
        MarkVisitOutcomes = "mark_visit_outcomes",
        /// Suspend a patient's account (A5) and lift the suspension.
        SuspendPatients = "suspend_patients",
        /// Complete or reject patients' requests to change their data (K4).
        HandleChangeRequests = "handle_change_requests",
        /// Read the feed of patients' own visit changes and lost-credential reports (N2).
        ReadFeed = "read_feed",
        /// Write to a patient and read their threads with the clinic (K3, N2).
        MessagePatients = "message_patients",
        /// See the letters the mail server refused for good.
        ReadFailedMail = "read_failed_mail",
        /// List colleagues, add one, suspend one or lift it.
        ManageTeam = "manage_team",
        /// Make a colleague an auditor or take it back.
        GrantAuditor = "grant_auditor",
        /// Reset a colleague's second factor (a lost phone).
        ResetSecondFactor = "reset_second_factor",
        /// Read the audit log (G6).
        ReadAuditLog = "read_audit_log",
        /// Keep branches, specialties and specialists, their photos included (C1).
        ManageCatalog = "manage_catalog",
        /// Keep services and price lists, their import and export (C3, C4).
        ManagePrices = "manage_prices",
        /// Keep discount cards, certificates, promotions and the online discount (C5).
        ManageDiscounts = "manage_discounts",
        /// Keep weekly schedules and their exceptions (C2).
        ManageSchedules = "manage_schedules",
        /// Publish new versions of the rules and the privacy policy (O2).
        PublishDocuments = "publish_documents",
        /// Read the visit statistics (O3).
        ReadStatistics = "read_statistics",
        /// Work patients' subject requests (G8) and written requests and complaints (K6),
        /// and read their attachments.
        HandleSubjectRequests = "handle_subject_requests",
        /// Record that a patient's data was given to an authority or a third party (G3).
        RecordDisclosures = "record_disclosures",
        /// Upload the production calendar the law's deadlines are counted in.
        ManageCalendar = "manage_calendar",
        /// Link a legal representative to a dependent (creating the dependent's record if
        /// needed) and end a link (A8).
        LinkRepresentatives = "link_representatives",
        /// Block a patient's personal data on a justified request, and unblock it (G4).
        BlockPatientData = "block_patient_data",
        /// Find and open a patient whose data is blocked: the person responsible for
        /// organising the processing (152-FZ art. 22.1; here the administrator) and the
        /// auditor.
        ViewBlockedPatients = "view_blocked_patients",
        /// End the service for a patient for good (A7, R21).
        EndPatientService = "end_patient_service",
        /// Record incidents with personal data, notify the patients, and keep the notices to
        /// the supervisory authority (G5).
        ManageIncidents = "manage_incidents",
        /// Lift a block of a patient's data, with a reason (G4): the responsible officer's,
        /// since for the front desk a blocked patient is not there any more.
        UnblockPatientData = "unblock_patient_data",
    }
}

/// What may hold an action: one of the two roles, or the auditor grant, which a member of
/// either role may hold besides their role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Holder {
    /// The front desk.
    Registrar,
    /// The portal's administration.
    Administrator,
    /// The auditor grant: reading the audit log, given by another administrator.
    Auditor,
}

impl Holder {
    /// Every holder, in the table's column order.
    pub const ALL: &'static [Self] = &[Self::Registrar, Self::Administrator, Self::Auditor];

    /// The holder a role is.
    pub const fn of(role: StaffRole) -> Self {
        match role {
            StaffRole::Registrar => Self::Registrar,
            StaffRole::Administrator => Self::Administrator,
        }
    }

    /// Every action this holder may do, in the order of [`Action::ALL`].
    pub fn actions(self) -> Vec<Action> {
        Action::ALL.iter().copied().filter(|a| a.holders().contains(&self)).collect()
    }
}

impl Action {
    /// The table: who may do each action. The administrator keeps the front desk's actions
    /// (as before this table), and only the auditor grant reads the audit log — an
    /// administrator too only when a colleague made them an auditor.
    pub const fn holders(self) -> &'static [Holder] {
        use Holder::{Administrator, Auditor, Registrar};
        const DESK: &[Holder] = &[Registrar, Administrator];
        const ADMIN: &[Holder] = &[Administrator];
        match self {
            Self::SearchPatients => DESK,
            Self::ViewPatientCard => DESK,
            Self::IssueAccess => DESK,
            Self::BookVisits => DESK,
            Self::CancelVisits => DESK,
            Self::MoveVisits => DESK,
            Self::CallPatients => DESK,
            Self::MarkVisitOutcomes => DESK,
            Self::SuspendPatients => DESK,
            Self::HandleChangeRequests => DESK,
            Self::ReadFeed => DESK,
            Self::MessagePatients => DESK,
            Self::ReadFailedMail => DESK,
            Self::ManageTeam => ADMIN,
            Self::GrantAuditor => ADMIN,
            Self::ResetSecondFactor => ADMIN,
            Self::ReadAuditLog => &[Auditor],
            Self::ManageCatalog => ADMIN,
            Self::ManagePrices => ADMIN,
            Self::ManageDiscounts => ADMIN,
            Self::ManageSchedules => ADMIN,
            Self::PublishDocuments => ADMIN,
            Self::ReadStatistics => ADMIN,
            Self::HandleSubjectRequests => DESK,
            Self::RecordDisclosures => DESK,
            Self::ManageCalendar => ADMIN,
            Self::LinkRepresentatives => DESK,
            Self::BlockPatientData => DESK,
            Self::ViewBlockedPatients => &[Administrator, Auditor],
            Self::EndPatientService => ADMIN,
            Self::ManageIncidents => ADMIN,
            Self::UnblockPatientData => ADMIN,
        }
    }
}

/// Whether a member of `role`, holding the auditor grant or not, may do `action`.
pub fn may(role: StaffRole, auditor: bool, action: Action) -> bool {
    let holders = action.holders();
    holders.contains(&Holder::of(role)) || (auditor && holders.contains(&Holder::Auditor))
}

/// Every action a member of `role` (an auditor or not) may do, in the order of [`Action::ALL`].
pub fn allowed_actions(role: StaffRole, auditor: bool) -> Vec<Action> {
    Action::ALL.iter().copied().filter(|a| may(role, auditor, *a)).collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// The table as people read it, one row an action; `cargo test -p kabinet-core roles --
    /// --nocapture` prints it.
    fn table() -> String {
        let mut out = format!("{:<24} registrar administrator auditor\n", "action");
        for action in Action::ALL {
            let mark = |h| if action.holders().contains(&h) { "x" } else { "-" };
            out.push_str(&format!(
                "{:<24} {:<9} {:<13} {}\n",
                action.as_str(),
                mark(Holder::Registrar),
                mark(Holder::Administrator),
                mark(Holder::Auditor)
            ));
        }
        out
    }

    #[test]
    fn the_table_is_total_and_every_action_has_someone_who_may_do_it() {
        println!("{}", table());
        let names: BTreeSet<&str> = Action::ALL.iter().map(|a| a.as_str()).collect();
        assert_eq!(names.len(), Action::ALL.len(), "every action once");
        for action in Action::ALL {
            let holders = action.holders();
            assert!(!holders.is_empty(), "{action}: nobody may do it");
            let distinct: BTreeSet<String> = holders.iter().map(|h| format!("{h:?}")).collect();
            assert_eq!(distinct.len(), holders.len(), "{action}: a holder twice");
            assert_eq!(action.as_str().parse::<Action>(), Ok(*action));
        }
        // Every role, with and without the grant, answers for every action.
        for role in StaffRole::ALL {
            for auditor in [false, true] {
                let allowed = allowed_actions(*role, auditor);
                for action in Action::ALL {
                    assert_eq!(allowed.contains(action), may(*role, auditor, *action));
                }
            }
        }
    }

    #[test]
    fn the_front_desk_keeps_patients_and_the_administration_keeps_the_clinic() {
        use StaffRole::{Administrator, Registrar};
        assert!(may(Registrar, false, Action::SearchPatients));
        assert!(may(Registrar, false, Action::MoveVisits));
        assert!(!may(Registrar, false, Action::ManageTeam));
        assert!(!may(Registrar, false, Action::ManageCatalog));
        assert!(!may(Registrar, false, Action::ManagePrices));
        assert!(may(Administrator, false, Action::ManageSchedules));
        assert!(may(Administrator, false, Action::IssueAccess), "as before the table");
        assert!(!may(Administrator, false, Action::ReadAuditLog), "only by the grant");
        assert!(may(Administrator, true, Action::ReadAuditLog));
        assert!(may(Registrar, true, Action::ReadAuditLog));
        assert!(!may(Registrar, true, Action::ManageTeam), "the grant reads, it manages nothing");
        let registrar = allowed_actions(Registrar, false);
        let desk = Holder::Registrar.actions();
        assert_eq!(registrar, desk);
        let admin = Holder::Administrator.actions();
        assert!(desk.iter().all(|a| admin.contains(a)), "the administrator keeps the desk's");
        assert_eq!(
            Holder::Auditor.actions(),
            vec![Action::ReadAuditLog, Action::ViewBlockedPatients]
        );
        assert_eq!(Holder::of(Administrator), Holder::Administrator);
        assert_eq!(Holder::ALL.len(), 3);
    }
}
