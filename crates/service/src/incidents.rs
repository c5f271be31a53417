//! Incidents with personal data (G5; 152-FZ art. 21 p. 3.1): the administrator records one
//! (what, when found, which categories, which patients — chosen, or by a query over dates,
//! counted before saving), every affected patient is told at once (cabinet and letter,
//! written set-based in the incident's transaction), and the two notices to the supervisory
//! authority are due 24 and 72 hours after detection until marked sent.
//!
//! The patients' message is fixed text with the categories: the administrator's own words
//! (the summary, the causes) may name a department or a service, and a letter never does
//! (323-FZ art. 13); they go only into the notices to the authority.

use jiff::Timestamp;
use kabinet_core::access::Origin;
use kabinet_core::blocking::required_text;
use kabinet_core::incident::{Affected, AffectedInput, DataCategory, IncidentInput, Notice};
use kabinet_core::patient::FieldErrors;
use kabinet_core::roles::Action;
use kabinet_store::incidents::{AffectedQuery, IncidentLetter, IncidentRow, NewIncident};

use crate::staff::StaffUser;
use crate::{Error, Kabinet, Result};

/// The subject of the patients' message and letter: neutral, as every subject.
pub const INCIDENT_SUBJECT: &str = "Уведомление о безопасности персональных данных";

/// A category in the patients' words, in Russian.
pub fn category_ru(category: DataCategory) -> &'static str {
    match category {
        DataCategory::FullName => "фамилия, имя, отчество",
        DataCategory::Contacts => "контактные данные (телефон, электронная почта)",
        DataCategory::BirthDate => "дата рождения",
        DataCategory::Address => "почтовый адрес",
        DataCategory::Visits => "сведения о записях на приём",
        DataCategory::Health => "сведения о здоровье",
        DataCategory::Credentials => "учётные данные личного кабинета",
        DataCategory::Documents => "реквизиты документов",
        DataCategory::Payments => "сведения об оплате",
    }
}

/// The categories stored on an incident, parsed (unknown names skipped).
pub fn categories_of(row: &IncidentRow) -> Vec<DataCategory> {
    row.categories.split(',').filter_map(|c| c.parse().ok()).collect()
}

impl Kabinet {
    fn affected_query(&self, affected: &Affected) -> AffectedQuery {
        let bounds =
            |from, to| (self.day_bounds(from).0.as_second(), self.day_bounds(to).1.as_second());
        match affected {
            Affected::Chosen(keys) => AffectedQuery::Chosen(keys.clone()),
            Affected::Visits(from, to) => {
                let (from, to) = bounds(*from, *to);
                AffectedQuery::Visits(from, to)
            }
            Affected::Accounts(from, to) => {
                let (from, to) = bounds(*from, *to);
                AffectedQuery::Accounts(from, to)
            }
        }
    }

    /// How many patients the selection finds, before saving.
    pub async fn preview_incident_patients(
        &self,
        staff: &StaffUser,
        input: &AffectedInput,
    ) -> Result<i64> {
        staff.require(Action::ManageIncidents)?;
        let mut errors = FieldErrors::default();
        let Some(affected) = input.parse(&mut errors) else {
            return Err(Error::Validation(errors));
        };
        Ok(self.store.count_affected(&self.affected_query(&affected)).await?)
    }

    /// The message every affected patient gets: what happened in general terms, the
    /// categories, what the clinic does, what the patient can do.
    pub(crate) fn incident_letter(&self, categories: &[DataCategory]) -> IncidentLetter {
        let list: Vec<&str> = categories.iter().map(|c| category_ru(*c)).collect();
        let text = format!(
            "Клиника обнаружила инцидент, при котором мог быть получен неправомерный доступ к \
             вашим персональным данным. Затронуты: {}.\n\n\
             Что делает клиника: мы устранили причину, проводим внутреннее расследование и \
             сообщили о случившемся в Роскомнадзор, как требует закон.\n\n\
             Что можете сделать вы: смените пароль личного кабинета, если пользуетесь им; \
             будьте осторожны со звонками и письмами от имени клиники — мы никогда не \
             спрашиваем пароли и коды. Вопросы — по телефону {}.",
            list.join(", "),
            self.settings.clinic_phone
        );
        IncidentLetter {
            subject: INCIDENT_SUBJECT.to_owned(),
            body: text.clone(),
            mail_subject: format!("{INCIDENT_SUBJECT} — {}", self.settings.clinic_name),
            mail_body: self.letter(&text),
        }
    }

