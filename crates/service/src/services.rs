//! The administrator's services (C3): a service's code, group, names, kind, length, its own
//! online discount, and the specialists who provide it; a service that visits name is hidden,
//! never deleted. Who may is the roles table's ([`Action::ManagePrices`]). The demo clinic
//! names who provides its services through the same function.

use kabinet_core::access::{Actor, Origin};
use kabinet_core::audit::{AuditAction, ObjectKind};
use kabinet_core::catalog::ServiceKind;
use kabinet_core::catalog_form::parse_online_percent;
use kabinet_core::lang::Lang;
use kabinet_core::patient::FieldErrors;
use kabinet_core::price_csv::{parse_duration, parse_price};
use kabinet_core::roles::Action;
use kabinet_store::AuditEntry;
use kabinet_store::catalog::{ServiceGroup, Specialist};
use kabinet_store::prices::{ServiceFields, ServiceRecord};
use serde::Deserialize;
use serde_json::json;

use crate::staff::StaffUser;
use crate::{Error, Kabinet, Result};

/// A service as typed in its form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ServiceInput {
    /// Code.
    #[serde(default)]
    pub code: String,
    /// Group id.
    #[serde(default)]
    pub group_id: String,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Name in English.
    #[serde(default)]
    pub name_en: String,
    /// Kind (stored word).
    #[serde(default)]
    pub kind: String,
    /// Minutes.
    #[serde(default)]
    pub duration_minutes: String,
    /// Its own online discount, percent; empty: the specialist's.
    #[serde(default)]
    pub online_discount_percent: String,
    /// The price of a new service, rubles (a service's price then changes by price lists).
    #[serde(default)]
    pub price: String,
    /// The specialists who provide it (ids).
    #[serde(default)]
    pub specialists: Vec<String>,
}

impl ServiceInput {
    /// The form of a stored service.
    pub fn of(record: &ServiceRecord, specialists: &[i64]) -> Self {
        Self {
            code: record.code.clone(),
            group_id: record.group_id.to_string(),
            name: record.name.clone(),
            name_en: record.name_en.clone().unwrap_or_default(),
            kind: record.kind.as_str().to_owned(),
            duration_minutes: record.duration_minutes.to_string(),
            online_discount_percent: record
                .online_discount_percent
                .map(|p| p.to_string())
                .unwrap_or_default(),
            price: String::new(),
            specialists: specialists.iter().map(i64::to_string).collect(),
        }
    }

    fn parse(&self, errors: &mut FieldErrors, new: bool) -> Option<(ServiceFields, i64)> {
        let code = self.code.trim().to_owned();
        if code.is_empty() || code.chars().count() > 40 {
            errors.add("code", "error-service-code");
        }
        let group_id = self.group_id.trim().parse::<i64>().ok();
        if group_id.is_none() {
            errors.add("group_id", "error-service-group");
        }
        let name = self.name.trim().to_owned();
        if name.is_empty() || name.chars().count() > 300 {
            errors.add("name", "error-service-name");
        }
        let kind =
            errors.take("kind", self.kind.parse::<ServiceKind>().map_err(|_| "error-service-kind"));
        let duration = errors.take(
            "duration_minutes",
            parse_duration(&self.duration_minutes).map_err(|_| "error-service-duration"),
        );
        let online_discount_percent = errors
            .take("online_discount_percent", parse_online_percent(&self.online_discount_percent))
            .flatten();
        let price = if new {
            errors
                .take("price", parse_price(&self.price).map_err(|_| "error-service-price"))
                .map(|m| m.0)
        } else {
            Some(0)
        };
        let specialist_ids = self.specialists.iter().filter_map(|s| s.parse().ok()).collect();
        let name_en = Some(self.name_en.trim().to_owned()).filter(|n| !n.is_empty());
        match (group_id, kind, duration, price, errors.is_empty()) {
            (Some(group_id), Some(kind), Some(duration_minutes), Some(price), true) => Some((
                ServiceFields {
                    code,
                    group_id,
                    name,
                    name_en,
                    kind,
                    duration_minutes,
                    online_discount_percent,
                    specialist_ids,
                },
                price,
            )),
            _ => None,
        }
    }
}

