//! The administrator's schedules: the specialists, and one specialist's schedule in words —
//! weekly templates (weekday, hours, slot step, from which day, until when) and exceptions (a
//! vacation, sick leave, a day off, an extra or a shortened day) — with forms to add and end a
//! template and to add and remove an exception. Who may is the
//! roles table (`Action::ManageSchedules`).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::civil::Date;
use kabinet_core::patient::FieldErrors;
use kabinet_core::roles::Action;
use kabinet_core::schedule::{ExceptionKind, ScheduleException, WorkRule};
use kabinet_core::schedule_form::{ExceptionInput, TemplateInput};
use kabinet_service::Error;
use kabinet_service::model::Specialist;
use kabinet_service::schedules::ScheduleSheet;
use serde::Deserialize;

use super::Nav;
use crate::AppState;
use crate::chrome::Chrome;
use crate::error::PageError;
use crate::pages::NO_STORE;
use crate::request::ClientOrigin;
use crate::routes::Routes;
use crate::staff_session::Staff;

#[derive(Template, WebTemplate)]
#[template(path = "staff_schedules.html")]
struct ListTemplate {
    c: Chrome,
    nav: Option<Nav>,
    specialists: Vec<Specialist>,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_schedule.html")]
struct SheetTemplate {
    c: Chrome,
    nav: Option<Nav>,
    sheet: ScheduleSheet,
    template_form: TemplateInput,
    template_errors: FieldErrors,
    exception_form: ExceptionInput,
    exception_errors: FieldErrors,
    kinds: &'static [ExceptionKind],
    weekdays: [i8; 7],
}

impl SheetTemplate {
    fn template_error(&self, field: &str) -> Option<String> {
        self.template_errors.get(field).map(|key| self.c.t.s(key))
    }

    fn exception_error(&self, field: &str) -> Option<String> {
        self.exception_errors.get(field).map(|key| self.c.t.s(key))
    }

    fn when(&self, at: &i64) -> String {
        super::patients::when(&self.c, *at)
    }

    fn hhmm(&self, minute: &i32) -> String {
        format!("{:02}:{:02}", minute / 60, minute % 60)
    }

    fn day(&self, date: &Date) -> String {
        date.strftime("%d.%m.%Y").to_string()
    }

    /// A template's last day as a date field takes it, or nothing while it runs on.
    fn until_value(&self, rule: &WorkRule) -> String {
        rule.valid_until.map(|d| d.to_string()).unwrap_or_default()
    }

    fn kind_name(&self, kind: &ExceptionKind) -> String {
        self.c.t.s(&format!("staff-schedule-kind-{}", kind.as_str().replace('_', "-")))
    }

    /// «Понедельник, 09:00–14:00, по 30 минут».
    fn rule_words(&self, rule: &WorkRule) -> String {
        self.c.t.args(
            "staff-schedule-template-words",
            [
                ("weekday", self.c.t.weekday(&rule.weekday).into()),
                ("start", self.hhmm(&rule.start_minute).into()),
                ("end", self.hhmm(&rule.end_minute).into()),
                ("slot", i64::from(rule.slot_minutes).into()),
            ],
        )
    }

    /// «с 01.12.2026 до дальнейших изменений» / «с … по …».
    fn rule_dates(&self, rule: &WorkRule) -> String {
        match rule.valid_until {
            None => self.c.t.a("staff-schedule-from-open", "from", self.day(&rule.valid_from)),
            Some(until) => self.c.t.args(
                "staff-schedule-from-until",
                [("from", self.day(&rule.valid_from).into()), ("until", self.day(&until).into())],
            ),
        }
    }

