//! The administrator's catalog (C1): the lists of specialists, branches and specialties, and
//! the forms of a branch and of a specialty (add, change, delete one nobody uses). The
//! specialists' forms and photos are in [`super::catalog_specialists`]. Who may is the roles
//! table (`Action::ManageCatalog`).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use kabinet_core::catalog_form::{BranchInput, SpecialtyInput};
use kabinet_core::patient::FieldErrors;
use kabinet_core::roles::Action;
use kabinet_service::Error;
use kabinet_service::catalog_admin::CatalogOverview;

use super::Nav;
use crate::AppState;
use crate::chrome::Chrome;
use crate::error::PageError;
use crate::pages::NO_STORE;
use crate::pages::error_summary::{ErrorLink, error_links};
use crate::request::ClientOrigin;
use crate::routes::Routes;
use crate::staff_session::Staff;

/// The branch form's fields and their labels, in the form's order.
const BRANCH_FIELDS: [(&str, &str); 11] = [
    ("name", "staff-catalog-field-name"),
    ("address", "staff-catalog-field-address"),
    ("phone", "staff-catalog-field-phone"),
    ("second_phone", "staff-catalog-field-second-phone"),
    ("hours", "staff-catalog-field-hours"),
    ("metro", "staff-catalog-field-metro"),
    ("name_en", "staff-catalog-field-name-en"),
    ("address_en", "staff-catalog-field-address-en"),
    ("hours_en", "staff-catalog-field-hours-en"),
    ("metro_en", "staff-catalog-field-metro-en"),
    ("delete", "staff-catalog-delete"),
];

/// The specialty form's fields and their labels, in the form's order.
const SPECIALTY_FIELDS: [(&str, &str); 5] = [
    ("name", "staff-catalog-field-name"),
    ("name_en", "staff-catalog-field-name-en"),
    ("min_age", "staff-catalog-field-min-age"),
    ("max_age", "staff-catalog-field-max-age"),
    ("delete", "staff-catalog-delete"),
];

#[derive(Template, WebTemplate)]
#[template(path = "staff_catalog.html")]
struct OverviewTemplate {
    c: Chrome,
    nav: Option<Nav>,
    catalog: CatalogOverview,
}

