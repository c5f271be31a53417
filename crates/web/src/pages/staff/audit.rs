//! The auditor's page (G6): the audit log, filtered by patient, actor, action and days, newest
//! first, fifty rows a page. The filter is a GET query (no names in it: a patient is a number)
//! so a page can be linked and reloaded; bad values are named and kept in the form.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use jiff::civil::Date;
use kabinet_core::access::ActorKind;
use kabinet_core::audit::{AuditAction, AuditResult};
use kabinet_core::patient::FieldErrors;
use kabinet_core::roles::Action;
use kabinet_service::audit_log::{ActorQuery, AuditPage, AuditQuery};
use kabinet_service::model::AuditRow;
use serde::Deserialize;

use super::Nav;
use crate::AppState;
use crate::chrome::Chrome;
use crate::error::PageError;
use crate::links::encode;
use crate::pages::NO_STORE;
use crate::request::ClientOrigin;
use crate::routes::Routes;
use crate::staff_session::Staff;

/// The filter as typed: every field text, so that what was typed comes back.
#[derive(Debug, Default, Clone, Deserialize)]
struct AuditForm {
    #[serde(default)]
    patient: String,
    #[serde(default)]
    actor: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    before: Option<i64>,
}

impl AuditForm {
    fn parse(&self) -> Result<AuditQuery, FieldErrors> {
        let mut errors = FieldErrors::default();
        let patient = self.patient.trim().trim_start_matches('#');
        let patient_id = match patient {
            "" => None,
            text => text.parse::<i64>().ok().filter(|id| *id > 0).or_else(|| {
                errors.add("patient", "audit-error-patient");
                None
            }),
        };
        let actor = match self.actor.as_str() {
            "" => None,
            text => match text.strip_prefix("staff:") {
                Some(id) => id.parse().ok().map(ActorQuery::Staff),
                None => text.parse::<ActorKind>().ok().map(ActorQuery::Kind),
            }
            .or_else(|| {
                errors.add("actor", "audit-error-choice");
                None
            }),
        };
        let action = match self.action.as_str() {
            "" => None,
            text => text.parse::<AuditAction>().ok().or_else(|| {
                errors.add("action", "audit-error-choice");
                None
            }),
        };
        let mut day = |field: &'static str, text: &str| match text.trim() {
            "" => None,
            text => text.parse::<Date>().ok().or_else(|| {
                errors.add(field, "audit-error-date");
                None
            }),
        };
        let (from, to) = (day("from", &self.from), day("to", &self.to));
        if let (Some(from), Some(to)) = (from, to)
            && to < from
        {
            errors.add("to", "audit-error-range");
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(AuditQuery { patient_id, actor, action, from, to, before_id: self.before })
    }

