//! The clinic's back office under `/staff`: sign-in and the first administrator's bootstrap,
//! the registrar's patient screens and threads with patients, change requests, the feed of patients' own changes, the
//! visits to move, the administrator's list of colleagues, the catalog, specialists'
//! schedules, services, price lists and discounts. Every page needs a staff session (else it
//! redirects to the sign-in page) and every form carries the session's CSRF token. What a
//! member may open is the roles table's ([`kabinet_core::roles`]): each handler asks it
//! (`Staff::require`, a 403 page when not), and the menu shows only what the member may do.

use kabinet_core::access::StaffRole;
use kabinet_core::roles::{self, Action};

use crate::routes::Routes;
use crate::staff_session::Staff;

mod access;
mod audit;
mod auth;
mod blocking;
mod catalog;
mod catalog_specialists;
mod confirm;
mod discounts;
mod documents;
mod front_desk;
mod incidents;
mod messages;
mod moves;
mod office;
mod patients;
mod prices;
mod representatives;
mod schedules;
mod second_factor;
mod services;
mod statistics;
mod subject_requests;
mod team;
mod waitlist;

pub use audit::action_key as audit_action_key;
pub use catalog_specialists::MAX_UPLOAD_BODY;

/// The staff header: who is signed in, and the token its sign-out form needs.
#[derive(Debug, Clone)]
pub struct Nav {
    /// The member's full name.
    pub name: String,
    /// The session's CSRF token.
    pub csrf: String,
    /// The member's role.
    pub role: StaffRole,
    /// Whether the member holds the auditor grant.
    pub auditor: bool,
    /// How many patients' messages nobody has opened yet (0 for who does not answer them).
    pub unread_messages: i64,
}

impl Nav {
    /// The header of a signed-in member.
    pub fn of(staff: &Staff) -> Option<Self> {
        Some(Self {
            name: staff.0.member.full_name.clone(),
            csrf: staff.csrf().to_owned(),
            role: staff.0.role,
            auditor: staff.0.member.auditor,
            unread_messages: staff.0.unread_messages,
        })
    }

    /// Whether the member may do `action`: the menu and the pages show only what they may.
    pub fn may(&self, action: Action) -> bool {
        roles::may(self.role, self.auditor, action)
    }
}

/// A text field of a back-office form, laid out by a loop in its template.
#[derive(Debug, Clone)]
pub struct TextField {
    /// Its name (and, after the form's prefix, its id).
    pub name: &'static str,
    /// The key of its label.
    pub label: &'static str,
    /// `text`, `number` (a percent) or `date`.
    pub kind: &'static str,
    /// What it holds.
    pub value: String,
    /// Whether it must be filled.
    pub required: bool,
}

impl TextField {
    /// A field that must be filled.
    pub fn required(
        name: &'static str,
        label: &'static str,
        kind: &'static str,
        value: &str,
    ) -> Self {
        Self { name, label, kind, value: value.to_owned(), required: true }
    }

    /// A field that may stay empty.
    pub fn optional(
        name: &'static str,
        label: &'static str,
        kind: &'static str,
        value: &str,
    ) -> Self {
        Self { required: false, ..Self::required(name, label, kind, value) }
    }

    /// Whether it takes a percent (1–100).
    pub fn is_percent(&self) -> bool {
        self.kind == "number"
    }
}

pub fn routes() -> Routes {
    Routes::default()
        .merge(auth::routes())
        .merge(patients::routes())
        .merge(messages::routes())
        .merge(access::routes())
        .merge(office::routes())
        .merge(team::routes())
        .merge(schedules::routes())
        .merge(services::routes())
        .merge(prices::routes())
        .merge(discounts::routes())
        .merge(catalog::routes())
        .merge(catalog_specialists::routes())
        .merge(moves::routes())
        .merge(front_desk::routes())
        .merge(audit::routes())
        .merge(second_factor::routes())
        .merge(waitlist::routes())
        .merge(documents::routes())
        .merge(statistics::routes())
        .merge(subject_requests::routes())
        .merge(representatives::routes())
        .merge(blocking::routes())
        .merge(incidents::routes())
}
