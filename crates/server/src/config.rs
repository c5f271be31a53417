//! Settings from flags and `KABINET_*` variables, in one typed struct passed down.

use std::path::PathBuf;

use jiff::SignedDuration;
use jiff::tz::TimeZone;
use kabinet_core::visit_rules::VisitLimits;
use kabinet_service::Settings;
use kabinet_service::mail::{MailSetupError, Mailer};

/// Everything the server can be told at start.
#[derive(Debug, clap::Args)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "KABINET_LISTEN", default_value = "127.0.0.1:8080", global = true)]
    pub listen: String,
    /// Database: `sqlite://path/file.db` (the default, created on first start) or `postgres://…`.
    #[arg(
        long,
        env = "KABINET_DATABASE_URL",
        default_value = "sqlite://data/kabinet.db",
        global = true
    )]
    pub database_url: String,
    /// Database connections (readers for SQLite, all for PostgreSQL).
    #[arg(long, env = "KABINET_DB_CONNECTIONS", default_value_t = 8, global = true)]
    pub db_connections: u32,
    /// The portal's public address, for links in e-mails and calendars.
    #[arg(
        long,
        env = "KABINET_PUBLIC_URL",
        default_value = "http://127.0.0.1:8080",
        global = true
    )]
    pub public_url: String,
    /// The clinic's time zone (IANA name).
    #[arg(long, env = "KABINET_TIME_ZONE", default_value = "Europe/Moscow", global = true)]
    pub time_zone: String,
    /// The clinic's name.
    #[arg(long, env = "KABINET_CLINIC_NAME", default_value = "Клиника «Ясень»", global = true)]
    pub clinic_name: String,
    /// The clinic's phone for booking and changes.
    #[arg(long, env = "KABINET_CLINIC_PHONE", default_value = "+7 (495) 555-01-00", global = true)]
    pub clinic_phone: String,
    /// How many days ahead patients may book.
    #[arg(long, env = "KABINET_BOOKING_HORIZON_DAYS", default_value_t = 28, global = true)]
    pub booking_horizon_days: i32,
    /// How many minutes before a visit online booking closes.
    #[arg(long, env = "KABINET_BOOKING_LEAD_MINUTES", default_value_t = 120, global = true)]
    pub booking_lead_minutes: i64,
    /// Minutes without a request after which a session ends.
    #[arg(long, env = "KABINET_SESSION_IDLE_MINUTES", default_value_t = 30, global = true)]
    pub session_idle_minutes: i64,
    /// Hours after sign-in after which a session ends, however busy.
    #[arg(long, env = "KABINET_SESSION_LIFETIME_HOURS", default_value_t = 12, global = true)]
    pub session_lifetime_hours: i64,
    /// Hours a one-time password from the registrar works.
    #[arg(long, env = "KABINET_ONE_TIME_PASSWORD_HOURS", default_value_t = 72, global = true)]
    pub one_time_password_hours: i64,
    /// Minutes before a visit until which a patient may cancel it online.
    #[arg(long, env = "KABINET_CANCEL_CUTOFF_MINUTES", default_value_t = 180, global = true)]
    pub cancel_cutoff_minutes: i64,
    /// Minutes before a visit until which a patient may move it online.
    #[arg(long, env = "KABINET_RESCHEDULE_CUTOFF_MINUTES", default_value_t = 720, global = true)]
    pub reschedule_cutoff_minutes: i64,
    /// How many future visits a confirmed patient may hold at once.
    #[arg(long, env = "KABINET_MAX_ACTIVE_VISITS", default_value_t = 5, global = true)]
    pub max_active_visits: usize,
    /// The SMTP server for e-mail: `smtp://host:port`, `smtp://host:587?tls=required`
    /// (STARTTLS) or `smtps://host:465`, with `user:password@` before the host to log in.
    /// Without one, mail is written to the mail folder.
    #[arg(long, env = "KABINET_SMTP_URL", global = true, hide_env_values = true)]
    pub smtp_url: Option<SmtpUrl>,
    /// Where mail goes as `.eml` files when no SMTP server is configured.
    #[arg(long, env = "KABINET_MAIL_DIR", default_value = "data/mail", global = true)]
    pub mail_dir: PathBuf,
    /// The sender of every e-mail.
    #[arg(
        long,
        env = "KABINET_MAIL_FROM",
        default_value = "Клиника «Ясень» <noreply@yasen.example>",
        global = true
    )]
    pub mail_from: String,
}

/// An SMTP URL, which may hold a password: `Debug` shows only that one is set.
#[derive(Clone)]
pub struct SmtpUrl(pub String);

impl std::str::FromStr for SmtpUrl {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self(s.to_owned()))
    }
}

impl std::fmt::Debug for SmtpUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SmtpUrl(<redacted>)")
    }
}

impl Config {
    /// The service layer's settings.
    pub fn settings(&self) -> Result<Settings, String> {
        let time_zone = TimeZone::get(&self.time_zone)
            .map_err(|e| format!("unknown time zone {}: {e}", self.time_zone))?;
        if !(1..=365).contains(&self.booking_horizon_days) {
            return Err("the booking horizon must be 1 to 365 days".into());
        }
        Ok(Settings {
            clinic_name: self.clinic_name.clone(),
            clinic_phone: self.clinic_phone.clone(),
            time_zone,
            horizon_days: self.booking_horizon_days,
            min_lead: SignedDuration::from_mins(self.booking_lead_minutes.max(0)),
            public_url: self.public_url.trim_end_matches('/').to_owned(),
            session_idle: SignedDuration::from_mins(self.session_idle_minutes.max(1)),
            session_lifetime: SignedDuration::from_hours(self.session_lifetime_hours.max(1)),
            one_time_password_ttl: SignedDuration::from_hours(self.one_time_password_hours.max(1)),
            visit_limits: VisitLimits {
                cancel_cutoff: SignedDuration::from_mins(self.cancel_cutoff_minutes.max(0)),
                reschedule_cutoff: SignedDuration::from_mins(self.reschedule_cutoff_minutes.max(0)),
                max_active_confirmed: self.max_active_visits.max(1),
            },
        })
    }

    /// The mailer: the SMTP server if one is set, else the mail folder.
    pub fn mailer(&self) -> Result<Mailer, MailSetupError> {
        match &self.smtp_url {
            Some(SmtpUrl(url)) if !url.is_empty() => Mailer::smtp(url, &self.mail_from),
            _ => Mailer::folder(&self.mail_dir, &self.mail_from),
        }
    }
}
