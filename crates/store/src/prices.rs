//! Services and price lists (C3, C4): the administrator's services (who provides each, hidden
//! instead of deleted), and price lists that take effect on their date. `services.price_kopecks`
//! stays the current price that every read uses; a list is applied to it once, when its day
//! comes, by one claim (`applied_at`) that several instances cannot both win.

use kabinet_core::access::Actor;
use kabinet_core::audit::{AuditAction, ObjectKind};
use kabinet_core::catalog::ServiceKind;
use serde_json::json;

use crate::sql::{Conn, insert_audit};
use crate::{AuditEntry, Result, dispatch, dispatch_write};

/// A price list as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PriceList {
    /// Id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// The day it takes effect, `YYYY-MM-DD`.
    pub effective_from: String,
    /// When it was made, Unix seconds.
    pub created_at: i64,
    /// Who made it (none: the demo or the system).
    pub created_by: Option<String>,
    /// When its prices became the current ones; none while it waits for its day.
    pub applied_at: Option<i64>,
    /// How many services it prices.
    pub items: i64,
}

/// A service a list creates: an imported line whose code the catalog does not have yet.
#[derive(Debug, Clone)]
pub struct NewService {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Name in English.
    pub name_en: Option<String>,
    /// Its group, by name (created at the end of the list if there is none).
    pub group: String,
    /// The group's name in English, for a group the list creates.
    pub group_en: Option<String>,
    /// Kind.
    pub kind: ServiceKind,
    /// Minutes.
    pub duration_minutes: i32,
}

/// One price of a list: of a service the catalog has, or of one the list creates.
#[derive(Debug, Clone)]
pub enum ListedService {
    /// A service by its id.
    Existing(i64),
    /// A new one.
    New(NewService),
}

/// A new price list.
#[derive(Debug, Clone)]
pub struct NewPriceList {
    /// Its name.
    pub name: String,
    /// The day it takes effect, `YYYY-MM-DD`.
    pub effective_from: String,
    /// Who makes it (none: the demo).
    pub created_by: Option<i64>,
    /// Its prices, kopecks.
    pub items: Vec<(ListedService, i64)>,
}

/// A service as the administrator's screens show and change it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ServiceRecord {
    /// Id.
    pub id: i64,
    /// Group id.
    pub group_id: i64,
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Name in English.
    pub name_en: Option<String>,
    /// Current price, kopecks.
    pub price_kopecks: i64,
    /// Kind.
    #[sqlx(try_from = "String")]
    pub kind: ServiceKind,
    /// Minutes.
    pub duration_minutes: i32,
    /// Its own online discount.
    pub online_discount_percent: Option<i32>,
    /// Hidden from the price list and booking.
    pub archived: bool,
}

/// A service's fields the administrator changes.
#[derive(Debug, Clone)]
pub struct ServiceFields {
    /// Code.
    pub code: String,
    /// Group id.
    pub group_id: i64,
    /// Name.
    pub name: String,
    /// Name in English.
    pub name_en: Option<String>,
    /// Kind.
    pub kind: ServiceKind,
    /// Minutes.
    pub duration_minutes: i32,
    /// Its own online discount.
    pub online_discount_percent: Option<i32>,
    /// The specialists who provide it.
    pub specialist_ids: Vec<i64>,
}

/// One row of a list written out: code, name, name in English, group, group in English,
/// kind, minutes, price in kopecks.
pub type ExportLine = (String, String, Option<String>, String, Option<String>, String, i32, i64);

macro_rules! list_select {
    () => {
        "SELECT p.id, p.name, p.effective_from, p.created_at, \
    st.full_name AS created_by, p.applied_at, \
    (SELECT COUNT(*) FROM price_list_items i WHERE i.price_list_id = p.id) AS items \
    FROM price_lists p LEFT JOIN staff st ON st.id = p.created_by"
    };
}

macro_rules! service_select {
    () => {
        "SELECT id, group_id, code, name, name_en, price_kopecks, kind, duration_minutes, \
        online_discount_percent, archived FROM services"
    };
}

