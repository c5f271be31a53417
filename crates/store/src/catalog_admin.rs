//! The catalog as the administrator keeps it (C1): branches, specialties and specialists read
//! with every text as written (Russian and English), and changed one at a time, each change
//! with its audit row in the same transaction. A specialist's photo lives here too, as bytes
//! in the database, so that backups hold it.

use kabinet_core::catalog::{AgeRange, Gender};
use kabinet_core::catalog_form::{BranchFields, SpecialistFields, SpecialtyFields};

use crate::sql::{Arg, Conn, insert_audit};
use crate::{AuditEntry, Result, Store, dispatch, dispatch_write};

/// A branch with its texts as written, and how many specialists work there.
#[derive(Debug, Clone)]
pub struct BranchRecord {
    /// Id.
    pub id: i64,
    /// Its texts.
    pub fields: BranchFields,
    /// Specialists who see patients there.
    pub specialists: i64,
}

/// A specialty with its texts as written, and how many specialists and services have it.
#[derive(Debug, Clone)]
pub struct SpecialtyRecord {
    /// Id.
    pub id: i64,
    /// Its texts and ages.
    pub fields: SpecialtyFields,
    /// Specialists and services that have it: it cannot be deleted while any do.
    pub used: i64,
}

/// A specialist with their texts as written, for the edit form.
#[derive(Debug, Clone)]
pub struct SpecialistRecord {
    /// Id.
    pub id: i64,
    /// Their data.
    pub fields: SpecialistFields,
    /// Hidden from the directory.
    pub hidden: bool,
    /// Their photo's name, if any.
    pub photo: Option<String>,
}

/// A photo as served.
#[derive(Debug, Clone)]
pub struct Photo {
    /// Its media type, e.g. `image/jpeg`.
    pub content_type: String,
    /// The image.
    pub bytes: Vec<u8>,
}

/// What deleting a branch or a specialty did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    /// It is gone.
    Deleted,
    /// There is no such row.
    NotFound,
    /// Specialists (or services) still have it; nothing changed.
    InUse,
}

#[derive(sqlx::FromRow)]
struct BranchRecordRow {
    id: i64,
    name: String,
    name_en: Option<String>,
    address: String,
    address_en: Option<String>,
    phone: String,
    second_phone: Option<String>,
    hours: String,
    hours_en: Option<String>,
    metro: String,
    metro_en: Option<String>,
    specialists: i64,
}

#[derive(sqlx::FromRow)]
struct SpecialtyRecordRow {
    id: i64,
    name: String,
    name_en: Option<String>,
    min_age: Option<i32>,
    max_age: Option<i32>,
    used: i64,
}

#[derive(sqlx::FromRow)]
struct SpecialistRecordRow {
    last_name: String,
    first_name: String,
    middle_name: String,
    #[sqlx(try_from = "String")]
    gender: Gender,
    qualification: String,
    qualification_en: Option<String>,
    degree: String,
    degree_en: Option<String>,
    career_start_year: i32,
    branch_id: i64,
    online_booking: bool,
    online_discount_percent: i32,
    bio: String,
    bio_en: Option<String>,
    hidden: bool,
    photo: Option<String>,
}

const INSERT_BRANCH: &str = "INSERT INTO branches (name, name_en, address, address_en, phone, \
    hours, hours_en, metro, metro_en, second_phone) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id";
const UPDATE_BRANCH: &str = "UPDATE branches SET name = $1, name_en = $2, address = $3, \
    address_en = $4, phone = $5, hours = $6, hours_en = $7, metro = $8, metro_en = $9, \
    second_phone = $10 WHERE id = $11";
const INSERT_SPECIALTY: &str = "INSERT INTO specialties (name, name_en, min_age, max_age) \
    VALUES ($1, $2, $3, $4) RETURNING id";
const UPDATE_SPECIALTY: &str = "UPDATE specialties SET name = $1, name_en = $2, min_age = $3, \
    max_age = $4 WHERE id = $5";
