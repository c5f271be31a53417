//! The administrator's specialist form (C1): name, gender, specialties, qualification, degree,
//! career start, branches (a main one and others), bio, online booking; hiding a specialist
//! from the directory and showing them again; and their photo, uploaded as a multipart form
//! (its CSRF token is the form's first field, see [`crate::csrf`]) or removed.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::multipart::{MultipartError, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Form, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use kabinet_core::access::Origin;
use kabinet_core::catalog::{AgeRange, Gender};
use kabinet_core::catalog_form::SpecialistInput;
use kabinet_core::patient::FieldErrors;
use kabinet_core::roles::Action;
use kabinet_service::Error;
use kabinet_service::catalog_admin::SpecialistChoices;
use kabinet_service::photos::MAX_PHOTO_BYTES;

use super::Nav;
use crate::AppState;
use crate::chrome::Chrome;
use crate::error::PageError;
use crate::pages::NO_STORE;
use crate::pages::error_summary::{ErrorLink, error_links};
use crate::request::ClientOrigin;
use crate::routes::Routes;
use crate::staff_session::Staff;

/// The largest body of a photo's form: the photo and room for the token and the boundaries.
pub const MAX_UPLOAD_BODY: usize = MAX_PHOTO_BYTES + 64 * 1024;

/// The specialist form's fields and their labels, in the form's order.
const FIELDS: [(&str, &str); 15] = [
    ("last_name", "field-last-name"),
    ("first_name", "field-first-name"),
    ("middle_name", "field-middle-name"),
    ("gender", "staff-catalog-field-gender"),
    ("specialties", "staff-catalog-field-specialties"),
    ("qualification", "staff-catalog-field-qualification"),
    ("degree", "staff-catalog-field-degree"),
    ("career_start_year", "staff-catalog-field-career-start"),
    ("branches", "staff-catalog-field-branches"),
    ("bio", "staff-catalog-field-bio"),
    ("online_discount_percent", "staff-catalog-field-online-discount"),
    ("qualification_en", "staff-catalog-field-qualification-en"),
    ("degree_en", "staff-catalog-field-degree-en"),
    ("bio_en", "staff-catalog-field-bio-en"),
    ("photo", "staff-catalog-field-photo"),
];

