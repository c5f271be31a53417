//! The administrator's list of colleagues: add a registrar (or another administrator), who
//! sets a personal password by a one-time link shown here once; suspend a colleague (asked to
//! confirm first), which ends their sessions at once; make a colleague an auditor, who reads the audit log; reset a
//! colleague's second factor (a lost phone), which ends their sessions and has them enrol
//! again at the next sign-in.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use kabinet_core::access::{Origin, StaffRole};
use kabinet_core::patient::FieldErrors;
use kabinet_core::roles::Action;
use kabinet_service::Error;
use kabinet_service::model::StaffMember;
use kabinet_service::staff::StaffInput;
use serde::Deserialize;

use super::Nav;
use super::confirm::Confirm;
use crate::AppState;
use crate::chrome::Chrome;
use crate::error::PageError;
use crate::pages::NO_STORE;
use crate::request::ClientOrigin;
use crate::routes::Routes;
use crate::staff_session::Staff;

#[derive(Template, WebTemplate)]
#[template(path = "staff_team.html")]
struct TeamTemplate {
    c: Chrome,
    nav: Option<Nav>,
    me: i64,
    members: Vec<StaffMember>,
    form: MemberForm,
    errors: FieldErrors,
    setup_link: Option<String>,
}

impl TeamTemplate {
    fn error(&self, field: &str) -> Option<String> {
        self.errors.get(field).map(|key| self.c.t.s(key))
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
struct MemberForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    role: String,
}

pub fn routes() -> Routes {
    Routes::default()
        .route("/staff/team", get(list_staff).post(create_staff))
        .route("/staff/team/{id}/suspend", get(show_staff_suspend).post(suspend_staff))
        .route("/staff/team/{id}/unsuspend", post(unsuspend_staff))
        .route("/staff/team/{id}/auditor", post(grant_auditor))
        .route("/staff/team/{id}/not-auditor", post(revoke_auditor))
        .route("/staff/team/{id}/reset-second-factor", post(reset_second_factor))
}

async fn team_page(
    state: &AppState,
    c: Chrome,
    staff: &Staff,
    form: MemberForm,
    errors: FieldErrors,
    setup_link: Option<String>,
) -> Result<Response, PageError> {
    let members = state.kabinet.staff_members(&staff.0).await?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let me = staff.0.member.id;
    let page = TeamTemplate { c, nav: Nav::of(staff), me, members, form, errors, setup_link };
    Ok((status, [NO_STORE], page).into_response())
}

async fn list_staff(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
) -> Result<Response, PageError> {
    staff.require(Action::ManageTeam)?;
    team_page(&state, c, &staff, MemberForm::default(), FieldErrors::default(), None).await
}

async fn create_staff(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Form(form): Form<MemberForm>,
) -> Result<Response, PageError> {
    staff.require(Action::ManageTeam)?;
    let role =
        if form.role == "administrator" { StaffRole::Administrator } else { StaffRole::Registrar };
    let input = StaffInput { login: form.login.clone(), full_name: form.full_name.clone() };
    match state.kabinet.create_staff_member(&staff.0, &input, role, &origin).await {
        Ok(link) => {
            team_page(&state, c, &staff, MemberForm::default(), FieldErrors::default(), Some(link))
                .await
        }
        Err(Error::Validation(errors)) => team_page(&state, c, &staff, form, errors, None).await,
        Err(other) => Err(other.into()),
    }
}

async fn set_suspended(
    state: &AppState,
    staff: &Staff,
    id: i64,
    suspend: bool,
    origin: Origin,
) -> Result<Response, PageError> {
    state.kabinet.set_staff_suspended(&staff.0, id, suspend, &origin).await?;
    Ok(Redirect::to("/staff/team").into_response())
}

/// Asks to confirm a colleague's suspension.
async fn show_staff_suspend(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    staff.require(Action::ManageTeam)?;
    let member = state
        .kabinet
        .staff_members(&staff.0)
        .await?
        .into_iter()
        .find(|m| m.id == id && m.id != staff.0.member.id && m.suspended_at.is_none())
        .ok_or(PageError::NotFound)?;
    let page = Confirm {
        summary: vec![member.full_name, member.login],
        action: format!("/staff/team/{id}/suspend"),
        back: "/staff/team".into(),
        ..Confirm::of("staff-confirm-suspend-member")
    };
    Ok(page.render(c, &staff))
}

async fn suspend_staff(
    State(state): State<AppState>,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    staff.require(Action::ManageTeam)?;
    set_suspended(&state, &staff, id, true, origin).await
}

async fn unsuspend_staff(
    State(state): State<AppState>,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    staff.require(Action::ManageTeam)?;
    set_suspended(&state, &staff, id, false, origin).await
}

async fn grant_auditor(
    State(state): State<AppState>,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    staff.require(Action::GrantAuditor)?;
    state.kabinet.set_staff_auditor(&staff.0, id, true, &origin).await?;
    Ok(Redirect::to("/staff/team").into_response())
}

async fn revoke_auditor(
    State(state): State<AppState>,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    staff.require(Action::GrantAuditor)?;
    state.kabinet.set_staff_auditor(&staff.0, id, false, &origin).await?;
    Ok(Redirect::to("/staff/team").into_response())
}

async fn reset_second_factor(
    State(state): State<AppState>,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    staff.require(Action::ResetSecondFactor)?;
    state.kabinet.reset_staff_totp(&staff.0, id, &origin).await?;
    Ok(Redirect::to("/staff/team").into_response())
}
