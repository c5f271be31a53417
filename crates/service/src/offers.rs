//! What a patient can book with a specialist, and at what price (B1, C4, C5): the services
//! booked online, each priced with the one discount that applies, a discount card, a
//! certificate or a promotion code if the patient has one, and the free times that fit the
//! service's length.

use jiff::civil::Date;
use kabinet_core::catalog::ServiceKind;
use kabinet_core::lang::Lang;
use kabinet_core::pricing::{Discount, DiscountKind, DiscountSize, Money, Quote, mask_code, quote};
use kabinet_core::schedule::{Slot, fit_service};
use kabinet_store::catalog::{Service, Specialist};
use kabinet_store::discounts::{CertificateSpend, Promotion, StoredCode, VisitPrice};

use crate::catalog::PricedService;
use crate::{Error, Kabinet, Result};

/// A service priced for one booking: what the patient is shown, and what the visit keeps.
#[derive(Debug, Clone)]
pub struct PricedVisit {
    /// The service.
    pub service: Service,
    /// Its price, with the discount and why.
    pub quote: Quote,
    /// The price as the visit keeps it.
    pub price: VisitPrice,
}

/// The discount a typed code gives, and what using it takes from a certificate.
struct CodeDiscount {
    discount: Discount,
    certificate: Option<(i64, bool)>,
}

/// The specialist's online discount on a service: the service's own, else the specialist's.
fn online_percent(specialist: &Specialist, service: &Service) -> u8 {
    let percent = service.online_discount_percent.unwrap_or(specialist.online_discount_percent);
    u8::try_from(percent.clamp(0, 100)).unwrap_or(0)
}

fn percent(value: i32) -> u8 {
    u8::try_from(value.clamp(0, 100)).unwrap_or(0)
}

fn promotion_covers(promotion: &Promotion, service_id: i64, day: &str) -> bool {
    promotion.service_ids.contains(&service_id)
        && promotion.starts_on.as_str() <= day
        && day <= promotion.ends_on.as_str()
}

impl Kabinet {
    /// The services one books online with the specialist, in `lang`, each priced for a
    /// patient without a code (the online discount and any automatic promotion), by kind and
    /// then by code; a first consultation comes first.
    pub async fn bookable_services(
        &self,
        specialist_id: i64,
        lang: Lang,
    ) -> Result<Vec<PricedService>> {
        let specialist = self.catalog_specialist(specialist_id, lang).await?;
        let day = self.today().to_string();
        let automatic = self.automatic_promotions(&day).await?;
        Ok(self
            .online_services(specialist_id, lang)
            .await?
            .into_iter()
            .map(|service| {
                let offered = self.offers(&specialist, &service, &automatic, &day, None);
                let quote = quote(Money(service.price_kopecks), service.complex, &offered);
                PricedService { quote, service }
            })
            .collect())
    }

    /// The services one books online with the specialist, in the order the pages list them.
    async fn online_services(&self, specialist_id: i64, lang: Lang) -> Result<Vec<Service>> {
        let mut services = self.catalog_services(specialist_id, lang).await?.as_ref().clone();
        services.retain(|s| s.kind.is_booked_online());
        let order = |kind: ServiceKind| ServiceKind::ALL.iter().position(|k| *k == kind);
        // By nomenclature code within a kind: a first visit (B01.xxx.001) before a repeat one.
        services.sort_by(|a, b| (order(a.kind), &a.code).cmp(&(order(b.kind), &b.code)));
        Ok(services)
    }

    /// The service `service_id` of the specialist as booked online, or the first bookable
    /// one (a consultation, where there is one) when none is asked for. `Validation` on
    /// `service_id` for a service the specialist does not give online; `NotFound` for no
    /// such specialist.
    pub async fn bookable_service(
        &self,
        specialist_id: i64,
        service_id: Option<i64>,
        lang: Lang,
    ) -> Result<Service> {
        let services = self.online_services(specialist_id, lang).await?;
        let found = match service_id {
            Some(id) => services.into_iter().find(|s| s.id == id),
            None => services.into_iter().next(),
        };
        if let Some(service) = found {
            return Ok(service);
        }
        self.catalog_specialist(specialist_id, lang).await?;
        let mut errors = kabinet_core::patient::FieldErrors::default();
        errors.add("service_id", "error-service-not-bookable");
        Err(Error::Validation(errors))
    }

    /// The free times of the specialist on `from..=until` that fit the service's length.
    pub async fn free_times_for(
        &self,
        specialist_id: i64,
        service: &Service,
        (from, until): (Date, Date),
    ) -> Result<Vec<Slot>> {
        let free = self.free_slots(specialist_id, from, until).await?;
        Ok(fit_service(&free, service.duration_minutes))
    }

