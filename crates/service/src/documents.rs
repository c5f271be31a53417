//! The rules of the portal and the privacy policy (O2): the version in force.

use kabinet_core::consent::DocumentKind;
use kabinet_store::catalog::Document;

use crate::{Error, Kabinet, Result};

impl Kabinet {
    /// The version of a document in force now.
    pub async fn current_document(&self, kind: DocumentKind) -> Result<Document> {
        self.store.current_document(kind, self.now().as_second()).await?.ok_or(Error::NotFound)
    }
}
