//! The summary above a form that came back with errors: one link per field with a problem,
//! «Label: message», in the form's order, each to its field (`#name`). The `error_summary`
//! macro of `macros.html` shows it, and the page focuses it on load (`autofocus`, no script),
//! so that whoever sent the form starts from the list of what to fix.

use kabinet_core::patient::FieldErrors;

use super::patient_form::FieldView;
use crate::i18n::I18n;

/// The new password and its repeat (activation, reset, change, registration).
pub const NEW_PASSWORD: [(&str, &str); 2] =
    [("password", "field-new-password"), ("password_repeat", "field-password-repeat")];

/// One line of the summary: the field's id and what is wrong with it.
pub struct ErrorLink {
    pub id: &'static str,
    pub text: String,
}

/// The lines for `fields` (name, label key), in their order, that have an error.
pub fn error_links(
    t: &I18n,
    errors: &FieldErrors,
    fields: impl IntoIterator<Item = (&'static str, &'static str)>,
) -> Vec<ErrorLink> {
    fields
        .into_iter()
        .filter_map(|(id, label)| {
            let message = errors.get(id)?;
            Some(ErrorLink { id, text: format!("{}: {}", t.s(label), t.s(message)) })
        })
        .collect()
}

/// The (name, label key) pairs of fields as the `input` macro lays them out.
pub fn labels(fields: &[FieldView]) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
    fields.iter().map(|f| (f.name, f.label))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use jiff::tz::TimeZone;

    #[test]
    fn a_link_per_field_with_an_error_in_the_forms_order() {
        let mut errors = FieldErrors::default();
        errors.add("password_repeat", "error-password-mismatch");
        errors.add("fields", "error-validation");
        errors.add("password", "error-required");
        let t = I18n { lang: Lang::Ru, tz: TimeZone::UTC };
        let links = error_links(&t, &errors, NEW_PASSWORD);
        let shown: Vec<_> = links.iter().map(|l| (l.id, l.text.as_str())).collect();
        assert_eq!(
            shown,
            [
                ("password", "Новый пароль: Заполните это поле."),
                ("password_repeat", "Новый пароль ещё раз: Пароли не совпадают."),
            ]
        );
    }
}
