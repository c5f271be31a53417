//! Settings from flags and `KABINET_*` variables, in one typed struct passed down.

use std::path::PathBuf;
use std::time::Duration;

use clap::builder::TypedValueParser as _;
use jiff::SignedDuration;
use jiff::tz::TimeZone;
use kabinet_core::net::Network;
use kabinet_core::requests::RequestPeriods;
use kabinet_core::visit_rules::VisitLimits;
use kabinet_service::Settings;
use kabinet_service::mail::{MailSetupError, Mailer};
use kabinet_web::listener::ConnectionLimits;

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
    #[arg(long, env = "KABINET_PUBLIC_URL", default_value_t = defaults().public_url, global = true)]
    pub public_url: String,
    /// The clinic's time zone (IANA name).
    #[arg(
        long,
        env = "KABINET_TIME_ZONE",
        default_value_t = defaults().time_zone.iana_name().unwrap_or("UTC").to_owned(),
        global = true
    )]
    pub time_zone: String,
    /// The clinic's name.
    #[arg(
        long,
        env = "KABINET_CLINIC_NAME",
        default_value_t = defaults().clinic_name,
        global = true
    )]
    pub clinic_name: String,
    /// The clinic's phone for booking and changes.
    #[arg(
        long,
        env = "KABINET_CLINIC_PHONE",
        default_value_t = defaults().clinic_phone,
        global = true
    )]
    pub clinic_phone: String,
    /// How many days ahead patients may book (1 to 365).
    #[arg(
        long,
        env = "KABINET_BOOKING_HORIZON_DAYS",
        default_value_t = defaults().horizon_days,
        value_parser = clap::value_parser!(i32).range(1..=365),
        global = true
    )]
    pub booking_horizon_days: i32,
    /// How many minutes before a visit online booking closes.
    #[arg(
        long,
        env = "KABINET_BOOKING_LEAD_MINUTES",
        default_value_t = minutes(defaults().min_lead),
        global = true
    )]
    pub booking_lead_minutes: u32,
    /// Minutes without a request after which a session ends.
    #[arg(
        long,
        env = "KABINET_SESSION_IDLE_MINUTES",
        default_value_t = minutes(defaults().session_idle),
        value_parser = clap::value_parser!(u32).range(1..),
        global = true
    )]
    pub session_idle_minutes: u32,
    /// Hours after sign-in after which a session ends, however busy.
    #[arg(
        long,
        env = "KABINET_SESSION_LIFETIME_HOURS",
        default_value_t = minutes(defaults().session_lifetime) / 60,
        value_parser = clap::value_parser!(u32).range(1..),
        global = true
    )]
    pub session_lifetime_hours: u32,
    /// Hours a one-time password from the registrar works.
    #[arg(
        long,
        env = "KABINET_ONE_TIME_PASSWORD_HOURS",
        default_value_t = minutes(defaults().one_time_password_ttl) / 60,
        value_parser = clap::value_parser!(u32).range(1..),
        global = true
    )]
    pub one_time_password_hours: u32,
    /// Hours before a visit its reminder letter goes out; 0 sends no reminders.
    #[arg(
        long,
        env = "KABINET_REMINDER_HOURS",
        default_value_t = minutes(defaults().reminder_before) / 60,
        value_parser = clap::value_parser!(u32).range(0..=720),
        global = true
    )]
    pub reminder_hours: u32,
    /// Working days ahead the confirmation call list covers; 1 is the next working day.
    #[arg(
        long,
        env = "KABINET_CALL_WINDOW_DAYS",
        default_value_t = defaults().call_window_days,
        value_parser = clap::value_parser!(u32).range(1..=14),
        global = true
    )]
    pub call_window_days: u32,
    /// No-shows within KABINET_NO_SHOW_DAYS that close online booking; 0 never closes it.
    #[arg(
        long,
        env = "KABINET_NO_SHOW_LIMIT",
        default_value_t = defaults().no_show_limit,
        value_parser = clap::value_parser!(u32).range(0..=100),
        global = true
    )]
    pub no_show_limit: u32,
    /// Days back that no-shows count towards KABINET_NO_SHOW_LIMIT.
    #[arg(
        long,
        env = "KABINET_NO_SHOW_DAYS",
        default_value_t = defaults().no_show_days,
        value_parser = clap::value_parser!(u32).range(1..=3660),
        global = true
    )]
    pub no_show_days: u32,
    /// Minutes a time offered from the waiting list is held for its patient.
    #[arg(
        long,
        env = "KABINET_WAITLIST_HOLD_MINUTES",
        default_value_t = minutes(defaults().waitlist_hold),
        value_parser = clap::value_parser!(u32).range(1..=1440),
        global = true
    )]
    pub waitlist_hold_minutes: u32,
    /// Working days to answer a request for access to one's data (152-FZ art. 14 p. 3: 10).
    #[arg(
        long,
        env = "KABINET_REQUEST_ACCESS_DAYS",
        default_value_t = defaults().request_periods.access,
        value_parser = clap::value_parser!(u32).range(1..=60),
        global = true
    )]
    pub request_access_days: u32,
    /// Working days an access request may be extended by, once, with a reasoned notice (5).
    #[arg(
        long,
        env = "KABINET_REQUEST_ACCESS_EXTENSION_DAYS",
        default_value_t = defaults().request_periods.access_extension,
        value_parser = clap::value_parser!(u32).range(0..=60),
        global = true
    )]
    pub request_access_extension_days: u32,
    /// Working days to correct a patient's data on request (152-FZ art. 21 p. 2: 7).
    #[arg(
        long,
        env = "KABINET_REQUEST_CORRECTION_DAYS",
        default_value_t = defaults().request_periods.correction,
        value_parser = clap::value_parser!(u32).range(1..=60),
        global = true
    )]
    pub request_correction_days: u32,
    /// Working days to stop processing on request (152-FZ art. 21 p. 5.1: 10).
    #[arg(
        long,
        env = "KABINET_REQUEST_STOP_DAYS",
        default_value_t = defaults().request_periods.stop,
        value_parser = clap::value_parser!(u32).range(1..=60),
        global = true
    )]
    pub request_stop_days: u32,
    /// Calendar days to delete data on request (152-FZ art. 21 p. 5: 30).
    #[arg(
        long,
        env = "KABINET_REQUEST_DELETION_DAYS",
        default_value_t = defaults().request_periods.deletion,
        value_parser = clap::value_parser!(u32).range(1..=365),
        global = true
    )]
    pub request_deletion_days: u32,
    /// Calendar days to answer a written request or complaint (30).
    #[arg(
        long,
        env = "KABINET_COMPLAINT_DAYS",
        default_value_t = defaults().request_periods.appeal,
        value_parser = clap::value_parser!(u32).range(1..=365),
        global = true
    )]
    pub complaint_days: u32,
    /// The largest attachment of a written request, KiB (at most 3 files a request).
    #[arg(
        long,
        env = "KABINET_ATTACHMENT_MAX_KB",
        default_value_t = defaults().attachment_max_kb,
        value_parser = clap::value_parser!(u32).range(1..=20480),
        global = true
    )]
    pub attachment_max_kb: u32,
    /// Minutes before a visit until which a patient may cancel it online.
    #[arg(
        long,
        env = "KABINET_CANCEL_CUTOFF_MINUTES",
        default_value_t = minutes(defaults().visit_limits.cancel_cutoff),
        global = true
    )]
    pub cancel_cutoff_minutes: u32,
    /// Minutes before a visit until which a patient may move it online.
    #[arg(
        long,
        env = "KABINET_RESCHEDULE_CUTOFF_MINUTES",
        default_value_t = minutes(defaults().visit_limits.reschedule_cutoff),
        global = true
    )]
    pub reschedule_cutoff_minutes: u32,
    /// How many future visits a confirmed patient may hold at once.
    #[arg(
        long,
        env = "KABINET_MAX_ACTIVE_VISITS",
        default_value_t = defaults().visit_limits.max_active_confirmed,
        value_parser = at_least_one,
        global = true
    )]
    pub max_active_visits: usize,
    /// The reverse proxies in front of the portal, as addresses or CIDR networks separated by
    /// commas (`10.0.0.0/8,::1`): only for a request from one of them is `X-Forwarded-For`
    /// read for the client's address. Empty: the peer's address is the client's.
    #[arg(long, env = "KABINET_TRUSTED_PROXIES", default_value = "", global = true)]
    pub trusted_proxies: Networks,
    /// Who may read `/metrics`: addresses or CIDR networks separated by commas, matched
    /// against the connection's peer (never `X-Forwarded-For`); others get 404.
    #[arg(long, env = "KABINET_METRICS_ALLOW", default_value = "127.0.0.0/8,::1", global = true)]
    pub metrics_allow: Networks,
    /// One-time bookings one client address may make in an hour; 0 for no limit (a call centre
    /// that books through the API from one address).
    #[arg(
        long,
        env = "KABINET_BOOKING_RATE_LIMIT",
        default_value_t = defaults().booking_rate_limit,
        global = true
    )]
    pub booking_rate_limit: u32,
    /// Connections served at once (1 to 65536); a client beyond them waits until one closes.
    #[arg(
        long,
        env = "KABINET_MAX_CONNECTIONS",
        default_value_t = limits().max_connections,
        value_parser = clap::value_parser!(u32).range(1..=65_536).map(|n| n as usize),
        global = true
    )]
    pub max_connections: usize,
    /// Seconds a client has to send a request's headers, on a new connection or between
    /// requests on a kept-alive one (1 to 300); then the connection is closed.
    #[arg(
        long,
        env = "KABINET_HEADER_TIMEOUT_SECONDS",
        default_value_t = limits().header_timeout.as_secs(),
        value_parser = clap::value_parser!(u64).range(1..=300),
        global = true
    )]
    pub header_timeout_seconds: u64,
    /// Seconds a request may take, its body included, before it is answered 408 (1 to 3600).
    #[arg(
        long,
        env = "KABINET_REQUEST_TIMEOUT_SECONDS",
        default_value_t = limits().request_timeout.as_secs(),
        value_parser = clap::value_parser!(u64).range(1..=3_600),
        global = true
    )]
    pub request_timeout_seconds: u64,
    /// A folder for automatic backups of the SQLite database, taken by `serve` every
    /// KABINET_BACKUP_EVERY_HOURS; none without it. (PostgreSQL: use pg_dump.)
    #[arg(long, env = "KABINET_BACKUP_DIR", global = true)]
    pub backup_dir: Option<PathBuf>,
    /// Hours between automatic backups (1 to 8760).
    #[arg(
        long,
        env = "KABINET_BACKUP_EVERY_HOURS",
        default_value_t = 24,
        value_parser = clap::value_parser!(u32).range(1..=8_760),
        global = true
    )]
    pub backup_every_hours: u32,
    /// Automatic backups kept in the folder; older ones are deleted (1 to 1000).
    #[arg(
        long,
        env = "KABINET_BACKUP_KEEP",
        default_value_t = 7,
        value_parser = clap::value_parser!(u32).range(1..=1_000),
        global = true
    )]
    pub backup_keep: u32,
    /// The SMTP server for e-mail: `smtp://host:port`, `smtp://host:587?tls=required`
    /// (STARTTLS) or `smtps://host:465`, with `user:password@` before the host to log in.
    /// Without one, mail is written to the mail folder.
    #[arg(long, env = "KABINET_SMTP_URL", global = true, hide_env_values = true)]
    pub smtp_url: Option<SmtpUrl>,
    /// Where mail goes as `.eml` files when no SMTP server is configured.
    #[arg(long, env = "KABINET_MAIL_DIR", default_value = "data/mail", global = true)]
    pub mail_dir: PathBuf,
    /// How logs are written: `text` (coloured on a terminal) or `json` (one object a line).
    #[arg(
        long,
        env = "KABINET_LOG_FORMAT",
        value_enum,
        default_value_t = LogFormat::Text,
        global = true
    )]
    pub log_format: LogFormat,
    /// The sender of every e-mail.
    #[arg(
        long,
        env = "KABINET_MAIL_FROM",
        default_value = "Клиника «Ясень» <noreply@yasen.example>",
        global = true
    )]
    pub mail_from: String,
    /// Days raw page views are kept for the visit statistics; the worker deletes older ones.
    #[arg(
        long,
        env = "KABINET_STATISTICS_RETENTION_DAYS",
        default_value_t = defaults().statistics_retention_days,
        value_parser = clap::value_parser!(u32).range(1..=3660),
        global = true
    )]
    pub statistics_retention_days: u32,
}

