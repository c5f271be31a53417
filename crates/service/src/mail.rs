//! Delivery of the outbox (N3): mail rows are written in the transaction of the change they
//! tell about; [`Kabinet::deliver_due`] claims the due ones for a lease, hands each to the
//! [`Mailer`] — an SMTP server, or a folder of `.eml` files when none is configured — and marks
//! it delivered, or failed with the next try after an exponential backoff. It asks the injected
//! clock for the time and never sleeps; `kabinet serve` calls it every few seconds.
//!
//! Several instances on one database never hold one message at the same time (the store's claim
//! is atomic). A message can still go out twice in one case SMTP cannot rule out: the server
//! accepted it and this process died before marking it delivered. Each message keeps one
//! `Message-ID` across attempts, so mail clients show such a twin once.
//!
//! Logs name the outbox id and kind, never a recipient or a text.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use jiff::{SignedDuration, Timestamp};
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use kabinet_store::outbox::ClaimedMail;

use crate::{Kabinet, Result};

/// How long a claimed message is ours: longer than any send of a batch can take.
const LEASE: SignedDuration = SignedDuration::from_mins(10);
/// What is left of a lease when we stop starting sends, so that no send outlives its lease.
const SEND_RESERVE: SignedDuration = SignedDuration::from_mins(3);
/// How long one SMTP command may take before the attempt counts as failed.
const SMTP_TIMEOUT: Duration = Duration::from_secs(20);
/// Messages claimed at once.
const BATCH: i64 = 20;
/// Batches one pass works through at most, so that a pass ends and shutdown is prompt.
const MAX_BATCHES: usize = 10;
/// The first retry waits this long; each further one twice as long as the one before.
const FIRST_RETRY: SignedDuration = SignedDuration::from_mins(1);
/// The longest wait between two attempts.
const MAX_RETRY: SignedDuration = SignedDuration::from_hours(6);

/// Why a [`Mailer`] could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum MailSetupError {
    /// The sender address does not parse.
    #[error("the sender address {0:?} is not a valid mailbox (expected `Name <user@host>`)")]
    From(String),
    /// The SMTP URL does not parse or asks for something this build cannot do.
    #[error(
        "bad SMTP URL (expected smtp://host:port, smtps://host:port or smtp://host:port?tls=required): {0}"
    )]
    Url(String),
}

/// Where mail goes.
enum Transport {
    /// An SMTP server.
    Smtp { transport: AsyncSmtpTransport<Tokio1Executor>, server: String },
    /// A folder: one `.eml` file per message, for the demo and for development.
    Folder(PathBuf),
}

/// Why a message did not go out; the text is safe to store and log.
#[derive(Debug)]
struct SendError {
    text: String,
    /// The server refused it for good (a 5xx answer) or it can never be built: trying again
    /// cannot help.
    permanent: bool,
}

impl SendError {
    fn permanent(text: String) -> Self {
        Self { text, permanent: true }
    }

    fn temporary(text: String) -> Self {
        Self { text, permanent: false }
    }
}

/// Sends the outbox's messages, from one sender address, to an SMTP server or a folder.
pub struct Mailer {
    from: Mailbox,
    transport: Transport,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the SMTP URL: it may carry a password.
        f.debug_struct("Mailer").field("to", &self.destination()).finish_non_exhaustive()
    }
}

