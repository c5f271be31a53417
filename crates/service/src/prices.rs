//! Price lists (C3, C4): import of a CSV file from the clinic's accounting system — a preview
//! with each line's problems before anything changes, then the list in one transaction — its
//! export, and applying lists when their day comes (at start, by the server's periodic task,
//! and at once for a list dated today or earlier). Who may is the roles table's
//! ([`Action::ManagePrices`]). The demo clinic's prices come in through the same import.

use std::collections::HashMap;

use jiff::civil::Date;
use kabinet_core::access::{Actor, Origin};
use kabinet_core::audit::{AuditAction, ObjectKind};
use kabinet_core::catalog::ServiceKind;
use kabinet_core::patient::FieldErrors;
use kabinet_core::price_csv::{
    ExportRow, PriceFile, canonical_text, parse_price_file, write_price_file,
};
use kabinet_core::pricing::Money;
use kabinet_core::roles::Action;
use kabinet_core::schedule_form::parse_day;
use kabinet_store::AuditEntry;
use kabinet_store::prices::{ListedService, NewPriceList, NewService, PriceList};
use serde_json::json;

use crate::staff::StaffUser;
use crate::{Error, Kabinet, Result};

/// The group a new service goes to when its line names none.
const DEFAULT_GROUP: &str = "Прочие услуги";
/// Minutes a new service takes when its line says nothing.
const DEFAULT_MINUTES: i32 = 30;

/// One line of an import as the preview shows it.
#[derive(Debug, Clone)]
pub struct PreviewLine {
    /// Its line number in the file.
    pub line: usize,
    /// The code.
    pub code: String,
    /// The service's name: the catalog's, or the line's for a new one.
    pub name: String,
    /// The current price, for a service the catalog has.
    pub current: Option<Money>,
    /// The price the list gives it.
    pub price: Option<Money>,
    /// Whether the list creates the service.
    pub is_new: bool,
    /// What is wrong with the line (message keys).
    pub errors: Vec<&'static str>,
}

/// A file checked against the catalog: every line, and whether it can be applied.
#[derive(Debug, Clone)]
pub struct ImportPreview {
    /// Its lines.
    pub lines: Vec<PreviewLine>,
    /// What makes the whole file unusable (message key).
    pub error: Option<&'static str>,
    /// The file as the apply form carries it (UTF-8, `;`); parsed again on apply.
    pub content: String,
    /// "UTF-8" or "Windows-1251", and the separator, for the preview's words.
    pub encoding: &'static str,
    /// The separator found.
    pub delimiter: char,
}

impl ImportPreview {
    /// Whether the list can be made from it.
    pub fn is_ok(&self) -> bool {
        self.error.is_none() && self.lines.iter().all(|l| l.errors.is_empty())
    }

    /// How many lines have problems.
    pub fn bad_lines(&self) -> usize {
        self.lines.iter().filter(|l| !l.errors.is_empty()).count()
    }
}

/// The lists as staff see them: the one in force, those waiting for their day, and the past.
#[derive(Debug, Clone, Default)]
pub struct PriceLists {
    /// The list whose prices are current (the latest applied).
    pub current: Option<PriceList>,
    /// Lists waiting for their day, the nearest first.
    pub upcoming: Vec<PriceList>,
    /// Lists that were current before, the latest first.
    pub past: Vec<PriceList>,
}

/// What the apply form sends: the previewed file, a name and the day it takes effect.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ApplyInput {
    /// The canonical file from the preview.
    #[serde(default)]
    pub content: String,
    /// The list's name.
    #[serde(default)]
    pub name: String,
    /// `YYYY-MM-DD` or `ДД.ММ.ГГГГ`.
    #[serde(default)]
    pub effective_from: String,
}

impl Kabinet {
    /// The lists: current, upcoming, past.
    pub async fn price_lists(&self, staff: &StaffUser) -> Result<PriceLists> {
        staff.require(Action::ManagePrices)?;
        let mut lists = PriceLists::default();
        for list in self.store.price_lists().await? {
            if list.applied_at.is_none() {
                lists.upcoming.insert(0, list);
            } else if lists.current.is_none() {
                lists.current = Some(list);
            } else {
                lists.past.push(list);
            }
        }
        Ok(lists)
    }

    /// Reads an uploaded file and checks each line against the catalog; changes nothing.
    pub async fn preview_price_import(
        &self,
        staff: &StaffUser,
        bytes: &[u8],
    ) -> Result<ImportPreview> {
        staff.require(Action::ManagePrices)?;
        Ok(self.check_price_file(&parse_price_file(bytes)).await?.0)
    }

    /// Makes the list from a previewed file, parsed and checked again (the form is never
    /// trusted), in one transaction; a list dated today or earlier applies at once. A file
    /// with problems is `Validation` on `content`, the date on `effective_from`.
    pub async fn apply_price_import(
        &self,
        staff: &StaffUser,
        input: &ApplyInput,
        origin: &Origin,
    ) -> Result<i64> {
        staff.require(Action::ManagePrices)?;
        self.import_price_list(staff.actor(), Some(staff.member.id), input, origin).await
    }

