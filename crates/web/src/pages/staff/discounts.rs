//! The administrator's discounts: discount cards (number, percent, holder, valid until),
//! certificates (a sum or a percent, single use or a balance; what is used or left) and
//! promotions (by a code or automatic, percent, dates, services), with a form for each. Codes
//! are shown masked: the page lists them, it does not hand them out. Who may is the roles
//! table (`Action::ManageDiscounts`).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use jiff::civil::Date;
use kabinet_core::access::Origin;
use kabinet_core::patient::FieldErrors;
use kabinet_core::pricing::{DiscountKind, Money, mask_code};
use kabinet_core::roles::Action;
use kabinet_service::Error;
use kabinet_service::discounts::{
    CardInput, CertificateInput, CodeForm, DiscountLists, PromotionInput,
};
use kabinet_service::model::CertificateListed;

use super::{Nav, TextField};
use crate::AppState;
use crate::chrome::Chrome;
use crate::error::PageError;
use crate::pages::NO_STORE;
use crate::request::ClientOrigin;
use crate::routes::Routes;
use crate::staff_session::Staff;

/// Which form came back with errors.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Which {
    #[default]
    None,
    Card,
    Certificate,
    Promotion,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_discounts.html")]
struct DiscountsTemplate {
    c: Chrome,
    nav: Option<Nav>,
    lists: DiscountLists,
    card: CardInput,
    certificate: CertificateInput,
    promotion: PromotionInput,
    which: Which,
    errors: FieldErrors,
}

impl DiscountsTemplate {
    /// The message of `field` in the form `which`, if that form came back with it.
    fn error(&self, which: &str, field: &str) -> Option<String> {
        let sent = match self.which {
            Which::None => return None,
            Which::Card => "card",
            Which::Certificate => "certificate",
            Which::Promotion => "promotion",
        };
        (sent == which).then(|| self.errors.get(field).map(|key| self.c.t.s(key))).flatten()
    }

    fn masked(&self, code: &str) -> String {
        mask_code(code)
    }

    fn day(&self, text: &str) -> String {
        text.parse::<Date>().map_or_else(|_| text.to_owned(), |d| self.c.t.date(&d))
    }

    /// «1 000 ₽» or «10 %».
    fn certificate_size(&self, c: &CertificateListed) -> String {
        match (c.amount_kopecks, c.percent) {
            (Some(amount), _) => Money(amount).display(),
            (None, Some(p)) => format!("{p}\u{a0}%"),
            (None, None) => String::new(),
        }
    }

    /// «Не использован» / «Использован 2 декабря 2026» / «Остаток: 400 ₽».
    fn certificate_state(&self, c: &CertificateListed) -> String {
        if !c.single_use {
            let left = Money(c.balance_kopecks.unwrap_or(0)).display();
            return self.c.t.a("staff-discounts-balance-left", "amount", left);
        }
        match c.used_at {
            Some(at) => self.c.t.a("staff-discounts-used", "when", self.c.t.moment(&at)),
            None => self.c.t.s("staff-discounts-unused"),
        }
    }

    fn card_fields(&self) -> Vec<TextField> {
        let c = &self.card;
        vec![
            TextField::required("number", "staff-discounts-number", "text", &c.number),
            TextField::required("holder", "staff-discounts-holder", "text", &c.holder),
            TextField::required("percent", "staff-discounts-percent", "number", &c.percent),
            TextField::required(
                "valid_until",
                "staff-discounts-valid-until",
                "date",
                &c.valid_until,
            ),
        ]
    }

    fn certificate_fields(&self) -> Vec<TextField> {
        let c = &self.certificate;
        vec![
            TextField::required("code", "staff-discounts-code", "text", &c.code),
            TextField::optional("amount", "staff-discounts-amount", "text", &c.amount),
            TextField::optional("percent", "staff-discounts-percent", "number", &c.percent),
            TextField::required(
                "valid_until",
                "staff-discounts-valid-until",
                "date",
                &c.valid_until,
            ),
        ]
    }

    fn promotion_fields(&self) -> Vec<TextField> {
        let p = &self.promotion;
        vec![
            TextField::required("name", "staff-discounts-name", "text", &p.name),
            TextField::optional("name_en", "staff-discounts-name-en", "text", &p.name_en),
            TextField::optional("code", "staff-discounts-promo-code", "text", &p.code),
            TextField::required("percent", "staff-discounts-percent", "number", &p.percent),
            TextField::required("starts_on", "staff-discounts-starts-on", "date", &p.starts_on),
            TextField::required("ends_on", "staff-discounts-ends-on", "date", &p.ends_on),
        ]
    }

