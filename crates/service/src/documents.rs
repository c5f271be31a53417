//! The rules of the portal and the privacy policy (O2): the version in force, the old ones,
//! and new versions the administrator publishes ahead of time.

use jiff::civil::{Date, Time};
use kabinet_core::access::{Actor, Origin};
use kabinet_core::audit::{AuditAction, ObjectKind};
use kabinet_core::consent::DocumentKind;
use kabinet_core::lang::{Lang, MONTHS_RU_GENITIVE};
use kabinet_core::patient::FieldErrors;
use kabinet_core::roles::Action;
use kabinet_store::AuditEntry;
use kabinet_store::catalog::Document;
use kabinet_store::consents::{DocumentVersion, NewDocumentVersion};

use crate::staff::StaffUser;
use crate::{Error, Kabinet, Result};

impl Kabinet {
    /// The version of a document in force now: what a consent refers to.
    pub async fn document_version(&self, kind: DocumentKind) -> Result<i32> {
        let now = self.now().as_second();
        self.store.current_document_version(kind, now).await?.ok_or(Error::NotFound)
    }

    /// The version of a document in force now, to read in `lang` (the Russian text where it
    /// has no translation).
    pub async fn document(&self, kind: DocumentKind, lang: Lang) -> Result<Document> {
        let now = self.now().as_second();
        self.store.current_document(kind, now, lang).await?.ok_or(Error::NotFound)
    }

    /// Publishes a new version of a document, in force from now, with its English
    /// `(title, body)` if there is one, audited as `actor`'s; returns its number. Consents
    /// given from now on refer to it.
    pub(crate) async fn publish_document(
        &self,
        actor: Actor,
        kind: DocumentKind,
        text: (&str, &str),
        english: Option<(&str, &str)>,
        origin: &Origin,
    ) -> Result<i32> {
        let at = self.now().as_second();
        let audit =
            AuditEntry::new(at, actor, AuditAction::DocumentPublish, ObjectKind::Document, None)
                .origin(origin);
        Ok(self.store.publish_document(kind, text, english, audit).await?)
    }
}

/// A new version of the rules or the policy, as the administrator typed it.
#[derive(Debug, Clone, Default)]
pub struct DocumentForm {
    /// Title, in Russian.
    pub title: String,
    /// Text in the project's markdown subset, in Russian.
    pub body: String,
    /// Title in English; empty: none.
    pub title_en: String,
    /// Text in English; empty: none.
    pub body_en: String,
    /// The day it takes effect, YYYY-MM-DD in the clinic's zone.
    pub effective_day: String,
    /// The time of day it takes effect, HH:MM in the clinic's zone.
    pub effective_time: String,
    /// Whether patients must accept it at their next sign-in.
    pub requires_acceptance: bool,
}

/// The versions of a document: every one published, the one in force, and the next one
/// announced, if any.
#[derive(Debug, Clone)]
pub struct DocumentHistory {
    /// Every version, newest first.
    pub versions: Vec<DocumentVersion>,
    /// The number of the version in force now, if any.
    pub in_force: Option<i32>,
}

impl DocumentHistory {
    /// The earliest version published to take effect later, if any.
    pub fn upcoming(&self) -> Option<&DocumentVersion> {
        let in_force = self.in_force.unwrap_or(0);
        self.versions.iter().filter(|v| v.version > in_force).min_by_key(|v| v.version)
    }
}

impl Kabinet {
    /// Every version of a document, with the one in force now.
    pub async fn document_history(&self, kind: DocumentKind) -> Result<DocumentHistory> {
        let now = self.now().as_second();
        let versions = self.store.document_versions(kind).await?;
        let in_force = versions.iter().find(|v| v.effective_at <= now).map(|v| v.version);
        Ok(DocumentHistory { versions, in_force })
    }

