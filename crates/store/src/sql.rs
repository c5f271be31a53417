//! The statements many changes share — an audit row, a letter in the outbox, a message in the
//! cabinet, a patient, a consent, a visit, a single-use secret — written once, as functions
//! over [`Conn`]: a sqlx transaction on either backend, or the SQLite writer's rusqlite
//! connection on the booking fast path ([`crate::sqlite_fast`]). Values go in as [`Arg`]s
//! bound to `$1`, `$2`, … in the same SQL text on every path.

use std::str::FromStr;

use kabinet_core::access::{AccessLevel, Actor, Origin};
use kabinet_core::account::SecretPurpose;
use kabinet_core::audit::{AuditAction, ObjectKind};
use kabinet_core::consent::{Channel, ConsentKind, DocumentKind, RecordedAs};
use kabinet_core::patient::PatientData;
use kabinet_core::pricing::DiscountKind;
use kabinet_core::stored::UnknownText;
use kabinet_core::visit::VisitSource;
use sqlx::{Database, Decode, Encode, Type};

use crate::audit::AuditRow;
use crate::booking::{OutboxMail, VISIT_BY_ID, Visit};
use crate::discounts::VisitPrice;
use crate::messages::Notice;
use crate::{AuditEntry, Result, StoreError};

/// A value bound to one `$n` of a statement.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Arg<'a> {
    /// An integer, or NULL.
    Int(Option<i64>),
    /// Text, or NULL.
    Text(Option<&'a str>),
    /// A boolean.
    Bool(bool),
}

impl From<i64> for Arg<'_> {
    fn from(value: i64) -> Self {
        Self::Int(Some(value))
    }
}

impl From<i32> for Arg<'_> {
    fn from(value: i32) -> Self {
        Self::Int(Some(value.into()))
    }
}

impl From<Option<i64>> for Arg<'_> {
    fn from(value: Option<i64>) -> Self {
        Self::Int(value)
    }
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(value: &'a str) -> Self {
        Self::Text(Some(value))
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(value: &'a String) -> Self {
        Self::Text(Some(value))
    }
}

impl<'a> From<Option<&'a str>> for Arg<'a> {
    fn from(value: Option<&'a str>) -> Self {
        Self::Text(value)
    }
}

impl From<bool> for Arg<'_> {
    fn from(value: bool) -> Self {
        Self::Bool(value)
    }
}

/// Where the shared statements run: one transaction, on whichever path.
pub(crate) trait Conn {
    /// Runs a statement; returns how many rows it changed.
    async fn execute(&mut self, sql: &'static str, args: &[Arg<'_>]) -> Result<u64>;

    /// Runs a statement that answers one integer in its first row (an `INSERT … RETURNING
    /// id`, an `UPDATE … RETURNING`), or `None` without a row.
    async fn fetch_i64(&mut self, sql: &'static str, args: &[Arg<'_>]) -> Result<Option<i64>>;

    /// A visit by its id, as this transaction sees it.
    async fn visit(&mut self, id: i64) -> Result<Visit>;

    /// Takes the next `by` places in the audit chain: the last of their row ids and the hash
    /// of the row before the first (none at the chain's start). It locks the chain's head
    /// until the transaction ends, so concurrent writers on PostgreSQL still form one chain.
    async fn advance_audit_chain(&mut self, by: i64) -> Result<(i64, Option<String>)>;

    /// Makes other transactions that book this specialist wait until this one ends (on
    /// PostgreSQL; SQLite's transactions are serial already).
    async fn lock_specialist(&mut self, specialist_id: i64) -> Result<()>;

    /// Tells the other instances on the database, once this transaction commits, that the
    /// specialist's free time changed (PostgreSQL's `NOTIFY`; an SQLite file has one instance).
    async fn announce_free_time(&mut self, specialist_id: i64) -> Result<()>;

    /// Tells the other instances, once this transaction commits, that the catalog changed.
    async fn announce_catalog(&mut self) -> Result<()>;

    /// Runs an `INSERT … RETURNING id` and returns the id.
    async fn insert(&mut self, sql: &'static str, args: &[Arg<'_>]) -> Result<i64> {
        self.fetch_i64(sql, args)
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("no id returned by: {sql}")))
    }
}

