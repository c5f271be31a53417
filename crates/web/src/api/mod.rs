//! The JSON API under `/api/v1` for the clinic's other systems and apps (I1): the same use
//! cases as the pages, errors as `{"error": {"code", "message", "fields"}}`.

use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::{Extension, Json, Router};
use kabinet_core::lang::Lang;
use kabinet_core::patient::{FieldErrors, PatientInput};
use kabinet_core::visit::{VisitOutcome, VisitStatus};
use kabinet_service::model::Visit;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::openapi::Required;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::ApiError;

mod accounts;
mod bookings;
mod calendar;
mod consents;
mod docs;
mod me;
mod messages;
mod preferences;
mod representatives;
mod requests;
mod specialists;
mod waitlist;

pub use docs::docs_routes;

/// The API's routes, each registered with its OpenAPI operation by `routes!`, so a route
/// cannot exist without its description. Paths are relative to `/api/v1`.
fn v1_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(specialists::list_specialists))
        .routes(routes!(specialists::show_specialist))
        .routes(routes!(specialists::list_slots))
        .routes(routes!(specialists::list_services))
        .routes(routes!(bookings::create_booking))
        .routes(routes!(accounts::create_registration))
        .routes(routes!(accounts::create_session, accounts::delete_session))
        .routes(routes!(me::list_visits, me::create_visit))
        .routes(routes!(me::show_visit))
        .routes(routes!(me::cancel_visit))
        .routes(routes!(me::reschedule_visit))
        .routes(routes!(accounts::change_password))
        .routes(routes!(messages::list_messages, messages::create_message))
        .routes(routes!(messages::read_message))
        .routes(routes!(calendar::show_calendar, calendar::delete_calendar))
        .routes(routes!(preferences::show_preferences, preferences::update_preferences))
        .routes(routes!(waitlist::list_waitlist, waitlist::create_waitlist_entry))
        .routes(routes!(waitlist::show_waitlist_entry, waitlist::delete_waitlist_entry))
        .routes(routes!(accounts::report_lost))
        .routes(routes!(accounts::resend_confirmation))
        .routes(routes!(consents::list_consents))
        .routes(routes!(consents::give_consent))
        .routes(routes!(consents::withdraw_consent))
        .routes(routes!(requests::list_requests, requests::create_request))
        .routes(routes!(requests::show_request))
        .routes(routes!(requests::show_export))
        .routes(routes!(requests::list_appeals, requests::create_appeal))
        .routes(routes!(requests::show_appeal))
        .routes(routes!(requests::show_file))
        .routes(routes!(docs::show_openapi))
        .routes(routes!(representatives::show_profile))
        .routes(routes!(representatives::list_dependents))
        .fallback(|| async { ApiError::not_found() })
}

/// `/api/v1` and its OpenAPI document, collected from the same routes that serve requests
/// and served at `/api/v1/openapi.json`.
pub fn routes() -> Router<AppState> {
    let (router, document) = OpenApiRouter::with_openapi(docs::base_document())
        .nest("/api/v1", v1_routes())
        .split_for_parts();
    router.layer(Extension(docs::Document::new(&document)))
}

/// A JSON body whose rejections speak our error format. (A NUL character never gets here:
/// [`crate::input_guard`] refuses it for every request.)
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(Self(value)),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "validation",
                "error-json-content-type",
            )),
            Err(_) => Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                "error-json-body",
            )),
        }
    }
}

/// A path parameter whose rejection is our 404: an id that is not a number names nothing.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Self(value)),
            Err(PathRejection::FailedToDeserializePathParams(_)) => Err(ApiError::not_found()),
            Err(other) => {
                tracing::error!(error = %other, "path parameters");
                Err(ApiError::not_found())
            }
        }
    }
}

/// Query parameters whose rejection is our 422 (a parameter given twice, say).
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Self(value)),
            Err(_) => {
                let mut errors = FieldErrors::default();
                errors.add("query", "error-query-invalid");
                Err(ApiError::validation(&errors))
            }
        }
    }
}