/// The defaults of the settings, written once in the service layer.
fn defaults() -> Settings {
    Settings::default()
}

/// The defaults of the connection limits, written once in the web layer.
fn limits() -> ConnectionLimits {
    ConnectionLimits::default()
}

/// Whole minutes of a default duration, for a flag's default.
fn minutes(duration: SignedDuration) -> u32 {
    u32::try_from(duration.as_mins()).unwrap_or(u32::MAX)
}

/// A count of at least one.
fn at_least_one(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!("a whole number of at least 1 is needed, not {text:?}")),
    }
}

/// Networks as a setting takes them: addresses or CIDR networks separated by commas.
#[derive(Debug, Clone)]
pub struct Networks(pub Vec<Network>);

impl std::str::FromStr for Networks {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        Network::parse_list(text).map(Self)
    }
}

/// How logs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Lines for people.
    Text,
    /// One JSON object per line.
    Json,
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
    /// The service layer's settings. Values clap cannot judge alone are checked here: a bad
    /// one stops the start with a message, never silently becomes another.
    pub fn settings(&self) -> Result<Settings, String> {
        let time_zone = TimeZone::get(&self.time_zone)
            .map_err(|e| format!("KABINET_TIME_ZONE: unknown time zone {}: {e}", self.time_zone))?;
        let public_url = self.public_url.trim_end_matches('/').to_owned();
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(format!(
                "KABINET_PUBLIC_URL must start with http:// or https://: {public_url}"
            ));
        }
        let mins = |m: u32| SignedDuration::from_mins(m.into());
        let hours = |h: u32| SignedDuration::from_hours(h.into());
        Ok(Settings {
            clinic_name: self.clinic_name.clone(),
            clinic_phone: self.clinic_phone.clone(),
            time_zone,
            horizon_days: self.booking_horizon_days,
            min_lead: mins(self.booking_lead_minutes),
            public_url,
            session_idle: mins(self.session_idle_minutes),
            session_lifetime: hours(self.session_lifetime_hours),
            one_time_password_ttl: hours(self.one_time_password_hours),
            visit_limits: VisitLimits {
                cancel_cutoff: mins(self.cancel_cutoff_minutes),
                reschedule_cutoff: mins(self.reschedule_cutoff_minutes),
                max_active_confirmed: self.max_active_visits,
            },
            trusted_proxies: self.trusted_proxies.0.clone(),
            booking_rate_limit: self.booking_rate_limit,
            metrics_allow: self.metrics_allow.0.clone(),
            reminder_before: hours(self.reminder_hours),
            call_window_days: self.call_window_days,
            no_show_limit: self.no_show_limit,
            no_show_days: self.no_show_days,
            waitlist_hold: mins(self.waitlist_hold_minutes),
            statistics_retention_days: self.statistics_retention_days,
            request_periods: RequestPeriods {
                access: self.request_access_days,
                access_extension: self.request_access_extension_days,
                correction: self.request_correction_days,
                stop: self.request_stop_days,
                deletion: self.request_deletion_days,
                appeal: self.complaint_days,
            },
            attachment_max_kb: self.attachment_max_kb,
        })
    }

    /// The limits on connections and requests.
    pub fn connection_limits(&self) -> ConnectionLimits {
        ConnectionLimits {
            max_connections: self.max_connections,
            header_timeout: Duration::from_secs(self.header_timeout_seconds),
            request_timeout: Duration::from_secs(self.request_timeout_seconds),
        }
    }

    /// The automatic backups, if a folder is set; refused on PostgreSQL, which has its own
    /// tools.
    pub fn backup_schedule(
        &self,
        backend: &str,
    ) -> Result<Option<crate::backups::Schedule>, String> {
        let Some(dir) = self.backup_dir.clone().filter(|d| !d.as_os_str().is_empty()) else {
            return Ok(None);
        };
        if backend != "sqlite" {
            return Err(format!(
                "KABINET_BACKUP_DIR is for the embedded SQLite database; {}",
                kabinet_store::backup::POSTGRES_BACKUP_HINT
            ));
        }
        Ok(Some(crate::backups::Schedule {
            dir,
            every: Duration::from_secs(u64::from(self.backup_every_hours) * 3600),
            keep: self.backup_keep as usize,
        }))
    }

    /// The mailer: the SMTP server if one is set, else the mail folder.
    pub fn mailer(&self) -> Result<Mailer, MailSetupError> {
        match &self.smtp_url {
            Some(SmtpUrl(url)) if !url.is_empty() => Mailer::smtp(url, &self.mail_from),
            _ => Mailer::folder(&self.mail_dir, &self.mail_from),
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Debug, clap::Parser)]
    struct Cli {
        #[command(flatten)]
        config: Config,
    }

    fn settings(args: &[&str]) -> Result<Settings, String> {
        let argv = std::iter::once("kabinet").chain(args.iter().copied());
        let cli = Cli::try_parse_from(argv).map_err(|e| e.to_string())?;
        cli.config.settings()
    }

    #[test]
    fn reminders_go_a_day_ahead_by_default_and_zero_switches_them_off() {
        let default = settings(&[]).unwrap();
        assert_eq!(default.reminder_before, SignedDuration::from_hours(24));
        let off = settings(&["--reminder-hours", "0"]).unwrap();
        assert_eq!(off.reminder_before, SignedDuration::ZERO);
        let two = settings(&["--reminder-hours", "2"]).unwrap();
        assert_eq!(two.reminder_before, SignedDuration::from_hours(2));
    }

    #[test]
    fn the_front_desk_settings_have_their_defaults_and_bounds() {
        let default = settings(&[]).unwrap();
        assert_eq!(
            (default.call_window_days, default.no_show_limit, default.no_show_days),
            (1, 3, 180)
        );
        let set = settings(&["--call-window-days=3", "--no-show-limit=0", "--no-show-days=30"]);
        let set = set.unwrap();
        assert_eq!((set.call_window_days, set.no_show_limit, set.no_show_days), (3, 0, 30));
        for bad in ["--call-window-days=0", "--no-show-days=0", "--no-show-limit=-1"] {
            let error = settings(&[bad]).unwrap_err();
            let name = bad.trim_start_matches("--").split('=').next().unwrap();
            assert!(error.contains(name), "{bad}: {error}");
        }
    }

    #[test]
    fn a_waitlist_offer_is_held_a_quarter_of_an_hour_by_default() {
        let default = settings(&[]).unwrap();
        assert_eq!(default.waitlist_hold, SignedDuration::from_mins(15));
        let five = settings(&["--waitlist-hold-minutes", "5"]).unwrap();
        assert_eq!(five.waitlist_hold, SignedDuration::from_mins(5));
        for bad in ["0", "-1", "1441", "soon"] {
            let error = settings(&[&format!("--waitlist-hold-minutes={bad}")]).unwrap_err();
            assert!(error.contains("waitlist-hold-minutes"), "{bad}: {error}");
        }
    }

    #[test]
    fn a_bad_reminder_setting_is_refused_with_its_name() {
        for bad in ["-1", "721", "day", "1.5"] {
            let error = settings(&[&format!("--reminder-hours={bad}")]).unwrap_err();
            assert!(error.contains("reminder-hours"), "{bad}: {error}");
        }
    }
}
