//! The roles table as the oracle of the back office (issue 11, point 1). Every route under
//! `/staff` — the router's own list, so a new one cannot hide — is called by an
//! administrator, a registrar, an auditor (a registrar holding the auditor grant), a signed-in
//! patient and someone without a session. What each may do comes from
//! `kabinet_core::roles`, never from answers written here: a member the table allows gets the
//! route's own answer (a page or a redirect onwards), one it does not gets 403; a patient and
//! a visitor are sent to the staff sign-in, as the back office always did.

use std::collections::{BTreeMap, BTreeSet};

use axum::body::Body;
use axum::http::{Request, header};
use kabinet_core::access::{Actor, Origin, StaffRole};
use kabinet_core::blocking::DataBlockInput;
use kabinet_core::catalog_form::{BranchInput, SpecialtyInput};
use kabinet_core::incident::{AffectedInput, IncidentInput};
use kabinet_core::patient::PatientInput;
use kabinet_core::requests::{AppealCategory, RequestKind};
use kabinet_core::roles::{self, Action};
use kabinet_core::schedule_form::{ExceptionInput, TemplateInput};
use kabinet_service::change_requests::ChangeFields;
use kabinet_service::prices::ApplyInput;
use kabinet_service::registrar::AccessRequest;
use kabinet_service::representatives::LinkForm;
use kabinet_service::services::ServiceInput;
use kabinet_service::staff::{StaffInput, StaffUser};
use kabinet_store::files::NewFile;
use kabinet_store::requests::{NewAppeal, NewSubjectRequest};

use crate::common::{TestApp, TestResponse};
use crate::price_lists::{BOUNDARY, multipart_body};
use crate::staff::{
    ADMIN_PASSWORD, REGISTRAR_PASSWORD, administrator, csrf, post, registrar, sign_in_fully,
};

/// What a route needs of its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gate {
    /// A step of signing in: open to anyone, given by no role.
    SignIn,
    /// Any signed-in member of staff.
    Member,
    /// A member the roles table lets do the action.
    May(Action),
}

use Action::*;
use Gate::{May, SignIn};

