//! Server-rendered pages: one module per area, each with its handlers and template structs
//! (their tests are in `crates/web/tests`, request by request, and in `e2e/`). Every page
//! takes [`crate::chrome::Chrome`] for its frame.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use kabinet_service::calendar::visit_ics;
use kabinet_service::model::Visit;

use crate::AppState;
use crate::routes::Routes;

mod account;
mod booking;
mod cabinet;
mod calendar_feed;
pub mod consents;
mod documents;
pub mod error_summary;
mod home;
mod inbox;
pub mod patient_form;
mod price_view;
mod prices;
mod profile;
mod registration;
pub mod representation;
pub mod requests;
mod security;
mod sign_in;
mod specialists;
mod staff;
mod waitlist;

pub use staff::MAX_UPLOAD_BODY;

/// `Cache-Control` for pages that show personal data.
pub const NO_STORE: (header::HeaderName, &str) = (header::CACHE_CONTROL, "no-store");

/// A form that picks a slot (a specialist and a start), with its session's CSRF token.
#[derive(Debug, Default, serde::Deserialize)]
pub struct SlotForm {
    #[serde(default)]
    pub specialist: i64,
    #[serde(default)]
    pub start: String,
    /// The service, in the cabinet's booking form; empty: the specialist's first.
    #[serde(default)]
    pub service: String,
    /// A discount card, certificate or promotion code, as typed.
    #[serde(default)]
    pub discount_code: String,
    /// Set by the «recalculate» button: show the price, book nothing.
    pub recalculate: Option<String>,
}

/// A visit as an `.ics` download.
pub fn calendar_file(state: &AppState, visit: &Visit) -> Response {
    let ics = visit_ics(visit, &state.kabinet.settings, state.kabinet.now());
    let headers = [
        (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
        (header::CONTENT_DISPOSITION, "attachment; filename=\"visit.ics\""),
        NO_STORE,
    ];
    (headers, ics).into_response()
}

/// The largest body of a form with attachments: three files of the largest size the clinic
/// allows, and room for the fields.
pub fn attachments_body(state: &AppState) -> usize {
    let kb = usize::try_from(state.kabinet.settings.attachment_max_kb).unwrap_or(5120);
    kabinet_service::files::MAX_FILES * kb * 1024 + 256 * 1024
}

/// A stored file as a download: never shown inline, never cached, never sniffed.
pub fn file_download(name: &str, content_type: &str, bytes: Vec<u8>) -> Response {
    // The name is ours (random letters and an extension): safe in the header as it is.
    let disposition = format!("attachment; filename=\"{name}\"");
    let headers = [
        (header::CONTENT_TYPE, content_type.to_owned()),
        (header::CONTENT_DISPOSITION, disposition),
        (header::CACHE_CONTROL, "no-store".to_owned()),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
    ];
    (headers, bytes).into_response()
}

pub fn routes() -> Routes {
    Routes::default()
        .merge(home::routes())
        .merge(account::routes())
        .merge(sign_in::routes())
        .merge(registration::routes())
        .merge(cabinet::routes())
        .merge(inbox::routes())
        .merge(security::routes())
        .merge(calendar_feed::routes())
        .merge(waitlist::routes())
        .merge(consents::routes())
        .merge(requests::routes())
        .merge(profile::routes())
        .merge(representation::routes())
        .merge(specialists::routes())
        .merge(prices::routes())
        .merge(booking::routes())
        .merge(documents::routes())
        .merge(staff::routes())
}
