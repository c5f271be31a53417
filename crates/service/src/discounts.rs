//! The administrator's discounts (C5): discount cards, certificates and promotions, listed
//! with their codes masked and added through forms that check what a person types (a percent
//! of 1–100, dates, a code no other card, certificate or promotion has), each addition
//! audited. Who may is the roles table's ([`Action::ManageDiscounts`]). The demo clinic's
//! codes come in through the same functions.

use kabinet_core::access::{Actor, Origin};
use kabinet_core::audit::{AuditAction, ObjectKind};
use kabinet_core::lang::Lang;
use kabinet_core::patient::FieldErrors;
use kabinet_core::price_csv::parse_price;
use kabinet_core::pricing::DiscountKind;
use kabinet_core::roles::Action;
use kabinet_core::schedule_form::parse_day;
use kabinet_store::AuditEntry;
use kabinet_store::discounts::{CardRow, CertificateListed, NewCode, PromotionListed};
use serde::Deserialize;
use serde_json::json;

use crate::staff::StaffUser;
use crate::{Error, Kabinet, Result};

/// Every card, certificate and promotion, for the discounts page.
#[derive(Debug, Clone)]
pub struct DiscountLists {
    /// Cards.
    pub cards: Vec<CardRow>,
    /// Certificates.
    pub certificates: Vec<CertificateListed>,
    /// Promotions.
    pub promotions: Vec<PromotionListed>,
    /// The services a promotion may lower, by name.
    pub services: Vec<kabinet_store::catalog::Service>,
    /// Today (`YYYY-MM-DD`): a discount whose last day is earlier no longer applies.
    pub today: String,
}

/// A card as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CardInput {
    /// Its number.
    #[serde(default)]
    pub number: String,
    /// Percent.
    #[serde(default)]
    pub percent: String,
    /// Whose it is.
    #[serde(default)]
    pub holder: String,
    /// Last day valid.
    #[serde(default)]
    pub valid_until: String,
}

/// A certificate as typed: a sum in rubles or a percent.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CertificateInput {
    /// Its code.
    #[serde(default)]
    pub code: String,
    /// A sum, rubles.
    #[serde(default)]
    pub amount: String,
    /// Or a percent.
    #[serde(default)]
    pub percent: String,
    /// `single` (used up by one booking) or `balance`.
    #[serde(default)]
    pub usage: String,
    /// Last day valid.
    #[serde(default)]
    pub valid_until: String,
}

/// A promotion as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PromotionInput {
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Name in English.
    #[serde(default)]
    pub name_en: String,
    /// Its code; empty: it applies by itself.
    #[serde(default)]
    pub code: String,
    /// Percent.
    #[serde(default)]
    pub percent: String,
    /// First day.
    #[serde(default)]
    pub starts_on: String,
    /// Last day.
    #[serde(default)]
    pub ends_on: String,
    /// The services it lowers (ids).
    #[serde(default)]
    pub services: Vec<String>,
}

/// A form that adds a card, a certificate or a promotion.
pub trait CodeForm {
    /// What it adds, or `None` with its problems in `errors`.
    fn parse(&self, errors: &mut FieldErrors) -> Option<NewCode>;
}

fn percent_of(text: &str, field: &'static str, errors: &mut FieldErrors) -> Option<i32> {
    match text.trim().trim_end_matches('%').trim().parse::<i32>() {
        Ok(p) if (1..=100).contains(&p) => Some(p),
        _ => {
            errors.add(field, "error-discount-percent");
            None
        }
    }
}

fn day_of(text: &str, field: &'static str, errors: &mut FieldErrors) -> Option<String> {
    let day = parse_day(text).map(|d| d.to_string());
    if day.is_none() {
        errors.add(field, "error-discount-date");
    }
    day
}

/// A code as stored: trimmed, upper case; 3–40 letters, digits and `-`.
fn code_of(text: &str, field: &'static str, errors: &mut FieldErrors) -> Option<String> {
    let code = text.trim().to_uppercase();
    let ok = (3..=40).contains(&code.chars().count())
        && code.chars().all(|c| c.is_alphanumeric() || c == '-');
    if !ok {
        errors.add(field, "error-discount-code-format");
    }
    ok.then_some(code)
}

