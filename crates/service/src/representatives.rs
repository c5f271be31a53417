//! Legal representatives (A8; 323-FZ art. 20, 22, 54). The registrar links a representative
//! (a confirmed patient with an account) to a dependent's record after checking the
//! documents, creating the record of a young child on the spot, and ends a link with a reason.
//! The representative switches their session into a dependent's cabinet: from then on the
//! session's [`Patient`] is the dependent's (see [`Kabinet::patient_session`]), so every
//! cabinet page and API route works on the dependent's data and its audit rows name the
//! representative as the actor. A minor's link holds only while the dependent is under 18.

use jiff::civil::Date;
use kabinet_core::access::{AccessLevel, Actor, Origin};
use kabinet_core::audit::{AuditAction, ObjectKind};
use kabinet_core::patient::{FieldErrors, PatientInput, age_on};
use kabinet_core::representative::{
    DocumentNumber, IdDocumentKind, MAJORITY_AGE, OWN_ACCOUNT_AGE, RepresentativeBasis, link_live,
};
use kabinet_core::roles::Action;
use kabinet_store::AuditEntry;
use kabinet_store::representatives::{Dependent, LinkError, NewLink};
pub use kabinet_store::representatives::{DoneOnBehalf, RepresentativeLink};

use crate::accounts::Patient;
use crate::staff::StaffUser;
use crate::{Error, Kabinet, Result};

/// Who a session acts for, beside the representative's own account.
#[derive(Debug, Clone)]
pub struct Acting {
    /// The representative's own patient id.
    pub representative_id: i64,
    /// The representative's full name.
    pub representative_name: String,
    /// The link it rests on.
    pub link_id: i64,
    /// On what grounds.
    pub basis: RepresentativeBasis,
}

/// A link as the registrar types it on a card.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct LinkForm {
    /// The representative's patient id (found by the patient search).
    #[serde(default)]
    pub representative_id: String,
    /// `parent`, `adoptive_parent`, `guardian`, `trustee`, `incapacity_guardian`.
    #[serde(default)]
    pub basis: String,
    /// The document's kind (see [`IdDocumentKind::LINK`]).
    #[serde(default)]
    pub document_kind: String,
    /// The document's number.
    #[serde(default)]
    pub document_number: String,
}

/// A link as the cabinet and the card show it: live or not, by the rules of age.
#[derive(Debug, Clone)]
pub struct LinkView {
    /// The stored link.
    pub link: RepresentativeLink,
    /// Whether it holds today.
    pub live: bool,
}

fn field(field: &'static str, message: &'static str) -> Error {
    let mut errors = FieldErrors::default();
    errors.add(field, message);
    Error::Validation(errors)
}

fn born(link: &RepresentativeLink) -> Option<Date> {
    link.dependent_birth_date.parse().ok()
}

impl Kabinet {
    fn live(&self, link: &RepresentativeLink) -> bool {
        link.ended_at.is_none()
            && born(link).is_some_and(|b| link_live(link.basis, b, self.today()))
    }

    /// The session's patient acting for `dependent`, if a live link of this account holds.
    pub(crate) async fn acting_for(
        &self,
        mut patient: Patient,
        dependent: i64,
    ) -> Result<Option<Patient>> {
        let own = patient.own_patient_id();
        let Some(link) = self.store.open_link(own, dependent).await? else { return Ok(None) };
        if !self.live(&link) {
            return Ok(None);
        }
        let Some(record) = self.store.patient_record(dependent).await? else { return Ok(None) };
        let representative_name = match &patient.acting {
            Some(a) => a.representative_name.clone(),
            None => link.representative_name.clone(),
        };
        let a = &mut patient.account;
        a.patient_id = record.id;
        a.access_level = record.access_level;
        a.last_name = record.last_name;
        a.first_name = record.first_name;
        a.middle_name = record.middle_name;
        a.phone = record.phone;
        patient.acting = Some(Acting {
            representative_id: own,
            representative_name,
            link_id: link.id,
            basis: link.basis,
        });
        Ok(Some(patient))
    }

    /// The same session's patient acting for the dependent an API request names
    /// (`X-Act-For`), or as themselves for their own id; another id: not found.
    pub async fn acting_for_request(&self, patient: Patient, dependent: i64) -> Result<Patient> {
        if dependent == patient.own_patient_id() {
            return self.as_self(patient).await;
        }
        self.acting_for(patient, dependent).await?.ok_or(Error::NotFound)
    }

