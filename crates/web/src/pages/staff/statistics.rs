//! The administrator's visit statistics (O3): page views per day, top pages, referrers,
//! browsers, networks and errors of a chosen period. Only aggregates: addresses are shown
//! truncated to their network, never whole.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use jiff::ToSpan;
use jiff::civil::Date;
use kabinet_core::patient::FieldErrors;
use kabinet_core::roles::Action;
use kabinet_service::statistics::VisitStatistics;
use serde::Deserialize;

use super::Nav;
use crate::AppState;
use crate::chrome::Chrome;
use crate::error::PageError;
use crate::pages::NO_STORE;
use crate::routes::Routes;
use crate::staff_session::Staff;

/// The period as typed.
#[derive(Debug, Default, Clone, Deserialize)]
struct PeriodForm {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_statistics.html")]
struct StatisticsTemplate {
    c: Chrome,
    nav: Option<Nav>,
    form: PeriodForm,
    errors: FieldErrors,
    stats: VisitStatistics,
    retention_days: u32,
}

impl StatisticsTemplate {
    fn error(&self, field: &str) -> Option<String> {
        self.errors.get(field).map(|key| self.c.t.s(key))
    }

    fn browser(&self, family: &&str) -> String {
        self.c.t.s(&format!("statistics-browser-{family}"))
    }
}

pub fn routes() -> Routes {
    Routes::default().route("/staff/statistics", get(show_statistics))
}

async fn show_statistics(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    Query(mut form): Query<PeriodForm>,
) -> Result<Response, PageError> {
    staff.require(Action::ReadStatistics)?;
    let today = state.kabinet.today();
    let mut errors = FieldErrors::default();
    let mut day = |field: &'static str, text: &str, default: Date| match text.trim() {
        "" => Some(default),
        text => text.parse::<Date>().ok().or_else(|| {
            errors.add(field, "statistics-error-date");
            None
        }),
    };
    let month_ago = today.checked_sub(29.days()).unwrap_or(today);
    let (from, to) = (day("from", &form.from, month_ago), day("to", &form.to, today));
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        errors.add("to", "statistics-error-range");
    }
    let stats = match (from, to, errors.is_empty()) {
        (Some(from), Some(to), true) => {
            form = PeriodForm { from: from.to_string(), to: to.to_string() };
            state.kabinet.visit_statistics(&staff.0, from, to).await?
        }
        _ => VisitStatistics::default(),
    };
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let retention_days = state.kabinet.settings.statistics_retention_days;
    let page = StatisticsTemplate { c, nav: Nav::of(&staff), form, errors, stats, retention_days };
    Ok((status, [NO_STORE], page).into_response())
}