/// Every route of the back office with what it needs. The test fails when the router has a
/// path or a method that is not here, or this has one the router lacks.
const BACK_OFFICE: &[(&str, &str, Gate)] = &[
    ("GET", "/staff/login", SignIn),
    ("POST", "/staff/login", SignIn),
    ("GET", "/staff/bootstrap", SignIn),
    ("POST", "/staff/bootstrap", SignIn),
    ("GET", "/staff/setup", SignIn),
    ("POST", "/staff/setup", SignIn),
    ("GET", "/staff/code", SignIn),
    ("POST", "/staff/code", SignIn),
    ("GET", "/staff/enrol", SignIn),
    ("POST", "/staff/enrol", SignIn),
    ("GET", "/staff/enrol/qr.svg", SignIn),
    ("GET", "/staff", Gate::Member),
    ("POST", "/staff/search", May(SearchPatients)),
    ("GET", "/staff/patients/{id}", May(ViewPatientCard)),
    ("GET", "/staff/patients/{id}/book", May(BookVisits)),
    ("POST", "/staff/patients/{id}/visits", May(BookVisits)),
    ("GET", "/staff/patients/{id}/visits/{visit}/cancel", May(CancelVisits)),
    ("POST", "/staff/patients/{id}/visits/{visit}/cancel", May(CancelVisits)),
    ("GET", "/staff/patients/{id}/suspend", May(SuspendPatients)),
    ("POST", "/staff/patients/{id}/suspend", May(SuspendPatients)),
    ("POST", "/staff/patients/{id}/unsuspend", May(SuspendPatients)),
    ("GET", "/staff/patients/{id}/one-time-password", May(IssueAccess)),
    ("POST", "/staff/patients/{id}/one-time-password", May(IssueAccess)),
    ("POST", "/staff/patients/{id}/messages", May(MessagePatients)),
    ("GET", "/staff/patients/{id}/messages/{thread}", May(MessagePatients)),
    ("POST", "/staff/patients/{id}/messages/{thread}", May(MessagePatients)),
    ("GET", "/staff/access/new", May(IssueAccess)),
    ("POST", "/staff/access", May(IssueAccess)),
    ("GET", "/staff/requests", May(HandleChangeRequests)),
    ("POST", "/staff/requests/{id}/complete", May(HandleChangeRequests)),
    ("POST", "/staff/requests/{id}/reject", May(HandleChangeRequests)),
    ("GET", "/staff/feed", May(ReadFeed)),
    ("GET", "/staff/calls", May(CallPatients)),
    ("POST", "/staff/patients/{id}/visits/{visit}/calls", May(CallPatients)),
    ("GET", "/staff/visits", May(MarkVisitOutcomes)),
    ("POST", "/staff/patients/{id}/visits/{visit}/outcome", May(MarkVisitOutcomes)),
    ("POST", "/staff/patients/{id}/online-booking", May(MarkVisitOutcomes)),
    ("GET", "/staff/waitlist", May(BookVisits)),
    ("GET", "/staff/team", May(ManageTeam)),
    ("POST", "/staff/team", May(ManageTeam)),
    ("GET", "/staff/team/{id}/suspend", May(ManageTeam)),
    ("POST", "/staff/team/{id}/suspend", May(ManageTeam)),
    ("POST", "/staff/team/{id}/unsuspend", May(ManageTeam)),
    ("POST", "/staff/team/{id}/auditor", May(GrantAuditor)),
    ("POST", "/staff/team/{id}/not-auditor", May(GrantAuditor)),
    ("POST", "/staff/team/{id}/reset-second-factor", May(ResetSecondFactor)),
    ("GET", "/staff/audit", May(ReadAuditLog)),
    ("GET", "/staff/moves", May(MoveVisits)),
    ("GET", "/staff/patients/{id}/visits/{visit}/move", May(MoveVisits)),
    ("POST", "/staff/patients/{id}/visits/{visit}/move", May(MoveVisits)),
    ("POST", "/staff/patients/{id}/visits/{visit}/cancel-with-reason", May(MoveVisits)),
    ("GET", "/staff/schedules", May(ManageSchedules)),
    ("GET", "/staff/schedules/{id}", May(ManageSchedules)),
    ("POST", "/staff/schedules/{id}/templates", May(ManageSchedules)),
    ("POST", "/staff/schedules/{id}/templates/{template}/end", May(ManageSchedules)),
    ("POST", "/staff/schedules/{id}/exceptions", May(ManageSchedules)),
    ("POST", "/staff/schedules/{id}/exceptions/{exception}/remove", May(ManageSchedules)),
    ("GET", "/staff/services", May(ManagePrices)),
    ("POST", "/staff/services", May(ManagePrices)),
    ("GET", "/staff/services/new", May(ManagePrices)),
    ("GET", "/staff/services/{id}", May(ManagePrices)),
    ("POST", "/staff/services/{id}", May(ManagePrices)),
    ("POST", "/staff/services/{id}/archive", May(ManagePrices)),
    ("POST", "/staff/services/{id}/restore", May(ManagePrices)),
    ("GET", "/staff/prices", May(ManagePrices)),
    ("POST", "/staff/prices/import", May(ManagePrices)),
    ("POST", "/staff/prices/apply", May(ManagePrices)),
    ("GET", "/staff/prices/export.csv", May(ManagePrices)),
    ("GET", "/staff/prices/{id}/export.csv", May(ManagePrices)),
    ("GET", "/staff/discounts", May(ManageDiscounts)),
    ("POST", "/staff/discounts/cards", May(ManageDiscounts)),
    ("POST", "/staff/discounts/certificates", May(ManageDiscounts)),
    ("POST", "/staff/discounts/promotions", May(ManageDiscounts)),
    ("POST", "/staff/discounts/{kind}/{id}/end", May(ManageDiscounts)),
    ("GET", "/staff/catalog", May(ManageCatalog)),
    ("GET", "/staff/catalog/branches/new", May(ManageCatalog)),
    ("POST", "/staff/catalog/branches", May(ManageCatalog)),
    ("GET", "/staff/catalog/branches/{id}", May(ManageCatalog)),
    ("POST", "/staff/catalog/branches/{id}", May(ManageCatalog)),
    ("POST", "/staff/catalog/branches/{id}/delete", May(ManageCatalog)),
    ("GET", "/staff/catalog/specialties/new", May(ManageCatalog)),
    ("POST", "/staff/catalog/specialties", May(ManageCatalog)),
    ("GET", "/staff/catalog/specialties/{id}", May(ManageCatalog)),
    ("POST", "/staff/catalog/specialties/{id}", May(ManageCatalog)),
    ("POST", "/staff/catalog/specialties/{id}/delete", May(ManageCatalog)),
    ("GET", "/staff/catalog/specialists/new", May(ManageCatalog)),
    ("POST", "/staff/catalog/specialists", May(ManageCatalog)),
    ("GET", "/staff/catalog/specialists/{id}", May(ManageCatalog)),
    ("POST", "/staff/catalog/specialists/{id}", May(ManageCatalog)),
    ("POST", "/staff/catalog/specialists/{id}/hide", May(ManageCatalog)),
    ("POST", "/staff/catalog/specialists/{id}/show", May(ManageCatalog)),
    ("POST", "/staff/catalog/specialists/{id}/photo", May(ManageCatalog)),
    ("POST", "/staff/catalog/specialists/{id}/photo/remove", May(ManageCatalog)),
    ("GET", "/staff/documents", May(PublishDocuments)),
    ("POST", "/staff/documents/{document}", May(PublishDocuments)),
    ("GET", "/staff/statistics", May(ReadStatistics)),
    ("GET", "/staff/subject-requests", May(HandleSubjectRequests)),
    ("GET", "/staff/subject-requests/{id}", May(HandleSubjectRequests)),
    ("POST", "/staff/subject-requests/{id}/answer", May(HandleSubjectRequests)),
    ("POST", "/staff/subject-requests/{id}/extend", May(HandleSubjectRequests)),
    ("POST", "/staff/subject-requests/{id}/refuse", May(HandleSubjectRequests)),
    ("GET", "/staff/appeals/{id}", May(HandleSubjectRequests)),
    ("POST", "/staff/appeals/{id}/answer", May(HandleSubjectRequests)),
    ("GET", "/staff/files/{name}", May(HandleSubjectRequests)),
    ("GET", "/staff/patients/{id}/disclosures", May(RecordDisclosures)),
    ("POST", "/staff/patients/{id}/disclosures", May(RecordDisclosures)),
    ("GET", "/staff/calendar", May(ManageCalendar)),
    ("POST", "/staff/calendar", May(ManageCalendar)),
    ("GET", "/staff/patients/{id}/representatives", May(LinkRepresentatives)),
    ("POST", "/staff/patients/{id}/representatives", May(LinkRepresentatives)),
    ("POST", "/staff/patients/{id}/representatives/search", May(LinkRepresentatives)),
    ("POST", "/staff/patients/{id}/representatives/{link}/end", May(LinkRepresentatives)),
    ("POST", "/staff/patients/{id}/dependents", May(LinkRepresentatives)),
    ("GET", "/staff/patients/{id}/data-block", May(BlockPatientData)),
    ("POST", "/staff/patients/{id}/data-block", May(BlockPatientData)),
    ("GET", "/staff/patients/{id}/data-unblock", May(UnblockPatientData)),
    ("POST", "/staff/patients/{id}/data-unblock", May(UnblockPatientData)),
    ("GET", "/staff/patients/{id}/cancel-registration", May(SuspendPatients)),
    ("POST", "/staff/patients/{id}/cancel-registration", May(SuspendPatients)),
    ("GET", "/staff/patients/{id}/end-service", May(EndPatientService)),
    ("POST", "/staff/patients/{id}/end-service", May(EndPatientService)),
    ("GET", "/staff/incidents", May(ManageIncidents)),
    ("POST", "/staff/incidents", May(ManageIncidents)),
    ("GET", "/staff/incidents/new", May(ManageIncidents)),
    ("GET", "/staff/incidents/{id}", May(ManageIncidents)),
    ("POST", "/staff/incidents/{id}/investigation", May(ManageIncidents)),
    ("GET", "/staff/incidents/{id}/notices/{notice}", May(ManageIncidents)),
    ("POST", "/staff/incidents/{id}/notices/{notice}/sent", May(ManageIncidents)),
    // Last: it ends the caller's session (each member signs in afresh for it).
    ("POST", "/staff/logout", Gate::Member),
];