    async fn as_self(&self, patient: Patient) -> Result<Patient> {
        if patient.acting.is_none() {
            return Ok(patient);
        }
        let account = self.store.account(patient.account.id).await?.ok_or(Error::NotFound)?;
        Ok(Patient { account, acting: None, ..patient })
    }

    /// The dependents the signed-in person may act for now (live links only).
    pub async fn my_dependents(&self, patient: &Patient) -> Result<Vec<RepresentativeLink>> {
        let links = self.store.links_of_representative(patient.own_patient_id()).await?;
        Ok(links.into_iter().filter(|l| self.live(l)).collect())
    }

    /// Switches the session into a dependent's cabinet (`Some`) or back to the person's own
    /// (`None`), audited. A dependent without a live link of this account: not found.
    pub async fn act_for(
        &self,
        patient: &Patient,
        dependent: Option<i64>,
        origin: &Origin,
    ) -> Result<()> {
        let own = patient.own_patient_id();
        let (subject, link) = match dependent.filter(|d| *d != own) {
            Some(d) => {
                let link = self.store.open_link(own, d).await?.filter(|l| self.live(l));
                let link = link.ok_or(Error::NotFound)?;
                (d, Some(link.id))
            }
            None => (own, None),
        };
        let entry = AuditEntry::new(
            self.now().as_second(),
            Actor::Patient(own),
            AuditAction::RepresentativeActFor,
            ObjectKind::RepresentativeLink,
            link,
        )
        .patient(subject)
        .origin(origin)
        .details(serde_json::json!({"acting": link.is_some()}));
        let acting = link.map(|_| subject);
        self.store.set_acting_patient(&patient.session_hash, acting, &entry).await?;
        Ok(())
    }

    /// For a dependent who holds their own account (15 and over): the live links of those who
    /// act for them (none while the session itself acts for someone).
    pub async fn my_representative_links(
        &self,
        patient: &Patient,
    ) -> Result<Vec<RepresentativeLink>> {
        if patient.acting.is_some() {
            return Ok(Vec::new());
        }
        let links = self.store.links_of_dependent(patient.account.patient_id).await?;
        Ok(links.into_iter().filter(|l| self.live(l)).collect())
    }

    /// For a dependent who holds their own account (15 and over): the live links of those who
    /// act for them, and what was done on their behalf.
    pub async fn my_representatives(
        &self,
        patient: &Patient,
    ) -> Result<(Vec<RepresentativeLink>, Vec<DoneOnBehalf>)> {
        if patient.acting.is_some() {
            return Ok((Vec::new(), Vec::new()));
        }
        let me = patient.account.patient_id;
        let links: Vec<_> =
            self.store.links_of_dependent(me).await?.into_iter().filter(|l| self.live(l)).collect();
        let done = self.store.done_on_behalf_of(me).await?;
        Ok((links, done))
    }

    /// Every link of a dependent (live first) and every link of the patient as a
    /// representative, for the card. Read with the card, whose view is audited.
    pub async fn representative_links(
        &self,
        staff: &StaffUser,
        patient_id: i64,
    ) -> Result<(Vec<LinkView>, Vec<LinkView>)> {
        staff.require(Action::ViewPatientCard)?;
        let view = |l: RepresentativeLink| LinkView { live: self.live(&l), link: l };
        let as_dependent = self.store.links_of_dependent(patient_id).await?;
        let as_representative = self.store.links_of_representative(patient_id).await?;
        Ok((
            as_dependent.into_iter().map(view).collect(),
            as_representative.into_iter().map(view).collect(),
        ))
    }

