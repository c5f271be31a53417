//! iCalendar (RFC 5545) for a visit, so a patient can put it in their calendar (B8).

use jiff::Timestamp;
use kabinet_core::pricing::Money;
use kabinet_store::booking::Visit;

use crate::Settings;

/// A one-event calendar for `visit`, which its patient downloads. The summary names the
/// clinic and the doctor but no specialty (calendars get shared and synced); the service and
/// its price stand only in the description, as on the confirmation.
pub fn visit_ics(visit: &Visit, settings: &Settings, now: Timestamp) -> String {
    let utc = |seconds: i64| {
        Timestamp::from_second(seconds)
            .unwrap_or(Timestamp::UNIX_EPOCH)
            .strftime("%Y%m%dT%H%M%SZ")
            .to_string()
    };
    let host = settings.public_url.split("://").nth(1).unwrap_or("kabinet").trim_end_matches('/');
    let lines = [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Kabinet//Patient portal//RU".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        "BEGIN:VEVENT".to_owned(),
        format!("UID:visit-{}@{host}", visit.code),
        format!("DTSTAMP:{}", utc(now.as_second())),
        format!("DTSTART:{}", utc(visit.starts_at)),
        format!("DTEND:{}", utc(visit.ends_at)),
        format!("SUMMARY:{}", escape(&format!("Приём: {}", visit.specialist_name))),
        format!("LOCATION:{}", escape(&format!("{}, {}", visit.branch_name, visit.branch_address))),
        format!(
            "DESCRIPTION:{}",
            escape(&format!(
                "{}. Код записи: {}. Телефон: {}.{}",
                settings.clinic_name,
                visit.code,
                visit.branch_phone,
                service_and_price(visit)
            ))
        ),
        "STATUS:CONFIRMED".to_owned(),
        "END:VEVENT".to_owned(),
        "END:VCALENDAR".to_owned(),
    ];
    lines.iter().map(|line| fold(line)).collect()
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
    text.replace('\\', "\\\\").replace(';', "\\;").replace(',', "\\,").replace('\n', "\\n")
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
    fn text_values_escape_separators() {
        assert_eq!(escape("a, b; c\nd"), "a\\, b\\; c\\nd");
    }
}
