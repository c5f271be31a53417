//! The home page: search by specialty, branch or name, and the clinic's branches.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::routing::get;
use kabinet_service::model::{Branch, Specialty};

use crate::AppState;
use crate::chrome::Chrome;
use crate::error::PageError;
use crate::routes::Routes;

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
struct HomePage {
    c: Chrome,
    branches: Vec<Branch>,
    specialties: Vec<Specialty>,
    /// The search form starts with no specialty and no branch chosen.
    no_filter: Option<i64>,
}

pub fn routes() -> Routes {
    Routes::default().route("/", get(show_home))
}

async fn show_home(State(state): State<AppState>, c: Chrome) -> Result<HomePage, PageError> {
    let (branches, specialties) = state.kabinet.filters(c.t.lang).await?;
    Ok(HomePage { c, branches, specialties, no_filter: None })
}
