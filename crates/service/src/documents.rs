//! The rules of the portal and the privacy policy (O2): the version in force.

use kabinet_core::access::{Actor, Origin};
use kabinet_core::audit::{AuditAction, ObjectKind};
use kabinet_core::consent::DocumentKind;
use kabinet_core::lang::Lang;
use kabinet_store::AuditEntry;
use kabinet_store::catalog::Document;

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
