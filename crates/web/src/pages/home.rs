//! The home page: search by specialty, branch or name, and the clinic's branches.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::routing::get;
use kabinet_service::model::{Branch, Specialty};

use super::specialists::SearchForm;
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
    /// The search form, with nothing chosen.
    form: SearchForm,
}

pub fn routes() -> Routes {
    Routes::default().route("/", get(show_home))
}

async fn show_home(State(state): State<AppState>, c: Chrome) -> Result<HomePage, PageError> {
    let (branches, specialties) = state.kabinet.filters(c.t.lang).await?;
    let form = SearchForm::empty(state.kabinet.bookable_days());
    Ok(HomePage { c, branches, specialties, form })
}
