//! `GET /api/v1/openapi.json` on HQ: served without credentials as JSON, OpenAPI 3, naming
//! every route of the router with the limits the domain enforces; and the bugs the API fuzzing
//! stage (scripts/api-fuzz.sh) found, each answered with the envelope and a 4xx now.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use http_body_util::BodyExt;
use kh_domain::{Amount, BranchCode, BranchName, Category, Description, RejectionCode};
use kh_http_cloud::CloudConfig;
use kh_http_common::{ErrorCode, MAX_LIMIT, MAX_QUERY_CHARS};
use kh_ports::{MockBranchDirectory, MockHqLedger};
use serde_json::Value;
use tower::ServiceExt;

/// Every route of `crates/http-cloud/src/router.rs`, with its method.
const ROUTES: [(&str, &str); 42] = [
    ("get", "/api/v1/health"),
    ("get", "/api/v1/openapi.json"),
    ("get", "/api/v1/sync/whoami"),
    ("post", "/api/v1/sync/push"),
    ("get", "/api/v1/sync/pull"),
    ("post", "/api/v1/sync/shifts"),
    ("get", "/api/v1/branches/{id}/shifts"),
    ("get", "/api/v1/shifts/attention"),
    ("get", "/api/v1/branches"),
    ("post", "/api/v1/branches"),
    ("post", "/api/v1/branches/{id}/rotate-key"),
    ("post", "/api/v1/branches/{id}/disable"),
    ("post", "/api/v1/branches/{id}/enable"),
    ("get", "/api/v1/transactions"),
    ("get", "/api/v1/reports/summary"),
    ("get", "/api/v1/reports/daily"),
    ("get", "/api/v1/reports/daily/export"),
    ("get", "/api/v1/reports/summary/export"),
    ("get", "/api/v1/reports/monthly"),
    ("get", "/api/v1/transactions/export"),
    ("get", "/api/v1/branches/{id}/shifts/export"),
    ("get", "/api/v1/sync/config"),
    ("get", "/api/v1/lists"),
    ("post", "/api/v1/lists/categories"),
    ("patch", "/api/v1/lists/categories/{id}"),
    ("post", "/api/v1/lists/channels"),
    ("patch", "/api/v1/lists/channels/{id}"),
    ("put", "/api/v1/lists/settings"),
    ("get", "/api/v1/staff"),
    ("post", "/api/v1/staff"),
    ("patch", "/api/v1/staff/{id}"),
    ("post", "/api/v1/staff/{id}/pin"),
    ("post", "/api/v1/auth/login"),
    ("get", "/api/v1/auth/me"),
    ("post", "/api/v1/auth/logout"),
    ("get", "/api/v1/users"),
    ("post", "/api/v1/users"),
    ("post", "/api/v1/users/{id}/disable"),
    ("post", "/api/v1/users/{id}/enable"),
    ("post", "/api/v1/users/{id}/reset-password"),
    ("get", "/api/v1/audit"),
    ("get", "/api/v1/settings"),
];

const MAX_BATCH: usize = 37;

fn app_with_batch() -> axum::Router {
    let mut ledger = MockHqLedger::new();
    ledger.expect_ping().returning(|| Ok(()));
    app_with(
        MockBranchDirectory::new(),
        ledger,
        CloudConfig {
            max_batch: MAX_BATCH,
            ..admin_config()
        },
    )
}

/// Fetches the document with no credentials at all.
async fn document(app: &axum::Router) -> Value {
    let response = app
        .clone()
        .oneshot(
            Request::get("/api/v1/openapi.json")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"],
        "application/json",
        "the document is JSON"
    );
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    serde_json::from_slice(&bytes).expect("the document parses as JSON")
}

fn operations(doc: &Value) -> BTreeSet<(String, String)> {
    let mut found = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            found.insert((method.clone(), path.clone()));
        }
    }
    found
}

fn schema<'a>(doc: &'a Value, name: &str) -> &'a Value {
    &doc["components"]["schemas"][name]
}

#[tokio::test]
async fn the_document_is_openapi_3_and_lists_every_route_with_its_method() {
    let app = app_with_batch();
    let doc = document(&app).await;
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3."),
        "{}",
        doc["openapi"]
    );
    let expected: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    assert_eq!(operations(&doc), expected);
    // Every operation has its own id (code generators and validators need them unique).
    let ids: Vec<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .filter_map(|op| op["operationId"].as_str())
        .collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(ids.len(), expected.len(), "an operation without an id");
    assert_eq!(unique.len(), ids.len(), "operation ids repeat: {ids:?}");
    // And the router has each of them: none is answered by the not-found or wrong-method
    // fallbacks (an unauthenticated call stops at 401, which only a routed path gives).
    for (method, path) in &expected {
        let uri = path.replace("{id}", "0b6f8a52-3c1e-4c55-9d0a-6f1f0e0b7a11");
        let request = Request::builder()
            .method(method.to_uppercase().as_str())
            .uri(uri)
            .body(Body::empty())
            .unwrap();
        let response = app.clone().oneshot(request).await.unwrap();
        assert!(
            ![StatusCode::NOT_FOUND, StatusCode::METHOD_NOT_ALLOWED].contains(&response.status()),
            "{method} {path}: {}",
            response.status()
        );
    }
}