/// The menu's links and the action each stands for.
const MENU: &[(&str, Action)] = &[
    ("/staff", SearchPatients),
    ("/staff/access/new", IssueAccess),
    ("/staff/requests", HandleChangeRequests),
    ("/staff/feed", ReadFeed),
    ("/staff/waitlist", BookVisits),
    ("/staff/moves", MoveVisits),
    ("/staff/team", ManageTeam),
    ("/staff/catalog", ManageCatalog),
    ("/staff/schedules", ManageSchedules),
    ("/staff/services", ManagePrices),
    ("/staff/prices", ManagePrices),
    ("/staff/discounts", ManageDiscounts),
    ("/staff/subject-requests", HandleSubjectRequests),
    ("/staff/calendar", ManageCalendar),
    ("/staff/audit", ReadAuditLog),
    ("/staff/documents", PublishDocuments),
    ("/staff/statistics", ReadStatistics),
    ("/staff/incidents", ManageIncidents),
];

/// A member of staff as the test calls with: who, and what the table says of them.
struct Persona {
    name: &'static str,
    login: &'static str,
    password: &'static str,
    role: StaffRole,
    auditor: bool,
    cookie: String,
    csrf: String,
}

impl Persona {
    fn may(&self, gate: Gate) -> bool {
        match gate {
            SignIn | Gate::Member => true,
            May(action) => roles::may(self.role, self.auditor, action),
        }
    }
}

/// Who calls: a member of staff, a signed-in patient, or nobody.
enum Caller<'a> {
    Staff(&'a Persona),
    Patient(&'a str),
    Anonymous,
}

impl Caller<'_> {
    fn name(&self) -> &str {
        match self {
            Self::Staff(m) => m.name,
            Self::Patient(_) => "patient",
            Self::Anonymous => "anonymous",
        }
    }
}

/// The clinic's objects the routes act on; a route that changes one gets a fresh one.
struct Fixtures {
    admin: StaffUser,
    /// A confirmed patient with a planned visit, for the pages that only look.
    patient: i64,
    visit: i64,
    specialist: i64,
    /// A colleague for the pages that only look.
    colleague: i64,
    /// A specialist whose schedule the schedule pages change (not the visits' one).
    scheduled: i64,
    /// A service of its own that the services pages change and hide, and its code.
    service: (i64, String),
    /// A price list dated far ahead, for its export.
    price_list: i64,
    counter: u32,
}

impl Fixtures {
    async fn new(app: &TestApp, admin_cookie: &str) -> Self {
        let token = admin_cookie.trim_start_matches("staff=");
        let admin = app.kabinet.staff_session(token).await.unwrap().unwrap();
        let (specialist, _) = app.bookable(0).await;
        let (scheduled, _) = app.bookable(5).await;
        let mut f = Self {
            admin,
            patient: 0,
            visit: 0,
            specialist,
            colleague: 0,
            scheduled,
            service: (0, String::new()),
            price_list: 0,
            counter: 0,
        };
        let form = f.service_form(app, "ORACLE-1").await;
        let k = &app.kabinet;
        let service = k.save_service(&f.admin, None, &form, &Origin::default()).await.unwrap();
        f.service = (service, "ORACLE-1".into());
        let input = ApplyInput {
            content: "code;price\nORACLE-1;1500\n".into(),
            name: String::new(),
            effective_from: "2030-01-01".into(),
        };
        f.price_list = k.apply_price_import(&f.admin, &input, &Origin::default()).await.unwrap();
        f.patient = f.confirmed_patient(app).await;
        f.visit = f.visit_of(app, f.patient).await;
        f.colleague = f.new_colleague(app).await;
        f
    }

    /// An incident recorded by the administrator, touching nobody.
    async fn incident(&mut self, app: &TestApp) -> i64 {
        let input = IncidentInput {
            summary: "Проверка ролей".into(),
            found_date: "2026-01-10".into(),
            found_time: "09:00".into(),
            categories: vec!["contacts".into()],
            causes: "Ошибка".into(),
            harm: "Нет".into(),
            measures: "Исправлено".into(),
            contact: "Администратор".into(),
            affected: AffectedInput {
                selection: "chosen".into(),
                chosen: "nobody@example.ru".into(),
                ..AffectedInput::default()
            },
        };
        app.kabinet.create_incident(&self.admin, &input, &Origin::default()).await.unwrap()
    }

    fn next(&mut self) -> u32 {
        self.counter += 1;
        self.counter
    }

    /// A patient with confirmed access (a login and a one-time password).
    async fn confirmed_patient(&mut self, app: &TestApp) -> i64 {
        let n = self.next();
        let request = AccessRequest {
            patient_id: None,
            patient: PatientInput {
                last_name: "Орлова".into(),
                first_name: "Вера".into(),
                middle_name: Some("Павловна".into()),
                birth_date: "1979-03-02".into(),
                phone: "+7 916 555-20-30".into(),
                email: None,
                postal_address: None,
            },
            login: format!("oracle{n}@example.ru"),
            card_number: format!("OR-{n}"),
            rules_version: "1".into(),
            paper_reference: format!("Журнал 2026/{n}"),
            paper_consents: Vec::new(),
        };
        let issued =
            app.kabinet.confirm_access(&self.admin, &request, &Origin::default()).await.unwrap();
        issued.patient_id
    }

    /// A child recorded at the front desk with the fixtures' patient as their parent: the
    /// child's id and the link's.
    async fn child(&mut self, app: &TestApp) -> (i64, i64) {
        let k = &app.kabinet;
        let origin = Origin::default();
        let form = LinkForm {
            representative_id: self.patient.to_string(),
            basis: "parent".into(),
            document_kind: "birth_certificate".into(),
            document_number: format!("IV-МЮ 5123{:02}", self.next()),
        };
        let child = PatientInput {
            last_name: "Орлов".into(),
            first_name: "Миша".into(),
            birth_date: "2019-03-14".into(),
            ..Default::default()
        };
        let id =
            k.link_representative(&self.admin, None, &form, Some(&child), &origin).await.unwrap();
        let (links, _) = k.representative_links(&self.admin, id).await.unwrap();
        (id, links[0].link.id)
    }

    /// The next free slot of the fixtures' specialist, as the booking form sends it.
    async fn free_start(&self, app: &TestApp) -> String {
        let slot = app.kabinet.nearest_free_slot(self.specialist).await.unwrap().unwrap();
        slot.start.as_second().to_string()
    }