impl crate::Store {
    /// Every price list, the newest day first.
    pub async fn price_lists(&self) -> Result<Vec<PriceList>> {
        const SQL: &str = concat!(list_select!(), " ORDER BY p.effective_from DESC, p.id DESC");
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL).fetch_all(pool).await?))
    }

    /// One price list.
    pub async fn price_list_by_id(&self, id: i64) -> Result<Option<PriceList>> {
        const SQL: &str = concat!(list_select!(), " WHERE p.id = $1");
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL).bind(id).fetch_optional(pool).await?))
    }

    /// The rows of a list (`Some(id)`) or of the current prices (`None`), by group and code.
    pub async fn price_export(&self, list: Option<i64>) -> Result<Vec<ExportLine>> {
        const CURRENT: &str = "SELECT s.code, s.name, s.name_en, g.name, g.name_en, s.kind, \
            s.duration_minutes, \
            s.price_kopecks FROM services s JOIN service_groups g ON g.id = s.group_id \
            WHERE NOT s.archived ORDER BY g.position, g.id, s.code";
        const LIST: &str = "SELECT s.code, s.name, s.name_en, g.name, g.name_en, s.kind, \
            s.duration_minutes, \
            i.price_kopecks FROM price_list_items i JOIN services s ON s.id = i.service_id \
            JOIN service_groups g ON g.id = s.group_id WHERE i.price_list_id = $1 \
            ORDER BY g.position, g.id, s.code";
        Ok(match list {
            None => dispatch!(self, |pool| sqlx::query_as(CURRENT).fetch_all(pool).await?),
            Some(id) => {
                dispatch!(self, |pool| sqlx::query_as(LIST).bind(id).fetch_all(pool).await?)
            }
        })
    }

    /// Creates a price list, the services it brings and their groups, in one transaction
    /// with its audit row. Returns its id; a code taken meanwhile is a unique violation.
    pub async fn create_price_list(&self, list: &NewPriceList, audit: AuditEntry) -> Result<i64> {
        const GROUP: &str = "SELECT id FROM service_groups WHERE name = $1 ORDER BY id LIMIT 1";
        const NEW_GROUP: &str = "INSERT INTO service_groups (name, name_en, position) \
            SELECT $1, $2, COALESCE(MAX(position), 0) + 1 FROM service_groups RETURNING id";
        const NEW_SERVICE: &str = "INSERT INTO services (group_id, code, name, name_en, \
            price_kopecks, kind, duration_minutes) VALUES ($1, $2, $3, $4, $5, $6, $7) \
            RETURNING id";
        const LIST: &str = "INSERT INTO price_lists (name, effective_from, created_at, \
            created_by) VALUES ($1, $2, $3, $4) RETURNING id";
        const ITEM: &str = "INSERT INTO price_list_items (price_list_id, service_id, \
            price_kopecks) VALUES ($1, $2, $3)";
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let list_id: i64 = sqlx::query_scalar(LIST)
                .bind(&list.name)
                .bind(&list.effective_from)
                .bind(audit.at)
                .bind(list.created_by)
                .fetch_one(&mut *tx)
                .await?;
            for (service, price) in &list.items {
                let service_id = match service {
                    ListedService::Existing(id) => *id,
                    ListedService::New(s) => {
                        let group: Option<i64> = sqlx::query_scalar(GROUP)
                            .bind(&s.group)
                            .fetch_optional(&mut *tx)
                            .await?;
                        let group = match group {
                            Some(id) => id,
                            None => {
                                sqlx::query_scalar(NEW_GROUP)
                                    .bind(&s.group)
                                    .bind(&s.group_en)
                                    .fetch_one(&mut *tx)
                                    .await?
                            }
                        };
                        // A new service starts at the list's price: until then nobody books it.
                        sqlx::query_scalar(NEW_SERVICE)
                            .bind(group)
                            .bind(&s.code)
                            .bind(&s.name)
                            .bind(&s.name_en)
                            .bind(price)
                            .bind(s.kind.as_str())
                            .bind(s.duration_minutes)
                            .fetch_one(&mut *tx)
                            .await?
                    }
                };
                sqlx::query(ITEM)
                    .bind(list_id)
                    .bind(service_id)
                    .bind(price)
                    .execute(&mut *tx)
                    .await?;
            }
            insert_audit(&mut tx, &AuditEntry { object_id: Some(list_id), ..audit }).await?;
            tx.announce_catalog().await?;
            tx.commit().await?;
            self.catalog_changed();
            Ok(list_id)
        })
    }

    /// Makes the prices of every list whose day has come (`effective_from <= today`) the
    /// current ones, the earlier day first, each list once: its claim (`applied_at`) is the
    /// `UPDATE`'s own, so two instances never both apply it. Audited as `actor`. Returns the
    /// ids applied now.
    pub async fn apply_due_price_lists(
        &self,
        today: &str,
        now: i64,
        actor: Actor,
    ) -> Result<Vec<i64>> {
        const DUE: &str = "SELECT id FROM price_lists WHERE applied_at IS NULL \
            AND effective_from <= $1 ORDER BY effective_from, id";
        const CLAIM: &str =
            "UPDATE price_lists SET applied_at = $1 WHERE id = $2 AND applied_at IS NULL";
        const PRICES: &str = "UPDATE services SET price_kopecks = (SELECT i.price_kopecks \
            FROM price_list_items i WHERE i.price_list_id = $1 AND i.service_id = services.id) \
            WHERE id IN (SELECT service_id FROM price_list_items WHERE price_list_id = $1)";
        let due: Vec<i64> =
            dispatch!(self, |pool| sqlx::query_scalar(DUE).bind(today).fetch_all(pool).await?);
        if due.is_empty() {
            return Ok(due);
        }
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let mut applied = Vec::new();
            for id in due {
                let claimed =
                    sqlx::query(CLAIM).bind(now).bind(id).execute(&mut *tx).await?.rows_affected();
                if claimed != 1 {
                    continue;
                }
                let changed = sqlx::query(PRICES).bind(id).execute(&mut *tx).await?.rows_affected();
                let audit = AuditEntry::new(
                    now,
                    actor,
                    AuditAction::PriceListApply,
                    ObjectKind::PriceList,
                    Some(id),
                )
                .details(json!({"services": changed}));
                insert_audit(&mut tx, &audit).await?;
                applied.push(id);
            }
            tx.announce_catalog().await?;
            tx.commit().await?;
            self.catalog_changed();
            Ok(applied)
        })
    }

    /// Every service, hidden ones too, by code.
    pub async fn service_records(&self) -> Result<Vec<ServiceRecord>> {
        const SQL: &str = concat!(service_select!(), " ORDER BY code");
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL).fetch_all(pool).await?))
    }

    /// One service and the specialists who provide it.
    pub async fn service_record(&self, id: i64) -> Result<Option<(ServiceRecord, Vec<i64>)>> {
        const SQL: &str = concat!(service_select!(), " WHERE id = $1");
        const WHO: &str = "SELECT specialist_id FROM service_specialists WHERE service_id = $1 \
            ORDER BY specialist_id";
        let (record, who): (Option<ServiceRecord>, Vec<i64>) = dispatch!(self, |pool| {
            let record = sqlx::query_as(SQL).bind(id).fetch_optional(pool).await?;
            let who = sqlx::query_scalar(WHO).bind(id).fetch_all(pool).await?;
            (record, who)
        });
        Ok(record.map(|r| (r, who)))
    }

    /// Changes a service (`Some(id)`) or creates one at `price_kopecks` (`None`), and sets who
    /// provides it, with its audit row. Returns its id; `None` if there is no such service. A
    /// taken code is a unique violation.
    pub async fn save_service(
        &self,
        id: Option<i64>,
        fields: &ServiceFields,
        price_kopecks: i64,
        audit: AuditEntry,
    ) -> Result<Option<i64>> {
        const UPDATE: &str = "UPDATE services SET code = $1, group_id = $2, name = $3, \
            name_en = $4, kind = $5, duration_minutes = $6, online_discount_percent = $7 \
            WHERE id = $8 RETURNING id";
        const INSERT: &str = "INSERT INTO services (code, group_id, name, name_en, kind, \
            duration_minutes, online_discount_percent, price_kopecks) \
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
        const CLEAR: &str = "DELETE FROM service_specialists WHERE service_id = $1";
        const LINK: &str =
            "INSERT INTO service_specialists (service_id, specialist_id) VALUES ($1, $2)";
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let query = sqlx::query_scalar(if id.is_some() { UPDATE } else { INSERT })
                .bind(&fields.code)
                .bind(fields.group_id)
                .bind(&fields.name)
                .bind(&fields.name_en)
                .bind(fields.kind.as_str())
                .bind(fields.duration_minutes)
                .bind(fields.online_discount_percent);
            let query = match id {
                Some(id) => query.bind(id),
                None => query.bind(price_kopecks),
            };
            let saved: Option<i64> = query.fetch_optional(&mut *tx).await?;
            let Some(saved) = saved else {
                return Ok(None);
            };
            sqlx::query(CLEAR).bind(saved).execute(&mut *tx).await?;
            for specialist in &fields.specialist_ids {
                sqlx::query(LINK).bind(saved).bind(specialist).execute(&mut *tx).await?;
            }
            insert_audit(&mut tx, &AuditEntry { object_id: Some(saved), ..audit }).await?;
            tx.announce_catalog().await?;
            tx.commit().await?;
            self.catalog_changed();
            Ok(Some(saved))
        })
    }

    /// Hides a service from the price list and booking, or shows it again; `false` if there
    /// is no such service.
    pub async fn set_service_archived(
        &self,
        id: i64,
        archived: bool,
        audit: AuditEntry,
    ) -> Result<bool> {
        const SQL: &str = "UPDATE services SET archived = $1 WHERE id = $2";
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let changed =
                sqlx::query(SQL).bind(archived).bind(id).execute(&mut *tx).await?.rows_affected();
            if changed == 1 {
                insert_audit(&mut tx, &AuditEntry { object_id: Some(id), ..audit }).await?;
            }
            tx.announce_catalog().await?;
            tx.commit().await?;
            self.catalog_changed();
            Ok(changed == 1)
        })
    }
}