    /// One version of a document, to read in `lang`: old, in force, or announced.
    pub async fn document_at_version(
        &self,
        kind: DocumentKind,
        version: i32,
        lang: Lang,
    ) -> Result<Document> {
        self.store.document_text(kind, version, lang).await?.ok_or(Error::NotFound)
    }

    /// Publishes a new version of the rules or the policy (O2) taking effect at the time
    /// typed (not in the past), audited `document.publish` with its version and effective
    /// time; every patient with an account gets a cabinet message in the same transaction
    /// (a neutral text, no letter). Returns the version number.
    pub async fn publish_document_version(
        &self,
        staff: &StaffUser,
        kind: DocumentKind,
        form: &DocumentForm,
        origin: &Origin,
    ) -> Result<i32> {
        staff.require(Action::PublishDocuments)?;
        let mut errors = FieldErrors::default();
        let title = form.title.trim();
        if title.is_empty() || title.chars().count() > 200 {
            errors.add("title", "error-document-title");
        }
        // Browsers send a textarea's line breaks as CRLF; the markdown (and the hash) reads LF.
        let body = form.body.replace("\r\n", "\n");
        let body = body.trim();
        if body.is_empty() || body.chars().count() > 200_000 {
            errors.add("body", "error-document-body");
        }
        let body_en = form.body_en.replace("\r\n", "\n");
        let (title_en, body_en) = (form.title_en.trim(), body_en.trim());
        if title_en.is_empty() != body_en.is_empty() {
            errors.add("body_en", "error-document-english");
        }
        let now = self.now();
        let day = form.effective_day.trim().parse::<Date>().ok();
        let time = form.effective_time.trim().parse::<Time>().ok();
        let effective = match (day, time) {
            (Some(day), Some(time)) => {
                day.to_datetime(time).to_zoned(self.settings.time_zone.clone()).ok()
            }
            _ => None,
        };
        match &effective {
            None => errors.add("effective_day", "error-document-effective"),
            // A minute's grace: «now» typed in the form is not the past.
            Some(at) if at.timestamp().as_second() < now.as_second() - 60 => {
                errors.add("effective_day", "error-document-effective-past");
            }
            Some(_) => {}
        }
        let (Some(effective), true) = (effective, errors.is_empty()) else {
            return Err(Error::Validation(errors));
        };
        let effective_at = effective.timestamp().as_second().max(now.as_second());
        let day = effective.date();
        let when = format!(
            "{} {} {} г., {:02}:{:02}",
            day.day(),
            MONTHS_RU_GENITIVE[usize::from(day.month().unsigned_abs()) - 1],
            day.year(),
            effective.hour(),
            effective.minute()
        );
        let (subject, name) = match kind {
            DocumentKind::Rules => {
                ("Новая редакция правил сервиса", "правил использования сервиса")
            }
            DocumentKind::Privacy => {
                ("Новая редакция политики конфиденциальности", "политики конфиденциальности")
            }
        };
        let path = match kind {
            DocumentKind::Rules => "/rules",
            DocumentKind::Privacy => "/privacy",
        };
        let mut text = format!(
            "Клиника опубликовала новую редакцию {name}. Она действует с {when}.\n\n\
             Текст: {}{path}",
            self.settings.public_url.trim_end_matches('/')
        );
        if form.requires_acceptance {
            text.push_str(
                "\n\nПосле вступления в силу при следующем входе в личный кабинет мы попросим \
                 вас ознакомиться с ней и принять её.",
            );
        }
        let version = NewDocumentVersion {
            kind,
            text: (title, body),
            english: (!title_en.is_empty()).then_some((title_en, body_en)),
            effective_at,
            requires_acceptance: form.requires_acceptance,
            notice: Some((subject.to_owned(), text)),
        };
        let audit = AuditEntry::new(
            now.as_second(),
            staff.actor(),
            AuditAction::DocumentPublish,
            ObjectKind::Document,
            None,
        )
        .origin(origin);
        Ok(self.store.publish_document_version(&version, audit).await?)
    }
}