    /// A planned visit of `patient`, booked at the front desk.
    async fn visit_of(&self, app: &TestApp, patient: i64) -> i64 {
        let start = self.free_start(app).await;
        let k = &app.kabinet;
        let visit = k
            .book_for_patient(&self.admin, patient, self.specialist, &start, &Origin::default())
            .await
            .unwrap();
        visit.id
    }

    /// A visit of `patient` that began an hour ago (the store takes any time; the outcome
    /// routes need one whose time has come).
    async fn past_visit_of(&mut self, app: &TestApp, patient: i64) -> i64 {
        let now = app.kabinet.now().as_second();
        let starts_at = now - 3600 - i64::from(self.next()) * 7200;
        let visit = kabinet_store::visits::NewVisit {
            patient_id: patient,
            specialist_id: self.specialist,
            starts_at,
            ends_at: starts_at + 1800,
            code: format!("PAST{}", self.next()),
            price: None,
            source: kabinet_core::visit::VisitSource::Registrar,
            max_active: usize::MAX,
            actor: kabinet_core::access::Actor::System,
            notice: None,
            origin: Origin::default(),
            now,
        };
        app.db.store.book_visit(&visit).await.unwrap().id
    }

    /// A day far enough ahead to touch no visit, as people type it: `30.03.2027`.
    fn far_day(&mut self, app: &TestApp) -> String {
        let days = 60 + i64::from(self.next()) * 3;
        let day = app.kabinet.today().checked_add(jiff::Span::new().days(days)).unwrap();
        day.strftime("%d.%m.%Y").to_string()
    }

    /// A Sunday-evening template of the scheduled specialist, far ahead; its id.
    async fn template(&mut self, app: &TestApp) -> i64 {
        let input = TemplateInput {
            weekday: "7".into(),
            start: "21:00".into(),
            end: "22:00".into(),
            slot_minutes: "60".into(),
            valid_from: self.far_day(app),
            valid_until: String::new(),
        };
        let k = &app.kabinet;
        k.add_schedule_template(&self.admin, self.scheduled, &input, &Origin::default())
            .await
            .unwrap()
    }

    /// A day off of the scheduled specialist, far ahead; its id.
    async fn exception(&mut self, app: &TestApp) -> i64 {
        let input = ExceptionInput {
            kind: "day_off".into(),
            from: self.far_day(app),
            ..ExceptionInput::default()
        };
        let k = &app.kabinet;
        k.add_schedule_exception(&self.admin, self.scheduled, &input, &Origin::default())
            .await
            .unwrap()
    }

    /// A new service's form with the code `code`, in the first group.
    async fn service_form(&self, app: &TestApp, code: &str) -> ServiceInput {
        let sheet = app.kabinet.service_sheet(&self.admin, kabinet_core::lang::Lang::Ru).await;
        ServiceInput {
            code: code.into(),
            group_id: sheet.unwrap().groups[0].id.to_string(),
            name: "Приём для проверки ролей".into(),
            kind: "consultation".into(),
            duration_minutes: "30".into(),
            price: "1 000".into(),
            ..ServiceInput::default()
        }
    }

    /// A branch nobody works at, made for a route that deletes one; its id.
    async fn branch(&mut self, app: &TestApp) -> i64 {
        let n = self.next();
        let input = BranchInput {
            name: format!("Филиал {n}"),
            address: format!("ул. Новая, {n}"),
            phone: "+7 (495) 555-09-00".into(),
            hours: "Пн–Пт 9:00–18:00".into(),
            ..BranchInput::default()
        };
        let k = &app.kabinet;
        k.save_branch(&self.admin, None, &input, &Origin::default()).await.unwrap()
    }

    /// A specialty nobody has, made for a route that deletes one; its id.
    async fn specialty(&mut self, app: &TestApp) -> i64 {
        let n = self.next();
        let input = SpecialtyInput {
            name: format!("Специальность {n}"), ..Default::default()
        };
        let k = &app.kabinet;
        k.save_specialty(&self.admin, None, &input, &Origin::default()).await.unwrap()
    }

    /// The fields of a valid specialist's form, at the first branch with the first specialty.
    async fn specialist_form(&self, app: &TestApp) -> Vec<(&'static str, String)> {
        let choices = app.kabinet.specialist_choices(&self.admin).await.unwrap();
        vec![
            ("last_name", "Оракулова".into()),
            ("first_name", "Вера".into()),
            ("gender", "f".into()),
            ("specialty", choices.specialties[0].id.to_string()),
            ("qualification", "Врач".into()),
            ("career_start_year", "2012".into()),
            ("main_branch", choices.branches[0].id.to_string()),
        ]
    }

    /// A registrar added by the administrator (awaiting their password).
    async fn new_colleague(&mut self, app: &TestApp) -> i64 {
        let n = self.next();
        let login = format!("colleague{n}");
        let input =
            StaffInput { login: login.clone(), full_name: "Пётр Коллегин".into() };
        let origin = Origin::default();
        let k = &app.kabinet;
        k.create_staff_member(&self.admin, &input, StaffRole::Registrar, &origin).await.unwrap();
        app.db.store.staff_by_login(&login).await.unwrap().unwrap().id
    }