/// The services page: groups and every service, hidden ones too.
#[derive(Debug, Clone)]
pub struct ServiceSheet {
    /// Groups in their order.
    pub groups: Vec<ServiceGroup>,
    /// Services by code.
    pub services: Vec<ServiceRecord>,
}

/// What a service's form offers to pick from.
#[derive(Debug, Clone)]
pub struct ServiceChoices {
    /// Groups.
    pub groups: Vec<ServiceGroup>,
    /// Specialists, by surname.
    pub specialists: Vec<Specialist>,
}

impl Kabinet {
    /// Every service by group.
    pub async fn service_sheet(&self, staff: &StaffUser, lang: Lang) -> Result<ServiceSheet> {
        staff.require(Action::ManagePrices)?;
        let (groups, _) = self.store.price_list(lang).await?;
        Ok(ServiceSheet { groups, services: self.store.service_records().await? })
    }

    /// The groups and specialists a service's form picks from.
    pub async fn service_choices(&self, staff: &StaffUser, lang: Lang) -> Result<ServiceChoices> {
        staff.require(Action::ManagePrices)?;
        let (groups, _) = self.store.price_list(lang).await?;
        let specialists = self.store.list_specialists(Default::default(), lang).await?;
        Ok(ServiceChoices { groups, specialists })
    }

    /// One service and who provides it.
    pub async fn service_record(
        &self,
        staff: &StaffUser,
        id: i64,
    ) -> Result<(ServiceRecord, Vec<i64>)> {
        staff.require(Action::ManagePrices)?;
        self.store.service_record(id).await?.ok_or(Error::NotFound)
    }

    /// Adds a service (`None`) or changes one; returns its id. A taken code is `Validation`
    /// on `code`.
    pub async fn save_service(
        &self,
        staff: &StaffUser,
        id: Option<i64>,
        input: &ServiceInput,
        origin: &Origin,
    ) -> Result<i64> {
        staff.require(Action::ManagePrices)?;
        self.save_service_as(staff.actor(), id, input, origin).await
    }

    /// The save behind the administrator's form and the demo clinic.
    pub(crate) async fn save_service_as(
        &self,
        actor: Actor,
        id: Option<i64>,
        input: &ServiceInput,
        origin: &Origin,
    ) -> Result<i64> {
        let mut errors = FieldErrors::default();
        let (mut fields, price) =
            input.parse(&mut errors, id.is_none()).ok_or(Error::Validation(errors))?;
        // Only groups and specialists that exist: a forged form gets a message, not a 500.
        let (groups, _) = self.store.price_list(Lang::Ru).await?;
        if !groups.iter().any(|g| g.id == fields.group_id) {
            let mut errors = FieldErrors::default();
            errors.add("group_id", "error-service-group");
            return Err(Error::Validation(errors));
        }
        let specialists = self.store.list_specialists(Default::default(), Lang::Ru).await?;
        fields.specialist_ids.retain(|id| specialists.iter().any(|s| s.id == *id));
        fields.specialist_ids.sort_unstable();
        fields.specialist_ids.dedup();
        let audit = AuditEntry::new(
            self.now().as_second(),
            actor,
            AuditAction::ServiceSave,
            ObjectKind::Service,
            id,
        )
        .origin(origin)
        .details(json!({"code": fields.code, "specialists": fields.specialist_ids.len()}));
        let saved = self.store.save_service(id, &fields, price, audit).await.map_err(|e| {
            if e.is_unique_violation() {
                let mut errors = FieldErrors::default();
                errors.add("code", "error-service-code-taken");
                Error::Validation(errors)
            } else {
                Error::from(e)
            }
        })?;
        saved.ok_or(Error::NotFound)
    }

    /// Hides a service (kept for the visits that name it) or shows it again.
    pub async fn set_service_archived(
        &self,
        staff: &StaffUser,
        id: i64,
        archived: bool,
        origin: &Origin,
    ) -> Result<()> {
        staff.require(Action::ManagePrices)?;
        let audit = AuditEntry::new(
            self.now().as_second(),
            staff.actor(),
            AuditAction::ServiceArchive,
            ObjectKind::Service,
            Some(id),
        )
        .origin(origin)
        .details(json!({"archived": archived}));
        if self.store.set_service_archived(id, archived, audit).await? {
            Ok(())
        } else {
            Err(Error::NotFound)
        }
    }
}
