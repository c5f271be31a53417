//! The step before an action that is hard to undo (cancel a visit, suspend a patient or a
//! colleague, a new one-time password): a page that says what will happen, with a danger
//! button that does it and a way back. It works without JavaScript: the action's link leads
//! here (a GET changes nothing), and only this page's form posts the action.

use askama::Template;
use askama_web::WebTemplate;
use axum::response::{IntoResponse, Response};

use super::Nav;
use crate::chrome::Chrome;
use crate::pages::NO_STORE;
use crate::staff_session::Staff;

/// What to confirm: the messages come from one key prefix (`…-title`, `…-lead`,
/// `…-submit`, `…-keep` in `staff.ftl`).
pub(super) struct Confirm {
    /// The key prefix.
    pub key: &'static str,
    /// Who or what the action is about, a line each (empty lines are left out).
    pub summary: Vec<String>,
    /// Where the form posts.
    pub action: String,
    /// Where "keep it as it is" leads.
    pub back: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_confirm.html")]
struct ConfirmTemplate {
    c: Chrome,
    nav: Option<Nav>,
    confirm: Confirm,
}

impl ConfirmTemplate {
    fn text(&self, part: &str) -> String {
        self.c.t.s(&format!("{}-{part}", self.confirm.key))
    }
}

impl Confirm {
    /// A confirmation of the messages under `key`; the rest is filled in by the caller.
    pub fn of(key: &'static str) -> Self {
        Self { key, summary: Vec::new(), action: String::new(), back: String::new() }
    }

    /// The page, never cached.
    pub fn render(mut self, c: Chrome, staff: &Staff) -> Response {
        self.summary.retain(|line| !line.is_empty());
        ([NO_STORE], ConfirmTemplate { c, nav: Nav::of(staff), confirm: self }).into_response()
    }
}