    /// The summary's lines of the form that came back: (the field's id, «Label: message»).
    fn error_links(&self) -> Vec<(String, String)> {
        let (prefix, fields) = match self.which {
            Which::None => return Vec::new(),
            Which::Card => ("card", self.card_fields()),
            Which::Certificate => ("cert", self.certificate_fields()),
            Which::Promotion => ("promo", self.promotion_fields()),
        };
        fields
            .iter()
            .filter_map(|f| {
                let message = self.errors.get(f.name)?;
                let text = format!("{}: {}", self.c.t.s(f.label), self.c.t.s(message));
                Some((format!("{prefix}-{}", f.name), text))
            })
            .collect()
    }

    /// Whether a discount whose last day is `last_day` still applies (from today on).
    fn active(&self, last_day: &str) -> bool {
        last_day >= self.lists.today.as_str()
    }

    fn picked(&self, id: &i64) -> bool {
        self.promotion.services.iter().any(|s| *s == id.to_string())
    }
}

pub fn routes() -> Routes {
    Routes::default()
        .route("/staff/discounts", get(list_discounts))
        .route("/staff/discounts/cards", post(create_card))
        .route("/staff/discounts/certificates", post(create_certificate))
        .route("/staff/discounts/promotions", post(create_promotion))
        .route("/staff/discounts/{kind}/{id}/end", post(end_discount))
}

struct Typed {
    card: CardInput,
    certificate: CertificateInput,
    promotion: PromotionInput,
    which: Which,
    errors: FieldErrors,
}

impl Typed {
    fn fresh() -> Self {
        Self {
            card: CardInput { percent: "5".into(), ..CardInput::default() },
            certificate: CertificateInput { usage: "single".into(), ..CertificateInput::default() },
            promotion: PromotionInput::default(),
            which: Which::None,
            errors: FieldErrors::default(),
        }
    }
}

async fn page(
    state: &AppState,
    c: Chrome,
    staff: &Staff,
    typed: Typed,
) -> Result<Response, PageError> {
    let lists = state.kabinet.discount_lists(&staff.0, c.t.lang).await?;
    let status =
        if typed.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = DiscountsTemplate {
        c,
        nav: Nav::of(staff),
        lists,
        card: typed.card,
        certificate: typed.certificate,
        promotion: typed.promotion,
        which: typed.which,
        errors: typed.errors,
    };
    Ok((status, [NO_STORE], page).into_response())
}

async fn list_discounts(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
) -> Result<Response, PageError> {
    staff.require(Action::ManageDiscounts)?;
    page(&state, c, &staff, Typed::fresh()).await
}

/// Adds what `form` types in; on a problem, the page again with the form `which` as typed.
async fn create<F: CodeForm>(
    state: &AppState,
    c: Chrome,
    staff: &Staff,
    origin: &Origin,
    form: F,
    keep: impl FnOnce(F, FieldErrors) -> Typed,
) -> Result<Response, PageError> {
    staff.require(Action::ManageDiscounts)?;
    match state.kabinet.add_discount_code(&staff.0, &form, origin).await {
        Ok(_) => Ok(Redirect::to("/staff/discounts").into_response()),
        Err(Error::Validation(errors)) => page(state, c, staff, keep(form, errors)).await,
        Err(other) => Err(other.into()),
    }
}

async fn create_card(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Form(form): Form<CardInput>,
) -> Result<Response, PageError> {
    let keep = |card, errors| Typed { card, which: Which::Card, errors, ..Typed::fresh() };
    create(&state, c, &staff, &origin, form, keep).await
}

async fn create_certificate(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Form(form): Form<CertificateInput>,
) -> Result<Response, PageError> {
    let which = Which::Certificate;
    let keep = |certificate, errors| Typed { certificate, which, errors, ..Typed::fresh() };
    create(&state, c, &staff, &origin, form, keep).await
}

async fn create_promotion(
    State(state): State<AppState>,
    c: Chrome,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Form(form): Form<PromotionInput>,
) -> Result<Response, PageError> {
    let which = Which::Promotion;
    let keep = |promotion, errors| Typed { promotion, which, errors, ..Typed::fresh() };
    create(&state, c, &staff, &origin, form, keep).await
}

/// Ends a card, a certificate or a promotion (`kind`: `cards`, `certificates`, `promotions`)
/// and goes back to its list.
async fn end_discount(
    State(state): State<AppState>,
    staff: Staff,
    ClientOrigin(origin): ClientOrigin,
    Path((kind, id)): Path<(String, i64)>,
) -> Result<Response, PageError> {
    let discount = match kind.as_str() {
        "cards" => DiscountKind::Card,
        "certificates" => DiscountKind::Certificate,
        "promotions" => DiscountKind::Promotion,
        _ => return Err(Error::NotFound.into()),
    };
    state.kabinet.end_discount(&staff.0, discount, id, &origin).await?;
    Ok(Redirect::to(&format!("/staff/discounts#{kind}-title")).into_response())
}
