//! The card's actions of point 2 and 9 of issue 13: blocking a patient's personal data on a
//! justified request and unblocking it with a reason (G4), and the clinic's closures of
//! access, each with a reason: suspension (A5), a cancelled self-registration (R14) and the
//! end of service (R21). Each is a form of its own page; bad input comes back with the text
//! typed and a message next to the field.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use kabinet_core::access::Origin;
use kabinet_core::blocking::{DataBlockInput, RequestedBy};
use kabinet_core::patient::FieldErrors;
use kabinet_core::roles::Action;
use kabinet_service::Error;
use kabinet_service::model::PatientRecord;
use serde::Deserialize;

use super::Nav;
use crate::AppState;
use crate::chrome::Chrome;
use crate::error::{PageError, refusal_message};
use crate::pages::NO_STORE;
use crate::request::ClientOrigin;
use crate::routes::Routes;
use crate::staff_session::Staff;

#[derive(Template, WebTemplate)]
#[template(path = "staff_data_block.html")]
struct BlockTemplate {
    c: Chrome,
    nav: Option<Nav>,
    p: PatientRecord,
    form: BlockForm,
    errors: FieldErrors,
}

impl BlockTemplate {
    fn requested_by(&self) -> &'static [RequestedBy] {
        RequestedBy::ALL
    }

    fn requested_key(&self, r: &RequestedBy) -> String {
        self.c.t.s(&format!("block-requested-by-{}", r.as_str()))
    }

    fn error(&self, field: &str) -> Option<String> {
        self.errors.get(field).map(|key| self.c.t.s(key))
    }
}

/// What a closure page is about: the texts and where the form goes.
#[derive(Debug, Clone, Copy)]
struct ReasonPage {
    /// The path under the patient's card.
    path: &'static str,
    /// The action the member must be allowed.
    action: Action,
    /// The key of the title; `-intro`, `-reason`, `-submit` follow from it.
    key: &'static str,
}

const SUSPEND: ReasonPage =
    ReasonPage { path: "suspend", action: Action::SuspendPatients, key: "closure-suspend" };
const CANCEL: ReasonPage = ReasonPage {
    path: "cancel-registration",
    action: Action::SuspendPatients,
    key: "closure-cancel",
};
const END: ReasonPage =
    ReasonPage { path: "end-service", action: Action::EndPatientService, key: "closure-end" };
const UNBLOCK: ReasonPage =
    ReasonPage { path: "data-unblock", action: Action::UnblockPatientData, key: "data-unblock" };

#[derive(Template, WebTemplate)]
#[template(path = "staff_reason.html")]
struct ReasonTemplate {
    c: Chrome,
    nav: Option<Nav>,
    p: PatientRecord,
    path: &'static str,
    key: &'static str,
    reason: String,
    error: Option<&'static str>,
    problem: Option<&'static str>,
}

