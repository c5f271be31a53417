//! The patient's personal fields as typed in a form (one-time booking, registration): every
//! value comes back to the form on an error.

use kabinet_core::patient::PatientInput;
use serde::Deserialize;

/// Names, birth date and contacts, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct PatientForm {
    #[serde(default)]
    pub last_name: String,
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub middle_name: String,
    #[serde(default)]
    pub birth_date: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    /// Почтовый адрес (optional; registration and change requests only).
    #[serde(default)]
    pub postal_address: String,
}

/// One text field of a form, as the `input` macro of `macros.html` lays it out.
pub struct FieldView {
    pub name: &'static str,
    pub label: &'static str,
    pub kind: &'static str,
    pub autocomplete: &'static str,
    pub value: String,
    pub required: bool,
}

impl FieldView {
    /// A field that the browser does not fill in from the user's own data (staff forms).
    pub fn new(
        name: &'static str,
        label: &'static str,
        kind: &'static str,
        value: &str,
        required: bool,
    ) -> Self {
        Self { name, label, kind, autocomplete: "off", value: value.to_owned(), required }
    }
}

impl PatientForm {
    /// The fields in their order on the form; the e-mail only where it is not the login.
    pub fn fields(&self, with_email: bool) -> Vec<FieldView> {
        let field = |name, label, kind, autocomplete, value: &String, required| FieldView {
            name,
            label,
            kind,
            autocomplete,
            value: value.clone(),
            required,
        };
        let mut fields = vec![
            field("last_name", "field-last-name", "text", "family-name", &self.last_name, true),
            field("first_name", "field-first-name", "text", "given-name", &self.first_name, true),
            field(
                "middle_name",
                "field-middle-name",
                "text",
                "additional-name",
                &self.middle_name,
                false,
            ),
            field("birth_date", "field-birth-date", "date", "bday", &self.birth_date, true),
            field("phone", "field-phone", "tel", "tel", &self.phone, true),
        ];
        if with_email {
            fields.push(field("email", "field-email", "email", "email", &self.email, false));
        }
        fields
    }

    /// The optional postal address field, after the others where a form asks for it.
    pub fn postal_address_field(&self) -> FieldView {
        FieldView {
            name: "postal_address",
            label: "field-postal-address",
            kind: "text",
            autocomplete: "street-address",
            value: self.postal_address.clone(),
            required: false,
        }
    }

    /// What the service validates.
    pub fn input(&self) -> PatientInput {
        PatientInput {
            last_name: self.last_name.clone(),
            first_name: self.first_name.clone(),
            middle_name: Some(self.middle_name.clone()),
            birth_date: self.birth_date.clone(),
            phone: self.phone.clone(),
            email: Some(self.email.clone()),
            postal_address: Some(self.postal_address.clone()),
        }
    }
}