    /// The address and the form of one call of `(method, path)`, with fresh objects where
    /// the call changes them.
    async fn call(&mut self, app: &TestApp, method: &str, path: &str) -> (String, Vec<String>) {
        let k = app.kabinet.clone();
        let origin = Origin::default();
        let (mut id, mut visit) = (self.patient, self.visit);
        let mut other = 0;
        let mut form: Vec<(&str, String)> = Vec::new();
        let mut query = String::new();
        let mut name = String::new();
        match (method, path) {
            ("POST", "/staff/search") => form.push(("q", "Орлова".into())),
            ("GET", "/staff/patients/{id}/book") => {
                query = format!("?specialist={}", self.specialist);
            }
            ("POST", "/staff/patients/{id}/visits") => {
                form.push(("specialist", self.specialist.to_string()));
                form.push(("start", self.free_start(app).await));
            }
            ("POST", "/staff/patients/{id}/visits/{visit}/cancel") => {
                visit = self.visit_of(app, id).await;
            }
            ("POST", "/staff/patients/{id}/visits/{visit}/calls") => {
                form.push(("outcome", "no_answer".into()));
            }
            ("POST", "/staff/patients/{id}/visits/{visit}/outcome") => {
                visit = self.past_visit_of(app, id).await;
                form.push(("outcome", "arrived".into()));
            }
            ("POST", "/staff/patients/{id}/suspend" | "/staff/patients/{id}/end-service") => {
                id = self.confirmed_patient(app).await;
                form.push(("reason", "Проверка документов".into()));
            }
            ("POST", "/staff/patients/{id}/data-block") => {
                id = self.confirmed_patient(app).await;
                form.extend([
                    ("requested_by", "patient".into()),
                    ("basis", "Заявление пациента о блокировке".into()),
                    ("document_type", "Заявление".into()),
                    ("document_ref", "№ 1".into()),
                    ("document_date", "2026-01-10".into()),
                ]);
            }
            ("POST", "/staff/patients/{id}/data-unblock") => {
                id = self.confirmed_patient(app).await;
                let input = DataBlockInput {
                    requested_by: "patient".into(),
                    basis: "Заявление".into(),
                    document_type: "Заявление".into(),
                    document_ref: "№ 2".into(),
                    document_date: "2026-01-10".into(),
                    ..DataBlockInput::default()
                };
                k.block_patient_data(&self.admin, id, &input, &origin).await.unwrap();
                form.push(("reason", "Проверка завершена".into()));
            }
            ("POST", "/staff/patients/{id}/cancel-registration") => {
                let n = self.next();
                let login = format!("selfreg{n}@example.ru");
                crate::accounts::registered(app, &login, &format!("+7 916 555-3{n:03}")).await;
                let account = app.db.store.account_by_login(&login).await.unwrap().unwrap();
                id = account.patient_id;
                form.push(("reason", "Данные не подтвердились".into()));
            }
            ("POST", "/staff/incidents") => {
                form.extend([
                    ("summary", "Проверка ролей".into()),
                    ("found_date", "2026-01-10".into()),
                    ("found_time", "09:00".into()),
                    ("categories", "contacts".into()),
                    ("causes", "Ошибка".into()),
                    ("harm", "Нет".into()),
                    ("measures", "Исправлено".into()),
                    ("contact", "Администратор".into()),
                    ("selection", "chosen".into()),
                    ("chosen", "nobody@example.ru".into()),
                ]);
            }
            ("GET" | "POST", "/staff/incidents/{id}")
            | ("GET", "/staff/incidents/{id}/notices/{notice}")
            | ("POST", "/staff/incidents/{id}/investigation")
            | ("POST", "/staff/incidents/{id}/notices/{notice}/sent") => {
                id = self.incident(app).await;
                form.push(("investigation", "Проверка завершена".into()));
                form.push(("responsible", "Оператор рассылки".into()));
            }
            ("POST", "/staff/patients/{id}/messages") => {
                form.push(("subject", "Проверка ролей".into()));
                form.push(("text", "Сообщение для проверки ролей".into()));
            }
            ("GET" | "POST", "/staff/patients/{id}/messages/{thread}") => {
                let to = (id, None);
                let written = k
                    .write_to_patient(&self.admin, to, Some("Проверка"), "Текст", &origin)
                    .await
                    .unwrap();
                other = written.thread_id;
                form.push(("text", "Ответ для проверки ролей".into()));
            }
            ("POST", "/staff/patients/{id}/unsuspend") => {
                id = self.confirmed_patient(app).await;
                k.suspend_patient(&self.admin, id, "Проверка", &origin).await.unwrap();
            }
            ("POST", "/staff/access") => {
                let n = self.next();
                form.extend([
                    ("patient", String::new()),
                    ("last_name", "Лебедева".into()),
                    ("first_name", "Нина".into()),
                    ("middle_name", String::new()),
                    ("birth_date", "1981-07-09".into()),
                    ("phone", "+7 916 555-20-31".into()),
                    ("login", format!("access{n}@example.ru")),
                    ("card_number", format!("AC-{n}")),
                    ("rules_version", "1".into()),
                    ("paper_reference", format!("Журнал 2026/A{n}")),
                ]);
            }
            ("POST", "/staff/requests/{id}/complete" | "/staff/requests/{id}/reject") => {
                let fields = ChangeFields {
                    middle_name: Some("Петровна".into()),
                    ..Default::default()
                };
                id = k.request_change(self.patient, &fields, &origin).await.unwrap();
                form.push(("reason", "Нет подтверждающего документа".into()));
                form.push(("document_kind", "passport_rf".into()));
                form.push(("document_number", "4509 123456".into()));
            }
            ("POST", "/staff/team") => {
                let n = self.next();
                form.push(("login", format!("newcomer{n}")));
                form.push(("full_name", "Ольга Новикова".into()));
                form.push(("role", "registrar".into()));
            }
            ("GET", "/staff/team/{id}/suspend") => id = self.colleague,
            ("POST", "/staff/team/{id}/suspend" | "/staff/team/{id}/auditor")
            | ("POST", "/staff/team/{id}/reset-second-factor") => {
                id = self.new_colleague(app).await;
            }
            ("POST", "/staff/team/{id}/unsuspend") => {
                id = self.new_colleague(app).await;
                k.set_staff_suspended(&self.admin, id, true, &origin).await.unwrap();
            }
            ("POST", "/staff/team/{id}/not-auditor") => {
                id = self.new_colleague(app).await;
                k.set_staff_auditor(&self.admin, id, true, &origin).await.unwrap();
            }
            ("POST", "/staff/patients/{id}/visits/{visit}/move") => {
                visit = self.visit_of(app, id).await;
                form.push(("specialist", self.specialist.to_string()));
                form.push(("start", self.free_start(app).await));
                form.push(("reason", "Врач на учёбе".into()));
            }
            ("POST", "/staff/patients/{id}/visits/{visit}/cancel-with-reason") => {
                visit = self.visit_of(app, id).await;
                form.push(("reason", "Врач на учёбе".into()));
            }
            ("GET", "/staff/schedules/{id}") => id = self.scheduled,
            ("POST", "/staff/schedules/{id}/templates") => {
                id = self.scheduled;
                form.extend([
                    ("weekday", "7".into()),
                    ("start", "21:00".into()),
                    ("end", "22:00".into()),
                    ("slot_minutes", "60".into()),
                    ("valid_from", self.far_day(app)),
                    ("valid_until", String::new()),
                ]);
            }
            ("POST", "/staff/schedules/{id}/templates/{template}/end") => {
                id = self.scheduled;
                other = self.template(app).await;
                form.push(("last_day", self.far_day(app)));
            }
            ("POST", "/staff/schedules/{id}/exceptions") => {
                id = self.scheduled;
                form.push(("kind", "day_off".into()));
                form.push(("from", self.far_day(app)));
            }
            ("POST", "/staff/schedules/{id}/exceptions/{exception}/remove") => {
                id = self.scheduled;
                other = self.exception(app).await;
            }
            ("POST", "/staff/services") => {
                let n = self.next();
                let service = self.service_form(app, &format!("ORACLE-N{n}")).await;
                form.extend(service_fields(&service));
            }
            ("GET", "/staff/services/{id}")
            | ("POST", "/staff/services/{id}/archive" | "/staff/services/{id}/restore") => {
                id = self.service.0;
            }
            ("POST", "/staff/services/{id}") => {
                id = self.service.0;
                let service = self.service_form(app, &self.service.1).await;
                form.extend(service_fields(&service));
            }
            ("POST", "/staff/prices/import") => {
                form.push(("file", format!("code;price\n{};1600\n", self.service.1)));
            }
            ("POST", "/staff/prices/apply") => {
                form.push(("content", format!("code;price\n{};1700\n", self.service.1)));
                form.push(("effective_from", "2031-01-01".into()));
            }
            ("GET", "/staff/prices/{id}/export.csv") => id = self.price_list,
            ("POST", "/staff/discounts/cards") => {
                let n = self.next();
                form.extend([
                    ("number", format!("ORACLE-CARD-{n}")),
                    ("holder", "Орлова Вера".into()),
                    ("percent", "10".into()),
                    ("valid_until", "2030-01-01".into()),
                ]);
            }
            ("POST", "/staff/discounts/certificates") => {
                let n = self.next();
                form.extend([
                    ("code", format!("ORACLE-CERT-{n}")),
                    ("amount", "500".into()),
                    ("usage", "single".into()),
                    ("valid_until", "2030-01-01".into()),
                ]);
            }
            ("POST", "/staff/discounts/promotions") => {
                let n = self.next();
                form.extend([
                    ("name", "Акция для проверки ролей".into()),
                    ("code", format!("ORACLE-PROMO-{n}")),
                    ("percent", "10".into()),
                    ("starts_on", "2030-01-01".into()),
                    ("ends_on", "2030-02-01".into()),
                    ("services", self.service.0.to_string()),
                ]);
            }
            ("POST", "/staff/discounts/{kind}/{id}/end") => {
                // Ending is idempotent: every caller may end the same card.
                id = app.db.store.discount_lists().await.unwrap().0[0].id;
            }
            ("GET" | "POST", "/staff/catalog/branches/{id}")
            | ("POST", "/staff/catalog/branches/{id}/delete") => {
                id = self.branch(app).await;
                if method == "POST" && !path.ends_with("/delete") {
                    form.extend([
                        ("name", "Филиал у парка".into()),
                        ("address", "ул. Парковая, 1".into()),
                        ("phone", "+7 (495) 555-09-01".into()),
                        ("hours", "Пн–Пт 9:00–18:00".into()),
                    ]);
                }
            }
            ("POST", "/staff/catalog/branches") => {
                form.extend([
                    ("name", "Филиал у реки".into()),
                    ("address", "ул. Речная, 1".into()),
                    ("phone", "+7 (495) 555-09-02".into()),
                    ("hours", "Пн–Пт 9:00–18:00".into()),
                ]);
            }
            ("GET" | "POST", "/staff/catalog/specialties/{id}")
            | ("POST", "/staff/catalog/specialties/{id}/delete") => {
                id = self.specialty(app).await;
                if method == "POST" && !path.ends_with("/delete") {
                    form.push(("name", format!("Специальность {}", self.next())));
                }
            }
            ("POST", "/staff/catalog/specialties") => {
                form.push(("name", format!("Специальность {}", self.next())));
            }
            ("POST", "/staff/catalog/specialists") => form = self.specialist_form(app).await,
            ("GET" | "POST", "/staff/catalog/specialists/{id}")
            | (
                "POST",
                "/staff/catalog/specialists/{id}/hide" | "/staff/catalog/specialists/{id}/show",
            )
            | (
                "POST",
                "/staff/catalog/specialists/{id}/photo"
                | "/staff/catalog/specialists/{id}/photo/remove",
            ) => {
                id = self.scheduled;
                if method == "POST" && path == "/staff/catalog/specialists/{id}" {
                    form = self.specialist_form(app).await;
                }
            }
            ("POST", "/staff/documents/{document}") => {
                form.extend([
                    ("title", "Правила для проверки ролей".into()),
                    ("body", "Текст правил.".into()),
                    ("effective_day", "2030-01-01".into()),
                    ("effective_time", "09:00".into()),
                ]);
            }
            ("GET" | "POST", path) if path.starts_with("/staff/subject-requests/{id}") => {
                let kind =
                    if path.ends_with("/extend") { RequestKind::Access } else { RequestKind::Stop };
                id = subject_request(app, self.patient, kind).await;
                form.push(("text", "Ответ для проверки ролей".into()));
            }
            ("GET" | "POST", "/staff/appeals/{id}" | "/staff/appeals/{id}/answer") => {
                id = appeal(app, self.patient).await.0;
                form.push(("text", "Ответ для проверки ролей".into()));
            }
            ("GET", "/staff/files/{name}") => name = appeal(app, self.patient).await.1,
            ("POST", "/staff/patients/{id}/disclosures") => {
                form.extend([
                    ("recipient", "Следственный отдел".into()),
                    ("data_given", "Сведения о визитах".into()),
                    ("basis", "court_or_investigator".into()),
                    ("disclosed_on", "2026-01-15".into()),
                ]);
            }
            ("POST", "/staff/calendar") => form.push(("file", "2031-01-01,holiday\n".into())),
            ("POST", "/staff/patients/{id}/representatives/search") => {
                form.push(("q", "Орлова".into()));
            }
            ("POST", "/staff/patients/{id}/representatives") => {
                id = self.child(app).await.0;
                form.extend(link_fields(&self.confirmed_patient(app).await.to_string()));
            }
            ("POST", "/staff/patients/{id}/dependents") => {
                form.extend(child_fields());
                form.extend(link_fields(""));
            }
            ("POST", "/staff/patients/{id}/representatives/{link}/end") => {
                (id, other) = self.child(app).await;
                form.push(("reason", "Решение органа опеки".into()));
            }
            _ => {}
        }
        let uri = path
            .replace("{name}", &name)
            .replace("{document}", "rules")
            .replace("{kind}", "cards")
            .replace("{id}", &id.to_string())
            .replace("{visit}", &visit.to_string())
            .replace("{template}", &other.to_string())
            .replace("{exception}", &other.to_string())
            .replace("{thread}", &other.to_string())
            .replace("{link}", &other.to_string())
            .replace("{notice}", "24");
        let form = form.into_iter().map(|(k, v)| format!("{k}={}", encode(&v))).collect();
        (format!("{uri}{query}"), form)
    }
}

