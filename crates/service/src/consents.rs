//! The consent ledger as the patient keeps it (G1): what they gave, under which version of
//! which document (and its hash), how and by whom it was recorded; withdrawing an optional
//! consent, or giving it again, in one step. Withdrawing the consent to the processing of
//! personal or health data is not a switch: the law makes it a request to stop processing or
//! to delete the data, which the patient files as such.
//!
//! Processing that relies on a consent reads the ledger when it runs (the call list, visit
//! statistics), so a withdrawal stops it at once; nothing is cached.

use kabinet_core::access::Origin;
use kabinet_core::consent::{ConsentKind, DocumentKind};
use kabinet_store::consents::LedgerRow;

use crate::accounts::Patient;
use crate::{Error, Kabinet, Result};

/// A patient's ledger: every row, newest first, and which purposes are in force now.
#[derive(Debug, Clone)]
pub struct Ledger {
    /// Every consent given or entered, newest first.
    pub rows: Vec<LedgerRow>,
}

impl Ledger {
    /// Whether a consent of `kind` is in force.
    pub fn in_force(&self, kind: ConsentKind) -> bool {
        self.rows.iter().any(|r| r.kind == kind && r.withdrawn_at.is_none())
    }
}

/// Whether a patient may give (or withdraw) a consent of `kind` by a switch: the optional
/// purposes. The required ones are given when registering or booking, and withdrawn by a
/// request (point 3 of issue 13).
pub fn optional(kind: ConsentKind) -> bool {
    matches!(kind, ConsentKind::Calls | ConsentKind::Advertising | ConsentKind::Cookies)
}

impl Kabinet {
    /// The signed-in patient's ledger.
    pub async fn my_consents(&self, patient: &Patient) -> Result<Ledger> {
        let rows = self.store.consent_ledger(patient.account.patient_id).await?;
        Ok(Ledger { rows })
    }

    /// Withdraws the patient's consent of `kind` (every row of it in force), audited as
    /// `consent.withdraw`. The consents to processing of personal and health data, and the
    /// rules, are refused with [`Error::UseRequest`]: the patient files a request instead.
    /// Nothing in force: nothing happens.
    pub async fn withdraw_my_consent(
        &self,
        patient: &Patient,
        kind: ConsentKind,
        origin: &Origin,
    ) -> Result<()> {
        if !optional(kind) {
            return Err(Error::UseRequest);
        }
        let now = self.now().as_second();
        let id = patient.account.patient_id;
        self.store.set_consent(id, kind, None, patient.actor(), origin, now).await?;
        Ok(())
    }

    /// Gives the patient's optional consent of `kind` online under the version of its
    /// document in force, audited as `consent.give`; nothing when it is in force already.
    /// A required one is refused (it is given when registering; withdrawing it is a request).
    pub async fn give_my_consent(
        &self,
        patient: &Patient,
        kind: ConsentKind,
        origin: &Origin,
    ) -> Result<()> {
        if !optional(kind) {
            return Err(Error::Forbidden);
        }
        let document = kind.document();
        let version = self.document_version(document).await?;
        let now = self.now().as_second();
        let id = patient.account.patient_id;
        self.store
            .set_consent(id, kind, Some((document, version)), patient.actor(), origin, now)
            .await?;
        Ok(())
    }

    /// A visitor withdraws the consent to statistics cookies their browser gave (by its
    /// reference): recorded in the ledger; the caller stops the recording.
    pub async fn withdraw_cookie_consent(&self, visitor: &str, origin: &Origin) -> Result<()> {
        let now = self.now().as_second();
        self.store.withdraw_visitor_consent(visitor, ConsentKind::Cookies, origin, now).await?;
        Ok(())
    }

    /// The version of the rules or the policy the patient must accept before anything else
    /// in the cabinet, if one in force requires it and they have not.
    pub async fn pending_acceptance(
        &self,
        patient: &Patient,
    ) -> Result<Option<(DocumentKind, i32)>> {
        let now = self.now().as_second();
        Ok(self.store.pending_acceptance(patient.account.patient_id, now).await?)
    }

    /// Records that the patient accepted the version awaiting acceptance (the one shown to
    /// them: `version` must still be it), in the ledger with its hash.
    pub async fn accept_document(
        &self,
        patient: &Patient,
        kind: DocumentKind,
        version: i32,
        origin: &Origin,
    ) -> Result<()> {
        match self.pending_acceptance(patient).await? {
            Some(pending) if pending == (kind, version) => {
                let now = self.now().as_second();
                let id = patient.account.patient_id;
                self.store.accept_document(id, pending, origin, now).await?;
                Ok(())
            }
            Some(_) => Err(Error::NotFound),
            None => Ok(()),
        }
    }
}
