//! The clinic's discounts besides the online one (C5, R8): discount cards, certificates and
//! promotions, found by the code a patient types; and what a booking takes from a
//! certificate, written in the booking's transaction so one certificate is never spent twice.

use kabinet_core::pricing::DiscountKind;

use crate::sql::{Conn, insert_audit};
use crate::{AuditEntry, Result, dispatch, dispatch_write};

/// A discount code as the clinic keeps it, found by what the patient typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoredCode {
    /// A personal discount card.
    Card {
        /// Its percent.
        percent: i32,
        /// The last day it is valid, `YYYY-MM-DD`.
        valid_until: String,
    },
    /// A discount certificate.
    Certificate {
        /// Its id, to spend it.
        id: i64,
        /// A sum, kopecks (or a percent, below).
        amount_kopecks: Option<i64>,
        /// A percent.
        percent: Option<i32>,
        /// Used up by one booking.
        single_use: bool,
        /// What is left of a sum that several bookings spend.
        balance_kopecks: Option<i64>,
        /// The last day it is valid.
        valid_until: String,
        /// When a single-use certificate was used, Unix seconds.
        used_at: Option<i64>,
    },
    /// A promotion with a code.
    Promotion(Promotion),
}

/// A promotion: a percent off some services for some days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Promotion {
    /// Its id.
    pub id: i64,
    /// Its percent.
    pub percent: i32,
    /// First day, `YYYY-MM-DD`.
    pub starts_on: String,
    /// Last day.
    pub ends_on: String,
    /// The services it lowers.
    pub service_ids: Vec<i64>,
}

/// A new discount card, certificate or promotion.
#[derive(Debug, Clone)]
pub enum NewCode {
    /// A card.
    Card {
        /// The number on it (stored upper case).
        number: String,
        /// Its percent.
        percent: i32,
        /// Whose it is.
        holder: String,
        /// Last day valid.
        valid_until: String,
    },
    /// A certificate.
    Certificate {
        /// Its code (stored upper case).
        code: String,
        /// A sum, kopecks…
        amount_kopecks: Option<i64>,
        /// …or a percent.
        percent: Option<i32>,
        /// Used up by one booking, or a balance that bookings spend.
        single_use: bool,
        /// Last day valid.
        valid_until: String,
    },
    /// A promotion.
    Promotion {
        /// Its name.
        name: String,
        /// Its name in English.
        name_en: Option<String>,
        /// The code to type; none: it applies by itself.
        code: Option<String>,
        /// Its percent.
        percent: i32,
        /// First day.
        starts_on: String,
        /// Last day.
        ends_on: String,
        /// The services it lowers.
        service_ids: Vec<i64>,
    },
}

/// What a booking takes from a certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CertificateSpend {
    /// Which certificate.
    pub certificate_id: i64,
    /// How much it saved, kopecks.
    pub amount_kopecks: i64,
    /// Whether it is used up by this booking (else its balance goes down by the amount).
    pub single_use: bool,
}

/// The price a visit is booked at, as the visit keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitPrice {
    /// The service booked.
    pub service_id: i64,
    /// Its price-list price, kopecks.
    pub base_kopecks: i64,
    /// What the patient pays, kopecks.
    pub price_kopecks: i64,
    /// The discount applied.
    pub discount_kind: Option<DiscountKind>,
    /// The card or code used, masked.
    pub discount_code: Option<String>,
    /// What the patient was told, in Russian.
    pub discount_reason: Option<String>,
    /// What the booking takes from a certificate.
    pub certificate: Option<CertificateSpend>,
}

/// Why the price could not be kept: the certificate was used up meanwhile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CertificateSpent;