/// A link's basis and document, for `representative_id` (empty: the card's patient).
fn link_fields(representative_id: &str) -> Vec<(&'static str, String)> {
    let mut fields = vec![
        ("basis", "parent".to_owned()),
        ("document_kind", "birth_certificate".to_owned()),
        ("document_number", "IV-МЮ 512345".to_owned()),
    ];
    if !representative_id.is_empty() {
        fields.push(("representative_id", representative_id.to_owned()));
    }
    fields
}

/// A new child's record, as the card's form sends it.
fn child_fields() -> Vec<(&'static str, String)> {
    vec![
        ("last_name", "Орлова".to_owned()),
        ("first_name", "Соня".to_owned()),
        ("middle_name", String::new()),
        ("birth_date", "2020-05-01".to_owned()),
        ("phone", String::new()),
    ]
}

/// The fields of a service's form, as the browser sends them.
fn service_fields(s: &ServiceInput) -> Vec<(&'static str, String)> {
    vec![
        ("code", s.code.clone()),
        ("group_id", s.group_id.clone()),
        ("name", s.name.clone()),
        ("name_en", s.name_en.clone()),
        ("kind", s.kind.clone()),
        ("duration_minutes", s.duration_minutes.clone()),
        ("online_discount_percent", s.online_discount_percent.clone()),
        ("price", s.price.clone()),
    ]
}