const INSERT_SPECIALIST: &str = "INSERT INTO specialists (last_name, first_name, middle_name, \
    gender, qualification, qualification_en, degree, degree_en, career_start_year, branch_id, \
    online_booking, bio, bio_en, online_discount_percent) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id";
const UPDATE_SPECIALIST: &str = "UPDATE specialists SET last_name = $1, first_name = $2, \
    middle_name = $3, gender = $4, qualification = $5, qualification_en = $6, degree = $7, \
    degree_en = $8, career_start_year = $9, branch_id = $10, online_booking = $11, bio = $12, \
    bio_en = $13, online_discount_percent = $14 WHERE id = $15";

/// A branch's texts in the order of [`INSERT_BRANCH`] and [`UPDATE_BRANCH`].
fn branch_args(b: &BranchFields) -> Vec<Arg<'_>> {
    vec![
        (&b.name).into(),
        b.name_en.as_deref().into(),
        (&b.address).into(),
        b.address_en.as_deref().into(),
        (&b.phone).into(),
        (&b.hours).into(),
        b.hours_en.as_deref().into(),
        (&b.metro).into(),
        b.metro_en.as_deref().into(),
        b.second_phone.as_deref().into(),
    ]
}

/// A specialty in the order of [`INSERT_SPECIALTY`] and [`UPDATE_SPECIALTY`].
fn specialty_args(s: &SpecialtyFields) -> Vec<Arg<'_>> {
    vec![
        (&s.name).into(),
        s.name_en.as_deref().into(),
        s.ages.from.map(i64::from).into(),
        s.ages.to.map(i64::from).into(),
    ]
}

/// A specialist in the order of [`INSERT_SPECIALIST`] and [`UPDATE_SPECIALIST`]; the first
/// of their branches is the main one.
fn specialist_args(s: &SpecialistFields) -> Vec<Arg<'_>> {
    vec![
        (&s.last_name).into(),
        (&s.first_name).into(),
        (&s.middle_name).into(),
        s.gender.as_str().into(),
        (&s.qualification).into(),
        s.qualification_en.as_deref().into(),
        (&s.degree).into(),
        s.degree_en.as_deref().into(),
        s.career_start_year.into(),
        s.branch_ids.first().copied().into(),
        s.online_booking.into(),
        (&s.bio).into(),
        s.bio_en.as_deref().into(),
        s.online_discount_percent.into(),
    ]
}