impl Mailer {
    /// Delivers over SMTP to `url`: `smtp://host:port` (plain, for a relay on this host or
    /// network), `smtp://host:587?tls=required` (STARTTLS) or `smtps://host:465` (TLS from the
    /// first byte), with `user:password@` before the host if the server asks to log in.
    /// Certificates are checked against the Mozilla roots built into the binary. `from` is the
    /// sender, e.g. `Клиника «Ясень» <noreply@yasen.example>`.
    pub fn smtp(url: &str, from: &str) -> Result<Self, MailSetupError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| MailSetupError::Url(e.to_string()))?
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        Ok(Self {
            from: parse_from(from)?,
            transport: Transport::Smtp { transport, server: server_of(url) },
        })
    }

    /// Writes each message to `dir` as `<time>-<id>.eml` (created when needed).
    pub fn folder(dir: impl Into<PathBuf>, from: &str) -> Result<Self, MailSetupError> {
        Ok(Self { from: parse_from(from)?, transport: Transport::Folder(dir.into()) })
    }

    /// Where mail goes, for the log: `smtp://host:port` (no credentials) or the folder.
    pub fn destination(&self) -> String {
        match &self.transport {
            Transport::Smtp { server, .. } => format!("smtp://{server}"),
            Transport::Folder(dir) => dir.display().to_string(),
        }
    }

    /// Hands one message over; the error text is safe to store and log.
    async fn send(&self, mail: &ClaimedMail, now: Timestamp) -> Result<(), SendError> {
        match &self.transport {
            Transport::Smtp { transport, .. } => {
                let message = self.message(mail, now, false).map_err(SendError::permanent)?;
                transport.send(message).await.map(drop).map_err(|e| SendError {
                    text: redact_addresses(&e.to_string()),
                    permanent: e.is_permanent(),
                })
            }
            Transport::Folder(dir) => {
                let message = self.message(mail, now, true).map_err(SendError::permanent)?;
                let path = dir.join(file_name(mail));
                let bytes = message.formatted();
                tokio::task::spawn_blocking(move || write_atomically(&path, &bytes))
                    .await
                    .map_err(|e| SendError::temporary(format!("writing the file failed: {e}")))?
                    .map_err(|e| SendError::temporary(format!("writing the file failed: {e}")))
            }
        }
    }

    /// Builds the MIME message: text/plain UTF-8, the subject RFC 2047-encoded by lettre, one
    /// `Message-ID` per outbox row. `eight_bit` keeps the body readable in a file; over SMTP
    /// lettre picks an encoding every server accepts.
    fn message(
        &self,
        mail: &ClaimedMail,
        now: Timestamp,
        eight_bit: bool,
    ) -> Result<Message, String> {
        let to: Mailbox =
            mail.recipient.parse().map_err(|_| "the recipient address is invalid".to_owned())?;
        let body =
            if eight_bit { eight_bit_body(&mail.body) } else { Body::new(mail.body.clone()) };
        let seconds = u64::try_from(now.as_second()).unwrap_or_default();
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .date(SystemTime::UNIX_EPOCH + Duration::from_secs(seconds))
            .message_id(Some(format!(
                "<outbox-{}-{}@{}>",
                mail.id,
                mail.created_at,
                self.from.email.domain()
            )))
            .singlepart(SinglePart::builder().header(ContentType::TEXT_PLAIN).body(body))
            .map_err(|e| format!("the message cannot be built: {e}"))
    }
}

/// The body as it is, in `8bit` encoding (RFC 2045: lines up to 998 bytes, no NUL), so that a
/// file reads as text; lettre's own `8bit` check wants lines of 76 bytes, which Russian prose
/// passes at about 38 letters. Anything that does not fit gets lettre's choice.
fn eight_bit_body(text: &str) -> Body {
    let fits = !text.contains('\0') && text.lines().all(|line| line.len() <= 998);
    if !fits {
        return Body::new(text.to_owned());
    }
    let crlf: String = text.lines().flat_map(|line| [line, "\r\n"]).collect();
    Body::dangerous_pre_encoded(crlf.into_bytes(), ContentTransferEncoding::EightBit)
}

fn parse_from(from: &str) -> Result<Mailbox, MailSetupError> {
    from.parse().map_err(|_| MailSetupError::From(from.to_owned()))
}

/// `host:port` of an SMTP URL, without credentials or parameters.
fn server_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    authority.rsplit('@').next().unwrap_or_default().to_owned()
}

/// A file name that sorts by time and is the same for every attempt at one message, so a
/// repeated delivery replaces the file instead of adding a second one.
fn file_name(mail: &ClaimedMail) -> String {
    let at = Timestamp::from_second(mail.created_at).unwrap_or(Timestamp::UNIX_EPOCH);
    format!("{}-{:06}.eml", at.strftime("%Y%m%d-%H%M%S"), mail.id)
}

/// Writes `bytes` to `path` so that a reader sees the whole file or none: a hidden temporary
/// file, flushed to disk, then renamed. Only the owner may read it: mail holds personal data.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
        builder.mode(0o700);
        options.mode(0o600);
    }
    builder.create(dir)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temporary = dir.join(format!(".{name}.tmp"));
    let mut file = options.open(&temporary)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&temporary, path)
}

/// The wait before the next attempt after `attempts` failed ones had already been made:
/// 1 min, 2 min, 4 min, … up to 6 h.
pub fn retry_delay(attempts: i32) -> SignedDuration {
    let factor = 1_i64.checked_shl(attempts.clamp(0, 30).unsigned_abs()).unwrap_or(i64::MAX);
    SignedDuration::from_secs(FIRST_RETRY.as_secs().saturating_mul(factor)).min(MAX_RETRY)
}

