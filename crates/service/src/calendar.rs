//! iCalendar (RFC 5545) for a visit, so a patient can put it in their calendar, and the
//! patient's private feed of all their visits, which a calendar subscribes to (B8).

use jiff::Timestamp;
use kabinet_core::pricing::Money;
use kabinet_core::visit::VisitStatus;
use kabinet_store::booking::Visit;

use crate::Settings;

/// A one-event calendar for `visit`, which its patient downloads. The summary names the
/// clinic and the doctor but no specialty (calendars get shared and synced); the service and
/// its price stand only in the description, as on the confirmation.
pub fn visit_ics(visit: &Visit, settings: &Settings, now: Timestamp) -> String {
    let mut lines = head();
    lines.extend(event(visit, settings, now, Detail::Named));
    lines.push("END:VCALENDAR".to_owned());
    lines.iter().map(|line| fold(line)).collect()
}

/// What an event says about its visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// The summary is the clinic's only («Приём в клинике «Ясень»»); the description holds
    /// the code and the phone. No specialist, service or specialty: a calendar is synced and
    /// shared, and who one sees is medical secrecy (323-FZ art. 13).
    Neutral,
    /// The summary names the specialist; the description the service and its price.
    Named,
}

/// The private feed (B8): every visit of `visits` as one event, cancelled ones as
/// `STATUS:CANCELLED`, each under the visit's own UID (the one its download has), so a
/// calendar updates an event in place when the visit moves or is cancelled.
pub fn feed_ics(visits: &[Visit], settings: &Settings, now: Timestamp, detail: Detail) -> String {
    let mut lines = head();
    lines.push(format!("X-WR-CALNAME:{}", escape(&settings.clinic_name)));
    // How often calendars should read it again (RFC 7986, and the older Apple/Microsoft key).
    lines.push("REFRESH-INTERVAL;VALUE=DURATION:PT1H".to_owned());
    lines.push("X-PUBLISHED-TTL:PT1H".to_owned());
    for visit in visits {
        lines.extend(event(visit, settings, now, detail));
    }
    lines.push("END:VCALENDAR".to_owned());
    lines.iter().map(|line| fold(line)).collect()
}

/// The neutral summary: «Приём в клинике «Ясень»» for «Клиника «Ясень»», else «Приём:
/// <the clinic's name>».
pub fn neutral_summary(clinic_name: &str) -> String {
    match clinic_name.strip_prefix("Клиника ") {
        Some(name) => format!("Приём в клинике {name}"),
        None => format!("Приём: {clinic_name}"),
    }
}

/// The calendar's first lines, before its events.
fn head() -> Vec<String> {
    [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Kabinet//Patient portal//RU",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    .map(str::to_owned)
    .to_vec()
}

/// One `VEVENT` of a visit, its lines unfolded.
fn event(visit: &Visit, settings: &Settings, now: Timestamp, detail: Detail) -> Vec<String> {
    let utc = |seconds: i64| {
        Timestamp::from_second(seconds)
            .unwrap_or(Timestamp::UNIX_EPOCH)
            .strftime("%Y%m%dT%H%M%SZ")
            .to_string()
    };
    let host = settings.public_url.split("://").nth(1).unwrap_or("kabinet").trim_end_matches('/');
    let cancelled = visit.status == VisitStatus::Cancelled;
    let mut summary = match detail {
        Detail::Neutral => neutral_summary(&settings.clinic_name),
        Detail::Named => format!("Приём: {}", visit.specialist_name),
    };
    if cancelled {
        summary.push_str(" (отменён)");
    }
    // The service and its price only where the patient lets the event name things.
    let service = match detail {
        Detail::Neutral => String::new(),
        Detail::Named => service_and_price(visit),
    };
    let description = format!(
        "{}. Код записи: {}. Телефон: {}.{service}",
        settings.clinic_name, visit.code, visit.branch_phone
    );
    vec![
        "BEGIN:VEVENT".to_owned(),
        format!("UID:visit-{}@{host}", visit.code),
        format!("DTSTAMP:{}", utc(now.as_second())),
        format!("DTSTART:{}", utc(visit.starts_at)),
        format!("DTEND:{}", utc(visit.ends_at)),
        format!("SUMMARY:{}", escape(&summary)),
        format!("LOCATION:{}", escape(&format!("{}, {}", visit.branch_name, visit.branch_address))),
        format!("DESCRIPTION:{}", escape(&description)),
        format!("STATUS:{}", if cancelled { "CANCELLED" } else { "CONFIRMED" }),
        // Busy while booked; a cancelled visit no longer holds the patient's time.
        format!("TRANSP:{}", if cancelled { "TRANSPARENT" } else { "OPAQUE" }),
        "END:VEVENT".to_owned(),
    ]
}

/// « Услуга: …. Стоимость: 2 610 ₽.» for a visit booked for a service at a price.
fn service_and_price(visit: &Visit) -> String {
    match (&visit.service_name, visit.price_kopecks) {
        (Some(service), Some(price)) => {
            format!(" Услуга: {service}. Стоимость: {}.", Money(price).display())
        }
        _ => String::new(),
    }
}

/// Escapes text values (RFC 5545 §3.3.11).
fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace("\r\n", "\\n")
        .replace(['\n', '\r'], "\\n")
}

/// Folds a content line at 75 octets without splitting a UTF-8 character, and ends it
/// with CRLF (RFC 5545 §3.1).
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_cyrillic_lines_fold_at_75_octets_on_character_boundaries() {
        let folded = fold(&format!("SUMMARY:{}", "Приём ".repeat(20)));
        for line in folded.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        assert_eq!(folded.replace("\r\n ", ""), format!("SUMMARY:{}\r\n", "Приём ".repeat(20)));
    }

    #[test]
    fn the_neutral_summary_names_the_clinic_only() {
        assert_eq!(neutral_summary("Клиника «Ясень»"), "Приём в клинике «Ясень»");
        assert_eq!(neutral_summary("Медцентр"), "Приём: Медцентр");
    }

    #[test]
    fn text_values_escape_separators() {
        assert_eq!(escape("a, b; c\nd"), "a\\, b\\; c\\nd");
    }
}