impl CodeForm for CardInput {
    fn parse(&self, errors: &mut FieldErrors) -> Option<NewCode> {
        let number = code_of(&self.number, "number", errors);
        let percent = percent_of(&self.percent, "percent", errors);
        let holder = self.holder.trim().to_owned();
        if holder.is_empty() || holder.chars().count() > 200 {
            errors.add("holder", "error-discount-holder");
        }
        let valid_until = day_of(&self.valid_until, "valid_until", errors);
        match (number, percent, valid_until, errors.is_empty()) {
            (Some(number), Some(percent), Some(valid_until), true) => {
                Some(NewCode::Card { number, percent, holder, valid_until })
            }
            _ => None,
        }
    }
}

impl CodeForm for CertificateInput {
    fn parse(&self, errors: &mut FieldErrors) -> Option<NewCode> {
        let code = code_of(&self.code, "code", errors);
        let (amount, percent) = (self.amount.trim(), self.percent.trim());
        let (amount_kopecks, percent) = match (amount.is_empty(), percent.is_empty()) {
            (false, true) => match parse_price(amount) {
                Ok(m) if m.0 > 0 => (Some(m.0), None),
                _ => {
                    errors.add("amount", "error-discount-amount");
                    (None, None)
                }
            },
            (true, false) => (None, percent_of(percent, "percent", errors)),
            _ => {
                errors.add("amount", "error-discount-amount-or-percent");
                (None, None)
            }
        };
        let single_use = self.usage != "balance";
        if !single_use && percent.is_some() {
            errors.add("usage", "error-discount-balance-needs-amount");
        }
        let valid_until = day_of(&self.valid_until, "valid_until", errors);
        match (code, valid_until, errors.is_empty()) {
            (Some(code), Some(valid_until), true) => Some(NewCode::Certificate {
                code,
                amount_kopecks,
                percent,
                single_use,
                valid_until,
            }),
            _ => None,
        }
    }
}

impl CodeForm for PromotionInput {
    fn parse(&self, errors: &mut FieldErrors) -> Option<NewCode> {
        let name = self.name.trim().to_owned();
        if name.is_empty() || name.chars().count() > 200 {
            errors.add("name", "error-discount-name");
        }
        let code = if self.code.trim().is_empty() {
            Some(None)
        } else {
            code_of(&self.code, "code", errors).map(Some)
        };
        let percent = percent_of(&self.percent, "percent", errors);
        let starts_on = day_of(&self.starts_on, "starts_on", errors);
        let ends_on = day_of(&self.ends_on, "ends_on", errors);
        if let (Some(s), Some(e)) = (&starts_on, &ends_on)
            && e < s
        {
            errors.add("ends_on", "error-discount-dates-order");
        }
        let service_ids: Vec<i64> = self.services.iter().filter_map(|s| s.parse().ok()).collect();
        if service_ids.is_empty() {
            errors.add("services", "error-discount-services");
        }
        let name_en = Some(self.name_en.trim().to_owned()).filter(|n| !n.is_empty());
        match (code, percent, starts_on, ends_on, errors.is_empty()) {
            (Some(code), Some(percent), Some(starts_on), Some(ends_on), true) => {
                Some(NewCode::Promotion {
                    name,
                    name_en,
                    code,
                    percent,
                    starts_on,
                    ends_on,
                    service_ids,
                })
            }
            _ => None,
        }
    }
}

/// The field a code is typed in, for each kind.
fn code_field(new: &NewCode) -> (&'static str, Option<&str>, ObjectKind) {
    match new {
        NewCode::Card { number, .. } => ("number", Some(number), ObjectKind::DiscountCard),
        NewCode::Certificate { code, .. } => ("code", Some(code), ObjectKind::Certificate),
        NewCode::Promotion { code, .. } => ("code", code.as_deref(), ObjectKind::Promotion),
    }
}

impl Kabinet {
    /// Every card, certificate and promotion.
    pub async fn discount_lists(&self, staff: &StaffUser, lang: Lang) -> Result<DiscountLists> {
        staff.require(Action::ManageDiscounts)?;
        let (cards, certificates, promotions) = self.store.discount_lists().await?;
        let (_, services) = self.store.price_list(lang).await?;
        let today = self.today().to_string();
        Ok(DiscountLists { cards, certificates, promotions, services, today })
    }