/// The result of a statement on either backend: how many rows it changed.
pub(crate) trait RowsAffected {
    /// Rows changed.
    fn rows(&self) -> u64;
}

impl RowsAffected for sqlx::sqlite::SqliteQueryResult {
    fn rows(&self) -> u64 {
        self.rows_affected()
    }
}

impl RowsAffected for sqlx::postgres::PgQueryResult {
    fn rows(&self) -> u64 {
        self.rows_affected()
    }
}

/// Encodes `values` as the arguments of a sqlx statement.
fn arguments<'a, DB: Database>(values: &[Arg<'a>]) -> Result<DB::Arguments>
where
    Option<i64>: Encode<'a, DB> + Type<DB>,
    Option<&'a str>: Encode<'a, DB> + Type<DB>,
    bool: Encode<'a, DB> + Type<DB>,
{
    use sqlx::Arguments as _;
    let mut out = DB::Arguments::default();
    for value in values {
        let added = match *value {
            Arg::Int(v) => out.add(v),
            Arg::Text(v) => out.add(v),
            Arg::Bool(v) => out.add(v),
        };
        added.map_err(|e| StoreError::Database(sqlx::Error::Encode(e)))?;
    }
    Ok(out)
}

impl<DB> Conn for sqlx::Transaction<'_, DB>
where
    DB: Database,
    DB::QueryResult: RowsAffected,
    DB::Arguments: sqlx::IntoArguments<DB>,
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    for<'a> Option<i64>: Encode<'a, DB> + Type<DB>,
    for<'a> Option<&'a str>: Encode<'a, DB> + Type<DB>,
    for<'a> bool: Encode<'a, DB> + Type<DB>,
    for<'r> i64: Decode<'r, DB> + Type<DB>,
    for<'r> Visit: sqlx::FromRow<'r, DB::Row>,
    for<'r> (i64, Option<String>): sqlx::FromRow<'r, DB::Row>,
    usize: sqlx::ColumnIndex<DB::Row>,
{
    async fn execute(&mut self, sql: &'static str, args: &[Arg<'_>]) -> Result<u64> {
        let done = sqlx::query_with(sql, arguments::<DB>(args)?).execute(&mut **self).await?;
        Ok(done.rows())
    }

    async fn fetch_i64(&mut self, sql: &'static str, args: &[Arg<'_>]) -> Result<Option<i64>> {
        let query = sqlx::query_scalar_with(sql, arguments::<DB>(args)?);
        Ok(query.fetch_optional(&mut **self).await?)
    }

    async fn visit(&mut self, id: i64) -> Result<Visit> {
        let query = sqlx::query_as_with(VISIT_BY_ID, arguments::<DB>(&[id.into()])?);
        Ok(query.fetch_one(&mut **self).await?)
    }

    async fn lock_specialist(&mut self, specialist_id: i64) -> Result<()> {
        const LOCK: &str = "SELECT id FROM specialists WHERE id = $1 FOR NO KEY UPDATE";
        if DB::NAME == "PostgreSQL" {
            self.execute(LOCK, &[specialist_id.into()]).await?;
        }
        Ok(())
    }

    async fn announce_free_time(&mut self, specialist_id: i64) -> Result<()> {
        if DB::NAME == "PostgreSQL" {
            self.execute(crate::free_time::NOTIFY, &[(&specialist_id.to_string()).into()]).await?;
        }
        Ok(())
    }

    async fn announce_catalog(&mut self) -> Result<()> {
        if DB::NAME == "PostgreSQL" {
            self.execute(crate::free_time::NOTIFY, &[crate::free_time::CATALOG.into()]).await?;
        }
        Ok(())
    }

    async fn advance_audit_chain(&mut self, by: i64) -> Result<(i64, Option<String>)> {
        let query = sqlx::query_as_with(ADVANCE_AUDIT_CHAIN, arguments::<DB>(&[by.into()])?);
        Ok(query.fetch_one(&mut **self).await?)
    }
}

