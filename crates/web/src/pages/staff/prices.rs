//! The administrator's price lists: the list in force, those waiting for their day and the
//! past ones, each exported as CSV; the upload of a file from the accounting system (a
//! multipart form, its CSRF token checked like any other), its preview with each line's
//! problems, and «Применить» with the day it takes effect. Who may is the roles table
//! (`Action::ManagePrices`).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::civil::Date;
use kabinet_core::patient::FieldErrors;
use kabinet_core::pricing::Money;
use kabinet_core::roles::Action;
use kabinet_service::Error;
use kabinet_service::model::PriceList;
use kabinet_service::prices::{ApplyInput, ImportPreview, PriceLists};

use super::Nav;
use crate::AppState;
use crate::chrome::Chrome;
use crate::error::PageError;
use crate::pages::NO_STORE;
use crate::request::ClientOrigin;
use crate::routes::Routes;
use crate::staff_session::Staff;

#[derive(Template, WebTemplate)]
#[template(path = "staff_prices.html")]
struct ListsTemplate {
    c: Chrome,
    nav: Option<Nav>,
    lists: PriceLists,
    problem: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_price_preview.html")]
struct PreviewTemplate {
    c: Chrome,
    nav: Option<Nav>,
    preview: ImportPreview,
    form: ApplyInput,
    errors: FieldErrors,
}

/// Words shared by both pages.
trait PriceWords {
    fn chrome(&self) -> &Chrome;

    fn money(&self, m: &Money) -> String {
        m.display()
    }

    /// «2 декабря 2026» of a stored day.
    fn day(&self, text: &str) -> String {
        text.parse::<Date>().map_or_else(|_| text.to_owned(), |d| self.chrome().t.date(&d))
    }
}

impl PriceWords for ListsTemplate {
    fn chrome(&self) -> &Chrome {
        &self.c
    }
}

impl PriceWords for PreviewTemplate {
    fn chrome(&self) -> &Chrome {
        &self.c
    }
}

impl ListsTemplate {
    fn list_words(&self, list: &PriceList) -> String {
        self.c.t.args(
            "staff-prices-list-words",
            [("day", self.day(&list.effective_from).into()), ("count", list.items.into())],
        )
    }
}

impl PreviewTemplate {
    fn error(&self, field: &str) -> Option<String> {
        self.errors.get(field).map(|key| self.c.t.s(key))
    }

    fn line_errors(&self, errors: &[&'static str]) -> String {
        errors.iter().map(|key| self.c.t.s(key)).collect::<Vec<_>>().join(" ")
    }

    /// «Кодировка UTF-8, разделитель — точка с запятой; строк: 3.»
    fn file_words(&self) -> String {
        let key = if self.preview.delimiter == ',' {
            "staff-prices-delimiter-comma"
        } else {
            "staff-prices-delimiter-semicolon"
        };
        self.c.t.args(
            "staff-prices-file-words",
            [
                ("encoding", self.preview.encoding.into()),
                ("delimiter", self.c.t.s(key).into()),
                ("count", self.preview.lines.len().into()),
            ],
        )
    }
}

pub fn routes() -> Routes {
    Routes::default()
        .route("/staff/prices", get(list_price_lists))
        .route("/staff/prices/import", post(preview_import))
        .route("/staff/prices/apply", post(apply_import))
        .route("/staff/prices/export.csv", get(export_current_prices))
        .route("/staff/prices/{id}/export.csv", get(export_price_list))
}

async fn lists_page(
    state: &AppState,
    c: Chrome,
    staff: &Staff,
    status: StatusCode,
    problem: &'static str,
) -> Result<Response, PageError> {
    let lists = state.kabinet.price_lists(&staff.0).await?;
    let page = ListsTemplate { c, nav: Nav::of(staff), lists, problem };
    Ok((status, [NO_STORE], page).into_response())
}

async fn list_price_lists(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
) -> Result<Response, PageError> {
    staff.require(Action::ManagePrices)?;
    lists_page(&state, c, &staff, StatusCode::OK, "").await
}

/// The file of the upload form; anything else in it is ignored (the token was checked).
async fn uploaded_file(multipart: &mut Multipart) -> Option<Vec<u8>> {
    let mut file = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("file") {
            file = field.bytes().await.ok().map(|b| b.to_vec());
        }
    }
    file.filter(|bytes| !bytes.is_empty())
}

async fn preview_import(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    staff.require(Action::ManagePrices)?;
    let Some(bytes) = uploaded_file(&mut multipart).await else {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return lists_page(&state, c, &staff, status, "price-import-error-no-file").await;
    };
    let preview = state.kabinet.preview_price_import(&staff.0, &bytes).await?;
    let form = ApplyInput {
        content: preview.content.clone(),
        name: String::new(),
        effective_from: state.kabinet.today().to_string(),
    };
    preview_page(c, &staff, preview, form, FieldErrors::default())
}

fn preview_page(
    c: Chrome,
    staff: &Staff,
    preview: ImportPreview,
    form: ApplyInput,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let status = if preview.is_ok() && errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = PreviewTemplate { c, nav: Nav::of(staff), preview, form, errors };
    Ok((status, [NO_STORE], page).into_response())
}

async fn apply_import(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Form(form): Form<ApplyInput>,
) -> Result<Response, PageError> {
    staff.require(Action::ManagePrices)?;
    match state.kabinet.apply_price_import(&staff.0, &form, &origin).await {
        Ok(_) => Ok(Redirect::to("/staff/prices").into_response()),
        Err(Error::Validation(errors)) => {
            let k = &state.kabinet;
            let preview = k.preview_price_import(&staff.0, form.content.as_bytes()).await?;
            preview_page(c, &staff, preview, form, errors)
        }
        Err(other) => Err(other.into()),
    }
}

fn csv_response(bytes: Vec<u8>, file_name: &str) -> Response {
    let disposition = format!("attachment; filename=\"{file_name}\"");
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

async fn export_current_prices(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Response, PageError> {
    staff.require(Action::ManagePrices)?;
    let (bytes, name) = state.kabinet.export_price_list(&staff.0, None).await?;
    Ok(csv_response(bytes, &name))
}

async fn export_price_list(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    staff.require(Action::ManagePrices)?;
    let (bytes, name) = state.kabinet.export_price_list(&staff.0, Some(id)).await?;
    Ok(csv_response(bytes, &name))
}