impl ReasonTemplate {
    fn k(&self, part: &str) -> String {
        self.c.t.s(&format!("{}-{part}", self.key))
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
struct BlockForm {
    #[serde(default)]
    requested_by: String,
    #[serde(default)]
    authority: String,
    #[serde(default)]
    basis: String,
    #[serde(default)]
    document_type: String,
    #[serde(default)]
    document_ref: String,
    #[serde(default)]
    document_date: String,
}

#[derive(Debug, Default, Clone, Deserialize)]
struct ReasonForm {
    #[serde(default)]
    reason: String,
}

/// The GET and POST handlers of one closure page.
macro_rules! reason_handlers {
    ($show:ident, $submit:ident, $page:expr) => {
        async fn $show(
            state: State<AppState>,
            c: Chrome,
            staff: Staff,
            origin: ClientOrigin,
            id: Path<i64>,
        ) -> Result<Response, PageError> {
            show_reason($page, state, c, staff, origin, id).await
        }

        async fn $submit(
            state: State<AppState>,
            c: Chrome,
            staff: Staff,
            origin: ClientOrigin,
            id: Path<i64>,
            form: Form<ReasonForm>,
        ) -> Result<Response, PageError> {
            submit_reason($page, state, c, staff, origin, id, form).await
        }
    };
}

reason_handlers!(show_data_unblock, data_unblock, UNBLOCK);
reason_handlers!(show_suspend, suspend_patient, SUSPEND);
reason_handlers!(show_cancel_registration, cancel_registration, CANCEL);
reason_handlers!(show_end_service, end_service, END);

pub fn routes() -> Routes {
    Routes::default()
        .route("/staff/patients/{id}/data-block", get(show_data_block).post(create_data_block))
        .route("/staff/patients/{id}/data-unblock", get(show_data_unblock).post(data_unblock))
        .route("/staff/patients/{id}/suspend", get(show_suspend).post(suspend_patient))
        .route(
            "/staff/patients/{id}/cancel-registration",
            get(show_cancel_registration).post(cancel_registration),
        )
        .route("/staff/patients/{id}/end-service", get(show_end_service).post(end_service))
}

async fn show_data_block(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    staff.require(Action::BlockPatientData)?;
    let p = state.kabinet.patient_record(&staff.0, id, &origin).await?;
    let form = BlockForm { requested_by: "patient".into(), ..BlockForm::default() };
    let page = BlockTemplate { c, nav: Nav::of(&staff), p, form, errors: FieldErrors::default() };
    Ok(([NO_STORE], page).into_response())
}

async fn create_data_block(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
    Form(form): Form<BlockForm>,
) -> Result<Response, PageError> {
    staff.require(Action::BlockPatientData)?;
    let input = DataBlockInput {
        requested_by: form.requested_by.clone(),
        authority: form.authority.clone(),
        basis: form.basis.clone(),
        document_type: form.document_type.clone(),
        document_ref: form.document_ref.clone(),
        document_date: form.document_date.clone(),
    };
    let k = &state.kabinet;
    match k.block_patient_data(&staff.0, id, &input, &origin).await {
        Ok(()) => Ok(Redirect::to(&after(&staff, id)).into_response()),
        Err(Error::Validation(errors)) => {
            let p = k.patient_record(&staff.0, id, &origin).await?;
            let page = BlockTemplate { c, nav: Nav::of(&staff), p, form, errors };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, [NO_STORE], page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// Where a member goes after blocking: the card if they may still open it, else home.
fn after(staff: &Staff, id: i64) -> String {
    if staff.0.may(Action::ViewBlockedPatients) {
        format!("/staff/patients/{id}")
    } else {
        "/staff?blocked=1".to_owned()
    }
}

async fn reason_page(
    state: &AppState,
    (c, staff, origin): (Chrome, &Staff, &Origin),
    page: ReasonPage,
    id: i64,
    (reason, error, problem): (String, Option<&'static str>, Option<&'static str>),
) -> Result<Response, PageError> {
    let p = state.kabinet.patient_record(&staff.0, id, origin).await?;
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else if problem.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::OK
    };
    let page = ReasonTemplate {
        c,
        nav: Nav::of(staff),
        p,
        path: page.path,
        key: page.key,
        reason,
        error,
        problem,
    };
    Ok((status, [NO_STORE], page).into_response())
}

async fn show_reason(
    page: ReasonPage,
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    staff.require(page.action)?;
    reason_page(&state, (c, &staff, &origin), page, id, (String::new(), None, None)).await
}

async fn submit_reason(
    page: ReasonPage,
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
    Form(form): Form<ReasonForm>,
) -> Result<Response, PageError> {
    staff.require(page.action)?;
    let k = &state.kabinet;
    let done = match page.path {
        "suspend" => k.suspend_patient(&staff.0, id, &form.reason, &origin).await,
        "cancel-registration" => {
            k.cancel_registration(&staff.0, id, &form.reason, &origin).await.map(|_| ())
        }
        "end-service" => k.end_service(&staff.0, id, &form.reason, &origin).await.map(|_| ()),
        _ => k.unblock_patient_data(&staff.0, id, &form.reason, &origin).await,
    };
    let typed = form.reason;
    match done {
        Ok(()) => Ok(Redirect::to(&format!("/staff/patients/{id}")).into_response()),
        Err(Error::Validation(errors)) => {
            let error = errors.get("reason");
            reason_page(&state, (c, &staff, &origin), page, id, (typed, error, None)).await
        }
        Err(Error::Forbidden) => {
            let problem = Some("closure-refused");
            reason_page(&state, (c, &staff, &origin), page, id, (typed, None, problem)).await
        }
        Err(other) => {
            let problem = refusal_message(&other).ok_or(other)?;
            reason_page(&state, (c, &staff, &origin), page, id, (typed, None, Some(problem))).await
        }
    }
}