/// `args` and then the row's id: an update's arguments.
fn and_id(mut args: Vec<Arg<'_>>, id: i64) -> Vec<Arg<'_>> {
    args.push(id.into());
    args
}

/// Writes a specialist's specialties and branches anew, in the caller's transaction.
async fn write_links(c: &mut impl Conn, id: i64, s: &SpecialistFields) -> Result<()> {
    c.execute("DELETE FROM specialist_specialties WHERE specialist_id = $1", &[id.into()]).await?;
    c.execute("DELETE FROM specialist_branches WHERE specialist_id = $1", &[id.into()]).await?;
    for &specialty in &s.specialty_ids {
        let sql =
            "INSERT INTO specialist_specialties (specialist_id, specialty_id) VALUES ($1, $2)";
        c.execute(sql, &[id.into(), specialty.into()]).await?;
    }
    for &branch in &s.branch_ids {
        let sql = "INSERT INTO specialist_branches (specialist_id, branch_id) VALUES ($1, $2)";
        c.execute(sql, &[id.into(), branch.into()]).await?;
    }
    Ok(())
}

impl Store {
    /// Every branch with its texts as written and how many specialists work there, by id.
    pub async fn branch_records(&self) -> Result<Vec<BranchRecord>> {
        let sql = "SELECT b.id, b.name, b.name_en, b.address, b.address_en, b.phone, \
            b.second_phone, b.hours, b.hours_en, b.metro, b.metro_en, \
            (SELECT COUNT(*) FROM specialist_branches sb WHERE sb.branch_id = b.id) AS specialists \
            FROM branches b ORDER BY b.id";
        let rows: Vec<BranchRecordRow> =
            dispatch!(self, |pool| sqlx::query_as(sql).fetch_all(pool).await?);
        Ok(rows
            .into_iter()
            .map(|r| BranchRecord {
                id: r.id,
                fields: BranchFields {
                    name: r.name,
                    name_en: r.name_en,
                    address: r.address,
                    address_en: r.address_en,
                    phone: r.phone,
                    second_phone: r.second_phone,
                    hours: r.hours,
                    hours_en: r.hours_en,
                    metro: r.metro,
                    metro_en: r.metro_en,
                },
                specialists: r.specialists,
            })
            .collect())
    }

    /// Every specialty with its texts as written and how much uses it, by name.
    pub async fn specialty_records(&self) -> Result<Vec<SpecialtyRecord>> {
        let sql = "SELECT sp.id, sp.name, sp.name_en, sp.min_age, sp.max_age, \
            (SELECT COUNT(*) FROM specialist_specialties ss WHERE ss.specialty_id = sp.id) \
            + (SELECT COUNT(*) FROM service_specialties x WHERE x.specialty_id = sp.id) AS used \
            FROM specialties sp ORDER BY sp.name";
        let rows: Vec<SpecialtyRecordRow> =
            dispatch!(self, |pool| sqlx::query_as(sql).fetch_all(pool).await?);
        Ok(rows
            .into_iter()
            .map(|r| {
                let (from, to) = (r.min_age.map(i64::from), r.max_age.map(i64::from));
                let ages = AgeRange::parse(from, to).unwrap_or_default();
                SpecialtyRecord {
                    id: r.id,
                    fields: SpecialtyFields { name: r.name, name_en: r.name_en, ages },
                    used: r.used,
                }
            })
            .collect())
    }

    /// A specialist with their texts as written, their specialties and branches (the main
    /// branch first), for the edit form.
    pub async fn specialist_record(&self, id: i64) -> Result<Option<SpecialistRecord>> {
        let sql = "SELECT s.last_name, s.first_name, s.middle_name, s.gender, s.qualification, \
            s.qualification_en, s.degree, s.degree_en, s.career_start_year, s.branch_id, \
            s.online_booking, s.online_discount_percent, s.bio, s.bio_en, s.hidden, \
            ph.name AS photo FROM specialists s \
            LEFT JOIN specialist_photos ph ON ph.specialist_id = s.id WHERE s.id = $1";
        let specialties = "SELECT specialty_id FROM specialist_specialties \
            WHERE specialist_id = $1 ORDER BY specialty_id";
        let branches = "SELECT branch_id FROM specialist_branches WHERE specialist_id = $1 \
            ORDER BY branch_id";
        let (row, specialty_ids, mut branch_ids): (
            Option<SpecialistRecordRow>,
            Vec<i64>,
            Vec<i64>,
        ) = dispatch!(self, |pool| {
            let row = sqlx::query_as(sql).bind(id).fetch_optional(pool).await?;
            let specialties = sqlx::query_scalar(specialties).bind(id).fetch_all(pool).await?;
            let branches = sqlx::query_scalar(branches).bind(id).fetch_all(pool).await?;
            (row, specialties, branches)
        });
        let Some(r) = row else { return Ok(None) };
        branch_ids.retain(|b| *b != r.branch_id);
        branch_ids.insert(0, r.branch_id);
        Ok(Some(SpecialistRecord {
            id,
            fields: SpecialistFields {
                last_name: r.last_name,
                first_name: r.first_name,
                middle_name: r.middle_name,
                gender: r.gender,
                specialty_ids,
                branch_ids,
                qualification: r.qualification,
                qualification_en: r.qualification_en,
                degree: r.degree,
                degree_en: r.degree_en,
                career_start_year: r.career_start_year,
                bio: r.bio,
                bio_en: r.bio_en,
                online_booking: r.online_booking,
                online_discount_percent: r.online_discount_percent,
            },
            hidden: r.hidden,
            photo: r.photo,
        }))
    }

    /// Adds a branch; returns its id. `audit` gets the id as its object.
    pub async fn create_branch(&self, branch: &BranchFields, audit: AuditEntry) -> Result<i64> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let id: i64 = tx.insert(INSERT_BRANCH, &branch_args(branch)).await?;
            insert_audit(&mut tx, &AuditEntry { object_id: Some(id), ..audit }).await?;
            tx.announce_catalog().await?;
            tx.commit().await?;
            self.catalog_changed();
            Ok(id)
        })
    }

    /// Changes a branch's texts; `false` if there is no such branch.
    pub async fn update_branch(
        &self,
        id: i64,
        branch: &BranchFields,
        audit: AuditEntry,
    ) -> Result<bool> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let changed = tx.execute(UPDATE_BRANCH, &and_id(branch_args(branch), id)).await?;
            if changed == 0 {
                return Ok(false);
            }
            insert_audit(&mut tx, &AuditEntry { object_id: Some(id), ..audit }).await?;
            tx.announce_catalog().await?;
            tx.commit().await?;
            self.catalog_changed();
            Ok(true)
        })
    }

    /// Deletes a branch no specialist works at.
    pub async fn delete_branch(&self, id: i64, audit: AuditEntry) -> Result<Removal> {
        const USED: &str = "SELECT EXISTS (SELECT 1 FROM specialist_branches WHERE branch_id = $1) \
            OR EXISTS (SELECT 1 FROM specialists WHERE branch_id = $1)";
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let used: bool = sqlx::query_scalar(USED).bind(id).fetch_one(&mut *tx).await?;
            if used {
                return Ok(Removal::InUse);
            }
            let gone = sqlx::query("DELETE FROM branches WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if gone == 0 {
                return Ok(Removal::NotFound);
            }
            insert_audit(&mut tx, &AuditEntry { object_id: Some(id), ..audit }).await?;
            tx.announce_catalog().await?;
            tx.commit().await?;
            self.catalog_changed();
            Ok(Removal::Deleted)
        })
    }

    /// Adds a specialty; returns its id. A name taken is a unique violation.
    pub async fn create_specialty(
        &self,
        specialty: &SpecialtyFields,
        audit: AuditEntry,
    ) -> Result<i64> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let id = tx.insert(INSERT_SPECIALTY, &specialty_args(specialty)).await?;
            insert_audit(&mut tx, &AuditEntry { object_id: Some(id), ..audit }).await?;
            tx.announce_catalog().await?;
            tx.commit().await?;
            self.catalog_changed();
            Ok(id)
        })
    }

    /// Changes a specialty; `false` if there is no such specialty. A name taken is a unique
    /// violation.
    pub async fn update_specialty(
        &self,
        id: i64,
        specialty: &SpecialtyFields,
        audit: AuditEntry,
    ) -> Result<bool> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let changed =
                tx.execute(UPDATE_SPECIALTY, &and_id(specialty_args(specialty), id)).await?;
            if changed == 0 {
                return Ok(false);
            }
            insert_audit(&mut tx, &AuditEntry { object_id: Some(id), ..audit }).await?;
            tx.announce_catalog().await?;
            tx.commit().await?;
            self.catalog_changed();
            Ok(true)
        })
    }

    /// Deletes a specialty that no specialist and no service has.
    pub async fn delete_specialty(&self, id: i64, audit: AuditEntry) -> Result<Removal> {
        const USED: &str = "SELECT EXISTS \
            (SELECT 1 FROM specialist_specialties WHERE specialty_id = $1) \
            OR EXISTS (SELECT 1 FROM service_specialties WHERE specialty_id = $1)";
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let used: bool = sqlx::query_scalar(USED).bind(id).fetch_one(&mut *tx).await?;
            if used {
                return Ok(Removal::InUse);
            }
            let gone = sqlx::query("DELETE FROM specialties WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if gone == 0 {
                return Ok(Removal::NotFound);
            }
            insert_audit(&mut tx, &AuditEntry { object_id: Some(id), ..audit }).await?;
            tx.announce_catalog().await?;
            tx.commit().await?;
            self.catalog_changed();
            Ok(Removal::Deleted)
        })
    }

    /// Adds a specialist with their specialties and branches (the first is the main one);
    /// returns the id.
    pub async fn create_specialist(&self, s: &SpecialistFields, audit: AuditEntry) -> Result<i64> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let id = tx.insert(INSERT_SPECIALIST, &specialist_args(s)).await?;
            write_links(&mut tx, id, s).await?;
            insert_audit(&mut tx, &AuditEntry { object_id: Some(id), ..audit }).await?;
            tx.announce_catalog().await?;
            tx.commit().await?;
            self.catalog_changed();
            Ok(id)
        })
    }

    /// Changes a specialist, their specialties and branches; `false` if there is no such
    /// specialist.
    pub async fn update_specialist(
        &self,
        id: i64,
        s: &SpecialistFields,
        audit: AuditEntry,
    ) -> Result<bool> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let changed = tx.execute(UPDATE_SPECIALIST, &and_id(specialist_args(s), id)).await?;
            if changed == 0 {
                return Ok(false);
            }
            write_links(&mut tx, id, s).await?;
            insert_audit(&mut tx, &AuditEntry { object_id: Some(id), ..audit }).await?;
            tx.announce_catalog().await?;
            tx.commit().await?;
            self.catalog_changed();
            Ok(true)
        })
    }

    /// Hides a specialist from the directory or shows them again; `false` if there is no
    /// such specialist.
    pub async fn set_specialist_hidden(
        &self,
        id: i64,
        hidden: bool,
        audit: AuditEntry,
    ) -> Result<bool> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let changed = sqlx::query("UPDATE specialists SET hidden = $1 WHERE id = $2")
                .bind(hidden)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if changed == 0 {
                return Ok(false);
            }
            insert_audit(&mut tx, &AuditEntry { object_id: Some(id), ..audit }).await?;
            tx.announce_catalog().await?;
            tx.commit().await?;
            self.catalog_changed();
            Ok(true)
        })
    }

    /// Puts a photo in place of a specialist's photo, under `name`; `false` if there is no
    /// such specialist.
    pub async fn set_specialist_photo(
        &self,
        id: i64,
        name: &str,
        photo: &Photo,
        now: i64,
        audit: AuditEntry,
    ) -> Result<bool> {
        const EXISTS: &str = "SELECT EXISTS (SELECT 1 FROM specialists WHERE id = $1)";
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let exists: bool = sqlx::query_scalar(EXISTS).bind(id).fetch_one(&mut *tx).await?;
            if !exists {
                return Ok(false);
            }
            sqlx::query("DELETE FROM specialist_photos WHERE specialist_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO specialist_photos (name, specialist_id, content_type, bytes, \
                created_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(name)
            .bind(id)
            .bind(&photo.content_type)
            .bind(&photo.bytes)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            insert_audit(&mut tx, &AuditEntry { object_id: Some(id), ..audit }).await?;
            tx.announce_catalog().await?;
            tx.commit().await?;
            self.catalog_changed();
            Ok(true)
        })
    }

    /// Removes a specialist's photo (the initials avatar shows again); `false` if they had
    /// none.
    pub async fn remove_specialist_photo(&self, id: i64, audit: AuditEntry) -> Result<bool> {
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let gone = sqlx::query("DELETE FROM specialist_photos WHERE specialist_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if gone == 0 {
                return Ok(false);
            }
            insert_audit(&mut tx, &AuditEntry { object_id: Some(id), ..audit }).await?;
            tx.announce_catalog().await?;
            tx.commit().await?;
            self.catalog_changed();
            Ok(true)
        })
    }

    /// The photo served under `name`, if there is one.
    pub async fn photo(&self, name: &str) -> Result<Option<Photo>> {
        let sql = "SELECT content_type, bytes FROM specialist_photos WHERE name = $1";
        let row: Option<(String, Vec<u8>)> =
            dispatch!(self, |pool| sqlx::query_as(sql).bind(name).fetch_optional(pool).await?);
        Ok(row.map(|(content_type, bytes)| Photo { content_type, bytes }))
    }
}
