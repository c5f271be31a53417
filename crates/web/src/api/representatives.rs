//! `/api/v1/me/profile` (K4: the caller's data as the clinic holds it, the postal address
//! among it) and `/api/v1/me/dependents` (A8: whom a legal representative may act for). Any
//! `/api/v1/me/…` route acts for a dependent when the request carries `X-Act-For: <patient
//! id>` of a live link of the caller (else 404), decided once in [`crate::session`].

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use super::Items;
use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::session::ApiPatient;

/// The patient's data as the clinic holds it.
#[derive(Serialize, ToSchema)]
pub struct ProfileJson {
    /// The patient's id (a dependent's, when acting for one).
    id: i64,
    /// Surname.
    last_name: String,
    /// Given name.
    first_name: String,
    /// Patronymic, or empty.
    middle_name: String,
    /// Date of birth, `YYYY-MM-DD`.
    #[schema(format = Date)]
    birth_date: String,
    /// Phone, E.164.
    phone: String,
    /// E-mail, if the clinic holds one.
    email: Option<String>,
    /// Postal address, if the clinic holds one.
    postal_address: Option<String>,
    /// The representative's own patient id, when this answer is a dependent's.
    acting_as_representative: Option<i64>,
}

/// The caller's data (a dependent's with `X-Act-For`). Changes go through a change request
/// that the registrar completes after seeing a document.
#[utoipa::path(
    get,
    path = "/me/profile",
    tag = "profile",
    security(("bearer" = [])),
    params(("X-Act-For" = Option<i64>, Header,
        description = "A dependent's patient id to act for (a legal representative).")),
    responses(
        (status = 200, description = "The data.", body = ProfileJson),
        (status = 401, description = "`unauthorized`: no valid session.", body = ErrorBody),
        (status = 403, description = "`activation_required`: signed in with a one-time \
            password; set a personal one first.", body = ErrorBody),
        (status = 404, description = "`not_found`: `X-Act-For` names nobody the caller \
            represents.", body = ErrorBody),
    )
)]
pub async fn show_profile(
    State(state): State<AppState>,
    ApiPatient(patient): ApiPatient,
) -> Result<Json<ProfileJson>, ApiError> {
    let r = state.kabinet.my_record(&patient).await?;
    Ok(Json(ProfileJson {
        id: r.id,
        last_name: r.last_name,
        first_name: r.first_name,
        middle_name: r.middle_name,
        birth_date: r.birth_date,
        phone: r.phone,
        email: r.email,
        postal_address: r.postal_address,
        acting_as_representative: patient.acting.as_ref().map(|a| a.representative_id),
    }))
}

/// A dependent the caller may act for.
#[derive(Serialize, ToSchema)]
pub struct DependentJson {
    /// The dependent's patient id: the value of `X-Act-For`.
    patient_id: i64,
    /// Full name.
    name: String,
    /// On what grounds: `parent`, `adoptive_parent`, `guardian`, `trustee`,
    /// `incapacity_guardian`.
    basis: String,
}

/// Whom the caller may act for now (live links: a minor's ends at 18).
#[utoipa::path(
    get,
    path = "/me/dependents",
    tag = "profile",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The dependents.", body = Items<DependentJson>),
        (status = 401, description = "`unauthorized`: no valid session.", body = ErrorBody),
        (status = 403, description = "`activation_required`: signed in with a one-time \
            password; set a personal one first.", body = ErrorBody),
    )
)]
pub async fn list_dependents(
    State(state): State<AppState>,
    ApiPatient(patient): ApiPatient,
) -> Result<Json<Items<DependentJson>>, ApiError> {
    let links = state.kabinet.my_dependents(&patient).await?;
    let items = links
        .into_iter()
        .map(|l| DependentJson {
            patient_id: l.dependent_id,
            name: l.dependent_name,
            basis: l.basis.as_str().to_owned(),
        })
        .collect();
    Ok(Json(Items { items }))
}