    /// Adds a discount card, a certificate or a promotion as typed in its form.
    pub async fn add_discount_code(
        &self,
        staff: &StaffUser,
        input: &impl CodeForm,
        origin: &Origin,
    ) -> Result<i64> {
        staff.require(Action::ManageDiscounts)?;
        let mut errors = FieldErrors::default();
        let new = input.parse(&mut errors).ok_or(Error::Validation(errors))?;
        self.add_discount(staff.actor(), &new, origin).await
    }

    /// Ends a card, a certificate or a promotion: from today it lowers no price (visits booked
    /// with it keep theirs). Ending one that has ended already changes nothing.
    pub async fn end_discount(
        &self,
        staff: &StaffUser,
        kind: DiscountKind,
        id: i64,
        origin: &Origin,
    ) -> Result<()> {
        staff.require(Action::ManageDiscounts)?;
        let today = self.today();
        let yesterday = today.yesterday().unwrap_or(today).to_string();
        let object = match kind {
            DiscountKind::Card => ObjectKind::DiscountCard,
            DiscountKind::Certificate => ObjectKind::Certificate,
            DiscountKind::Promotion => ObjectKind::Promotion,
            DiscountKind::Online => return Err(Error::NotFound),
        };
        let at = self.now().as_second();
        let audit = AuditEntry::new(at, staff.actor(), AuditAction::DiscountEnd, object, None)
            .origin(origin)
            .details(json!({"kind": object, "last_day": yesterday}));
        match self.store.end_discount(kind, id, &yesterday, audit).await? {
            true => Ok(()),
            false => Err(Error::NotFound),
        }
    }

    /// Adds a card, a certificate or a promotion whose code no other has, audited as `actor`
    /// (the administrator's forms and the demo clinic's codes).
    pub(crate) async fn add_discount(
        &self,
        actor: Actor,
        new: &NewCode,
        origin: &Origin,
    ) -> Result<i64> {
        let (field, code, kind) = code_field(new);
        let taken = || {
            let mut errors = FieldErrors::default();
            errors.add(field, "error-discount-code-taken");
            Error::Validation(errors)
        };
        if let Some(code) = code
            && self.store.discount_code_taken(code).await?
        {
            return Err(taken());
        }
        let audit =
            AuditEntry::new(self.now().as_second(), actor, AuditAction::DiscountCreate, kind, None)
                .origin(origin)
                .details(json!({"kind": kind}));
        self.store
            .add_discount_code(new, audit)
            .await
            .map_err(|e| if e.is_unique_violation() { taken() } else { e.into() })
    }
}

impl Kabinet {
    /// The demo clinic's codes, documented in the README for trying them: a 15 % card, a
    /// single-use certificate of 1,000 ₽ and a 20 % promotion on examinations — typed into
    /// the administrator's forms, as it were.
    pub(crate) async fn add_demo_discounts(&self) -> Result<()> {
        let today = self.today();
        let in_years = |years: i16| {
            today.checked_add(jiff::Span::new().years(years)).unwrap_or(today).to_string()
        };
        let examinations: Vec<String> = self
            .store
            .price_list(kabinet_core::lang::Lang::Ru)
            .await?
            .1
            .iter()
            .filter(|s| s.kind == kabinet_core::catalog::ServiceKind::Diagnostics)
            .map(|s| s.id.to_string())
            .collect();
        let card = CardInput {
            number: "DEMO-CARD-15".into(),
            percent: "15".into(),
            holder: "Демонстрационная карта".into(),
            valid_until: in_years(2),
        };
        let certificate = CertificateInput {
            code: "DEMO-CERT-1000".into(),
            amount: "1000".into(),
            percent: String::new(),
            usage: "single".into(),
            valid_until: in_years(1),
        };
        let promotion = PromotionInput {
            name: "Неделя диагностики: −20 % на обследования".into(),
            name_en: "Diagnostics week: 20% off examinations".into(),
            code: "YASEN20".into(),
            percent: "20".into(),
            starts_on: today.to_string(),
            ends_on: in_years(1),
            services: examinations,
        };
        let mut errors = FieldErrors::default();
        let codes =
            [card.parse(&mut errors), certificate.parse(&mut errors), promotion.parse(&mut errors)];
        for new in codes {
            let new = new.ok_or_else(|| Error::Internal(format!("demo discount: {errors:?}")))?;
            self.add_discount(Actor::System, &new, &Origin::default()).await?;
        }
        Ok(())
    }
}
