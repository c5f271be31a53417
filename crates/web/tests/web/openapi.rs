//! The API describes itself (I1): its OpenAPI 3.1 document names every route the router
//! serves, with the bearer scheme and the error answers, and Swagger UI shows it.

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Request, header};
use serde_json::{Value, json};

use crate::common::TestApp;

/// Every route of the API, as docs/API.md describes it.
const API_ROUTES: &[(&str, &str)] = &[
    ("get", "/api/v1/specialists"),
    ("get", "/api/v1/specialists/{id}"),
    ("get", "/api/v1/specialists/{id}/slots"),
    ("get", "/api/v1/specialists/{id}/services"),
    ("post", "/api/v1/bookings"),
    ("post", "/api/v1/registrations"),
    ("post", "/api/v1/registrations/confirmation"),
    ("post", "/api/v1/session"),
    ("delete", "/api/v1/session"),
    ("post", "/api/v1/me/password"),
    ("post", "/api/v1/account/lost"),
    ("get", "/api/v1/me/visits"),
    ("post", "/api/v1/me/visits"),
    ("get", "/api/v1/me/visits/{id}"),
    ("post", "/api/v1/me/visits/{id}/cancel"),
    ("post", "/api/v1/me/visits/{id}/reschedule"),
    ("get", "/api/v1/me/messages"),
    ("post", "/api/v1/me/messages"),
    ("post", "/api/v1/me/messages/{id}/read"),
    ("get", "/api/v1/me/calendar"),
    ("delete", "/api/v1/me/calendar"),
    ("get", "/api/v1/me/preferences"),
    ("put", "/api/v1/me/preferences"),
    ("get", "/api/v1/me/waitlist"),
    ("post", "/api/v1/me/waitlist"),
    ("get", "/api/v1/me/waitlist/{id}"),
    ("delete", "/api/v1/me/waitlist/{id}"),
    ("get", "/api/v1/me/requests"),
    ("post", "/api/v1/me/requests"),
    ("get", "/api/v1/me/requests/{id}"),
    ("get", "/api/v1/me/export"),
    ("get", "/api/v1/me/appeals"),
    ("post", "/api/v1/me/appeals"),
    ("get", "/api/v1/me/appeals/{id}"),
    ("get", "/api/v1/me/files/{name}"),
    ("get", "/api/v1/openapi.json"),
    ("get", "/api/v1/me/consents"),
    ("post", "/api/v1/me/consents/{kind}"),
    ("post", "/api/v1/me/consents/{kind}/withdraw"),
    ("get", "/api/v1/me/profile"),
    ("get", "/api/v1/me/dependents"),
];

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

async fn document(app: &TestApp) -> Value {
    let answer = app.get("/api/v1/openapi.json").await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.headers[header::CONTENT_TYPE], "application/json");
    answer.json()
}

/// The (method, path) of every operation in the document.
fn operations(doc: &Value) -> BTreeSet<(String, String)> {
    let mut found = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for method in METHODS {
            if item.get(method).is_some() {
                found.insert((method.to_owned(), path.clone()));
            }
        }
    }
    found
}

#[tokio::test]
async fn the_api_serves_its_openapi_3_1_document_with_the_bearer_scheme() {
    let app = TestApp::sqlite().await;
    let doc = document(&app).await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1."), "{}", doc["openapi"]);
    assert_eq!(doc["info"]["title"], "Kabinet API");
    assert!(!doc["info"]["version"].as_str().unwrap().is_empty());
    assert_eq!(doc["servers"][0]["url"], "/");
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"],
        json!({"type": "http", "scheme": "bearer",
               "description": doc["components"]["securitySchemes"]["bearer"]["description"]})
    );
    let codes = &doc["components"]["schemas"]["ErrorCode"]["enum"];
    for code in ["validation", "slot_taken", "too_many_attempts", "activation_required"] {
        assert!(codes.as_array().unwrap().contains(&json!(code)), "{code} in {codes}");
    }
}

#[tokio::test]
async fn the_document_names_every_route_and_the_router_serves_every_documented_one() {
    let app = TestApp::sqlite().await;
    let doc = document(&app).await;
    let expected: BTreeSet<(String, String)> =
        API_ROUTES.iter().map(|(m, p)| ((*m).to_owned(), (*p).to_owned())).collect();
    assert_eq!(operations(&doc), expected);

    // On every documented path, the router answers exactly the documented methods: the
    // others get 405 from axum, the documented ones anything else.
    for (path, item) in doc["paths"].as_object().unwrap() {
        let uri = path.replace("{id}", "1").replace("{kind}", "calls");
        for method in METHODS {
            let request = Request::builder()
                .method(method.to_uppercase().as_str())
                .uri(&uri)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{}"))
                .unwrap();
            let status = app.send(request).await.status;
            assert_eq!(
                item.get(method).is_some(),
                status != 405,
                "{method} {path}: {status} (documented: {})",
                item.get(method).is_some()
            );
        }
    }
}