    /// Prices a visit for the service on `day`, with the code the patient typed, if any:
    /// the one discount that leaves the least to pay, and why (R8). A code that is unknown,
    /// expired, used up or not for this service is `Validation` on `discount_code`.
    pub async fn price_visit(
        &self,
        specialist: &Specialist,
        service: Service,
        code: Option<&str>,
        day: Date,
    ) -> Result<PricedVisit> {
        let day = day.to_string();
        let code = code.map(str::trim).filter(|c| !c.is_empty());
        let typed = match code {
            Some(code) => Some(self.code_discount(code, service.id, &day).await?),
            None => None,
        };
        let automatic = self.automatic_promotions(&day).await?;
        let offered =
            self.offers(specialist, &service, &automatic, &day, typed.as_ref().map(|t| t.discount));
        let quote = quote(Money(service.price_kopecks), service.complex, &offered);
        let applied_code =
            quote.applied.is_some_and(|d| typed.as_ref().is_some_and(|t| t.discount == d));
        let certificate = typed.as_ref().filter(|_| applied_code).and_then(|t| t.certificate).map(
            |(certificate_id, single_use)| CertificateSpend {
                certificate_id,
                amount_kopecks: quote.base.0 - quote.price.0,
                single_use,
            },
        );
        let price = VisitPrice {
            service_id: service.id,
            base_kopecks: quote.base.0,
            price_kopecks: quote.price.0,
            discount_kind: quote.applied.map(|d| d.kind),
            discount_code: code.filter(|_| applied_code).map(|c| mask_code(&c.to_uppercase())),
            discount_reason: quote.reason(Lang::Ru),
            certificate,
        };
        Ok(PricedVisit { service, quote, price })
    }

    /// Every discount on offer for the service: the online one, automatic promotions that
    /// cover it on `day`, and the typed code's.
    fn offers(
        &self,
        specialist: &Specialist,
        service: &Service,
        automatic: &[Promotion],
        day: &str,
        typed: Option<Discount>,
    ) -> Vec<Discount> {
        let mut offered = Vec::new();
        if specialist.online_booking {
            offered
                .push(Discount::percent(DiscountKind::Online, online_percent(specialist, service)));
        }
        for promotion in automatic.iter().filter(|p| promotion_covers(p, service.id, day)) {
            offered.push(Discount::percent(DiscountKind::Promotion, percent(promotion.percent)));
        }
        offered.extend(typed);
        offered
    }

    /// The discount a typed code gives for the service on `day`, or why it gives none.
    async fn code_discount(&self, code: &str, service_id: i64, day: &str) -> Result<CodeDiscount> {
        let found = self.store.find_discount_code(code).await?;
        let found = found.ok_or_else(|| Error::discount_code("error-discount-code-unknown"))?;
        let expired = || Error::discount_code("error-discount-code-expired");
        match found {
            StoredCode::Card { percent: p, valid_until } => {
                if valid_until.as_str() < day {
                    return Err(expired());
                }
                Ok(CodeDiscount {
                    discount: Discount::percent(DiscountKind::Card, percent(p)),
                    certificate: None,
                })
            }
            StoredCode::Certificate {
                id,
                amount_kopecks,
                percent: p,
                single_use,
                balance_kopecks,
                valid_until,
                used_at,
            } => {
                if valid_until.as_str() < day {
                    return Err(expired());
                }
                let size = match (amount_kopecks, p) {
                    (_, Some(p)) => DiscountSize::Percent(percent(p)),
                    (Some(amount), None) if single_use => DiscountSize::Amount(Money(amount)),
                    (Some(_), None) => DiscountSize::Amount(Money(balance_kopecks.unwrap_or(0))),
                    (None, None) => DiscountSize::Amount(Money(0)),
                };
                let used_up = if single_use {
                    used_at.is_some()
                } else {
                    size == DiscountSize::Amount(Money(0))
                };
                if used_up {
                    return Err(Error::discount_code("error-discount-code-used"));
                }
                let spends = single_use || amount_kopecks.is_some();
                Ok(CodeDiscount {
                    discount: Discount { kind: DiscountKind::Certificate, size },
                    certificate: spends.then_some((id, single_use)),
                })
            }
            StoredCode::Promotion(promotion) => {
                if !(promotion.starts_on.as_str() <= day && day <= promotion.ends_on.as_str()) {
                    return Err(expired());
                }
                if !promotion.service_ids.contains(&service_id) {
                    return Err(Error::discount_code("error-discount-code-not-for-service"));
                }
                Ok(CodeDiscount {
                    discount: Discount::percent(
                        DiscountKind::Promotion,
                        percent(promotion.percent),
                    ),
                    certificate: None,
                })
            }
        }
    }
}

/// The service and the price, as letters and the calendar write them:
/// «Стоимость: 2 610 ₽ (без скидки 2 900 ₽)» for a letter: neither the service nor the
/// discount's reason (a promotion may name a kind of examination), as letters leave the
/// cabinet (323-FZ art. 13).
pub fn cost_line(price: &VisitPrice) -> String {
    let cost = Money(price.price_kopecks).display();
    if price.discount_kind.is_some() {
        format!("Стоимость: {cost} (без скидки {})", Money(price.base_kopecks).display())
    } else {
        format!("Стоимость: {cost}")
    }
}