/// A nullable text column read as an optional `core` enum, with
/// `#[sqlx(try_from = "NullableText")]`: NULL is `None`, unknown text an error.
#[derive(Debug)]
pub struct NullableText(Option<String>);

impl<'r, DB: Database> Decode<'r, DB> for NullableText
where
    Option<String>: Decode<'r, DB>,
{
    fn decode(value: DB::ValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        Ok(Self(<Option<String> as Decode<'r, DB>>::decode(value)?))
    }
}

impl<DB: Database> Type<DB> for NullableText
where
    String: Type<DB>,
{
    fn type_info() -> DB::TypeInfo {
        <String as Type<DB>>::type_info()
    }

    fn compatible(ty: &DB::TypeInfo) -> bool {
        <String as Type<DB>>::compatible(ty)
    }
}

impl<T: FromStr<Err = UnknownText>> TryFrom<NullableText> for Option<T> {
    type Error = UnknownText;

    fn try_from(text: NullableText) -> Result<Self, UnknownText> {
        text.0.map(|t| t.parse()).transpose()
    }
}

/// Moves the chain's head on by one row: the new row's id, and the last row's hash.
pub(crate) const ADVANCE_AUDIT_CHAIN: &str = "UPDATE audit_chain SET last_id = last_id + $1 \
    WHERE id = 1 RETURNING last_id, last_hash";

/// Writes an audit row (G6) in the transaction of the change it describes, as the next link
/// of the chain.
pub(crate) async fn insert_audit(c: &mut impl Conn, e: &AuditEntry) -> Result<()> {
    insert_audits(c, std::slice::from_ref(e)).await
}

/// Writes the audit rows of one change, in order, as the next links of the chain: their ids
/// are taken from the chain's head at once and its hash moved once, so a change with several
/// rows holds the head (and SQLite's one writer) no longer than it must.
pub(crate) async fn insert_audits(c: &mut impl Conn, entries: &[AuditEntry]) -> Result<()> {
    const INSERT: &str = "INSERT INTO audit_log (id, at, actor_kind, actor_id, action, \
        object_kind, object_id, patient_id, ip, request_id, result, details, prev_hash, hash) \
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";
    const HEAD: &str = "UPDATE audit_chain SET last_hash = $1 WHERE id = 1";
    let Ok(count) = i64::try_from(entries.len()) else { return Ok(()) };
    if count == 0 {
        return Ok(());
    }
    let (last_id, mut prev_hash) = c.advance_audit_chain(count).await?;
    for (id, e) in (last_id - count + 1..).zip(entries) {
        let row = AuditRow::chained(id, e, prev_hash);
        let args = [
            row.id.into(),
            row.at.into(),
            row.actor_kind.as_str().into(),
            row.actor_id.into(),
            row.action.as_str().into(),
            row.object_kind.as_str().into(),
            row.object_id.into(),
            row.patient_id.into(),
            row.ip.as_deref().into(),
            row.request_id.as_deref().into(),
            row.result.as_str().into(),
            (&row.details).into(),
            row.prev_hash.as_deref().into(),
            row.hash.as_deref().into(),
        ];
        c.execute(INSERT, &args).await?;
        prev_hash = row.hash;
    }
    c.execute(HEAD, &[prev_hash.as_deref().into()]).await?;
    Ok(())
}

const INSERT_OUTBOX: &str = "INSERT INTO outbox (kind, recipient, subject, body, created_at, \
    next_attempt_at) VALUES ($1, $2, $3, $4, $5, $5)";

/// Queues a letter (N3) in the transaction of the change it tells about, due from `now`.
pub(crate) async fn insert_mail(c: &mut impl Conn, mail: &OutboxMail, now: i64) -> Result<()> {
    let args = [
        mail.kind.as_str().into(),
        (&mail.recipient).into(),
        (&mail.subject).into(),
        (&mail.body).into(),
        now.into(),
    ];
    c.execute(INSERT_OUTBOX, &args).await?;
    Ok(())
}

/// Writes a message to a patient's cabinet (K3): a thread of its own, from the clinic.
pub(crate) async fn insert_message(
    c: &mut impl Conn,
    patient_id: i64,
    (subject, body): (&str, &str),
    now: i64,
) -> Result<()> {
    crate::messages::insert_clinic_thread(c, patient_id, (subject, body), now).await
}

/// Tells a patient of a change the clinic made (N2): the cabinet message and, with an
/// address, the letter.
pub(crate) async fn insert_notice(
    c: &mut impl Conn,
    patient_id: i64,
    notice: &Notice,
    now: i64,
) -> Result<()> {
    if notice.inbox {
        insert_message(c, patient_id, (&notice.subject, &notice.body), now).await?;
    }
    if let Some(mail) = &notice.mail {
        insert_mail(c, mail, now).await?;
    }
    Ok(())
}

const INSERT_PATIENT: &str = "INSERT INTO patients (access_level, last_name, first_name, \
    middle_name, birth_date, phone, email, created_at, postal_address) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";

/// Inserts a patient at an access level; returns the id. A second one-time patient with one
/// phone breaks a unique index (R4): the caller tells that apart.
pub(crate) async fn insert_patient(
    c: &mut impl Conn,
    p: &PatientData,
    level: AccessLevel,
    email: Option<&str>,
    now: i64,
) -> Result<i64> {
    let birth_date = p.birth_date.to_string();
    let args = [
        level.as_str().into(),
        p.last_name.as_str().into(),
        p.first_name.as_str().into(),
        p.middle_name.as_ref().map_or("", |m| m.as_str()).into(),
        (&birth_date).into(),
        p.phone.as_str().into(),
        email.into(),
        now.into(),
        p.postal_address.as_ref().map(|a| a.as_str()).into(),
    ];
    c.insert(INSERT_PATIENT, &args).await
}

/// A consent to record in the ledger (G1).
#[derive(Debug, Clone, Copy)]
pub(crate) struct NewConsent<'a> {
    /// Whose (a patient), or …
    pub(crate) patient_id: Option<i64>,
    /// … a visitor without an account, by a random reference.
    pub(crate) visitor_ref: Option<&'a str>,
    /// What it covers.
    pub(crate) kind: ConsentKind,
    /// The document it refers to, and its version.
    pub(crate) document: (DocumentKind, i32),
    /// How it was given.
    pub(crate) channel: Channel,
    /// From where.
    pub(crate) origin: &'a Origin,
    /// The member of staff who entered a paper consent.
    pub(crate) recorded_by: Option<i64>,
    /// Now, Unix seconds.
    pub(crate) now: i64,
}

/// Records a consent with its audit row (`actor` gave or entered it); returns its id.
pub(crate) async fn insert_consent(
    c: &mut impl Conn,
    consent: &NewConsent<'_>,
    actor: Actor,
) -> Result<i64> {
    let (id, entry) = insert_consent_row(c, consent, actor).await?;
    insert_audit(c, &entry).await?;
    Ok(id)
}

/// Records a consent; returns its id and the audit row for the caller to write with the
/// change's other rows.
async fn insert_consent_row(
    c: &mut impl Conn,
    consent: &NewConsent<'_>,
    actor: Actor,
) -> Result<(i64, AuditEntry)> {
    // The row cites the hash of the text it was given under, read from the version itself.
    const SQL: &str = "INSERT INTO consents (patient_id, visitor_ref, kind, document_kind, \
        document_version, channel, ip, recorded_by, given_at, recorded_as, document_hash) \
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
        (SELECT hash FROM documents WHERE kind = $4 AND version = $5)) RETURNING id";
    let NewConsent { patient_id, visitor_ref, kind, document, channel, origin, recorded_by, now } =
        *consent;
    let args = [
        patient_id.into(),
        visitor_ref.into(),
        kind.as_str().into(),
        document.0.as_str().into(),
        document.1.into(),
        channel.as_str().into(),
        origin.ip.as_deref().into(),
        recorded_by.into(),
        now.into(),
        recorded_as(actor, recorded_by).as_str().into(),
    ];
    let id = c.insert(SQL, &args).await?;
    let details = serde_json::json!({
        "kind": kind,
        "document": document.0,
        "version": document.1,
        "channel": channel,
    });
    let entry =
        AuditEntry::new(now, actor, AuditAction::ConsentGive, ObjectKind::Consent, Some(id))
            .patient(patient_id)
            .origin(origin)
            .details(details);
    Ok((id, entry))
}