impl OverviewTemplate {
    /// «0–17 лет», «с 18 лет», «все возрасты».
    fn ages(&self, ages: &kabinet_core::catalog::AgeRange) -> String {
        super::catalog_specialists::ages_words(&self.c, ages)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_catalog_branch.html")]
struct BranchTemplate {
    c: Chrome,
    nav: Option<Nav>,
    /// None for a new branch.
    id: Option<i64>,
    form: BranchInput,
    errors: FieldErrors,
    /// Specialists who work there: a branch is deleted only without any.
    specialists: i64,
}

impl BranchTemplate {
    fn error_links(&self) -> Vec<ErrorLink> {
        error_links(&self.c.t, &self.errors, BRANCH_FIELDS)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_catalog_specialty.html")]
struct SpecialtyTemplate {
    c: Chrome,
    nav: Option<Nav>,
    id: Option<i64>,
    form: SpecialtyInput,
    errors: FieldErrors,
    /// Specialists and services that have it.
    used: i64,
}

impl SpecialtyTemplate {
    fn error_links(&self) -> Vec<ErrorLink> {
        error_links(&self.c.t, &self.errors, SPECIALTY_FIELDS)
    }
}

pub fn routes() -> Routes {
    Routes::default()
        .route("/staff/catalog", get(show_catalog))
        .route("/staff/catalog/branches/new", get(new_branch))
        .route("/staff/catalog/branches", post(create_branch))
        .route("/staff/catalog/branches/{id}", get(edit_branch).post(update_branch))
        .route("/staff/catalog/branches/{id}/delete", post(delete_branch))
        .route("/staff/catalog/specialties/new", get(new_specialty))
        .route("/staff/catalog/specialties", post(create_specialty))
        .route("/staff/catalog/specialties/{id}", get(edit_specialty).post(update_specialty))
        .route("/staff/catalog/specialties/{id}/delete", post(delete_specialty))
}

/// The answer to a form: 200, or 422 when it came back with errors.
fn status_of(errors: &FieldErrors) -> StatusCode {
    if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY }
}

async fn show_catalog(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
) -> Result<Response, PageError> {
    staff.require(Action::ManageCatalog)?;
    let catalog = state.kabinet.catalog_overview(&staff.0, c.t.lang).await?;
    Ok(([NO_STORE], OverviewTemplate { c, nav: Nav::of(&staff), catalog }).into_response())
}

fn branch_page(
    c: Chrome,
    staff: &Staff,
    id: Option<i64>,
    form: BranchInput,
    errors: FieldErrors,
    specialists: i64,
) -> Response {
    let status = status_of(&errors);
    let page = BranchTemplate { c, nav: Nav::of(staff), id, form, errors, specialists };
    (status, [NO_STORE], page).into_response()
}

async fn new_branch(c: Chrome, staff: Staff) -> Result<Response, PageError> {
    staff.require(Action::ManageCatalog)?;
    Ok(branch_page(c, &staff, None, BranchInput::default(), FieldErrors::default(), 0))
}

async fn edit_branch(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    staff.require(Action::ManageCatalog)?;
    let branch = state.kabinet.branch_record(&staff.0, id).await?;
    let form = BranchInput::from(&branch.fields);
    Ok(branch_page(c, &staff, Some(id), form, FieldErrors::default(), branch.specialists))
}

async fn save_branch(
    state: &AppState,
    c: Chrome,
    staff: &Staff,
    origin: &kabinet_core::access::Origin,
    id: Option<i64>,
    form: BranchInput,
) -> Result<Response, PageError> {
    staff.require(Action::ManageCatalog)?;
    match state.kabinet.save_branch(&staff.0, id, &form, origin).await {
        Ok(_) => Ok(Redirect::to("/staff/catalog#branches").into_response()),
        Err(Error::Validation(errors)) => {
            let used = match id {
                Some(id) => state.kabinet.branch_record(&staff.0, id).await?.specialists,
                None => 0,
            };
            Ok(branch_page(c, staff, id, form, errors, used))
        }
        Err(other) => Err(other.into()),
    }
}

async fn create_branch(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Form(form): Form<BranchInput>,
) -> Result<Response, PageError> {
    save_branch(&state, c, &staff, &origin, None, form).await
}

async fn update_branch(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
    Form(form): Form<BranchInput>,
) -> Result<Response, PageError> {
    save_branch(&state, c, &staff, &origin, Some(id), form).await
}

async fn delete_branch(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    staff.require(Action::ManageCatalog)?;
    match state.kabinet.delete_branch(&staff.0, id, &origin).await {
        Ok(()) => Ok(Redirect::to("/staff/catalog#branches").into_response()),
        Err(Error::Validation(errors)) => {
            let branch = state.kabinet.branch_record(&staff.0, id).await?;
            let form = BranchInput::from(&branch.fields);
            Ok(branch_page(c, &staff, Some(id), form, errors, branch.specialists))
        }
        Err(other) => Err(other.into()),
    }
}

fn specialty_page(
    c: Chrome,
    staff: &Staff,
    id: Option<i64>,
    form: SpecialtyInput,
    errors: FieldErrors,
    used: i64,
) -> Response {
    let status = status_of(&errors);
    let page = SpecialtyTemplate { c, nav: Nav::of(staff), id, form, errors, used };
    (status, [NO_STORE], page).into_response()
}

async fn new_specialty(c: Chrome, staff: Staff) -> Result<Response, PageError> {
    staff.require(Action::ManageCatalog)?;
    Ok(specialty_page(c, &staff, None, SpecialtyInput::default(), FieldErrors::default(), 0))
}

async fn edit_specialty(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    staff.require(Action::ManageCatalog)?;
    let specialty = state.kabinet.specialty_record(&staff.0, id).await?;
    let form = SpecialtyInput::from(&specialty.fields);
    Ok(specialty_page(c, &staff, Some(id), form, FieldErrors::default(), specialty.used))
}

async fn save_specialty(
    state: &AppState,
    c: Chrome,
    staff: &Staff,
    origin: &kabinet_core::access::Origin,
    id: Option<i64>,
    form: SpecialtyInput,
) -> Result<Response, PageError> {
    staff.require(Action::ManageCatalog)?;
    match state.kabinet.save_specialty(&staff.0, id, &form, origin).await {
        Ok(_) => Ok(Redirect::to("/staff/catalog#specialties").into_response()),
        Err(Error::Validation(errors)) => {
            let used = match id {
                Some(id) => state.kabinet.specialty_record(&staff.0, id).await?.used,
                None => 0,
            };
            Ok(specialty_page(c, staff, id, form, errors, used))
        }
        Err(other) => Err(other.into()),
    }
}

async fn create_specialty(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Form(form): Form<SpecialtyInput>,
) -> Result<Response, PageError> {
    save_specialty(&state, c, &staff, &origin, None, form).await
}

async fn update_specialty(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
    Form(form): Form<SpecialtyInput>,
) -> Result<Response, PageError> {
    save_specialty(&state, c, &staff, &origin, Some(id), form).await
}

async fn delete_specialty(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    staff.require(Action::ManageCatalog)?;
    match state.kabinet.delete_specialty(&staff.0, id, &origin).await {
        Ok(()) => Ok(Redirect::to("/staff/catalog#specialties").into_response()),
        Err(Error::Validation(errors)) => {
            let specialty = state.kabinet.specialty_record(&staff.0, id).await?;
            let form = SpecialtyInput::from(&specialty.fields);
            Ok(specialty_page(c, &staff, Some(id), form, errors, specialty.used))
        }
        Err(other) => Err(other.into()),
    }
}