/// The language of the catalog's texts in an answer: the one of Russian and English that
/// `Accept-Language` ranks higher; Russian when it names neither.
pub struct ApiLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for ApiLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let header = parts.headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
        Ok(Self(header.map_or(Lang::Ru, preferred_lang)))
    }
}

/// The one of Russian and English that an `Accept-Language` value ranks higher (the first
/// of equals); Russian when it names neither.
fn preferred_lang(header: &str) -> Lang {
    let mut best: Option<(Lang, f32)> = None;
    for item in header.split(',') {
        let mut parts = item.split(';');
        let tag = parts.next().unwrap_or_default().trim();
        let weight = parts
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        let lang = match tag.split('-').next().unwrap_or_default() {
            t if t.eq_ignore_ascii_case("en") => Lang::En,
            t if t.eq_ignore_ascii_case("ru") => Lang::Ru,
            _ => continue,
        };
        if weight > 0.0 && best.is_none_or(|(_, w)| weight > w) {
            best = Some((lang, weight));
        }
    }
    best.map_or(Lang::Ru, |(lang, _)| lang)
}

/// The OpenAPI document shows the header `ApiLang` reads as an optional parameter.
impl IntoParams for ApiLang {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let description = "The language of the texts: `en` for English (a text without an \
            English version stays Russian); Russian otherwise.";
        vec![
            ParameterBuilder::new()
                .name("Accept-Language")
                .parameter_in(ParameterIn::Header)
                .required(Required::False)
                .description(Some(description))
                .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
                .example(Some(serde_json::json!("en")))
                .build(),
        ]
    }
}

/// A list answer: `{"items": [...]}`.
#[derive(Serialize, ToSchema)]
pub struct Items<T: ToSchema> {
    /// The list.
    items: Vec<T>,
}

/// The patient, as typed: each field is checked and every problem named in `fields`.
#[derive(Deserialize, Default, ToSchema)]
#[schema(example = json!({"last_name": "Смирнов", "first_name": "Алексей",
    "middle_name": "Павлович", "birth_date": "1979-03-02", "phone": "+7 900 555-70-01",
    "email": null}))]
pub struct PatientJson {
    /// Surname.
    #[serde(default)]
    last_name: String,
    /// Given name.
    #[serde(default)]
    first_name: String,
    /// Patronymic, if the patient has one.
    #[serde(default)]
    middle_name: Option<String>,
    /// Date of birth, `YYYY-MM-DD`.
    #[serde(default)]
    #[schema(format = Date)]
    birth_date: String,
    /// A Russian phone number: `+7 900 …`, `8 900 …` and `900 …` are one number.
    #[serde(default)]
    phone: String,
    /// E-mail for the confirmation letter, if any.
    #[serde(default)]
    email: Option<String>,
    /// Postal address, one line (10–300 characters), optional.
    #[serde(default)]
    postal_address: Option<String>,
}

impl From<PatientJson> for PatientInput {
    fn from(p: PatientJson) -> Self {
        let PatientJson {
            last_name,
            first_name,
            middle_name,
            birth_date,
            phone,
            email,
            postal_address,
        } = p;
        Self { last_name, first_name, middle_name, birth_date, phone, email, postal_address }
    }
}

/// Consents sent with a one-time booking, each unticked unless sent.
#[derive(Deserialize, Default, ToSchema)]
pub struct BookingConsentsJson {
    /// Consent to the processing of personal data: must be `true`.
    #[serde(default)]
    personal_data: bool,
    /// Consent to calls about the visit.
    #[serde(default)]
    calls: bool,
    /// Consent to the processing of health data: must be `true`. When left out,
    /// `personal_data` stands for it, as it covered health data before they were asked apart.
    #[serde(default)]
    health_data: Option<bool>,
    /// Consent to advertising.
    #[serde(default)]
    advertising: bool,
}

impl BookingConsentsJson {
    /// The health-data consent, `personal_data` standing for it when left out.
    fn health_data(&self) -> bool {
        self.health_data.unwrap_or(self.personal_data)
    }
}