/// Takes a booking's share of a certificate: a single-use one is marked used unless it was
/// already, a balance goes down unless too little is left. Both checks are the `UPDATE`'s
/// own, so two bookings in a race cannot both spend it.
pub(crate) async fn spend_certificate(
    c: &mut impl Conn,
    spend: &CertificateSpend,
    appointment_id: i64,
    now: i64,
) -> Result<std::result::Result<(), CertificateSpent>> {
    const SINGLE: &str =
        "UPDATE certificates SET used_at = $1 WHERE id = $2 AND single_use AND used_at IS NULL";
    const BALANCE: &str = "UPDATE certificates SET balance_kopecks = balance_kopecks - $1 \
        WHERE id = $2 AND NOT single_use AND balance_kopecks >= $1";
    const USE: &str = "INSERT INTO certificate_uses \
        (certificate_id, appointment_id, amount_kopecks, used_at) VALUES ($1, $2, $3, $4)";
    let changed = if spend.single_use {
        c.execute(SINGLE, &[now.into(), spend.certificate_id.into()]).await?
    } else {
        c.execute(BALANCE, &[spend.amount_kopecks.into(), spend.certificate_id.into()]).await?
    };
    if changed != 1 {
        return Ok(Err(CertificateSpent));
    }
    let args = [
        spend.certificate_id.into(),
        appointment_id.into(),
        spend.amount_kopecks.into(),
        now.into(),
    ];
    c.execute(USE, &args).await?;
    Ok(Ok(()))
}

/// Gives a cancelled visit's share of a certificate back: a single-use one can be used again,
/// a balance gets the amount back. In the cancel's transaction.
pub(crate) async fn return_certificate(
    c: &mut impl Conn,
    appointment_id: i64,
    now: i64,
) -> Result<()> {
    const SINGLE: &str = "UPDATE certificates SET used_at = NULL WHERE single_use AND id IN \
        (SELECT certificate_id FROM certificate_uses \
         WHERE appointment_id = $1 AND returned_at IS NULL)";
    const BALANCE: &str = "UPDATE certificates SET balance_kopecks = balance_kopecks + \
        (SELECT u.amount_kopecks FROM certificate_uses u WHERE u.certificate_id = certificates.id \
         AND u.appointment_id = $1 AND u.returned_at IS NULL) \
        WHERE NOT single_use AND id IN (SELECT certificate_id FROM certificate_uses \
         WHERE appointment_id = $1 AND returned_at IS NULL)";
    const RETURNED: &str = "UPDATE certificate_uses SET returned_at = $1 \
        WHERE appointment_id = $2 AND returned_at IS NULL";
    c.execute(SINGLE, &[appointment_id.into()]).await?;
    c.execute(BALANCE, &[appointment_id.into()]).await?;
    c.execute(RETURNED, &[now.into(), appointment_id.into()]).await?;
    Ok(())
}

type CertificateTuple = (i64, Option<i64>, Option<i32>, bool, Option<i64>, String, Option<i64>);
type PromotionRow = (i64, i32, String, String);

impl crate::Store {
    /// The card, certificate or promotion with this code (any case), if there is one.
    pub async fn find_discount_code(&self, code: &str) -> Result<Option<StoredCode>> {
        const CARD: &str = "SELECT percent, valid_until FROM discount_cards WHERE number = $1";
        const CERTIFICATE: &str = "SELECT id, amount_kopecks, percent, single_use, \
            balance_kopecks, valid_until, used_at FROM certificates WHERE code = $1";
        const PROMOTION: &str =
            "SELECT id, percent, starts_on, ends_on FROM promotions WHERE code = $1";
        let code = code.trim().to_uppercase();
        let card: Option<(i32, String)> =
            dispatch!(self, |pool| sqlx::query_as(CARD).bind(&code).fetch_optional(pool).await?);
        if let Some((percent, valid_until)) = card {
            return Ok(Some(StoredCode::Card { percent, valid_until }));
        }
        let certificate: Option<CertificateTuple> =
            dispatch!(self, |pool| sqlx::query_as(CERTIFICATE)
                .bind(&code)
                .fetch_optional(pool)
                .await?);
        if let Some((
            id,
            amount_kopecks,
            percent,
            single_use,
            balance_kopecks,
            valid_until,
            used_at,
        )) = certificate
        {
            return Ok(Some(StoredCode::Certificate {
                id,
                amount_kopecks,
                percent,
                single_use,
                balance_kopecks,
                valid_until,
                used_at,
            }));
        }
        let promotion: Option<PromotionRow> = dispatch!(self, |pool| sqlx::query_as(PROMOTION)
            .bind(&code)
            .fetch_optional(pool)
            .await?);
        match promotion {
            Some(row) => Ok(Some(StoredCode::Promotion(self.promotion(row).await?))),
            None => Ok(None),
        }
    }

