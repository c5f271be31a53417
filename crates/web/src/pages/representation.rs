//! A legal representative in the cabinet (A8): the switch between their own cabinet and a
//! dependent's (`POST /cabinet/act-for`). The session remembers whom it acts for; the cabinet
//! extractors then give every page the dependent's patient (see [`crate::session`]).

use axum::extract::{Form, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use kabinet_core::representative::{IdDocumentKind, RepresentativeBasis};
use serde::Deserialize;

use crate::AppState;
use crate::error::PageError;
use crate::request::ClientOrigin;
use crate::routes::Routes;
use crate::session::CabinetPatient;

/// The message key of a basis, in words.
pub fn basis_key(basis: RepresentativeBasis) -> &'static str {
    match basis {
        RepresentativeBasis::Parent => "representative-basis-parent",
        RepresentativeBasis::AdoptiveParent => "representative-basis-adoptive-parent",
        RepresentativeBasis::Guardian => "representative-basis-guardian",
        RepresentativeBasis::Trustee => "representative-basis-trustee",
        RepresentativeBasis::IncapacityGuardian => "representative-basis-incapacity-guardian",
    }
}

/// The message key of a kind of document, in words.
pub fn document_key(kind: IdDocumentKind) -> &'static str {
    match kind {
        IdDocumentKind::PassportRf => "document-kind-passport-rf",
        IdDocumentKind::BirthCertificate => "document-kind-birth-certificate",
        IdDocumentKind::ForeignPassport => "document-kind-foreign-passport",
        IdDocumentKind::ResidencePermit => "document-kind-residence-permit",
        IdDocumentKind::GuardianshipAct => "document-kind-guardianship-act",
        IdDocumentKind::CourtDecision => "document-kind-court-decision",
        IdDocumentKind::AdoptionCertificate => "document-kind-adoption-certificate",
        IdDocumentKind::Other => "document-kind-other",
    }
}

#[derive(Debug, Default, Deserialize)]
struct ActForForm {
    /// A dependent's patient id, or the person's own.
    #[serde(default)]
    patient: String,
}

pub fn routes() -> Routes {
    Routes::default().route("/cabinet/act-for", post(act_for))
}

/// Switches the session: to a dependent of a live link of this account, or back to the
/// person's own cabinet. Any other id: 404, and the session stays as it was.
async fn act_for(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    CabinetPatient(patient): CabinetPatient,
    Form(form): Form<ActForForm>,
) -> Result<Response, PageError> {
    let id = form.patient.trim().parse::<i64>().map_err(|_| kabinet_service::Error::NotFound)?;
    let dependent = (id != patient.own_patient_id()).then_some(id);
    state.kabinet.act_for(&patient, dependent, &origin).await?;
    Ok(Redirect::to("/cabinet").into_response())
}
