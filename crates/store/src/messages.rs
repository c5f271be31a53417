//! Threads between the clinic and a patient (K3, N2): the clinic's notices, staff's messages
//! from the patient's card and the patient's own, each message with its author side. A
//! message's `read_at` is when the other side opened it, so each side has its own unread
//! count. Every message written is audited (never its text) in its transaction.

use kabinet_core::access::{Actor, Origin};
use kabinet_core::audit::{AuditAction, ObjectKind};
use kabinet_core::messages::Author;
use serde_json::json;

use crate::booking::OutboxMail;
use crate::sql::{Conn, insert_audit, insert_mail};
use crate::{AuditEntry, Result, Store, dispatch, dispatch_write};

/// Tells a patient of a change the clinic made for them (N2): a message in the cabinet and,
/// when the clinic has their e-mail, a letter. Written in the change's transaction.
#[derive(Debug, Clone)]
pub struct Notice {
    /// The message's subject line.
    pub subject: String,
    /// The message's text.
    pub body: String,
    /// The letter, if the patient has an e-mail.
    pub mail: Option<OutboxMail>,
    /// Whether the message also goes to the cabinet's inbox.
    pub inbox: bool,
}

/// A thread as a list shows it, with the unread count of the side that reads the list.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Thread {
    /// The thread's id.
    pub id: i64,
    /// Whose.
    pub patient_id: i64,
    /// The subject line.
    pub subject: String,
    /// Who started it.
    #[sqlx(try_from = "String")]
    pub started_by: Author,
    /// When, Unix seconds.
    pub created_at: i64,
    /// The newest message's time, Unix seconds.
    pub last_message_at: i64,
    /// How many of the other side's messages the reading side has not opened.
    pub unread: i64,
}

/// One message of a thread.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Message {
    /// The message's id.
    pub id: i64,
    /// Which side wrote it.
    #[sqlx(try_from = "String")]
    pub author: Author,
    /// The member of staff who wrote it (none for the patient's and the clinic's notices).
    pub staff_name: Option<String>,
    /// The text.
    pub body: String,
    /// Unix seconds.
    pub created_at: i64,
    /// When the other side opened it, Unix seconds.
    pub read_at: Option<i64>,
}

/// A message to write: into a patient's thread, or starting one.
#[derive(Debug, Clone)]
pub struct NewMessage {
    /// Whose thread.
    pub patient_id: i64,
    /// The thread answered; `None` starts one with `subject`.
    pub thread_id: Option<i64>,
    /// The new thread's subject.
    pub subject: String,
    /// Which side writes.
    pub author: Author,
    /// Who writes, for the audit log (and the member of staff, on the clinic's side).
    pub actor: Actor,
    /// From where.
    pub origin: Origin,
    /// The text.
    pub text: String,
    /// The neutral letter to the patient, if any.
    pub mail: Option<OutboxMail>,
    /// Now, Unix seconds.
    pub now: i64,
}

/// Where a message was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// The thread.
    pub thread_id: i64,
    /// The message.
    pub message_id: i64,
}

/// Threads, each with the unread count of messages by the side `$2`, then `$tail`.
macro_rules! threads_sql {
    ($tail:literal) => {
        concat!(
            "SELECT t.id, t.patient_id, t.subject, t.started_by, t.created_at, \
            t.last_message_at, (SELECT COUNT(*) FROM messages m WHERE m.thread_id = t.id \
            AND m.author = $2 AND m.read_at IS NULL) AS unread FROM message_threads t ",
            $tail
        )
    };
}

/// Starts a thread; returns its id.
async fn insert_thread(
    c: &mut impl Conn,
    patient_id: i64,
    subject: &str,
    started_by: Author,
    now: i64,
) -> Result<i64> {
    const SQL: &str = "INSERT INTO message_threads (patient_id, subject, started_by, \
        created_at, last_message_at) VALUES ($1, $2, $3, $4, $4) RETURNING id";
    let args = [patient_id.into(), subject.into(), started_by.as_str().into(), now.into()];
    c.insert(SQL, &args).await
}

/// Adds a message to a thread and moves the thread's last activity; returns its id.
async fn insert_post(
    c: &mut impl Conn,
    (patient_id, thread_id, subject): (i64, i64, &str),
    author: Author,
    staff_id: Option<i64>,
    body: &str,
    now: i64,
) -> Result<i64> {
    const SQL: &str = "INSERT INTO messages (patient_id, thread_id, subject, body, author, \
        staff_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
    const TOUCH: &str = "UPDATE message_threads SET last_message_at = $1 WHERE id = $2";
    let args = [
        patient_id.into(),
        thread_id.into(),
        subject.into(),
        body.into(),
        author.as_str().into(),
        staff_id.into(),
        now.into(),
    ];
    let id = c.insert(SQL, &args).await?;
    c.execute(TOUCH, &[now.into(), thread_id.into()]).await?;
    Ok(id)
}

/// Writes the clinic's notice to a patient's cabinet (K3): a thread of one message.
pub(crate) async fn insert_clinic_thread(
    c: &mut impl Conn,
    patient_id: i64,
    (subject, body): (&str, &str),
    now: i64,
) -> Result<()> {
    let thread_id = insert_thread(c, patient_id, subject, Author::Clinic, now).await?;
    insert_post(c, (patient_id, thread_id, subject), Author::Clinic, None, body, now).await?;
    Ok(())
}

