//! The administrator's catalog (C1): branches, specialties and specialists — created, changed,
//! hidden or deleted one at a time, a specialist's photo uploaded or removed — each change
//! audited in its transaction. Who may is the roles table's ([`Action::ManageCatalog`]).
//! The demo clinic loads its catalog through the same functions, as the system.

use kabinet_core::access::{Actor, Origin};
use kabinet_core::audit::{AuditAction, ObjectKind};
use kabinet_core::catalog_form::{BranchInput, SpecialistInput, SpecialtyInput};
use kabinet_core::lang::Lang;
use kabinet_core::patient::FieldErrors;
use kabinet_core::roles::Action;
use kabinet_store::AuditEntry;
use kabinet_store::catalog::{Specialist, SpecialistFilter};
use kabinet_store::catalog_admin::{
    BranchRecord, Photo, Removal, SpecialistRecord, SpecialtyRecord,
};
use serde_json::json;

use crate::photos::{PHOTO_CONTENT_TYPE, new_photo_name, reencode};
use crate::staff::StaffUser;
use crate::{Error, Kabinet, Result};

/// What the catalog's page lists.
#[derive(Debug, Clone)]
pub struct CatalogOverview {
    /// Every branch, by id.
    pub branches: Vec<BranchRecord>,
    /// Every specialty, by name.
    pub specialties: Vec<SpecialtyRecord>,
    /// Every specialist, hidden ones too, by surname.
    pub specialists: Vec<Specialist>,
}

/// The choices of a specialist's form: the branches and the specialties there are.
#[derive(Debug, Clone)]
pub struct SpecialistChoices {
    /// Every branch, by id.
    pub branches: Vec<BranchRecord>,
    /// Every specialty, by name.
    pub specialties: Vec<SpecialtyRecord>,
}

/// One problem of a form, as [`Error::Validation`].
fn refused(field: &'static str, message: &'static str) -> Error {
    let mut errors = FieldErrors::default();
    errors.add(field, message);
    Error::Validation(errors)
}

impl Kabinet {
    /// An audit row of the clinic's catalog, its prices or schedules, dated now.
    pub(crate) fn catalog_audit(
        &self,
        actor: Actor,
        action: AuditAction,
        kind: ObjectKind,
        origin: &Origin,
    ) -> AuditEntry {
        AuditEntry::new(self.now().as_second(), actor, action, kind, None).origin(origin)
    }

    /// The branches, specialties and specialists (hidden ones too), names in `lang`.
    pub async fn catalog_overview(&self, staff: &StaffUser, lang: Lang) -> Result<CatalogOverview> {
        staff.require(Action::ManageCatalog)?;
        let filter = SpecialistFilter { with_hidden: true, ..SpecialistFilter::default() };
        Ok(CatalogOverview {
            branches: self.store.branch_records().await?,
            specialties: self.store.specialty_records().await?,
            specialists: self.store.list_specialists(filter, lang).await?,
        })
    }

    /// A branch as written, for its form.
    pub async fn branch_record(&self, staff: &StaffUser, id: i64) -> Result<BranchRecord> {
        staff.require(Action::ManageCatalog)?;
        let branches = self.store.branch_records().await?;
        branches.into_iter().find(|b| b.id == id).ok_or(Error::NotFound)
    }

    /// Adds a branch (`id` none) or changes one; returns its id.
    pub async fn save_branch(
        &self,
        staff: &StaffUser,
        id: Option<i64>,
        input: &BranchInput,
        origin: &Origin,
    ) -> Result<i64> {
        staff.require(Action::ManageCatalog)?;
        self.write_branch(staff.actor(), id, input, origin).await
    }

    pub(crate) async fn write_branch(
        &self,
        actor: Actor,
        id: Option<i64>,
        input: &BranchInput,
        origin: &Origin,
    ) -> Result<i64> {
        let mut errors = FieldErrors::default();
        let Some(branch) = input.parse(&mut errors) else {
            return Err(Error::Validation(errors));
        };
        let action =
            if id.is_some() { AuditAction::BranchUpdate } else { AuditAction::BranchCreate };
        let audit = self
            .catalog_audit(actor, action, ObjectKind::Branch, origin)
            .details(json!({"name": branch.name}));
        match id {
            None => Ok(self.store.create_branch(&branch, audit).await?),
            Some(id) if self.store.update_branch(id, &branch, audit).await? => Ok(id),
            Some(_) => Err(Error::NotFound),
        }
    }