#[tokio::test]
async fn every_operation_documents_the_errors_it_can_answer() {
    let app = TestApp::sqlite().await;
    let doc = document(&app).await;
    let error_body = json!({"$ref": "#/components/schemas/ErrorBody"});
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let what = format!("{method} {path}");
            let responses = operation["responses"].as_object().unwrap();
            for (status, response) in responses {
                if status.starts_with('4') {
                    assert_eq!(
                        response["content"]["application/json"]["schema"], error_body,
                        "{what} {status}"
                    );
                }
            }
            if operation.get("requestBody").is_some() {
                for status in ["415", "422"] {
                    assert!(responses.contains_key(status), "{what} documents {status}");
                }
            }
            if method != "get" {
                assert!(responses.contains_key("403"), "{what}: a cross-site request is refused");
            }
            let signed_in = path.starts_with("/api/v1/me/") || method == "delete";
            let security = &operation["security"];
            assert_eq!(*security == json!([{"bearer": []}]), signed_in, "{what}: {security}");
            if signed_in {
                assert!(responses.contains_key("401"), "{what} documents 401");
            }
        }
    }
    let sign_in = &doc["paths"]["/api/v1/session"]["post"]["responses"]["429"];
    assert!(sign_in["headers"]["Retry-After"].is_object(), "{sign_in}");
}

#[tokio::test]
async fn malformed_ids_queries_and_bodies_get_the_error_format() {
    let app = TestApp::sqlite().await;
    let not_a_number = app.get("/api/v1/specialists/first").await;
    assert_eq!(not_a_number.status, 404);
    assert_eq!(not_a_number.json()["error"]["code"], "not_found");
    let too_big = app.get("/api/v1/specialists/99999999999999999999").await;
    assert_eq!(too_big.status, 404);

    let twice = app.get("/api/v1/specialists/1/slots?from=2026-11-23&from=2026-11-24").await;
    assert_eq!(twice.status, 422);
    assert_eq!(twice.json()["error"]["fields"]["query"].as_str().map(str::is_empty), Some(false));

    // PostgreSQL cannot store a NUL character: such input is refused before it gets there.
    for app in TestApp::each_backend().await {
        let body = json!({"login": "a\u{0}b", "password": "x"});
        let nul = app.post_json("/api/v1/session", &body).await;
        assert_eq!(nul.status, 422, "{}: {}", app.backend(), nul.body);
        assert_eq!(nul.json()["error"]["code"], "validation");
    }
}

#[tokio::test]
async fn swagger_ui_is_served_from_the_binary_at_api_docs() {
    let app = TestApp::sqlite().await;
    for path in ["/api/docs", "/api/docs/"] {
        let page = app.get(path).await;
        assert_eq!(page.status, 200, "{path}");
        assert!(page.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/html"));
        assert!(page.body.contains(r#"<script src="/api/docs/swagger-ui-bundle.js">"#));
        assert!(!page.body.contains("<script>") && !page.body.contains("<style"), "no inline code");
    }
    let bundle = app.get("/api/docs/swagger-ui-bundle.js").await;
    assert_eq!(bundle.status, 200);
    assert!(bundle.headers[header::CONTENT_TYPE].to_str().unwrap().contains("javascript"));
    let init = app.get("/api/docs/swagger-initializer.js").await;
    assert!(init.body.contains("/api/v1/openapi.json"), "{}", init.body);
    assert_eq!(app.get("/api/docs/nothing.js").await.status, 404);
}

#[tokio::test]
async fn a_visit_says_what_happened_and_no_shows_have_their_error_code() {
    let app = TestApp::sqlite().await;
    let doc = document(&app).await;
    let schemas = &doc["components"]["schemas"];
    let outcome = &schemas["VisitJson"]["properties"]["outcome"];
    assert!(!outcome.is_null(), "{}", schemas["VisitJson"]);
    let codes = schemas["ErrorCode"]["enum"].as_array().unwrap();
    assert!(codes.contains(&json!("online_booking_closed")), "{codes:?}");
    let booking = doc["paths"]["/api/v1/me/visits"]["post"]["responses"]["403"].to_string();
    assert!(booking.contains("online_booking_closed"), "{booking}");
}
