//! The waiting lists for staff who book visits (B8): every place still in line or whose days
//! are not over, by specialist, in the order of joining, with its state and the time held.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use jiff::Timestamp;
use kabinet_core::roles::Action;
use kabinet_core::waitlist::WaitlistStatus;
use kabinet_service::model::WaitlistEntry;

use super::Nav;
use crate::AppState;
use crate::chrome::Chrome;
use crate::error::PageError;
use crate::pages::NO_STORE;
use crate::routes::Routes;
use crate::staff_session::Staff;

/// One specialist's line.
struct Line {
    specialist_name: String,
    entries: Vec<WaitlistEntry>,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_waitlist.html")]
struct WaitlistTemplate {
    c: Chrome,
    nav: Option<Nav>,
    lines: Vec<Line>,
}

impl WaitlistTemplate {
    fn status(&self, e: &WaitlistEntry) -> String {
        self.c.t.s(match (e.status, e.offer_id) {
            (WaitlistStatus::Waiting, Some(_)) => "staff-waitlist-offered",
            (WaitlistStatus::Waiting, None) => "staff-waitlist-waiting",
            (WaitlistStatus::Booked, _) => "staff-waitlist-booked",
            (WaitlistStatus::Left, _) => "staff-waitlist-left",
        })
    }

    fn days(&self, e: &WaitlistEntry) -> String {
        let t = &self.c.t;
        let day = |d: &str| d.parse().map_or_else(|_| d.to_owned(), |d| t.date(&d));
        t.args("waitlist-days", [("from", day(&e.from_day).into()), ("to", day(&e.to_day).into())])
    }

    fn at(&self, secs: &i64) -> String {
        self.c.t.when(&Timestamp::from_second(*secs).unwrap_or_default())
    }

    fn until(&self, secs: &i64) -> String {
        self.c.t.time(&Timestamp::from_second(*secs).unwrap_or_default())
    }
}

pub fn routes() -> Routes {
    Routes::default().route("/staff/waitlist", get(show_waitlist))
}

async fn show_waitlist(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
) -> Result<Response, PageError> {
    staff.require(Action::BookVisits)?;
    let mut lines: Vec<Line> = Vec::new();
    for entry in state.kabinet.waitlist_lines(&staff.0).await? {
        match lines.last_mut() {
            Some(line) if line.entries[0].specialist_id == entry.specialist_id => {
                line.entries.push(entry);
            }
            _ => lines.push(Line {
                specialist_name: entry.specialist_name.clone(),
                entries: vec![entry],
            }),
        }
    }
    Ok(([NO_STORE], WaitlistTemplate { c, nav: Nav::of(&staff), lines }).into_response())
}