#[tokio::test]
async fn the_limits_are_the_domains_and_the_servers() {
    let doc = document(&app_with_batch()).await;
    let row = &schema(&doc, "PushRow")["properties"];
    assert_eq!(row["amount"]["minimum"], Amount::MIN);
    assert_eq!(row["amount"]["maximum"], Amount::MAX);
    assert_eq!(row["category"]["maxLength"], Category::MAX_CHARS);
    assert_eq!(row["description"]["maxLength"], Description::MAX_CHARS);
    assert_eq!(row["type"]["enum"], serde_json::json!(["IN", "OUT"]));
    assert_eq!(row["id"]["format"], "uuid");
    let push = &doc["paths"]["/api/v1/sync/push"]["post"];
    let body = &push["requestBody"]["content"]["application/json"]["schema"];
    assert_eq!(body["maxItems"], MAX_BATCH, "KH_MAX_BATCH of this server");
    let rejected = &schema(&doc, "RejectedDto")["properties"]["code"]["enum"];
    let codes: Vec<&str> = RejectionCode::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(rejected, &serde_json::json!(codes));
    let branch = &schema(&doc, "BranchDto")["properties"];
    assert_eq!(branch["code"]["maxLength"], BranchCode::MAX_CHARS);
    assert_eq!(branch["name"]["maxLength"], BranchName::MAX_CHARS);
    let params = doc["paths"]["/api/v1/transactions"]["get"]["parameters"]
        .as_array()
        .unwrap();
    let param = |name: &str| {
        params
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("no {name}"))
    };
    assert_eq!(param("limit")["schema"]["maximum"], MAX_LIMIT);
    assert_eq!(param("q")["schema"]["maxLength"], MAX_QUERY_CHARS);
    assert_eq!(param("branch_id")["schema"]["format"], "uuid");
    assert!(params.iter().all(|p| p["name"] != "sync_state"));
}

#[tokio::test]
async fn errors_are_the_envelope_with_every_code_and_the_security_schemes_are_bearer() {
    let doc = document(&app_with_batch()).await;
    let code = &schema(&doc, "ErrorCode")["enum"];
    let all: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(code, &serde_json::json!(all));
    let detail = &schema(&doc, "Detail");
    let required: BTreeSet<&str> = detail["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(required, BTreeSet::from(["field", "rule", "issue"]));
    for scheme in ["branchKey", "adminToken"] {
        let s = &doc["components"]["securitySchemes"][scheme];
        assert_eq!(
            (s["type"].as_str(), s["scheme"].as_str()),
            (Some("http"), Some("bearer"))
        );
    }
    let push = &doc["paths"]["/api/v1/sync/push"]["post"];
    assert_eq!(push["security"], serde_json::json!([{"branchKey": []}]));
    assert!(push["responses"]["401"].is_object() && push["responses"]["429"].is_object());
    let branches = &doc["paths"]["/api/v1/branches"]["get"];
    assert_eq!(
        branches["security"],
        serde_json::json!([{"adminToken": []}, {"session": []}]),
        "the admin token or a signed-in user's session"
    );
    let session = &doc["components"]["securitySchemes"]["session"];
    assert_eq!(
        (
            session["type"].as_str(),
            session["in"].as_str(),
            session["name"].as_str()
        ),
        (Some("apiKey"), Some("cookie"), Some("kh_session"))
    );
    let health = &doc["paths"]["/api/v1/health"]["get"];
    assert!(
        health.get("security").is_none(),
        "health needs no credentials"
    );
}

/// Found by the fuzzing stage: a NUL in `q` reached PostgreSQL, which refuses it in a query
/// (500). Search text with a control character is now a 400 naming `q`.
#[tokio::test]
async fn search_text_with_a_control_character_is_400_not_a_database_error() {
    let mut ledger = MockHqLedger::new();
    ledger.expect_list().never();
    let app = app(MockBranchDirectory::new(), ledger);
    for q in ["%00", "a%00b", "x%1B%5B31m", "%C2%85"] {
        let (status, body) = send(&app, admin("GET", &format!("/transactions?q={q}"), None)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{q}: {body}");
        assert_eq!(body["error"]["details"][0]["field"], "q");
        assert_eq!(body["error"]["details"][0]["rule"], "no_control_characters");
    }
}

/// Found by the fuzzing stage: a parameter given blank (`?to=`) was read as absent, so the
/// document's `format: date` did not hold. Given, a parameter must be valid.
#[tokio::test]
async fn a_blank_parameter_is_400_not_read_as_absent() {
    let mut ledger = MockHqLedger::new();
    ledger.expect_list().never();
    ledger.expect_daily().never();
    let mut directory = MockBranchDirectory::new();
    directory.expect_list().never();
    let app = app(directory, ledger);
    for (path, field) in [
        ("/transactions?to=", "to"),
        ("/transactions?limit=", "limit"),
        ("/transactions?limit=+5", "limit"),
        ("/transactions?branch_id=", "branch_id"),
        ("/transactions?category=", "category"),
        ("/reports/summary?from=", "from"),
        ("/reports/daily?branch_id=", "branch_id"),
        ("/reports/daily?from=%202025-12-08", "from"),
    ] {
        let (status, body) = send(&app, admin("GET", path, None)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}: {body}");
        assert_eq!(body["error"]["details"][0]["field"], field, "{path}");
    }
}
