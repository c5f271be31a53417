//! Files patients and staff attach (PDF, JPEG, PNG), kept in the database so that backups
//! hold them, under a random name we give: never the uploader's name, never a path on disk
//! (so never inside the web root). Each file names whose it is (`patient_id`) and what it is
//! attached to (`owner_kind`, `owner_id`); every read asks by the caller's patient, so a file
//! of another patient is simply not found. Written in the transaction of what it is attached
//! to. Issue 14 keeps health documents the same way.

use crate::{Result, Store, dispatch};

/// A file to store (already checked by content and size).
#[derive(Debug, Clone)]
pub struct NewFile {
    /// The name we give it (random).
    pub name: String,
    /// `application/pdf`, `image/jpeg` or `image/png`.
    pub content_type: &'static str,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// A stored file, without its bytes.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FileInfo {
    /// The name we gave it.
    pub name: String,
    /// Whose.
    pub patient_id: i64,
    /// Its media type.
    pub content_type: String,
    /// Bytes.
    pub size: i64,
    /// Attached by the clinic (to an answer).
    pub by_staff: bool,
    /// When, Unix seconds.
    pub created_at: i64,
}

impl Store {
    /// The files attached to an object (`appeal`), oldest first.
    pub async fn files_of(&self, owner_kind: &str, owner_id: i64) -> Result<Vec<FileInfo>> {
        const SQL: &str = "SELECT name, patient_id, content_type, size, by_staff, created_at \
            FROM stored_files WHERE owner_kind = $1 AND owner_id = $2 ORDER BY created_at, name";
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL)
            .bind(owner_kind)
            .bind(owner_id)
            .fetch_all(pool)
            .await?))
    }

    /// A stored file's media type and bytes, with whose it is; with `patient_id`, only if it
    /// is theirs.
    pub async fn stored_file(
        &self,
        name: &str,
        patient_id: Option<i64>,
    ) -> Result<Option<(i64, String, Vec<u8>)>> {
        const SQL: &str = "SELECT patient_id, content_type, bytes FROM stored_files \
            WHERE name = $1 AND ($2 IS NULL OR patient_id = $2)";
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL)
            .bind(name)
            .bind(patient_id)
            .fetch_optional(pool)
            .await?))
    }
}

/// Stores a file in the transaction of what it is attached to.
pub(crate) async fn insert_file<'c, DB>(
    tx: &mut sqlx::Transaction<'c, DB>,
    file: &NewFile,
    (patient_id, owner_kind, owner_id): (i64, &str, i64),
    by_staff: bool,
    now: i64,
) -> Result<()>
where
    DB: sqlx::Database,
    for<'e> &'e mut DB::Connection: sqlx::Executor<'e, Database = DB>,
    for<'a> DB::Arguments: sqlx::IntoArguments<DB>,
    for<'q> String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> bool: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> &'q [u8]: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    let size = i64::try_from(file.bytes.len()).unwrap_or(i64::MAX);
    sqlx::query(
        "INSERT INTO stored_files (name, patient_id, owner_kind, owner_id, content_type, size, \
         bytes, by_staff, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(file.name.clone())
    .bind(patient_id)
    .bind(owner_kind)
    .bind(owner_id)
    .bind(file.content_type)
    .bind(size)
    .bind(file.bytes.as_slice())
    .bind(by_staff)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