impl Store {
    /// A patient's threads, the latest activity first, with the unread count of messages
    /// written by `unread_of` (the other side than the reader).
    pub async fn threads_of_patient(
        &self,
        patient_id: i64,
        unread_of: Author,
    ) -> Result<Vec<Thread>> {
        const SQL: &str =
            threads_sql!("WHERE t.patient_id = $1 ORDER BY t.last_message_at DESC, t.id DESC");
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL)
            .bind(patient_id)
            .bind(unread_of.as_str())
            .fetch_all(pool)
            .await?))
    }

    /// The messages of a thread, oldest first.
    pub async fn thread_messages(&self, thread_id: i64) -> Result<Vec<Message>> {
        const SQL: &str = "SELECT m.id, m.author, s.full_name AS staff_name, m.body, \
            m.created_at, m.read_at FROM messages m LEFT JOIN staff s ON s.id = m.staff_id \
            WHERE m.thread_id = $1 ORDER BY m.created_at, m.id";
        Ok(dispatch!(self, |pool| sqlx::query_as(SQL).bind(thread_id).fetch_all(pool).await?))
    }

    /// How many of the clinic's messages to a patient are unread.
    pub async fn unread_messages(&self, patient_id: i64) -> Result<i64> {
        const SQL: &str = "SELECT COUNT(*) FROM messages \
            WHERE patient_id = $1 AND author = 'clinic' AND read_at IS NULL";
        Ok(dispatch!(self, |pool| sqlx::query_scalar(SQL).bind(patient_id).fetch_one(pool).await?))
    }

    /// How many patients' messages no member of staff has opened yet.
    pub async fn unread_patient_messages(&self) -> Result<i64> {
        const SQL: &str =
            "SELECT COUNT(*) FROM messages WHERE author = 'patient' AND read_at IS NULL";
        Ok(dispatch!(self, |pool| sqlx::query_scalar(SQL).fetch_one(pool).await?))
    }

    /// Opens a patient's thread for `reader`'s side: the other side's messages are read from
    /// now on, and `audit` (a member of staff's reading) is written in the same transaction.
    /// `None` (and nothing written) if the thread is not the patient's.
    pub async fn open_thread(
        &self,
        (patient_id, thread_id): (i64, i64),
        reader: Author,
        audit: Option<&AuditEntry>,
        now: i64,
    ) -> Result<Option<Thread>> {
        const SQL: &str = threads_sql!("WHERE t.id = $1 AND t.patient_id = $3");
        let other = match reader {
            Author::Clinic => Author::Patient,
            Author::Patient => Author::Clinic,
        };
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let thread: Option<Thread> = sqlx::query_as(SQL)
                .bind(thread_id)
                .bind(other.as_str())
                .bind(patient_id)
                .fetch_optional(&mut *tx)
                .await?;
            let Some(thread) = thread else { return Ok(None) };
            sqlx::query(
                "UPDATE messages SET read_at = $1 WHERE thread_id = $2 AND author = $3 \
                 AND read_at IS NULL",
            )
            .bind(now)
            .bind(thread_id)
            .bind(other.as_str())
            .execute(&mut *tx)
            .await?;
            if let Some(entry) = audit {
                insert_audit(&mut tx, entry).await?;
            }
            tx.commit().await?;
            Ok(Some(thread))
        })
    }

    /// Writes a message — an answer in the patient's thread, or a new thread — with its audit
    /// row and the letter, if any, in one transaction. `None` (and nothing written) if the
    /// thread answered is not the patient's.
    pub async fn write_message(&self, m: &NewMessage) -> Result<Option<Written>> {
        let staff_id = match m.actor {
            Actor::Staff(id) => Some(id),
            _ => None,
        };
        dispatch_write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let (thread_id, subject) = match m.thread_id {
                Some(id) => {
                    let subject: Option<String> = sqlx::query_scalar(
                        "SELECT subject FROM message_threads WHERE id = $1 AND patient_id = $2",
                    )
                    .bind(id)
                    .bind(m.patient_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                    let Some(subject) = subject else { return Ok(None) };
                    (id, subject)
                }
                None => {
                    let id =
                        insert_thread(&mut tx, m.patient_id, &m.subject, m.author, m.now).await?;
                    (id, m.subject.clone())
                }
            };
            let message_id = insert_post(
                &mut tx,
                (m.patient_id, thread_id, &subject),
                m.author,
                staff_id,
                &m.text,
                m.now,
            )
            .await?;
            let entry = AuditEntry::new(
                m.now,
                m.actor,
                AuditAction::MessageCreate,
                ObjectKind::MessageThread,
                Some(thread_id),
            )
            .patient(m.patient_id)
            .origin(&m.origin)
            .details(json!({"message_id": message_id, "new_thread": m.thread_id.is_none()}));
            insert_audit(&mut tx, &entry).await?;
            if let Some(mail) = &m.mail {
                insert_mail(&mut tx, mail, m.now).await?;
            }
            tx.commit().await?;
            Ok(Some(Written { thread_id, message_id }))
        })
    }
}