    /// «Отпуск: 01.12.2026 — 14.12.2026» / «Сокращённый день: 07.12.2026, 09:00–12:00».
    fn exception_words(&self, e: &ScheduleException) -> String {
        let days = if e.from == e.until {
            self.day(&e.from)
        } else {
            format!("{} — {}", self.day(&e.from), self.day(&e.until))
        };
        let mut words = format!("{}: {days}", self.kind_name(&e.kind));
        if let Some(h) = e.hours {
            words.push_str(&format!(
                ", {}–{}",
                self.hhmm(&h.start_minute),
                self.hhmm(&h.end_minute)
            ));
        }
        if let Some(slot) = e.slot_minutes {
            words.push_str(", ");
            words.push_str(&self.c.t.a("staff-schedule-slot-words", "slot", i64::from(slot)));
        }
        words
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
struct EndForm {
    #[serde(default)]
    last_day: String,
}

pub fn routes() -> Routes {
    Routes::default()
        .route("/staff/schedules", get(list_schedules))
        .route("/staff/schedules/{id}", get(show_schedule))
        .route("/staff/schedules/{id}/templates", post(create_template))
        .route("/staff/schedules/{id}/templates/{template}/end", post(end_template))
        .route("/staff/schedules/{id}/exceptions", post(create_exception))
        .route("/staff/schedules/{id}/exceptions/{exception}/remove", post(remove_exception))
}

async fn list_schedules(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
) -> Result<Response, PageError> {
    staff.require(Action::ManageSchedules)?;
    let specialists = state.kabinet.schedule_specialists(&staff.0, c.t.lang).await?;
    let page = ListTemplate { c, nav: Nav::of(&staff), specialists };
    Ok(([NO_STORE], page).into_response())
}

struct Typed {
    template_form: TemplateInput,
    template_errors: FieldErrors,
    exception_form: ExceptionInput,
    exception_errors: FieldErrors,
}

impl Typed {
    fn fresh(today: Date) -> Self {
        let today = today.strftime("%Y-%m-%d").to_string();
        Self {
            template_form: TemplateInput {
                weekday: "1".into(),
                start: "09:00".into(),
                end: "15:00".into(),
                slot_minutes: "30".into(),
                valid_from: today.clone(),
                ..TemplateInput::default()
            },
            template_errors: FieldErrors::default(),
            exception_form: ExceptionInput {
                kind: ExceptionKind::Vacation.as_str().into(),
                from: today,
                slot_minutes: "30".into(),
                ..ExceptionInput::default()
            },
            exception_errors: FieldErrors::default(),
        }
    }
}

async fn sheet_page(
    state: &AppState,
    c: Chrome,
    staff: &Staff,
    id: i64,
    typed: Typed,
) -> Result<Response, PageError> {
    let sheet = state.kabinet.schedule_sheet(&staff.0, id, c.t.lang).await?;
    let status = if typed.template_errors.is_empty() && typed.exception_errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = SheetTemplate {
        c,
        nav: Nav::of(staff),
        sheet,
        template_form: typed.template_form,
        template_errors: typed.template_errors,
        exception_form: typed.exception_form,
        exception_errors: typed.exception_errors,
        kinds: ExceptionKind::ALL,
        weekdays: [1, 2, 3, 4, 5, 6, 7],
    };
    Ok((status, [NO_STORE], page).into_response())
}

async fn show_schedule(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    staff.require(Action::ManageSchedules)?;
    let today = state.kabinet.today();
    sheet_page(&state, c, &staff, id, Typed::fresh(today)).await
}

fn back_to(id: i64) -> Response {
    Redirect::to(&format!("/staff/schedules/{id}")).into_response()
}

async fn create_template(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
    Form(form): Form<TemplateInput>,
) -> Result<Response, PageError> {
    staff.require(Action::ManageSchedules)?;
    match state.kabinet.add_schedule_template(&staff.0, id, &form, &origin).await {
        Ok(_) => Ok(back_to(id)),
        Err(Error::Validation(errors)) => {
            let typed = Typed {
                template_form: form,
                template_errors: errors,
                ..Typed::fresh(state.kabinet.today())
            };
            sheet_page(&state, c, &staff, id, typed).await
        }
        Err(other) => Err(other.into()),
    }
}

async fn end_template(
    State(state): State<AppState>,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path((id, template)): Path<(i64, i64)>,
    Form(form): Form<EndForm>,
) -> Result<Response, PageError> {
    staff.require(Action::ManageSchedules)?;
    state.kabinet.end_schedule_template(&staff.0, id, template, &form.last_day, &origin).await?;
    Ok(back_to(id))
}

async fn create_exception(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path(id): Path<i64>,
    Form(form): Form<ExceptionInput>,
) -> Result<Response, PageError> {
    staff.require(Action::ManageSchedules)?;
    match state.kabinet.add_schedule_exception(&staff.0, id, &form, &origin).await {
        Ok(_) => Ok(back_to(id)),
        Err(Error::Validation(errors)) => {
            let typed = Typed {
                exception_form: form,
                exception_errors: errors,
                ..Typed::fresh(state.kabinet.today())
            };
            sheet_page(&state, c, &staff, id, typed).await
        }
        Err(other) => Err(other.into()),
    }
}

async fn remove_exception(
    State(state): State<AppState>,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path((id, exception)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    staff.require(Action::ManageSchedules)?;
    state.kabinet.remove_schedule_exception(&staff.0, id, exception, &origin).await?;
    Ok(back_to(id))
}
