//! The clinic's back office under `/staff`: sign-in and the first administrator's bootstrap,
//! the registrar's patient screens, change requests, the feed of patients' own changes, the
//! administrator's list of colleagues and specialists' schedules. Every page needs a staff session (else it
//! redirects to the sign-in page) and every form carries the session's CSRF token.

use crate::routes::Routes;
use crate::staff_session::Staff;

mod access;
mod audit;
mod auth;
mod confirm;
mod moves;
mod office;
mod patients;
mod schedules;
mod second_factor;
mod team;

/// The staff header: who is signed in, and the token its sign-out form needs.
#[derive(Debug, Clone)]
pub struct Nav {
    /// The member's full name.
    pub name: String,
    /// The session's CSRF token.
    pub csrf: String,
    /// Whether to show the administrator's pages.
    pub is_admin: bool,
    /// Whether to show the schedules.
    pub keeps_schedules: bool,
    /// Whether to show the audit log.
    pub is_auditor: bool,
}

impl Nav {
    /// The header of a signed-in member.
    pub fn of(staff: &Staff) -> Option<Self> {
        Some(Self {
            name: staff.0.member.full_name.clone(),
            csrf: staff.csrf().to_owned(),
            is_admin: staff.0.is_admin(),
            keeps_schedules: kabinet_service::schedules::may_keep_schedules(&staff.0),
            is_auditor: staff.0.member.auditor,
        })
    }
}

pub fn routes() -> Routes {
    Routes::default()
        .merge(auth::routes())
        .merge(patients::routes())
        .merge(access::routes())
        .merge(office::routes())
        .merge(team::routes())
        .merge(schedules::routes())
        .merge(moves::routes())
        .merge(audit::routes())
        .merge(second_factor::routes())
}