    /// Deletes a branch no specialist works at; one that someone does is kept, with a message.
    pub async fn delete_branch(&self, staff: &StaffUser, id: i64, origin: &Origin) -> Result<()> {
        staff.require(Action::ManageCatalog)?;
        let audit = self.catalog_audit(
            staff.actor(),
            AuditAction::BranchDelete,
            ObjectKind::Branch,
            origin,
        );
        match self.store.delete_branch(id, audit).await? {
            Removal::Deleted => Ok(()),
            Removal::NotFound => Err(Error::NotFound),
            Removal::InUse => Err(refused("delete", "error-catalog-branch-in-use")),
        }
    }

    /// A specialty as written, for its form.
    pub async fn specialty_record(&self, staff: &StaffUser, id: i64) -> Result<SpecialtyRecord> {
        staff.require(Action::ManageCatalog)?;
        let specialties = self.store.specialty_records().await?;
        specialties.into_iter().find(|s| s.id == id).ok_or(Error::NotFound)
    }

    /// Adds a specialty (`id` none) or changes one; returns its id.
    pub async fn save_specialty(
        &self,
        staff: &StaffUser,
        id: Option<i64>,
        input: &SpecialtyInput,
        origin: &Origin,
    ) -> Result<i64> {
        staff.require(Action::ManageCatalog)?;
        self.write_specialty(staff.actor(), id, input, origin).await
    }

