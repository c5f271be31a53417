//! The copy of a patient's data (G8, 152-FZ art. 14) as JSON: one object, the same for the
//! API (`GET /api/v1/me/export`) and the cabinet's download (`/cabinet/export.json`). Every
//! field is documented in `docs/API.md`; instants are the clinic's local time with offset,
//! dates `YYYY-MM-DD`, states their stored names.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use kabinet_service::requests::DataCopy;
use serde_json::{Value, json};

/// An instant as the clinic's clocks show it, `YYYY-MM-DDTHH:MM:SS+HH:MM`.
fn at(secs: i64, tz: &TimeZone) -> String {
    Timestamp::from_second(secs)
        .unwrap_or_default()
        .to_zoned(tz.clone())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// The JSON of a copy.
pub fn data_copy_json(copy: &DataCopy, tz: &TimeZone) -> Value {
    let p = &copy.profile;
    let t = |s: i64| at(s, tz);
    json!({
        "made_at": t(copy.made_at),
        "profile": {
            "last_name": p.last_name,
            "first_name": p.first_name,
            "middle_name": p.middle_name,
            "birth_date": p.birth_date,
            "phone": p.phone,
            "email": p.email,
            "card_number": p.card_number,
        },
        "account": {
            "access_level": p.access_level.as_str(),
            "login": p.login,
            "email_confirmed_at": p.email_confirmed_at.map(t),
            "paper_rules_version": p.paper_rules_version,
            "blocked_at": p.blocked_at.map(t),
        },
        "consents": copy.consents.iter().map(|c| json!({
            "kind": c.kind.as_str(),
            "document": c.document_kind.as_str(),
            "document_version": c.document_version,
            "channel": c.channel.as_str(),
            "ip": c.ip,
            "given_at": t(c.given_at),
            "withdrawn_at": c.withdrawn_at.map(t),
        })).collect::<Vec<_>>(),
        "visits": copy.visits.iter().map(|v| json!({
            "id": v.id,
            "start": t(v.starts_at),
            "end": t(v.ends_at),
            "status": v.status,
            "outcome": v.outcome,
            "specialist": v.specialist,
            "service": v.service,
        })).collect::<Vec<_>>(),
        "messages": copy.messages.iter().map(|m| json!({
            "subject": m.subject,
            "author": m.author,
            "text": m.body,
            "created_at": t(m.created_at),
        })).collect::<Vec<_>>(),
        "requests": copy.requests.iter().map(|r| json!({
            "id": r.id,
            "kind": r.kind.as_str(),
            "text": r.text,
            "status": r.status.as_str(),
            "received_on": r.received_on,
            "due_date": r.due_on,
            "answer": r.answer,
        })).collect::<Vec<_>>(),
        "appeals": copy.appeals.iter().map(|a| json!({
            "id": a.id,
            "category": a.category.as_str(),
            "text": a.text,
            "status": a.status.as_str(),
            "due_date": a.due_on,
            "answer": a.answer,
        })).collect::<Vec<_>>(),
        "disclosures": copy.disclosures.iter().map(|d| json!({
            "recipient": d.recipient,
            "data": d.data_given,
            "basis": d.basis.as_str(),
            "basis_text": d.basis_text,
            "date": d.disclosed_on,
            "document": d.document_ref,
        })).collect::<Vec<_>>(),
        "accesses": copy.accesses.iter().map(|a| json!({
            "at": t(a.at),
            "who": a.actor_kind,
            "staff_name": a.staff_name,
            "staff_role": a.staff_role,
            "action": a.action.as_str(),
        })).collect::<Vec<_>>(),
    })
}

/// The copy's schema in the OpenAPI document: an object, its fields in `docs/API.md`.
pub struct DataCopySchema;

impl utoipa::PartialSchema for DataCopySchema {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        let fields = [
            "made_at",
            "profile",
            "account",
            "consents",
            "visits",
            "messages",
            "requests",
            "appeals",
            "disclosures",
            "accesses",
        ];
        let mut object = ObjectBuilder::new().schema_type(Type::Object).description(Some(
            "The copy of the caller's data: profile, account, consent ledger, visits, messages, \
             subject requests, written requests, disclosures to third parties and who accessed \
             the data. Every field is described in docs/API.md («The copy of one's data»).",
        ));
        for field in fields {
            object = object.property(field, ObjectBuilder::new()).required(field);
        }
        object.into()
    }
}

impl utoipa::ToSchema for DataCopySchema {}
