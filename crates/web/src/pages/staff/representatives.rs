//! Legal representatives on a patient's card (A8): who represents the patient and whom the
//! patient represents, each link with its basis and the document checked (the number masked);
//! linking a representative found by the patient search (by POST, so no name stands in a
//! URL), recording a young child's record on the spot for a representative, and ending a
//! link with a reason.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use kabinet_core::access::{AccessLevel, Origin};
use kabinet_core::patient::{FieldErrors, PatientInput};
use kabinet_core::representative::{IdDocumentKind, RepresentativeBasis, mask_number};
use kabinet_core::roles::Action;
use kabinet_service::Error;
use kabinet_service::model::PatientRecord;
use kabinet_service::representatives::{LinkForm, LinkView};
use serde::Deserialize;

use super::Nav;
use super::patients::when;
use crate::AppState;
use crate::chrome::Chrome;
use crate::error::PageError;
use crate::pages::NO_STORE;
use crate::pages::representation::{basis_key, document_key};
use crate::request::ClientOrigin;
use crate::routes::Routes;
use crate::staff_session::Staff;

/// A new child's record and its link, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
struct ChildForm {
    #[serde(default)]
    last_name: String,
    #[serde(default)]
    first_name: String,
    #[serde(default)]
    middle_name: String,
    #[serde(default)]
    birth_date: String,
    #[serde(default)]
    phone: String,
    #[serde(flatten)]
    link: LinkForm,
}

#[derive(Debug, Default, Deserialize)]
struct SearchForm {
    #[serde(default)]
    q: String,
}

#[derive(Debug, Default, Deserialize)]
struct EndForm {
    #[serde(default)]
    reason: String,
}

/// What the page shows besides the links: a search's results, and a form sent back.
#[derive(Default)]
struct Typed {
    q: String,
    searched: bool,
    found: Vec<PatientRecord>,
    link: LinkForm,
    link_errors: FieldErrors,
    child: ChildForm,
    child_errors: FieldErrors,
    end_errors: Option<(i64, FieldErrors)>,
}

/// One field of the new child's form.
struct ChildField {
    name: &'static str,
    label: &'static str,
    kind: &'static str,
    value: String,
    required: bool,
    help: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_representatives.html")]
struct RepresentativesTemplate {
    c: Chrome,
    nav: Option<Nav>,
    p: PatientRecord,
    /// Links where the patient is the dependent.
    representatives: Vec<LinkView>,
    /// Links where the patient is the representative.
    dependents: Vec<LinkView>,
    typed: Typed,
    bases: &'static [RepresentativeBasis],
    kinds: &'static [IdDocumentKind],
}

impl RepresentativesTemplate {
    fn basis(&self, basis: &RepresentativeBasis) -> String {
        self.c.t.s(basis_key(*basis))
    }

    fn kind(&self, kind: &IdDocumentKind) -> String {
        self.c.t.s(document_key(*kind))
    }

    fn masked(&self, number: &str) -> String {
        mask_number(number)
    }

    fn when(&self, at: &i64) -> String {
        when(&self.c, *at)
    }

    fn date(&self, text: &str) -> String {
        text.parse().map_or_else(|_| text.to_owned(), |d| self.c.t.date(&d))
    }

    /// Whether the patient may represent someone: confirmed, with an account.
    fn may_represent(&self) -> bool {
        self.p.access_level == AccessLevel::Confirmed && self.p.account_id.is_some()
    }

    /// The new child's fields: name, label, input type, value as typed, required, and
    /// whether it has a help text (the phone).
    fn child_fields(&self) -> Vec<ChildField> {
        let c = &self.typed.child;
        let f = |name, label, kind, value: &String, required| ChildField {
            name,
            label,
            kind,
            value: value.clone(),
            required,
            help: name == "phone",
        };
        vec![
            f("last_name", "field-last-name", "text", &c.last_name, true),
            f("first_name", "field-first-name", "text", &c.first_name, true),
            f("middle_name", "field-middle-name", "text", &c.middle_name, false),
            f("birth_date", "field-birth-date", "date", &c.birth_date, true),
            f("phone", "field-phone", "tel", &c.phone, false),
        ]
    }

    fn link_error(&self, field: &str) -> Option<String> {
        self.typed.link_errors.get(field).map(|k| self.c.t.s(k))
    }

    fn child_error(&self, field: &str) -> Option<String> {
        self.typed.child_errors.get(field).map(|k| self.c.t.s(k))
    }