/// A visit in API answers.
#[derive(Serialize, ToSchema)]
pub struct VisitJson {
    /// The visit's id, for a patient's own visits. A one-time booking gets none: no route
    /// of a one-time patient takes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false, nullable = false)]
    id: Option<i64>,
    /// The booking code the clinic asks for.
    code: String,
    /// Where the visit stands.
    status: VisitStatusJson,
    /// The specialist.
    specialist_id: i64,
    /// The specialist's full name.
    specialist_name: String,
    /// When the visit starts.
    start: ClinicTime,
    /// When the visit ends.
    end: ClinicTime,
    /// The branch's name.
    branch: String,
    /// The branch's address.
    address: String,
    /// The branch's phone.
    phone: String,
    /// The service booked; none for visits booked before services were.
    service: Option<ServiceRefJson>,
    /// The price the visit was booked at; none for visits booked before prices were kept.
    price: Option<PriceAnswerJson>,
    /// What happened once its time came, as the clinic marked it; absent until marked.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false, nullable = false)]
    outcome: Option<VisitOutcomeJson>,
}

/// The service a visit is booked for.
#[derive(Serialize, ToSchema)]
pub struct ServiceRefJson {
    /// The service's id.
    id: i64,
    /// Its name.
    name: String,
}

/// A price in rubles, with the one discount applied and why.
#[derive(Serialize, ToSchema)]
pub struct PriceAnswerJson {
    /// The price-list price, rubles.
    base: f64,
    /// What the patient pays, rubles.
    #[serde(rename = "final")]
    final_price: f64,
    /// The discount applied, or null.
    discount: Option<DiscountAnswerJson>,
}

/// The discount a price got.
#[derive(Serialize, ToSchema)]
pub struct DiscountAnswerJson {
    /// Which kind of discount.
    #[schema(value_type = String, pattern = "^(online|card|certificate|promotion)$")]
    kind: kabinet_core::pricing::DiscountKind,
    /// Why this one, as the patient is told.
    reason: String,
}

impl PriceAnswerJson {
    /// A price from its parts, in kopecks.
    pub(crate) fn new(
        base: i64,
        price: i64,
        discount: Option<(kabinet_core::pricing::DiscountKind, String)>,
    ) -> Self {
        use kabinet_core::pricing::Money;
        Self {
            base: Money(base).as_rubles(),
            final_price: Money(price).as_rubles(),
            discount: discount.map(|(kind, reason)| DiscountAnswerJson { kind, reason }),
        }
    }
}

/// Where a visit stands.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VisitStatusJson {
    /// Booked and holding its slot.
    Booked,
    /// Cancelled by the patient or the clinic.
    Cancelled,
}

/// What happened to a visit once its time came.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VisitOutcomeJson {
    /// The patient came.
    Arrived,
    /// The visit took place.
    Completed,
    /// The patient did not come.
    NoShow,
}

impl From<VisitOutcome> for VisitOutcomeJson {
    fn from(outcome: VisitOutcome) -> Self {
        match outcome {
            VisitOutcome::Arrived => Self::Arrived,
            VisitOutcome::Completed => Self::Completed,
            VisitOutcome::NoShow => Self::NoShow,
        }
    }
}

impl From<VisitStatus> for VisitStatusJson {
    fn from(status: VisitStatus) -> Self {
        match status {
            VisitStatus::Booked => Self::Booked,
            VisitStatus::Cancelled => Self::Cancelled,
        }
    }
}

impl VisitJson {
    /// A visit as its patient sees it, times in the clinic's zone.
    fn of(v: Visit, tz: &jiff::tz::TimeZone) -> Self {
        let at = |s: i64| {
            ClinicTime::new(
                jiff::Timestamp::from_second(s).unwrap_or(jiff::Timestamp::UNIX_EPOCH),
                tz,
            )
        };
        Self {
            id: Some(v.id),
            code: v.code,
            status: v.status.into(),
            specialist_id: v.specialist_id,
            specialist_name: v.specialist_name,
            start: at(v.starts_at),
            end: at(v.ends_at),
            branch: v.branch_name,
            address: v.branch_address,
            phone: v.branch_phone,
            service: v.service_id.zip(v.service_name).map(|(id, name)| ServiceRefJson { id, name }),
            price: v.base_price_kopecks.zip(v.price_kopecks).map(|(base, price)| {
                let discount =
                    v.discount_kind.map(|kind| (kind, v.discount_reason.unwrap_or_default()));
                PriceAnswerJson::new(base, price, discount)
            }),
            outcome: v.outcome.map(Into::into),
        }
    }
}