    /// The query of the next page: this filter, rows older than `before`.
    fn next_page(&self, before: &i64) -> String {
        let pairs = [
            ("patient", self.patient.as_str()),
            ("actor", self.actor.as_str()),
            ("action", self.action.as_str()),
            ("from", self.from.as_str()),
            ("to", self.to.as_str()),
        ];
        let mut query = String::from("/staff/audit?");
        for (name, value) in pairs.into_iter().filter(|(_, v)| !v.is_empty()) {
            query.push_str(&format!("{name}={}&", encode(value)));
        }
        query.push_str(&format!("before={before}"));
        query
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_audit.html")]
struct AuditTemplate {
    c: Chrome,
    nav: Option<Nav>,
    form: AuditForm,
    errors: FieldErrors,
    page: AuditPage,
    actions: &'static [AuditAction],
}

impl AuditTemplate {
    fn error(&self, field: &str) -> Option<String> {
        self.errors.get(field).map(|key| self.c.t.s(key))
    }

    fn moment(&self, row: &AuditRow) -> String {
        self.c.t.moment(&row.at)
    }

    /// A member by name, «Пациент», «Пациент №12», «Посетитель сайта», «Система».
    fn actor(&self, row: &AuditRow) -> String {
        let t = &self.c.t;
        match (row.actor_kind, row.actor_id) {
            (ActorKind::Staff, Some(id)) => match self.page.staff_names.get(&id) {
                Some(name) => name.clone(),
                None => t.a("audit-actor-staff-id", "id", id),
            },
            // A patient acting on their own data: the patient column names them.
            (ActorKind::Patient, Some(id)) if row.patient_id == Some(id) => {
                t.s("audit-actor-patient-self")
            }
            // A representative acting for a dependent (A8): «Представитель Иванова А. П. за
            // Иванова П. А.».
            (ActorKind::Patient, Some(id)) if on_behalf_of(row).is_some() => {
                let dependent = on_behalf_of(row).unwrap_or_default();
                let name = |id: i64| {
                    self.page
                        .patient_names
                        .get(&id)
                        .map_or_else(|| format!("№{id}"), |n| short_name(n))
                };
                t.args(
                    "audit-actor-representative",
                    [("representative", name(id).into()), ("dependent", name(dependent).into())],
                )
            }
            (ActorKind::Patient, Some(id)) => t.a("audit-actor-patient-id", "id", id),
            (kind, _) => t.s(&format!("audit-actor-{}", kind.as_str())),
        }
    }

    fn patient(&self, row: &AuditRow) -> Option<String> {
        let id = row.patient_id?;
        Some(self.page.patient_names.get(&id).cloned().unwrap_or_else(|| format!("#{id}")))
    }

    /// What a row says beyond its action, in words: the fields a change of personal data
    /// changed with their values before and after (K4), the kind of document seen, the basis
    /// of a representative's link.
    fn details(&self, row: &AuditRow) -> Vec<String> {
        let t = &self.c.t;
        let Ok(details) = serde_json::from_str::<serde_json::Value>(&row.details) else {
            return Vec::new();
        };
        let mut lines = Vec::new();
        if let (Some(before), Some(after)) =
            (details["before"].as_object(), details["after"].as_object())
        {
            for (field, new) in after {
                let was = before.get(field).and_then(|v| v.as_str()).filter(|v| !v.is_empty());
                let label = t.s(&format!("field-{}", field.replace('_', "-")));
                lines.push(format!(
                    "{label}: {} → {}",
                    was.unwrap_or("—"),
                    new.as_str().unwrap_or("—")
                ));
            }
        }
        if let Some(kind) = details["document_kind"].as_str().and_then(|k| k.parse().ok()) {
            let kind = t.s(crate::pages::representation::document_key(kind));
            lines.push(format!("{}: {kind}", t.s("audit-document-seen")));
        }
        if let Some(basis) = details["basis"].as_str().and_then(|b| b.parse().ok()) {
            let basis = t.s(crate::pages::representation::basis_key(basis));
            lines.push(format!("{}: {basis}", t.s("representative-basis-label")));
        }
        lines
    }

    fn action_label(&self, action: &AuditAction) -> String {
        self.c.t.s(&action_key(*action))
    }

    fn failed(&self, row: &AuditRow) -> bool {
        row.result == AuditResult::Failure
    }

    fn staff_choice(&self, id: &i64) -> String {
        format!("staff:{id}")
    }
}

/// The dependent a representative acted for, from a row's details (A8).
fn on_behalf_of(row: &AuditRow) -> Option<i64> {
    let details: serde_json::Value = serde_json::from_str(&row.details).ok()?;
    details["on_behalf_of"].as_i64()
}

/// «Иванова А. П.» of «Иванова Анна Петровна».
fn short_name(full: &str) -> String {
    let mut parts = full.split_whitespace();
    let Some(last) = parts.next() else { return String::new() };
    let initials: Vec<String> =
        parts.filter_map(|p| p.chars().next()).map(|c| format!("{c}.")).collect();
    if initials.is_empty() { last.to_owned() } else { format!("{last} {}", initials.join(" ")) }
}

/// The message key naming an action: `audit-action-patient-view` for `patient.view`.
pub fn action_key(action: AuditAction) -> String {
    format!("audit-action-{}", action.as_str().replace(['.', '_'], "-"))
}

pub fn routes() -> Routes {
    Routes::default().route("/staff/audit", get(show_audit))
}

async fn show_audit(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Query(form): Query<AuditForm>,
) -> Result<Response, PageError> {
    staff.require(Action::ReadAuditLog)?;
    let (errors, page) = match form.parse() {
        Ok(query) => {
            (FieldErrors::default(), state.kabinet.audit_page(&staff.0, &query, &origin).await?)
        }
        Err(errors) => {
            let staff_names = state.kabinet.audit_staff_names(&staff.0).await?;
            (errors, AuditPage { staff_names, ..AuditPage::default() })
        }
    };
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page =
        AuditTemplate { c, nav: Nav::of(&staff), form, errors, page, actions: AuditAction::ALL };
    Ok((status, [NO_STORE], page).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{I18n, Lang};

    #[test]
    fn every_action_has_words_in_both_languages() {
        for lang in [Lang::Ru, Lang::En] {
            let t = I18n { lang, tz: jiff::tz::TimeZone::UTC };
            for action in AuditAction::ALL {
                let key = action_key(*action);
                let words = t.s(&key);
                assert!(!words.is_empty() && !words.contains(&key), "{lang:?}: {key}");
            }
        }
    }
}