    pub(crate) async fn write_specialty(
        &self,
        actor: Actor,
        id: Option<i64>,
        input: &SpecialtyInput,
        origin: &Origin,
    ) -> Result<i64> {
        let mut errors = FieldErrors::default();
        let Some(specialty) = input.parse(&mut errors) else {
            return Err(Error::Validation(errors));
        };
        let action =
            if id.is_some() { AuditAction::SpecialtyUpdate } else { AuditAction::SpecialtyCreate };
        let audit = self
            .catalog_audit(actor, action, ObjectKind::Specialty, origin)
            .details(json!({"name": specialty.name}));
        let written = match id {
            None => self.store.create_specialty(&specialty, audit).await,
            Some(id) => self
                .store
                .update_specialty(id, &specialty, audit)
                .await
                .map(|found| if found { id } else { 0 }),
        };
        match written {
            Ok(0) => Err(Error::NotFound),
            Ok(id) => Ok(id),
            Err(e) if e.is_unique_violation() => {
                Err(refused("name", "error-catalog-specialty-taken"))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Deletes a specialty no specialist and no service has.
    pub async fn delete_specialty(
        &self,
        staff: &StaffUser,
        id: i64,
        origin: &Origin,
    ) -> Result<()> {
        staff.require(Action::ManageCatalog)?;
        let audit = self.catalog_audit(
            staff.actor(),
            AuditAction::SpecialtyDelete,
            ObjectKind::Specialty,
            origin,
        );
        match self.store.delete_specialty(id, audit).await? {
            Removal::Deleted => Ok(()),
            Removal::NotFound => Err(Error::NotFound),
            Removal::InUse => Err(refused("delete", "error-catalog-specialty-in-use")),
        }
    }

    /// The branches and specialties a specialist's form offers.
    pub async fn specialist_choices(&self, staff: &StaffUser) -> Result<SpecialistChoices> {
        staff.require(Action::ManageCatalog)?;
        Ok(SpecialistChoices {
            branches: self.store.branch_records().await?,
            specialties: self.store.specialty_records().await?,
        })
    }

    /// A specialist as written, for their form.
    pub async fn specialist_record(&self, staff: &StaffUser, id: i64) -> Result<SpecialistRecord> {
        staff.require(Action::ManageCatalog)?;
        self.store.specialist_record(id).await?.ok_or(Error::NotFound)
    }

    /// Adds a specialist (`id` none) or changes one; returns their id.
    pub async fn save_specialist(
        &self,
        staff: &StaffUser,
        id: Option<i64>,
        input: &SpecialistInput,
        origin: &Origin,
    ) -> Result<i64> {
        staff.require(Action::ManageCatalog)?;
        self.write_specialist(staff.actor(), id, input, origin).await
    }

    pub(crate) async fn write_specialist(
        &self,
        actor: Actor,
        id: Option<i64>,
        input: &SpecialistInput,
        origin: &Origin,
    ) -> Result<i64> {
        let branches: Vec<i64> =
            self.store.branch_records().await?.into_iter().map(|b| b.id).collect();
        let specialties: Vec<i64> =
            self.store.specialty_records().await?.into_iter().map(|s| s.id).collect();
        let mut errors = FieldErrors::default();
        let this_year = self.today().year();
        let Some(specialist) = input.parse(&specialties, &branches, this_year, &mut errors) else {
            return Err(Error::Validation(errors));
        };
        let action = if id.is_some() {
            AuditAction::SpecialistUpdate
        } else {
            AuditAction::SpecialistCreate
        };
        let audit =
            self.catalog_audit(actor, action, ObjectKind::Specialist, origin).details(json!({
                "specialties": specialist.specialty_ids,
                "branches": specialist.branch_ids,
                "online_booking": specialist.online_booking,
                "online_discount_percent": specialist.online_discount_percent,
            }));
        match id {
            None => Ok(self.store.create_specialist(&specialist, audit).await?),
            Some(id) if self.store.update_specialist(id, &specialist, audit).await? => Ok(id),
            Some(_) => Err(Error::NotFound),
        }
    }

    /// Hides a specialist from the directory (their visits stay), or shows them again.
    pub async fn set_specialist_hidden(
        &self,
        staff: &StaffUser,
        id: i64,
        hidden: bool,
        origin: &Origin,
    ) -> Result<()> {
        staff.require(Action::ManageCatalog)?;
        let action = if hidden { AuditAction::SpecialistHide } else { AuditAction::SpecialistShow };
        let audit = self.catalog_audit(staff.actor(), action, ObjectKind::Specialist, origin);
        if self.store.set_specialist_hidden(id, hidden, audit).await? {
            Ok(())
        } else {
            Err(Error::NotFound)
        }
    }

    /// Keeps an uploaded photo of a specialist, re-encoded by us, in place of the one they
    /// had; a refused upload is a `photo` field error saying why.
    pub async fn upload_specialist_photo(
        &self,
        staff: &StaffUser,
        id: i64,
        upload: &[u8],
        origin: &Origin,
    ) -> Result<()> {
        staff.require(Action::ManageCatalog)?;
        let bytes = reencode(upload).map_err(|message| refused("photo", message))?;
        let photo = Photo { content_type: PHOTO_CONTENT_TYPE.to_owned(), bytes };
        let name = new_photo_name();
        let audit = self
            .catalog_audit(
                staff.actor(),
                AuditAction::SpecialistPhotoSet,
                ObjectKind::Specialist,
                origin,
            )
            .details(json!({"bytes": photo.bytes.len()}));
        let now = self.now().as_second();
        if self.store.set_specialist_photo(id, &name, &photo, now, audit).await? {
            Ok(())
        } else {
            Err(Error::NotFound)
        }
    }

    /// Removes a specialist's photo: the initials avatar shows again.
    pub async fn remove_specialist_photo(
        &self,
        staff: &StaffUser,
        id: i64,
        origin: &Origin,
    ) -> Result<()> {
        staff.require(Action::ManageCatalog)?;
        let audit = self.catalog_audit(
            staff.actor(),
            AuditAction::SpecialistPhotoRemove,
            ObjectKind::Specialist,
            origin,
        );
        self.store.remove_specialist_photo(id, audit).await?;
        Ok(())
    }

    /// A photo by its name, for anyone (the directory shows it).
    pub async fn photo(&self, name: &str) -> Result<Photo> {
        self.store.photo(name).await?.ok_or(Error::NotFound)
    }
}