    /// The promotions without a code that run on `day` (`YYYY-MM-DD`).
    pub async fn automatic_promotions(&self, day: &str) -> Result<Vec<Promotion>> {
        const SQL: &str = "SELECT id, percent, starts_on, ends_on FROM promotions \
            WHERE code IS NULL AND starts_on <= $1 AND ends_on >= $1 ORDER BY id";
        let rows: Vec<PromotionRow> =
            dispatch!(self, |pool| sqlx::query_as(SQL).bind(day).fetch_all(pool).await?);
        let mut promotions = Vec::with_capacity(rows.len());
        for row in rows {
            promotions.push(self.promotion(row).await?);
        }
        Ok(promotions)
    }

    async fn promotion(
        &self,
        (id, percent, starts_on, ends_on): PromotionRow,
    ) -> Result<Promotion> {
        const SERVICES: &str =
            "SELECT service_id FROM promotion_services WHERE promotion_id = $1 ORDER BY service_id";
        let service_ids: Vec<i64> =
            dispatch!(self, |pool| sqlx::query_scalar(SERVICES).bind(id).fetch_all(pool).await?);
        Ok(Promotion { id, percent, starts_on, ends_on, service_ids })
    }

    /// Adds a card, a certificate or a promotion with its audit row; its code is stored upper
    /// case. A code taken is a unique violation.
    pub async fn add_discount_code(&self, new: &NewCode, audit: AuditEntry) -> Result<i64> {
        const CARD: &str = "INSERT INTO discount_cards (number, percent, holder, valid_until) \
            VALUES ($1, $2, $3, $4) RETURNING id";
        const CERTIFICATE: &str = "INSERT INTO certificates (code, amount_kopecks, percent, \
            single_use, balance_kopecks, valid_until) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
        const PROMOTION: &str = "INSERT INTO promotions (name, name_en, code, percent, starts_on, \
            ends_on) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
        const PROMOTION_SERVICE: &str =
            "INSERT INTO promotion_services (promotion_id, service_id) VALUES ($1, $2)";
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let id: i64 = match new {
                NewCode::Card { number, percent, holder, valid_until } => {
                    sqlx::query_scalar(CARD)
                        .bind(number.trim().to_uppercase())
                        .bind(percent)
                        .bind(holder)
                        .bind(valid_until)
                        .fetch_one(&mut *tx)
                        .await?
                }
                NewCode::Certificate { code, amount_kopecks, percent, single_use, valid_until } => {
                    let balance = amount_kopecks.filter(|_| !single_use);
                    sqlx::query_scalar(CERTIFICATE)
                        .bind(code.trim().to_uppercase())
                        .bind(amount_kopecks)
                        .bind(percent)
                        .bind(single_use)
                        .bind(balance)
                        .bind(valid_until)
                        .fetch_one(&mut *tx)
                        .await?
                }
                NewCode::Promotion {
                    name,
                    name_en,
                    code,
                    percent,
                    starts_on,
                    ends_on,
                    service_ids,
                } => {
                    let id: i64 = sqlx::query_scalar(PROMOTION)
                        .bind(name)
                        .bind(name_en)
                        .bind(code.as_ref().map(|c| c.trim().to_uppercase()))
                        .bind(percent)
                        .bind(starts_on)
                        .bind(ends_on)
                        .fetch_one(&mut *tx)
                        .await?;
                    for service_id in service_ids {
                        sqlx::query(PROMOTION_SERVICE)
                            .bind(id)
                            .bind(service_id)
                            .execute(&mut *tx)
                            .await?;
                    }
                    id
                }
            };
            insert_audit(&mut tx, &AuditEntry { object_id: Some(id), ..audit }).await?;
            tx.announce_catalog().await?;
            tx.commit().await?;
            self.catalog_changed();
            Ok(id)
        })
    }
}