/// Who entered a consent: a member of staff from paper, a legal representative acting in the
/// dependent's cabinet, else the subject.
fn recorded_as(actor: Actor, recorded_by: Option<i64>) -> RecordedAs {
    match (actor, recorded_by) {
        (Actor::Staff(_), _) | (_, Some(_)) => RecordedAs::Registrar,
        (Actor::Representative { .. }, _) => RecordedAs::Representative,
        _ => RecordedAs::Patient,
    }
}

/// Records the consents a person ticked online, each under its document's version, given by a
/// visitor (before an account exists); returns their audit rows for the caller to write with
/// the change's other rows.
pub(crate) async fn insert_online_consents(
    c: &mut impl Conn,
    patient_id: i64,
    consents: &[(ConsentKind, DocumentKind, i32)],
    origin: &Origin,
    now: i64,
) -> Result<Vec<AuditEntry>> {
    let mut entries = Vec::with_capacity(consents.len());
    for &(kind, document, version) in consents {
        let consent = NewConsent {
            patient_id: Some(patient_id),
            visitor_ref: None,
            kind,
            document: (document, version),
            channel: Channel::Online,
            origin,
            recorded_by: None,
            now,
        };
        entries.push(insert_consent_row(c, &consent, Actor::Visitor).await?.1);
    }
    Ok(entries)
}

