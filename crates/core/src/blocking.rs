//! Blocking of a patient's personal data (G4; 152-FZ art. 21): who asked, on what basis and
//! with which documents, parsed from what the registrar typed; and the reasons the clinic
//! gives when it suspends, cancels or ends an account (A5, A7).

use jiff::civil::Date;

use crate::patient::FieldErrors;
use crate::stored::stored_text;

stored_text! {
    /// On whose request the data is blocked.
    pub enum RequestedBy {
        /// The patient themselves.
        Patient = "patient",
        /// The patient's legal representative.
        Representative = "representative",
        /// An authority (the supervisory authority, a court, the police), named.
        Authority = "authority",
    }
}

/// The longest free text kept (a basis, a reason, a document reference).
pub const MAX_TEXT: usize = 1000;

/// A blocking as the registrar types it.
#[derive(Debug, Clone, Default)]
pub struct DataBlockInput {
    /// `patient`, `representative` or `authority`.
    pub requested_by: String,
    /// The authority's name, when an authority asked.
    pub authority: String,
    /// The basis (the request's grounds), required.
    pub basis: String,
    /// The document's type («заявление», «запрос», «предписание»).
    pub document_type: String,
    /// Its number or reference.
    pub document_ref: String,
    /// Its date, `YYYY-MM-DD`.
    pub document_date: String,
}

/// A blocking, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataBlock {
    /// On whose request.
    pub requested_by: RequestedBy,
    /// The authority's name, for an authority.
    pub authority: Option<String>,
    /// The basis.
    pub basis: String,
    /// The document's type.
    pub document_type: String,
    /// Its number or reference.
    pub document_ref: String,
    /// Its date.
    pub document_date: Date,
}

/// Trimmed text of 1 to [`MAX_TEXT`] characters, or the message key `missing`.
pub fn required_text(raw: &str, missing: &'static str) -> Result<String, &'static str> {
    let text = raw.trim();
    if text.is_empty() {
        Err(missing)
    } else if text.chars().count() > MAX_TEXT {
        Err("error-text-too-long")
    } else {
        Ok(text.to_owned())
    }
}

impl DataBlockInput {
    /// Parses every field, collecting each one's error; a document dated after `today` is
    /// refused.
    pub fn parse(&self, today: Date, errors: &mut FieldErrors) -> Option<DataBlock> {
        let requested_by = errors.take(
            "requested_by",
            self.requested_by.trim().parse::<RequestedBy>().map_err(|_| "error-block-requested-by"),
        );
        let authority = match requested_by {
            Some(RequestedBy::Authority) => errors
                .take("authority", required_text(&self.authority, "error-block-authority"))
                .map(Some),
            _ => Some(None),
        };
        let basis = errors.take("basis", required_text(&self.basis, "error-block-basis"));
        let document_type = errors
            .take("document_type", required_text(&self.document_type, "error-block-document"));
        let document_ref =
            errors.take("document_ref", required_text(&self.document_ref, "error-block-document"));
        let document_date = errors.take(
            "document_date",
            self.document_date
                .trim()
                .parse::<Date>()
                .ok()
                .filter(|d| *d <= today)
                .ok_or("error-block-document-date"),
        );
        Some(DataBlock {
            requested_by: requested_by?,
            authority: authority?,
            basis: basis?,
            document_type: document_type?,
            document_ref: document_ref?,
            document_date: document_date?,
        })
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn input() -> DataBlockInput {
        DataBlockInput {
            requested_by: "authority".into(),
            authority: "Роскомнадзор".into(),
            basis: "Запрос о проверке".into(),
            document_type: "Запрос".into(),
            document_ref: "№ 12-345".into(),
            document_date: "2026-12-01".into(),
        }
    }

    #[test]
    fn an_authority_must_be_named_and_every_field_is_checked() {
        let today = date(2026, 12, 2);
        let mut errors = FieldErrors::default();
        let block = input().parse(today, &mut errors).expect("valid");
        assert_eq!(block.authority.as_deref(), Some("Роскомнадзор"));
        let mut errors = FieldErrors::default();
        let bad = DataBlockInput {
            authority: " ".into(),
            basis: String::new(),
            document_date: "2026-12-03".into(),
            ..input()
        };
        assert!(bad.parse(today, &mut errors).is_none());
        assert_eq!(errors.get("authority"), Some("error-block-authority"));
        assert_eq!(errors.get("basis"), Some("error-block-basis"));
        assert_eq!(errors.get("document_date"), Some("error-block-document-date"));
        let mut errors = FieldErrors::default();
        let patient = DataBlockInput { requested_by: "patient".into(), ..input() };
        assert_eq!(patient.parse(today, &mut errors).and_then(|b| b.authority), None);
    }
}