    fn end_error(&self, link: &i64) -> Option<String> {
        let (id, errors) = self.typed.end_errors.as_ref()?;
        if id != link {
            return None;
        }
        errors.get("reason").map(|k| self.c.t.s(k))
    }
}

pub fn routes() -> Routes {
    Routes::default()
        .route(
            "/staff/patients/{id}/representatives",
            get(show_representatives).post(create_representative_link),
        )
        .route("/staff/patients/{id}/representatives/search", post(search_representatives))
        .route("/staff/patients/{id}/representatives/{link}/end", post(end_representative_link))
        .route("/staff/patients/{id}/dependents", post(create_dependent))
}

async fn page(
    state: &AppState,
    (c, origin): (Chrome, &Origin),
    staff: &Staff,
    patient_id: i64,
    typed: Typed,
) -> Result<Response, PageError> {
    let k = &state.kabinet;
    let p = k.patient_record(&staff.0, patient_id, origin).await?;
    let (representatives, dependents) = k.representative_links(&staff.0, patient_id).await?;
    let refused = !typed.link_errors.is_empty()
        || !typed.child_errors.is_empty()
        || typed.end_errors.is_some();
    let status = if refused { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = RepresentativesTemplate {
        c,
        nav: Nav::of(staff),
        p,
        representatives,
        dependents,
        typed,
        bases: RepresentativeBasis::ALL,
        kinds: IdDocumentKind::LINK,
    };
    Ok((status, [NO_STORE], page).into_response())
}

async fn show_representatives(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    staff.require(Action::LinkRepresentatives)?;
    page(&state, (c, &origin), &staff, id, Typed::default()).await
}

async fn search_representatives(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
    Form(form): Form<SearchForm>,
) -> Result<Response, PageError> {
    staff.require(Action::LinkRepresentatives)?;
    let found = state.kabinet.find_patients(&staff.0, &form.q, &origin).await?;
    let found = found.into_iter().filter(|r| r.id != id).collect();
    let typed = Typed { q: form.q, searched: true, found, ..Typed::default() };
    page(&state, (c, &origin), &staff, id, typed).await
}

async fn create_representative_link(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
    Form(form): Form<LinkForm>,
) -> Result<Response, PageError> {
    staff.require(Action::LinkRepresentatives)?;
    match state.kabinet.link_representative(&staff.0, Some(id), &form, None, &origin).await {
        Ok(_) => Ok(Redirect::to(&format!("/staff/patients/{id}/representatives")).into_response()),
        Err(Error::Validation(errors)) => {
            // The chosen representative stays chosen: show them again.
            let found = match form.representative_id.parse::<i64>() {
                Ok(rid) => state.kabinet.patient_record(&staff.0, rid, &origin).await.ok(),
                Err(_) => None,
            };
            let typed = Typed {
                searched: found.is_some(),
                found: found.into_iter().collect(),
                link: form,
                link_errors: errors,
                ..Typed::default()
            };
            page(&state, (c, &origin), &staff, id, typed).await
        }
        Err(other) => Err(other.into()),
    }
}

async fn create_dependent(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
    Form(mut form): Form<ChildForm>,
) -> Result<Response, PageError> {
    staff.require(Action::LinkRepresentatives)?;
    form.link.representative_id = id.to_string();
    let child = PatientInput {
        last_name: form.last_name.clone(),
        first_name: form.first_name.clone(),
        middle_name: Some(form.middle_name.clone()),
        birth_date: form.birth_date.clone(),
        phone: form.phone.clone(),
        email: None,
        postal_address: None,
    };
    let k = &state.kabinet;
    match k.link_representative(&staff.0, None, &form.link, Some(&child), &origin).await {
        Ok(child_id) => Ok(Redirect::to(&format!("/staff/patients/{child_id}")).into_response()),
        Err(Error::Validation(errors)) => {
            let typed = Typed { child: form, child_errors: errors, ..Typed::default() };
            page(&state, (c, &origin), &staff, id, typed).await
        }
        Err(other) => Err(other.into()),
    }
}

async fn end_representative_link(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path((id, link)): Path<(i64, i64)>,
    Form(form): Form<EndForm>,
) -> Result<Response, PageError> {
    staff.require(Action::LinkRepresentatives)?;
    let k = &state.kabinet;
    match k.end_representative_link(&staff.0, id, link, &form.reason, &origin).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("/staff/patients/{id}/representatives")).into_response())
        }
        Err(Error::Validation(errors)) => {
            let typed = Typed { end_errors: Some((link, errors)), ..Typed::default() };
            page(&state, (c, &origin), &staff, id, typed).await
        }
        Err(other) => Err(other.into()),
    }
}
