//! Threads between the clinic and a patient (K3, N2): who wrote a message, and what a message
//! and a thread's subject may hold.

use crate::patient::FieldErrors;
use crate::stored::stored_text;

stored_text! {
    /// Which side wrote a message. The clinic's notices (visit changes, offers) are the
    /// clinic's too.
    pub enum Author {
        /// The clinic: a member of staff, or the portal on the clinic's behalf.
        Clinic = "clinic",
        /// The patient.
        Patient = "patient",
    }
}

/// The longest message, in characters.
pub const MAX_TEXT: usize = 4000;

/// The longest subject, in characters.
pub const MAX_SUBJECT: usize = 150;

/// A message to write: its text, and the subject when it starts a thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// The subject of a new thread (`None` for an answer).
    pub subject: Option<String>,
    /// The text.
    pub text: String,
}

impl Draft {
    /// Checks a message: the text is required and at most [`MAX_TEXT`] characters; a new
    /// thread's subject is required and at most [`MAX_SUBJECT`]. Surrounding spaces go, and
    /// line ends become `\n`.
    pub fn parse(subject: Option<&str>, text: &str) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let text = text.replace("\r\n", "\n").trim().to_owned();
        if text.is_empty() {
            errors.add("text", "error-message-text-required");
        } else if text.chars().count() > MAX_TEXT {
            errors.add("text", "error-message-text-too-long");
        }
        let subject = subject.map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "));
        match &subject {
            Some(s) if s.is_empty() => errors.add("subject", "error-message-subject-required"),
            Some(s) if s.chars().count() > MAX_SUBJECT => {
                errors.add("subject", "error-message-subject-too-long")
            }
            _ => {}
        }
        if errors.is_empty() { Ok(Self { subject, text }) } else { Err(errors) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_needs_its_text_and_a_new_thread_its_subject() {
        let ok =
            Draft::parse(Some("  Справка \n для бассейна "), " Здравствуйте!\r\nНужна справка. ");
        assert_eq!(
            ok,
            Ok(Draft {
                subject: Some("Справка для бассейна".into()),
                text: "Здравствуйте!\nНужна справка.".into()
            })
        );
        let errors = Draft::parse(Some(" "), "  ").unwrap_err();
        assert_eq!(errors.get("text"), Some("error-message-text-required"));
        assert_eq!(errors.get("subject"), Some("error-message-subject-required"));
        let long = "я".repeat(MAX_TEXT + 1);
        let errors = Draft::parse(None, &long).unwrap_err();
        assert_eq!(errors.get("text"), Some("error-message-text-too-long"));
        assert!(Draft::parse(None, &"я".repeat(MAX_TEXT)).is_ok(), "the limit itself is fine");
        let errors = Draft::parse(Some(&"т".repeat(MAX_SUBJECT + 1)), "да").unwrap_err();
        assert_eq!(errors.get("subject"), Some("error-message-subject-too-long"));
    }
}