fn encode(value: &str) -> String {
    serde_urlencoded::to_string([("", value)]).unwrap().trim_start_matches('=').to_owned()
}

fn decode(value: &str) -> String {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&format!("v={value}")).unwrap();
    pairs.into_iter().next().map(|(_, v)| v).unwrap_or_default()
}

/// Sends `method` to `uri` with the caller's cookie and, for a member of staff, their
/// session's token in the form.
async fn send(
    app: &TestApp,
    method: &str,
    uri: &str,
    caller: &Caller<'_>,
    mut form: Vec<String>,
) -> TestResponse {
    let mut request = Request::builder().method(method).uri(uri);
    let cookie = match caller {
        Caller::Staff(m) => {
            form.push(format!("csrf={}", m.csrf));
            Some(m.cookie.as_str())
        }
        Caller::Patient(cookie) => Some(*cookie),
        Caller::Anonymous => None,
    };
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let body = if method == "GET" {
        Body::empty()
    } else if uri == "/staff/prices/import" {
        // The upload form is multipart: the file and, for a member, the session's token.
        let field = |name: &str| {
            let prefix = format!("{name}=");
            form.iter().find_map(|f| f.strip_prefix(&prefix)).map(decode).unwrap_or_default()
        };
        request = request
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
            .header("sec-fetch-site", "same-origin");
        Body::from(multipart_body(&field("csrf"), field("file").as_bytes()))
    } else if uri.ends_with("/photo")
        || uri.starts_with("/staff/appeals/")
        || uri == "/staff/calendar"
    {
        // The photo's form is multipart: its token first, then a small PNG (as the answer's
        // file of a written request; the calendar's upload sends its CSV).
        let boundary = "oracle-boundary";
        request = request
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
            .header("sec-fetch-site", "same-origin");
        let mut body = Vec::new();
        form.sort_by_key(|field| !field.starts_with("csrf="));
        let calendar = form.iter().find_map(|f| f.strip_prefix("file=")).map(decode);
        form.retain(|f| !f.starts_with("file="));
        for field in &form {
            let (name, value) = field.split_once('=').unwrap();
            body.extend(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n\
                     {value}\r\n"
                )
                .bytes(),
            );
        }
        let file = if uri.ends_with("/photo") { "photo" } else { "file" };
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{file}\"; \
                 filename=\"p.png\"\r\nContent-Type: image/png\r\n\r\n"
            )
            .bytes(),
        );
        match calendar {
            Some(csv) => body.extend(csv.bytes()),
            None => body.extend(small_png()),
        }
        body.extend(format!("\r\n--{boundary}--\r\n").bytes());
        Body::from(body)
    } else {
        request = request
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "same-origin");
        Body::from(form.join("&"))
    };
    app.send(request.body(body).unwrap()).await
}

/// A new subject request of the patient, straight into the store.
async fn subject_request(app: &TestApp, patient: i64, kind: RequestKind) -> i64 {
    let request = NewSubjectRequest {
        patient_id: patient,
        kind,
        text: "Запрос для проверки ролей".into(),
        received_on: "2026-12-01".into(),
        due_on: "2026-12-15".into(),
        withdraw: None,
        actor: Actor::Patient(patient),
        origin: Origin::default(),
        now: app.kabinet.now().as_second(),
    };
    app.db.store.file_subject_request(&request).await.unwrap()
}

/// A new written request of the patient with a PNG attached: its id and the file's name.
async fn appeal(app: &TestApp, patient: i64) -> (i64, String) {
    let name = format!("{}.png", kabinet_core::token::random_token());
    let appeal = NewAppeal {
        patient_id: patient,
        category: AppealCategory::Question,
        text: "Вопрос для проверки ролей".into(),
        details: "{}".into(),
        due_on: "2026-12-31".into(),
        files: vec![NewFile { name: name.clone(), content_type: "image/png", bytes: small_png() }],
        actor: Actor::Patient(patient),
        origin: Origin::default(),
        now: app.kabinet.now().as_second(),
    };
    (app.db.store.file_appeal(&appeal).await.unwrap(), name)
}