/// A visit to insert as booked.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NewAppointment<'a> {
    pub(crate) specialist_id: i64,
    pub(crate) patient_id: i64,
    pub(crate) starts_at: i64,
    pub(crate) ends_at: i64,
    pub(crate) source: VisitSource,
    pub(crate) code: &'a str,
    /// The request's key and the hash it is bound to, for a one-time booking.
    pub(crate) request: (Option<&'a str>, Option<&'a str>),
    /// The service and the price it is booked at.
    pub(crate) price: Option<&'a VisitPrice>,
    pub(crate) now: i64,
}

/// Whether a live booking of the specialist (other than `moving`, a visit being moved), or a
/// time the waiting list holds for a patient other than `holder`, overlaps
/// `[starts_at, ends_at)`. On PostgreSQL it
/// first locks the specialist's row, so bookings of one specialist that could overlap (a long
/// service beside a short one) are decided one after another; SQLite has one writer.
pub(crate) async fn time_taken(
    c: &mut impl Conn,
    specialist_id: i64,
    (starts_at, ends_at): (i64, i64),
    moving: Option<i64>,
    holder: Option<i64>,
) -> Result<bool> {
    // No visit is longer than a day, which bounds the index range scanned.
    const OVERLAP: &str = "SELECT id FROM appointments WHERE specialist_id = $1 \
        AND status = 'booked' AND starts_at < $2 AND starts_at > $3 AND ends_at > $4 \
        AND id <> $5 LIMIT 1";
    // An open offer holds its time until the waiting-list pass closes it (B8).
    const HELD: &str = "SELECT id FROM waitlist_offers WHERE specialist_id = $1 \
        AND status = 'open' AND starts_at < $2 AND ends_at > $3 AND patient_id <> $4 LIMIT 1";
    c.lock_specialist(specialist_id).await?;
    let args = [
        specialist_id.into(),
        ends_at.into(),
        (starts_at - 86_400).into(),
        starts_at.into(),
        moving.unwrap_or(0).into(),
    ];
    if c.fetch_i64(OVERLAP, &args).await?.is_some() {
        return Ok(true);
    }
    let args = [specialist_id.into(), ends_at.into(), starts_at.into(), holder.unwrap_or(0).into()];
    Ok(c.fetch_i64(HELD, &args).await?.is_some())
}