    /// The import behind the administrator's form and the demo clinic's prices.
    pub(crate) async fn import_price_list(
        &self,
        actor: Actor,
        created_by: Option<i64>,
        input: &ApplyInput,
        origin: &Origin,
    ) -> Result<i64> {
        let mut errors = FieldErrors::default();
        let day = parse_day(&input.effective_from);
        if day.is_none() {
            errors.add("effective_from", "error-price-list-date");
        }
        let name = input.name.trim();
        if name.chars().count() > 200 {
            errors.add("name", "error-price-list-name");
        }
        let (preview, items) =
            self.check_price_file(&parse_price_file(input.content.as_bytes())).await?;
        if !preview.is_ok() {
            errors.add("content", "error-price-list-lines");
        }
        let (Some(day), true) = (day, errors.is_empty()) else {
            return Err(Error::Validation(errors));
        };
        let name = if name.is_empty() {
            format!("Прейскурант с {}", day.strftime("%d.%m.%Y"))
        } else {
            name.to_owned()
        };
        let created = items.iter().filter(|(s, _)| matches!(s, ListedService::New(_))).count();
        let audit = AuditEntry::new(
            self.now().as_second(),
            actor,
            AuditAction::PriceListCreate,
            ObjectKind::PriceList,
            None,
        )
        .origin(origin)
        .details(json!({
            "effective_from": day.to_string(),
            "items": items.len(),
            "new_services": created,
        }));
        let list = NewPriceList { name, effective_from: day.to_string(), created_by, items };
        let id = self.store.create_price_list(&list, audit).await.map_err(|e| {
            if e.is_unique_violation() {
                let mut errors = FieldErrors::default();
                errors.add("content", "error-price-list-lines");
                Error::Validation(errors)
            } else {
                e.into()
            }
        })?;
        if day <= self.today() {
            self.store
                .apply_due_price_lists(&self.today().to_string(), self.now().as_second(), actor)
                .await?;
        }
        Ok(id)
    }

    /// Applies every list whose day has come; the number applied now. Safe to run from
    /// several instances at once.
    pub async fn apply_due_price_lists(&self) -> Result<usize> {
        let today = self.today().to_string();
        let now = self.now().as_second();
        Ok(self.store.apply_due_price_lists(&today, now, Actor::System).await?.len())
    }

    /// A list (`Some(id)`) or the current prices (`None`) as a CSV file for Excel, and the
    /// file's name.
    pub async fn export_price_list(
        &self,
        staff: &StaffUser,
        list: Option<i64>,
    ) -> Result<(Vec<u8>, String)> {
        staff.require(Action::ManagePrices)?;
        let file_name = match list {
            Some(id) => {
                let list = self.store.price_list_by_id(id).await?.ok_or(Error::NotFound)?;
                format!("price-list-{}.csv", list.effective_from)
            }
            None => format!("prices-{}.csv", self.today()),
        };
        let rows = self
            .store
            .price_export(list)
            .await?
            .into_iter()
            .map(|(code, name, name_en, group, group_en, kind, duration_minutes, price)| {
                let kind = kind
                    .parse::<ServiceKind>()
                    .map_err(|_| Error::Internal(format!("service {code}: stored kind {kind}")))?;
                Ok(ExportRow {
                    code,
                    name,
                    name_en,
                    group,
                    group_en,
                    kind,
                    duration_minutes,
                    price: Money(price),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((write_price_file(&rows), file_name))
    }

    /// Checks a parsed file against the catalog: a known code gets its price, an unknown
    /// one becomes a new service if the line names it and its kind, else it is an error.
    async fn check_price_file(
        &self,
        file: &PriceFile,
    ) -> Result<(ImportPreview, Vec<(ListedService, i64)>)> {
        let known: HashMap<String, (i64, String, i64)> = self
            .store
            .service_records()
            .await?
            .into_iter()
            .map(|s| (s.code.to_uppercase(), (s.id, s.name, s.price_kopecks)))
            .collect();
        let mut lines = Vec::with_capacity(file.lines.len());
        let mut items = Vec::with_capacity(file.lines.len());
        for l in &file.lines {
            let mut errors = l.errors.clone();
            let found = known.get(&l.code.to_uppercase());
            let is_new = found.is_none() && !l.code.is_empty();
            let service = match (found, &l.name, l.kind) {
                (Some((id, _, _)), _, _) => Some(ListedService::Existing(*id)),
                (None, Some(name), Some(kind)) => Some(ListedService::New(NewService {
                    code: l.code.clone(),
                    name: name.clone(),
                    name_en: l.name_en.clone(),
                    group: l.group.clone().unwrap_or_else(|| DEFAULT_GROUP.to_owned()),
                    group_en: l.group_en.clone(),
                    kind,
                    duration_minutes: l.duration_minutes.unwrap_or(DEFAULT_MINUTES),
                })),
                (None, _, _) => {
                    if is_new && errors.is_empty() {
                        errors.push("price-import-error-unknown-code");
                    }
                    None
                }
            };
            if let (Some(service), Some(price), true) = (service, l.price, errors.is_empty()) {
                items.push((service, price.0));
            }
            lines.push(PreviewLine {
                line: l.line,
                code: l.code.clone(),
                name: found.map(|f| f.1.clone()).or_else(|| l.name.clone()).unwrap_or_default(),
                current: found.map(|f| Money(f.2)),
                price: l.price,
                is_new,
                errors,
            });
        }
        let preview = ImportPreview {
            lines,
            error: file.error,
            content: canonical_text(file),
            encoding: match file.encoding {
                kabinet_core::price_csv::TextEncoding::Utf8 => "UTF-8",
                kabinet_core::price_csv::TextEncoding::Windows1251 => "Windows-1251",
            },
            delimiter: file.delimiter,
        };
        Ok((preview, items))
    }
}

/// The demo's list as the accounting system would write it, with the day it takes effect.
pub(crate) fn demo_input(content: String, day: Date) -> ApplyInput {
    ApplyInput {
        content,
        name: "Прейскурант клиники «Ясень»".into(),
        effective_from: day.to_string(),
    }
}