/// A 2×2 PNG.
fn small_png() -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::new_rgb8(2, 2).write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A registrar who also holds the auditor grant, given by the administrator.
pub(crate) async fn auditor(app: &TestApp, admin: &str) -> String {
    let token = csrf(app, admin).await;
    let form = [("csrf", token.as_str()), ("login", "aud1"), ("full_name", "Зоя Проверкина")];
    let added = post(app, "/staff/team", admin, &form).await;
    assert_eq!(added.status, 200, "{}", added.body);
    let link = added.body.split("/staff/setup?token=").nth(1).unwrap().split('<').next().unwrap();
    let setup =
        app.post_form("/staff/setup", &[("token", link), ("password", REGISTRAR_PASSWORD)]).await;
    assert!(setup.body.contains("Готово"), "{}", setup.body);
    let id = app.db.store.staff_by_login("aud1").await.unwrap().unwrap().id;
    let grant = post(app, &format!("/staff/team/{id}/auditor"), admin, &[("csrf", &token)]).await;
    assert_eq!(grant.status, 303, "{}", grant.body);
    sign_in_fully(app, "aud1", REGISTRAR_PASSWORD).await
}

/// The methods the router answers on `path` (from the `Allow` header of a 405), HEAD aside.
async fn methods_of(app: &TestApp, path: &str, admin: &Persona) -> BTreeSet<String> {
    let uri = ["{id}", "{visit}", "{template}", "{exception}", "{thread}", "{notice}"]
        .iter()
        .fold(path.replace("{kind}", "cards").replace("{document}", "rules"), |uri, name| {
            uri.replace(name, "1")
        });
    let answer = send(app, "PATCH", &uri, &Caller::Staff(admin), Vec::new()).await;
    assert_eq!(answer.status, 405, "PATCH {path}: {}", answer.body);
    let allow = answer.headers.get(header::ALLOW).expect("a 405 says what is allowed");
    let allow = allow.to_str().unwrap();
    allow.split(',').map(|m| m.trim().to_owned()).filter(|m| m != "HEAD").collect()
}

#[tokio::test]
async fn every_back_office_route_answers_each_role_as_the_roles_table_says() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let admin_cookie = administrator(&app).await;
        let registrar_cookie = registrar(&app, &admin_cookie).await;
        let auditor_cookie = auditor(&app, &admin_cookie).await;
        let patient = crate::cabinet::signed_in(&app, "oracle@example.ru", "+79005550177").await;
        let mut members = Vec::new();
        for (name, login, password, role, auditor, cookie) in [
            (
                "administrator",
                "admin",
                ADMIN_PASSWORD,
                StaffRole::Administrator,
                false,
                admin_cookie,
            ),
            (
                "registrar",
                "reg1",
                REGISTRAR_PASSWORD,
                StaffRole::Registrar,
                false,
                registrar_cookie,
            ),
            ("auditor", "aud1", REGISTRAR_PASSWORD, StaffRole::Registrar, true, auditor_cookie),
        ] {
            let csrf = csrf(&app, &cookie).await;
            members.push(Persona { name, login, password, role, auditor, cookie, csrf });
        }

        // The list is the router's: every path under /staff, each with the methods it answers.
        let routed: BTreeSet<&str> =
            kabinet_web::page_paths().into_iter().filter(|p| p.starts_with("/staff")).collect();
        let mut listed: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
        for (method, path, _) in BACK_OFFICE {
            let fresh = listed.entry(*path).or_default().insert((*method).to_owned());
            assert!(fresh, "{method} {path} is listed twice");
        }
        let listed_paths: BTreeSet<&str> = listed.keys().copied().collect();
        assert_eq!(routed, listed_paths, "{b}: the router's /staff paths and this list differ");
        for (path, methods) in &listed {
            assert_eq!(&methods_of(&app, path, &members[0]).await, methods, "{b}: {path}");
        }
        assert_eq!(BACK_OFFICE.last().map(|r| r.1), Some("/staff/logout"));

        let mut fixtures = Fixtures::new(&app, &members[0].cookie).await;
        let mut checked = 0;
        for &(method, path, gate) in BACK_OFFICE {
            if path == "/staff/logout" {
                // A session of its own for each member, so the others' stay.
                for m in &mut members {
                    m.cookie = sign_in_fully(&app, m.login, m.password).await;
                    m.csrf = csrf(&app, &m.cookie).await;
                }
            }
            let mut callers: Vec<Caller<'_>> = members.iter().map(Caller::Staff).collect();
            callers.push(Caller::Patient(&patient));
            callers.push(Caller::Anonymous);
            for caller in &callers {
                let (uri, form) = fixtures.call(&app, method, path).await;
                let answer = send(&app, method, &uri, caller, form).await;
                let (status, to) = (answer.status.as_u16(), answer.location());
                let who = caller.name();
                let what = format!("{b}: {method} {uri} as {who} ({gate:?})");
                assert!(status < 500, "{what}: {status} {}", answer.body);
                match (caller, gate) {
                    (_, SignIn) => assert_ne!(status, 403, "{what}: a sign-in step is open"),
                    (Caller::Staff(m), gate) if m.may(gate) => {
                        assert!(matches!(status, 200 | 303), "{what}: {status} {}", answer.body);
                        if path == "/staff/logout" {
                            assert_eq!(answer.cookie("staff").as_deref(), Some("staff="), "{what}");
                        } else {
                            assert_ne!(to, "/staff/login", "{what}: the session holds");
                        }
                    }
                    (Caller::Staff(_), _) => assert_eq!(status, 403, "{what}: {}", answer.body),
                    (Caller::Patient(_) | Caller::Anonymous, _) => {
                        assert_eq!((status, to), (303, "/staff/login"), "{what}: {}", answer.body);
                    }
                }
                checked += 1;
            }
        }
        assert_eq!(checked, BACK_OFFICE.len() * 5);
    }
}

#[tokio::test]
async fn the_staff_menu_shows_what_the_roles_table_lets_each_member_do() {
    for app in TestApp::each_backend().await {
        let b = app.backend();
        let admin = administrator(&app).await;
        let members = [
            ("administrator", StaffRole::Administrator, false, admin.clone()),
            ("registrar", StaffRole::Registrar, false, registrar(&app, &admin).await),
            ("auditor", StaffRole::Registrar, true, auditor(&app, &admin).await),
        ];
        for (name, role, auditor, cookie) in &members {
            let home = app.get_with_cookie("/staff", Some(cookie)).await;
            assert_eq!(home.status, 200, "{b}: {name}");
            let nav = home.body.split("<nav").nth(1).unwrap().split("</nav>").next().unwrap();
            for (href, action) in MENU {
                let shown = nav.contains(&format!("href=\"{href}\""));
                let may = roles::may(*role, *auditor, *action);
                assert_eq!(shown, may, "{b}: {name}'s menu and {href} ({action})");
            }
        }
    }
}