/// Replaces every word that holds an `@` — an address the server may quote — so that error
/// texts keep no personal data.
fn redact_addresses(text: &str) -> String {
    text.split(' ')
        .map(|word| if word.contains('@') { "<address>" } else { word })
        .collect::<Vec<_>>()
        .join(" ")
}

impl Kabinet {
    /// One delivery pass: claims the messages that are due, hands each to `mailer`, and marks
    /// it delivered, or failed with its next attempt after [`retry_delay`]. Returns how many
    /// were delivered. A failed send is recorded, not returned; an error means the database
    /// failed.
    pub async fn deliver_due(&self, mailer: &Mailer) -> Result<usize> {
        let mut delivered = 0;
        for _ in 0..MAX_BATCHES {
            let claimed_at = self.now();
            let batch =
                self.store.claim_due_mail(claimed_at.as_second(), LEASE.as_secs(), BATCH).await?;
            let claimed = batch.len();
            let stop_starting_at =
                claimed_at.saturating_add(LEASE - SEND_RESERVE).unwrap_or(claimed_at);
            for mail in batch {
                let now = self.now();
                if now >= stop_starting_at {
                    // The rest keep their lease and come back when it ends: sending them now
                    // could outlast it while another instance claims them.
                    tracing::warn!(outbox_id = mail.id, "delivery pass ran long; the rest waits");
                    return Ok(delivered);
                }
                match mailer.send(&mail, now).await {
                    Ok(()) => {
                        self.store.mark_mail_delivered(mail.id, self.now().as_second()).await?;
                        tracing::info!(outbox_id = mail.id, kind = %mail.kind, "mail delivered");
                        delivered += 1;
                    }
                    Err(SendError { text, permanent: true }) => {
                        self.store
                            .mark_mail_given_up(mail.id, &text, self.now().as_second())
                            .await?;
                        tracing::warn!(
                            outbox_id = mail.id,
                            kind = %mail.kind,
                            error = %text,
                            "mail refused for good; not tried again"
                        );
                    }
                    Err(SendError { text, permanent: false }) => {
                        let wait = retry_delay(mail.attempts);
                        let next = self.now().saturating_add(wait).unwrap_or(now);
                        self.store.mark_mail_failed(mail.id, &text, next.as_second()).await?;
                        tracing::warn!(
                            outbox_id = mail.id,
                            kind = %mail.kind,
                            attempts = mail.attempts + 1,
                            retry_in_secs = wait.as_secs(),
                            error = %text,
                            "mail not delivered; will retry"
                        );
                    }
                }
            }
            if claimed < usize::try_from(BATCH).unwrap_or(usize::MAX) {
                break;
            }
        }
        Ok(delivered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_from_a_minute_to_six_hours() {
        let minutes: Vec<_> = (0..11).map(|a| retry_delay(a).as_mins()).collect();
        assert_eq!(minutes, [1, 2, 4, 8, 16, 32, 64, 128, 256, 360, 360]);
        assert_eq!(retry_delay(1000), MAX_RETRY);
        assert_eq!(retry_delay(-1), FIRST_RETRY);
    }

    #[test]
    fn a_russian_sender_name_parses_and_the_url_loses_its_password() {
        let mailer = Mailer::smtp(
            "smtp://user:secret@mail.example:2525",
            "Клиника «Ясень» <noreply@yasen.example>",
        )
        .unwrap();
        assert_eq!(mailer.destination(), "smtp://mail.example:2525");
        assert!(!format!("{mailer:?}").contains("secret"));
        assert_eq!(mailer.from.name.as_deref(), Some("Клиника «Ясень»"));
        assert!(matches!(Mailer::folder("x", "not an address"), Err(MailSetupError::From(_))));
        assert!(matches!(Mailer::smtp("http://x", "a@b.example"), Err(MailSetupError::Url(_))));
    }

    #[test]
    fn addresses_are_cut_from_error_texts() {
        assert_eq!(
            redact_addresses("permanent error (550): 5.1.1 <ivan@example.ru>: no such user"),
            "permanent error (550): 5.1.1 <address> no such user"
        );
    }

    #[test]
    fn a_message_keeps_its_file_name_across_attempts() {
        let mail = ClaimedMail {
            id: 42,
            kind: kabinet_core::mail::MailKind::BookingConfirmation,
            recipient: "a@b.example".into(),
            subject: String::new(),
            body: String::new(),
            created_at: 1_795_420_800,
            attempts: 3,
        };
        assert_eq!(file_name(&mail), "20261123-080000-000042.eml");
    }
}