/// Books a slot; returns the appointment's id. A slot held by a live booking breaks the
/// unique index `appointments_live_slot` (B6): the caller tells that apart.
pub(crate) async fn insert_appointment(c: &mut impl Conn, a: &NewAppointment<'_>) -> Result<i64> {
    const SQL: &str = "INSERT INTO appointments (specialist_id, patient_id, starts_at, ends_at, \
        status, source, code, request_key, request_hash, created_at, service_id, \
        base_price_kopecks, price_kopecks, discount_kind, discount_code, discount_reason) \
        VALUES ($1, $2, $3, $4, 'booked', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) \
        RETURNING id";
    let price = a.price;
    let args = [
        a.specialist_id.into(),
        a.patient_id.into(),
        a.starts_at.into(),
        a.ends_at.into(),
        a.source.as_str().into(),
        a.code.into(),
        a.request.0.into(),
        a.request.1.into(),
        a.now.into(),
        price.map(|p| p.service_id).into(),
        price.map(|p| p.base_kopecks).into(),
        price.map(|p| p.price_kopecks).into(),
        price.and_then(|p| p.discount_kind).map(DiscountKind::as_str).into(),
        price.and_then(|p| p.discount_code.as_deref()).into(),
        price.and_then(|p| p.discount_reason.as_deref()).into(),
    ];
    let id = c.insert(SQL, &args).await?;
    c.announce_free_time(a.specialist_id).await?;
    Ok(id)
}

/// A single-use secret to issue: its hash and when it expires.
#[derive(Debug, Clone)]
pub struct NewSecret {
    /// What it is for.
    pub purpose: SecretPurpose,
    /// SHA-256 (links) or Argon2id (one-time passwords) of the secret.
    pub hash: String,
    /// Unix seconds.
    pub expires_at: i64,
}

/// Voids an account's live secrets of `purpose` (a new one-time password voids the older).
pub(crate) async fn void_secrets(
    c: &mut impl Conn,
    account_id: i64,
    purpose: SecretPurpose,
    now: i64,
) -> Result<()> {
    const VOID: &str = "UPDATE account_secrets SET used_at = $1 WHERE account_id = $2 \
        AND purpose = $3 AND used_at IS NULL";
    c.execute(VOID, &[now.into(), account_id.into(), purpose.as_str().into()]).await?;
    Ok(())
}

/// Issues a secret for an account. Older ones stay live: a reset link the patient has not
/// used yet is not voided by a later report (callers void with [`void_secrets`]).
pub(crate) async fn insert_secret(
    c: &mut impl Conn,
    account_id: i64,
    secret: &NewSecret,
    now: i64,
) -> Result<()> {
    const INSERT: &str = "INSERT INTO account_secrets (account_id, purpose, secret_hash, \
        expires_at, created_at) VALUES ($1, $2, $3, $4, $5)";
    let purpose = secret.purpose.as_str();
    let args = [
        account_id.into(),
        purpose.into(),
        (&secret.hash).into(),
        secret.expires_at.into(),
        now.into(),
    ];
    c.execute(INSERT, &args).await?;
    Ok(())
}