/// An instant as RFC 3339 with the clinic's offset, e.g. `2026-11-24T09:30:00+03:00`.
/// Written by hand: jiff's general `strftime` dominated the cost of a week of slots.
#[derive(Debug, Clone, Copy)]
pub struct ClinicTime {
    at: jiff::Timestamp,
    offset: jiff::tz::Offset,
}

impl ClinicTime {
    /// `at` as the clinic's clocks show it.
    pub fn new(at: jiff::Timestamp, tz: &jiff::tz::TimeZone) -> Self {
        Self { at, offset: tz.to_offset(at) }
    }
}

impl ClinicTime {
    /// `YYYY-MM-DDTHH:MM:SS+HH:MM`, written digit by digit into a fixed buffer.
    fn bytes(&self) -> [u8; 25] {
        fn put(dst: &mut [u8], value: i32) {
            let mut n = value.unsigned_abs();
            for digit in dst.iter_mut().rev() {
                *digit = b'0' + u8::try_from(n % 10).unwrap_or(0);
                n /= 10;
            }
        }
        let t = self.offset.to_datetime(self.at);
        let offset = self.offset.seconds();
        let mut out = *b"0000-00-00T00:00:00+00:00";
        put(&mut out[0..4], i32::from(t.year()));
        put(&mut out[5..7], i32::from(t.month()));
        put(&mut out[8..10], i32::from(t.day()));
        put(&mut out[11..13], i32::from(t.hour()));
        put(&mut out[14..16], i32::from(t.minute()));
        put(&mut out[17..19], i32::from(t.second()));
        if offset < 0 {
            out[19] = b'-';
        }
        put(&mut out[20..22], offset.abs() / 3600);
        put(&mut out[23..25], offset.abs() % 3600 / 60);
        out
    }
}

impl std::fmt::Display for ClinicTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(std::str::from_utf8(&self.bytes()).map_err(|_| std::fmt::Error)?)
    }
}

impl utoipa::PartialSchema for ClinicTime {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
            .description(Some("RFC 3339 with the clinic's offset."))
            .examples(["2026-11-24T09:30:00+03:00"])
            .into()
    }
}

impl ToSchema for ClinicTime {}

impl serde::Serialize for ClinicTime {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let bytes = self.bytes();
        serializer.serialize_str(std::str::from_utf8(&bytes).map_err(serde::ser::Error::custom)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_russian_or_english_by_rank() {
        assert_eq!(preferred_lang("en-US,en;q=0.9,ru;q=0.8"), Lang::En);
        assert_eq!(preferred_lang("ru-RU,ru;q=0.9,en-US;q=0.8"), Lang::Ru);
        assert_eq!(preferred_lang("de, en;q=0.5"), Lang::En);
        assert_eq!(preferred_lang("en;q=0.2, ru"), Lang::Ru);
        assert_eq!(preferred_lang("en;q=0"), Lang::Ru);
        assert_eq!(preferred_lang("de-DE, *"), Lang::Ru);
    }

    #[test]
    fn clinic_times_print_as_rfc3339_with_the_offset() {
        let at: jiff::Timestamp = "2026-11-24T06:30:00Z".parse().unwrap();
        let moscow = jiff::tz::TimeZone::get("Europe/Moscow").unwrap();
        assert_eq!(ClinicTime::new(at, &moscow).to_string(), "2026-11-24T09:30:00+03:00");
        let ny = jiff::tz::TimeZone::get("America/New_York").unwrap();
        assert_eq!(ClinicTime::new(at, &ny).to_string(), "2026-11-24T01:30:00-05:00");
        let back: jiff::Timestamp = ClinicTime::new(at, &ny).to_string().parse().unwrap();
        assert_eq!(back, at);
    }
}
