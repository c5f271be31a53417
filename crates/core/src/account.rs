//! What the single-use secrets of patients' accounts and of staff are for.

use crate::stored::stored_text;

stored_text! {
    /// What a patient account's single-use secret is for.
    pub enum SecretPurpose {
        /// The link in the e-mail that confirms the address.
        ConfirmEmail = "confirm_email",
        /// The link that lets a patient set a new password.
        ResetPassword = "reset_password",
        /// The one-time password the registrar hands out.
        OneTimePassword = "one_time_password",
        /// The link in the letter after a report of lost credentials that blocks access.
        BlockAccount = "block_account",
    }
}

stored_text! {
    /// What a staff secret is for.
    pub enum StaffSecretPurpose {
        /// Creates the first administrator (`kabinet staff`).
        Bootstrap = "bootstrap",
        /// Lets a new colleague set a personal password.
        Setup = "setup",
    }
}
