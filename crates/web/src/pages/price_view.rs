//! A visit's service and price as pages show them: on the booking forms before confirming,
//! on the confirmation and in the cabinet after.

use kabinet_core::lang::{Lang, Localized};
use kabinet_core::pricing::{DiscountKind, Money};
use kabinet_service::model::Visit;
use kabinet_service::offers::PricedVisit;

/// The service booked and what it costs.
#[derive(Debug, Clone)]
pub struct PriceView {
    /// The service's name.
    pub service: Localized,
    /// What the patient pays: `2 610 ₽`.
    pub price: String,
    /// The price-list price, when a discount lowered it.
    pub base: Option<String>,
    /// Which discount and why.
    pub reason: Option<String>,
    /// The card or code used, masked.
    pub code: Option<String>,
}

impl PriceView {
    /// A price quoted before booking, its reason in `lang`.
    pub fn quoted(priced: &PricedVisit, lang: Lang) -> Self {
        let q = &priced.quote;
        Self {
            service: priced.service.name.clone(),
            price: q.price.display(),
            base: (q.price != q.base).then(|| q.base.display()),
            reason: q.reason(lang),
            code: priced.price.discount_code.clone(),
        }
    }

    /// The price a visit was booked at; none for a visit booked before prices were kept.
    pub fn of_visit(v: &Visit, lang: Lang) -> Option<Self> {
        let (name, base, price) =
            (v.service_name.clone()?, v.base_price_kopecks?, v.price_kopecks?);
        let service = Localized::pick(lang, name, v.service_name_en.clone());
        // The stored reason is the Russian one the patient was shown; in English the kind
        // of discount says it.
        let reason = match lang {
            Lang::Ru => v.discount_reason.clone(),
            Lang::En => v.discount_kind.map(|kind| english_kind(kind).to_owned()),
        };
        Some(Self {
            service,
            price: Money(price).display(),
            base: (price != base).then(|| Money(base).display()),
            reason: reason.filter(|_| v.discount_kind.is_some()),
            code: v.discount_code.clone(),
        })
    }
}

fn english_kind(kind: DiscountKind) -> &'static str {
    match kind {
        DiscountKind::Online => "online booking discount",
        DiscountKind::Card => "discount card",
        DiscountKind::Certificate => "certificate",
        DiscountKind::Promotion => "promotion",
    }
}