    /// Links a representative to a dependent: an existing record (`dependent_id`), or a new
    /// one made from `child` (no e-mail of its own; without a phone, the representative's).
    /// Returns the dependent's patient id.
    pub async fn link_representative(
        &self,
        staff: &StaffUser,
        dependent_id: Option<i64>,
        form: &LinkForm,
        child: Option<&PatientInput>,
        origin: &Origin,
    ) -> Result<i64> {
        staff.require(Action::LinkRepresentatives)?;
        let today = self.today();
        let mut errors = FieldErrors::default();
        let representative = match form.representative_id.trim().parse::<i64>() {
            Ok(id) => self.store.patient_record(id).await?,
            Err(_) => None,
        };
        let representative = match representative {
            None => {
                errors.add("representative_id", "error-representative-required");
                None
            }
            Some(r) if r.account_id.is_none() || r.access_level != AccessLevel::Confirmed => {
                errors.add("representative_id", "error-representative-unconfirmed");
                None
            }
            Some(r) => Some(r),
        };
        let basis = errors
            .take("basis", form.basis.parse::<RepresentativeBasis>().map_err(|_| "error-required"));
        let kind = errors.take(
            "document_kind",
            form.document_kind
                .parse::<IdDocumentKind>()
                .ok()
                .filter(|k| IdDocumentKind::LINK.contains(k))
                .ok_or("error-required"),
        );
        let number = errors.take("document_number", DocumentNumber::parse(&form.document_number));
        if basis == Some(RepresentativeBasis::IncapacityGuardian)
            && kind.is_some_and(|k| k != IdDocumentKind::CourtDecision)
        {
            errors.add("document_kind", "error-incapacity-needs-court");
        }
        let (dependent, birth) = match (dependent_id, child) {
            (Some(id), _) => {
                let record = self.store.patient_record(id).await?.ok_or(Error::NotFound)?;
                (Some(Dependent::Existing(id)), record.birth_date.parse::<Date>().ok())
            }
            (None, Some(input)) => {
                let mut input = input.clone();
                if input.phone.trim().is_empty() {
                    // A child has no phone of their own: the representative's reaches them.
                    input.phone =
                        representative.as_ref().map(|r| r.phone.clone()).unwrap_or_default();
                }
                input.email = None;
                let data = input.parse(today, &mut errors);
                let birth = data.as_ref().map(|d| d.birth_date);
                (data.map(Dependent::New), birth)
            }
            (None, None) => return Err(Error::NotFound),
        };
        if let (Some(basis), Some(birth)) = (basis, birth)
            && !link_live(basis, birth, today)
        {
            errors.add("basis", "error-dependent-adult");
        }
        if let (Some(r), Some(id)) = (&representative, dependent_id)
            && r.id == id
        {
            errors.add("representative_id", "error-representative-self");
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let (Some(representative), Some(basis), Some(kind), Some(number), Some(dependent)) =
            (representative, basis, kind, number, dependent)
        else {
            return Err(Error::Validation(errors));
        };
        let link = NewLink {
            representative_id: representative.id,
            dependent,
            basis,
            document_kind: kind,
            document_number: number.as_str().to_owned(),
            staff_id: staff.member.id,
            origin: origin.clone(),
            now: self.now().as_second(),
        };
        match self.store.link_representative(&link).await {
            Ok((_, dependent_id)) => Ok(dependent_id),
            Err(LinkError::AlreadyLinked) => {
                Err(field("representative_id", "error-representative-linked"))
            }
            Err(LinkError::Store(e)) => Err(e.into()),
        }
    }

    /// Ends a live link of the dependent with a reason, audited; acting through it stops at
    /// once.
    pub async fn end_representative_link(
        &self,
        staff: &StaffUser,
        dependent_id: i64,
        link_id: i64,
        reason: &str,
        origin: &Origin,
    ) -> Result<()> {
        staff.require(Action::LinkRepresentatives)?;
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > 500 {
            return Err(field("reason", "error-reason-required"));
        }
        let now = self.now().as_second();
        let ended = self
            .store
            .end_representative_link(
                link_id,
                dependent_id,
                Some(staff.member.id),
                reason,
                origin,
                now,
            )
            .await?;
        if ended { Ok(()) } else { Err(Error::NotFound) }
    }

    /// Ends, for the record, every minor's link whose dependent turned 18 (run daily by the
    /// worker; a link already stops working on the birthday itself). Returns how many ended.
    pub async fn end_links_come_of_age(&self) -> Result<usize> {
        let today = self.today();
        let born_by = today
            .checked_sub(jiff::Span::new().years(i64::from(MAJORITY_AGE)))
            .map_err(|e| Error::Internal(e.to_string()))?;
        let links = self.store.links_come_of_age(&born_by.to_string()).await?;
        let now = self.now().as_second();
        let mut ended = 0;
        for link in links {
            let origin = Origin::default();
            let reason = "Представляемому исполнилось 18 лет";
            if self
                .store
                .end_representative_link(link.id, link.dependent_id, None, reason, &origin, now)
                .await?
            {
                ended += 1;
            }
        }
        Ok(ended)
    }

    /// Whether a patient born on `birth` may hold their own account alongside a
    /// representative (15 and over, 323-FZ art. 54).
    pub fn may_hold_own_account(&self, birth: Date) -> bool {
        age_on(birth, self.today()) >= OWN_ACCOUNT_AGE
    }
}