    /// Records an incident and notifies every affected patient. Returns its id.
    pub async fn create_incident(
        &self,
        staff: &StaffUser,
        input: &IncidentInput,
        origin: &Origin,
    ) -> Result<i64> {
        staff.require(Action::ManageIncidents)?;
        let tz = self.settings.time_zone.clone();
        let now = self.now().to_zoned(tz.clone()).datetime();
        let mut errors = FieldErrors::default();
        let Some(data) = input.parse(now, &mut errors) else {
            return Err(Error::Validation(errors));
        };
        let found_at = data
            .found_at
            .to_zoned(tz)
            .map_err(|e| Error::Internal(format!("found_at: {e}")))?
            .timestamp()
            .as_second();
        let categories: Vec<&str> = data.categories.iter().map(|c| c.as_str()).collect();
        let incident = NewIncident {
            summary: data.summary,
            found_at,
            categories: categories.join(","),
            causes: data.causes,
            harm: data.harm,
            measures: data.measures,
            contact: data.contact,
            affected: self.affected_query(&data.affected),
            letter: self.incident_letter(&data.categories),
            staff_id: staff.member.id,
            origin: origin.clone(),
            now: self.now().as_second(),
        };
        Ok(self.store.create_incident(&incident).await?.0)
    }

    /// Every incident, newest first.
    pub async fn incidents(&self, staff: &StaffUser) -> Result<Vec<IncidentRow>> {
        staff.require(Action::ManageIncidents)?;
        Ok(self.store.incidents().await?)
    }

    /// Incidents with a notice not sent yet (the administrator's home page).
    pub async fn incidents_with_open_notices(&self, staff: &StaffUser) -> Result<Vec<IncidentRow>> {
        staff.require(Action::ManageIncidents)?;
        Ok(self.store.incidents_with_open_notices().await?)
    }

    /// One incident.
    pub async fn incident(&self, staff: &StaffUser, id: i64) -> Result<IncidentRow> {
        staff.require(Action::ManageIncidents)?;
        self.store.incident(id).await?.ok_or(Error::NotFound)
    }

    /// Records the results of the internal investigation and the people responsible (the
    /// 72-hour notice's content).
    pub async fn record_incident_investigation(
        &self,
        staff: &StaffUser,
        id: i64,
        (investigation, responsible): (&str, &str),
        origin: &Origin,
    ) -> Result<()> {
        staff.require(Action::ManageIncidents)?;
        let mut errors = FieldErrors::default();
        let investigation =
            errors.take("investigation", required_text(investigation, "error-incident-text"));
        let responsible =
            errors.take("responsible", required_text(responsible, "error-incident-text"));
        let (Some(investigation), Some(responsible)) = (investigation, responsible) else {
            return Err(Error::Validation(errors));
        };
        let now = self.now().as_second();
        let texts = (investigation.as_str(), responsible.as_str());
        if !self.store.record_investigation(id, texts, staff.member.id, origin, now).await? {
            return Err(Error::NotFound);
        }
        Ok(())
    }

    /// Marks a notice sent to the supervisory authority (who and when, audited). The 72-hour
    /// notice needs the investigation's results first.
    pub async fn mark_incident_notice_sent(
        &self,
        staff: &StaffUser,
        id: i64,
        notice: Notice,
        origin: &Origin,
    ) -> Result<()> {
        let incident = self.incident(staff, id).await?;
        if notice == Notice::Second && incident.investigation.is_none() {
            return Err(Error::Forbidden);
        }
        let now = self.now().as_second();
        self.store.mark_notice_sent(id, notice, staff.member.id, origin, now).await?;
        Ok(())
    }

    /// When a notice of an incident is due.
    pub fn notice_due(&self, incident: &IncidentRow, notice: Notice) -> Timestamp {
        notice.due(Timestamp::from_second(incident.found_at).unwrap_or_default())
    }
}
