//! The rules of the portal and the privacy policy (O2): the version in force.

use kabinet_store::catalog::Document;

use crate::{Error, Kabinet, Result};

/// The kinds of document the clinic publishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    /// Правила использования сервиса.
    Rules,
    /// Политика конфиденциальности.
    Privacy,
}

impl DocumentKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Rules => "rules",
            Self::Privacy => "privacy",
        }
    }
}

impl Kabinet {
    /// The version of a document in force now.
    pub async fn current_document(&self, kind: DocumentKind) -> Result<Document> {
        self.store
            .current_document(kind.as_str(), self.now().as_second())
            .await?
            .ok_or(Error::NotFound)
    }
}
