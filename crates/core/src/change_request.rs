//! Where a patient's request to change their personal data stands (K4).

use crate::stored::stored_text;

stored_text! {
    /// Where a change request stands.
    pub enum ChangeStatus {
        /// Waiting for the registrar.
        Pending = "pending",
        /// The registrar saw the documents and applied the change.
        Completed = "completed",
        /// The registrar refused it, with a reason.
        Rejected = "rejected",
    }
}
