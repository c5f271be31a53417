//! The price list (C3): every service at the current price, grouped and searchable; complex
//! programs marked, as the online discount never applies to them (R8).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::routing::get;
use kabinet_core::pricing::Money;
use kabinet_service::catalog::PriceGroup;
use serde::Deserialize;

use crate::AppState;
use crate::chrome::Chrome;
use crate::error::PageError;
use crate::routes::Routes;

#[derive(Debug, Default, Deserialize)]
struct PriceParams {
    q: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "prices.html")]
struct PricesTemplate {
    c: Chrome,
    groups: Vec<PriceGroup>,
    text: String,
}

impl PricesTemplate {
    fn price(kopecks: &i64) -> String {
        Money(*kopecks).display()
    }
}

pub fn routes() -> Routes {
    Routes::default().route("/prices", get(list_prices))
}

async fn list_prices(
    State(state): State<AppState>,
    c: Chrome,
    Query(params): Query<PriceParams>,
) -> Result<PricesTemplate, PageError> {
    let text: String = params.q.unwrap_or_default().trim().chars().take(100).collect();
    let groups = state.kabinet.price_list(&text, c.t.lang).await?;
    Ok(PricesTemplate { c, groups, text })
}
