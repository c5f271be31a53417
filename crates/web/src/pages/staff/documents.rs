//! The administrator's page of the rules and the privacy policy (O2): every version with its
//! effective time, and a form to publish a new one ahead of time, optionally requiring
//! patients' acceptance. Only the administrator (`Action::PublishDocuments`).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use kabinet_core::consent::DocumentKind;
use kabinet_core::patient::FieldErrors;
use kabinet_core::roles::Action;
use kabinet_service::Error;
use kabinet_service::documents::{DocumentForm, DocumentHistory};
use serde::Deserialize;

use super::Nav;
use crate::AppState;
use crate::chrome::Chrome;
use crate::error::PageError;
use crate::pages::NO_STORE;
use crate::request::ClientOrigin;
use crate::routes::Routes;
use crate::staff_session::Staff;

/// The form as typed.
#[derive(Debug, Default, Clone, Deserialize)]
struct PublishForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    title_en: String,
    #[serde(default)]
    body_en: String,
    #[serde(default)]
    effective_day: String,
    #[serde(default)]
    effective_time: String,
    requires_acceptance: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_documents.html")]
struct DocumentsTemplate {
    c: Chrome,
    nav: Option<Nav>,
    documents: Vec<(DocumentKind, DocumentHistory)>,
    /// The document whose form was sent, with what was typed and its problems.
    form_kind: Option<DocumentKind>,
    form: PublishForm,
    errors: FieldErrors,
    done: Option<i32>,
    now: i64,
}

impl DocumentsTemplate {
    fn error(&self, kind: &DocumentKind, field: &str) -> Option<String> {
        if self.form_kind != Some(*kind) {
            return None;
        }
        self.errors.get(field).map(|key| self.c.t.s(key))
    }

    /// What the form of `kind` shows in a field: what was typed there, else nothing.
    fn typed(&self, kind: &DocumentKind, field: &str) -> &str {
        if self.form_kind != Some(*kind) {
            return "";
        }
        match field {
            "title" => &self.form.title,
            "body" => &self.form.body,
            "title_en" => &self.form.title_en,
            "body_en" => &self.form.body_en,
            "effective_day" => &self.form.effective_day,
            "effective_time" => &self.form.effective_time,
            _ => "",
        }
    }

    fn form_open(&self, kind: &DocumentKind) -> bool {
        self.form_kind == Some(*kind)
    }

    fn acceptance_ticked(&self, kind: &DocumentKind) -> bool {
        self.form_kind == Some(*kind) && self.form.requires_acceptance.is_some()
    }

    fn name_key(&self, kind: &DocumentKind) -> &'static str {
        crate::pages::consents::document_key(kind)
    }

    fn state_key(
        &self,
        history: &DocumentHistory,
        version: &i32,
        effective_at: &i64,
    ) -> &'static str {
        if history.in_force == Some(*version) {
            "documents-state-in-force"
        } else if *effective_at > self.now {
            "documents-state-upcoming"
        } else {
            "documents-state-old"
        }
    }
}

#[derive(Debug, Default, Deserialize)]
struct DoneParam {
    published: Option<i32>,
}

pub fn routes() -> Routes {
    Routes::default()
        .route("/staff/documents", get(list_documents))
        .route("/staff/documents/{document}", post(publish_document))
}

async fn page(
    state: &AppState,
    c: Chrome,
    staff: &Staff,
    form: Option<(DocumentKind, PublishForm, FieldErrors)>,
    done: Option<i32>,
) -> Result<DocumentsTemplate, PageError> {
    let mut documents = Vec::new();
    for kind in [DocumentKind::Rules, DocumentKind::Privacy] {
        documents.push((kind, state.kabinet.document_history(kind).await?));
    }
    let (form_kind, form, errors) = match form {
        Some((kind, form, errors)) => (Some(kind), form, errors),
        None => (None, PublishForm::default(), FieldErrors::default()),
    };
    let now = state.kabinet.now().as_second();
    Ok(DocumentsTemplate { c, nav: Nav::of(staff), documents, form_kind, form, errors, done, now })
}

async fn list_documents(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    Query(q): Query<DoneParam>,
) -> Result<Response, PageError> {
    staff.require(Action::PublishDocuments)?;
    let page = page(&state, c, &staff, None, q.published).await?;
    Ok(([NO_STORE], page).into_response())
}

async fn publish_document(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(kind): Path<String>,
    Form(form): Form<PublishForm>,
) -> Result<Response, PageError> {
    staff.require(Action::PublishDocuments)?;
    let kind = kind.parse::<DocumentKind>().map_err(|_| Error::NotFound)?;
    let typed = DocumentForm {
        title: form.title.clone(),
        body: form.body.clone(),
        title_en: form.title_en.clone(),
        body_en: form.body_en.clone(),
        effective_day: form.effective_day.clone(),
        effective_time: form.effective_time.clone(),
        requires_acceptance: form.requires_acceptance.is_some(),
    };
    match state.kabinet.publish_document_version(&staff.0, kind, &typed, &origin).await {
        Ok(version) => {
            Ok(Redirect::to(&format!("/staff/documents?published={version}")).into_response())
        }
        Err(Error::Validation(errors)) => {
            let page = page(&state, c, &staff, Some((kind, form, errors)), None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, [NO_STORE], page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
