//! The rules of the portal and the privacy policy (O2): the version in force.

use kabinet_core::consent::DocumentKind;
use kabinet_core::lang::Lang;
use kabinet_store::catalog::Document;

use crate::{Error, Kabinet, Result};

impl Kabinet {
    /// The version of a document in force now (the version is what consents name; its text
    /// is the Russian one).
    pub async fn current_document(&self, kind: DocumentKind) -> Result<Document> {
        self.document(kind, Lang::Ru).await
    }

    /// The version of a document in force now, to read in `lang` (the Russian text where it
    /// has no translation).
    pub async fn document(&self, kind: DocumentKind, lang: Lang) -> Result<Document> {
        let now = self.now().as_second();
        self.store.current_document(kind, now, lang).await?.ok_or(Error::NotFound)
    }
}