/// A discount card as the administrator's list shows it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CardRow {
    /// Id.
    pub id: i64,
    /// Its number.
    pub number: String,
    /// Its percent.
    pub percent: i32,
    /// Whose it is.
    pub holder: String,
    /// Last day valid.
    pub valid_until: String,
}

/// A certificate as the administrator's list shows it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CertificateListed {
    /// Id.
    pub id: i64,
    /// Its code.
    pub code: String,
    /// A sum, kopecks.
    pub amount_kopecks: Option<i64>,
    /// Or a percent.
    pub percent: Option<i32>,
    /// Used up by one booking.
    pub single_use: bool,
    /// What is left of a sum.
    pub balance_kopecks: Option<i64>,
    /// Last day valid.
    pub valid_until: String,
    /// When a single-use one was used.
    pub used_at: Option<i64>,
}

/// A promotion as the administrator's list shows it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PromotionListed {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Its code; none: automatic.
    pub code: Option<String>,
    /// Percent.
    pub percent: i32,
    /// First day.
    pub starts_on: String,
    /// Last day.
    pub ends_on: String,
    /// How many services it lowers.
    pub services: i64,
}

impl crate::Store {
    /// Every discount card, certificate and promotion, the newest first.
    pub async fn discount_lists(
        &self,
    ) -> Result<(Vec<CardRow>, Vec<CertificateListed>, Vec<PromotionListed>)> {
        const CARDS: &str = "SELECT id, number, percent, holder, valid_until FROM discount_cards \
            ORDER BY id DESC";
        const CERTIFICATES: &str = "SELECT id, code, amount_kopecks, percent, single_use, \
            balance_kopecks, valid_until, used_at FROM certificates ORDER BY id DESC";
        const PROMOTIONS: &str = "SELECT p.id, p.name, p.code, p.percent, p.starts_on, \
            p.ends_on, (SELECT COUNT(*) FROM promotion_services x WHERE x.promotion_id = p.id) \
            AS services FROM promotions p ORDER BY p.id DESC";
        Ok(dispatch!(self, |pool| {
            let cards = sqlx::query_as(CARDS).fetch_all(pool).await?;
            let certificates = sqlx::query_as(CERTIFICATES).fetch_all(pool).await?;
            let promotions = sqlx::query_as(PROMOTIONS).fetch_all(pool).await?;
            (cards, certificates, promotions)
        }))
    }

    /// Ends a card, a certificate or a promotion with `last_day` (one that ends sooner keeps
    /// its own last day), with its audit row; `false` if there is no such discount. Visits
    /// booked with it keep their price.
    pub async fn end_discount(
        &self,
        kind: DiscountKind,
        id: i64,
        last_day: &str,
        audit: AuditEntry,
    ) -> Result<bool> {
        let sql = match kind {
            DiscountKind::Card => {
                "UPDATE discount_cards SET valid_until = \
                 CASE WHEN valid_until > $1 THEN $1 ELSE valid_until END WHERE id = $2"
            }
            DiscountKind::Certificate => {
                "UPDATE certificates SET valid_until = \
                 CASE WHEN valid_until > $1 THEN $1 ELSE valid_until END WHERE id = $2"
            }
            DiscountKind::Promotion => {
                "UPDATE promotions SET ends_on = \
                 CASE WHEN ends_on > $1 THEN $1 ELSE ends_on END WHERE id = $2"
            }
            DiscountKind::Online => return Ok(false),
        };
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            if tx.execute(sql, &[last_day.into(), id.into()]).await? == 0 {
                return Ok(false);
            }
            insert_audit(&mut tx, &AuditEntry { object_id: Some(id), ..audit }).await?;
            tx.announce_catalog().await?;
            tx.commit().await?;
            self.catalog_changed();
            Ok(true)
        })
    }

    /// Whether any card, certificate or promotion has this code (any case): codes are typed
    /// in one field, so they are unique across the three.
    pub async fn discount_code_taken(&self, code: &str) -> Result<bool> {
        Ok(self.find_discount_code(code).await?.is_some())
    }
}