/// «0–17 лет», «с 18 лет», «до 17 лет», «все возрасты».
pub fn ages_words(c: &Chrome, ages: &AgeRange) -> String {
    match (ages.from, ages.to) {
        (Some(from), Some(to)) => c.t.args(
            "staff-catalog-ages-range",
            [("from", i64::from(from).into()), ("to", i64::from(to).into())],
        ),
        (Some(from), None) => c.t.a("staff-catalog-ages-from", "from", i64::from(from)),
        (None, Some(to)) => c.t.a("staff-catalog-ages-to", "to", i64::from(to)),
        (None, None) => c.t.s("staff-catalog-ages-any"),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_catalog_specialist.html")]
struct SpecialistTemplate {
    c: Chrome,
    nav: Option<Nav>,
    /// None for a new specialist.
    id: Option<i64>,
    form: SpecialistInput,
    errors: FieldErrors,
    choices: SpecialistChoices,
    hidden: bool,
    /// The photo's name, if they have one.
    photo: Option<String>,
    genders: &'static [Gender],
}

impl SpecialistTemplate {
    fn error_links(&self) -> Vec<ErrorLink> {
        error_links(&self.c.t, &self.errors, FIELDS)
    }

    fn error(&self, field: &str) -> Option<String> {
        self.errors.get(field).map(|key| self.c.t.s(key))
    }

    fn specialty_ticked(&self, id: &i64) -> bool {
        SpecialistInput::ticked(&self.form.specialties, id)
    }

    fn branch_ticked(&self, id: &i64) -> bool {
        SpecialistInput::ticked(&self.form.branches[1.min(self.form.branches.len())..], id)
    }

    fn is_main(&self, id: &i64) -> bool {
        self.form.branches.first().is_some_and(|b| b.trim() == id.to_string())
    }

    fn gender_name(&self, gender: &Gender) -> String {
        self.c.t.s(&format!("staff-catalog-gender-{}", gender.as_str()))
    }

    /// «Фамилия Имя Отчество» as typed.
    fn full_name(&self) -> String {
        let parts = [&self.form.last_name, &self.form.first_name, &self.form.middle_name];
        parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" ")
    }
}

pub fn routes() -> Routes {
    Routes::default()
        .route("/staff/catalog/specialists/new", get(new_specialist))
        .route("/staff/catalog/specialists", post(create_specialist))
        .route("/staff/catalog/specialists/{id}", get(edit_specialist).post(update_specialist))
        .route("/staff/catalog/specialists/{id}/hide", post(hide_specialist))
        .route("/staff/catalog/specialists/{id}/show", post(show_specialist))
        .route(
            "/staff/catalog/specialists/{id}/photo",
            post(upload_photo).layer(DefaultBodyLimit::max(MAX_UPLOAD_BODY)),
        )
        .route("/staff/catalog/specialists/{id}/photo/remove", post(remove_photo))
}

/// The specialist's page: the form as typed (or stored), with `errors` if any.
async fn specialist_page(
    state: &AppState,
    c: Chrome,
    staff: &Staff,
    id: Option<i64>,
    form: Option<SpecialistInput>,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let choices = state.kabinet.specialist_choices(&staff.0).await?;
    let (stored, hidden, photo) = match id {
        Some(id) => {
            let record = state.kabinet.specialist_record(&staff.0, id).await?;
            (SpecialistInput::from(&record.fields), record.hidden, record.photo)
        }
        None => {
            let fresh = SpecialistInput { online_booking: true, ..SpecialistInput::default() };
            (fresh, false, None)
        }
    };
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = SpecialistTemplate {
        c,
        nav: Nav::of(staff),
        id,
        form: form.unwrap_or(stored),
        errors,
        choices,
        hidden,
        photo,
        genders: Gender::ALL,
    };
    Ok((status, [NO_STORE], page).into_response())
}

fn to_specialist(id: i64) -> Response {
    Redirect::to(&format!("/staff/catalog/specialists/{id}")).into_response()
}

async fn new_specialist(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
) -> Result<Response, PageError> {
    staff.require(Action::ManageCatalog)?;
    specialist_page(&state, c, &staff, None, None, FieldErrors::default()).await
}

async fn edit_specialist(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    staff.require(Action::ManageCatalog)?;
    specialist_page(&state, c, &staff, Some(id), None, FieldErrors::default()).await
}

async fn save_specialist(
    state: &AppState,
    c: Chrome,
    staff: &Staff,
    origin: &Origin,
    id: Option<i64>,
    pairs: &[(String, String)],
) -> Result<Response, PageError> {
    staff.require(Action::ManageCatalog)?;
    let form = SpecialistInput::from_pairs(pairs);
    match state.kabinet.save_specialist(&staff.0, id, &form, origin).await {
        // A new specialist's page next: their photo is uploaded there.
        Ok(saved) => Ok(to_specialist(saved)),
        Err(Error::Validation(errors)) => {
            specialist_page(state, c, staff, id, Some(form), errors).await
        }
        Err(other) => Err(other.into()),
    }
}

async fn create_specialist(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    save_specialist(&state, c, &staff, &origin, None, &pairs).await
}

async fn update_specialist(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    save_specialist(&state, c, &staff, &origin, Some(id), &pairs).await
}

async fn hide_specialist(
    State(state): State<AppState>,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    staff.require(Action::ManageCatalog)?;
    state.kabinet.set_specialist_hidden(&staff.0, id, true, &origin).await?;
    Ok(to_specialist(id))
}

async fn show_specialist(
    State(state): State<AppState>,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    staff.require(Action::ManageCatalog)?;
    state.kabinet.set_specialist_hidden(&staff.0, id, false, &origin).await?;
    Ok(to_specialist(id))
}

/// The bytes of the form's `photo` field; none if it has no such field or is not a
/// multipart form at all.
async fn photo_field(
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Vec<u8>, PageError> {
    let Ok(mut multipart) = multipart else { return Ok(Vec::new()) };
    // A body past the route's limit breaks off while it is read.
    let too_large = |_: MultipartError| PageError::Refused {
        status: StatusCode::PAYLOAD_TOO_LARGE,
        key: "error-photo-too-large",
    };
    while let Some(field) = multipart.next_field().await.map_err(too_large)? {
        if field.name() == Some("photo") {
            return Ok(field.bytes().await.map_err(too_large)?.to_vec());
        }
    }
    Ok(Vec::new())
}

async fn upload_photo(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    staff.require(Action::ManageCatalog)?;
    let upload = photo_field(multipart).await?;
    match state.kabinet.upload_specialist_photo(&staff.0, id, &upload, &origin).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("/staff/catalog/specialists/{id}#photo")).into_response())
        }
        Err(Error::Validation(errors)) => {
            specialist_page(&state, c, &staff, Some(id), None, errors).await
        }
        Err(other) => Err(other.into()),
    }
}

async fn remove_photo(
    State(state): State<AppState>,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    staff.require(Action::ManageCatalog)?;
    state.kabinet.remove_specialist_photo(&staff.0, id, &origin).await?;
    Ok(Redirect::to(&format!("/staff/catalog/specialists/{id}#photo")).into_response())
}
