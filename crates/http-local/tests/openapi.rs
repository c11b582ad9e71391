//! `GET /api/v1/openapi.json` on the branch: served as JSON behind the loopback guard, OpenAPI
//! 3, naming every route of the router with the limits the domain enforces; and the bugs the
//! API fuzzing stage (scripts/api-fuzz.sh) found, each answered with the envelope and a 4xx.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use kh_domain::chrono::{DateTime, Utc};
use kh_domain::{Amount, BusinessCalendar, Category, Description, VoidReason};
use kh_http_common::{ErrorCode, MAX_LIMIT, MAX_PAGE};
use kh_http_local::{AppState, SecurityPolicy, router};
use kh_ports::services::{
    CurrentBranch, LedgerService, MockSyncTrigger, SyncProgress, SyncTrigger, SystemService,
};
use kh_ports::{
    Clock, Inbox, Ledger, MockClock, MockInbox, MockLedger, MockOutbox, MockSyncGateway,
    MockSyncSettings, Outbox, SyncGateway, SyncSettings,
};
use serde_json::{Value, json};
use tower::ServiceExt;

const PORT: u16 = 8080;

/// Every route of `crates/http-local/src/router.rs`, with its method.
const ROUTES: [(&str, &str); 32] = [
    ("get", "/api/v1/health"),
    ("get", "/api/v1/openapi.json"),
    ("post", "/api/v1/transactions"),
    ("get", "/api/v1/transactions/export"),
    ("get", "/api/v1/transactions"),
    ("get", "/api/v1/transactions/totals"),
    ("get", "/api/v1/transactions/{id}"),
    ("post", "/api/v1/transactions/{id}/void"),
    ("get", "/api/v1/dashboard/summary"),
    ("get", "/api/v1/dashboard/daily"),
    ("get", "/api/v1/dashboard/daily/export"),
    ("get", "/api/v1/dashboard/categories/export"),
    ("get", "/api/v1/shifts/export"),
    ("get", "/api/v1/shifts/{id}/export"),
    ("get", "/api/v1/dashboard/channels"),
    ("get", "/api/v1/lists"),
    ("get", "/api/v1/dashboard/categories"),
    ("get", "/api/v1/categories"),
    ("get", "/api/v1/system/settings"),
    ("get", "/api/v1/system/status"),
    ("post", "/api/v1/system/sync"),
    ("post", "/api/v1/system/sync/retry-rejected"),
    ("post", "/api/v1/system/activate"),
    ("get", "/api/v1/staff"),
    ("post", "/api/v1/session"),
    ("get", "/api/v1/session"),
    ("delete", "/api/v1/session"),
    ("get", "/api/v1/shifts/current"),
    ("post", "/api/v1/shifts"),
    ("get", "/api/v1/shifts"),
    ("get", "/api/v1/shifts/{id}"),
    ("post", "/api/v1/shifts/{id}/close"),
];

fn clock() -> Arc<dyn Clock> {
    let mut clock = MockClock::new();
    clock.expect_now().returning(|| {
        DateTime::parse_from_rfc3339("2025-12-08T03:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    });
    Arc::new(clock)
}

/// The router over mocks that must not be reached: every request here is refused before
/// storage, or only the document is read.
fn app(ledger: MockLedger) -> axum::Router {
    let system = SystemService::new(
        Arc::new(MockOutbox::new()) as Arc<dyn Outbox>,
        Arc::new(MockInbox::new()) as Arc<dyn Inbox>,
        Arc::new(MockSyncSettings::new()) as Arc<dyn SyncSettings>,
        Arc::new(MockSyncTrigger::new()) as Arc<dyn SyncTrigger>,
        Arc::new(MockSyncGateway::new()) as Arc<dyn SyncGateway>,
        clock(),
        CurrentBranch::default(),
        SyncProgress::default(),
    );
    let state = AppState::new(
        LedgerService::new(
            Arc::new(ledger) as Arc<dyn Ledger>,
            default_lists(),
            clock(),
            CurrentBranch::default(),
        ),
        system,
        unlocked(),
        no_shifts(),
        Arc::new(MockSyncTrigger::new()),
        BusinessCalendar::from_name("Asia/Jakarta").unwrap(),
    );
    router(state, SecurityPolicy::loopback(PORT), None)
}

fn get(path: &str, host: &str) -> Request<Body> {
    Request::get(path)
        .header("host", host)
        .body(Body::empty())
        .unwrap()
}

async fn send(app: &axum::Router, request: Request<Body>) -> (StatusCode, String, Value) {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        content_type,
        serde_json::from_slice(&bytes).expect("JSON"),
    )
}

async fn document() -> Value {
    let (status, content_type, doc) = send(
        &app(MockLedger::new()),
        get("/api/v1/openapi.json", &format!("127.0.0.1:{PORT}")),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "application/json");
    doc
}

fn schema<'a>(doc: &'a Value, name: &str) -> &'a Value {
    &doc["components"]["schemas"][name]
}

#[tokio::test]
async fn the_document_is_openapi_3_and_lists_every_route_with_its_method() {
    let doc = document().await;
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3."),
        "{}",
        doc["openapi"]
    );
    let mut found = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            found.insert((method.clone(), path.clone()));
        }
    }
    let expected: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    assert_eq!(found, expected);
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
    // And the router has each path: another method there is 405 (`method_not_allowed`),
    // which the router answers only on a path it routes (an unknown one is 404).
    let app = app(MockLedger::new());
    for (_, path) in &expected {
        let uri = path.replace("{id}", "0b6f8a52-3c1e-4c55-9d0a-6f1f0e0b7a11");
        let request = Request::put(uri)
            .header("host", format!("127.0.0.1:{PORT}"))
            .body(Body::empty())
            .unwrap();
        let (status, _, body) = send(&app, request).await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{path}: {body}");
    }
    let (status, _, _) = send(
        &app,
        get("/api/v1/nothing-here", &format!("127.0.0.1:{PORT}")),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_limits_are_the_domains() {
    let doc = document().await;
    let create = &schema(&doc, "CreateTransaction")["properties"];
    assert_eq!(create["amount"]["minimum"], Amount::MIN);
    assert_eq!(create["amount"]["maximum"], Amount::MAX);
    assert_eq!(create["category"]["maxLength"], Category::MAX_CHARS);
    assert_eq!(create["description"]["maxLength"], Description::MAX_CHARS);
    assert_eq!(create["type"]["enum"], json!(["IN", "OUT"]));
    assert_eq!(create["occurred_at"]["format"], "date-time");
    assert_eq!(
        schema(&doc, "VoidRequest")["properties"]["reason"]["maxLength"],
        VoidReason::MAX_CHARS
    );
    let params = doc["paths"]["/api/v1/transactions"]["get"]["parameters"]
        .as_array()
        .unwrap();
    let param = |name: &str| &params.iter().find(|p| p["name"] == name).unwrap()["schema"];
    assert_eq!(param("limit")["maximum"], MAX_LIMIT);
    assert_eq!(param("page")["maximum"], MAX_PAGE);
    assert_eq!(param("from")["format"], "date");
    assert_eq!(
        param("sync_state")["enum"],
        json!(["pending", "synced", "rejected"])
    );
    assert!(params.iter().all(|p| p["name"] != "branch_id"));
    let code = &schema(&doc, "ErrorCode")["enum"];
    let all: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(code, &json!(all));
    let get = &doc["paths"]["/api/v1/transactions/{id}"]["get"];
    assert!(get["responses"]["404"].is_object() && get["responses"]["403"].is_object());
}

#[tokio::test]
async fn the_document_is_behind_the_loopback_guard() {
    let (status, _, body) = send(
        &app(MockLedger::new()),
        get("/api/v1/openapi.json", &format!("evil.example:{PORT}")),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"]["code"], "forbidden");
}

/// Found by the fuzzing stage: a parameter given blank (`?to=`) was read as absent, so the
/// document's `format: date` did not hold. Given, a parameter must be valid.
#[tokio::test]
async fn a_blank_parameter_is_400_not_read_as_absent() {
    let mut ledger = MockLedger::new();
    ledger.expect_list().never();
    ledger.expect_totals().never();
    ledger.expect_daily().never();
    ledger.expect_category_totals().never();
    let app = app(ledger);
    for (path, field) in [
        ("/api/v1/transactions?to=", "to"),
        ("/api/v1/transactions?page=", "page"),
        ("/api/v1/transactions?type=", "type"),
        ("/api/v1/transactions?sync_state=", "sync_state"),
        ("/api/v1/transactions?q=a%00", "q"),
        ("/api/v1/dashboard/summary?to=", "to"),
        ("/api/v1/dashboard/daily?from=", "from"),
        ("/api/v1/dashboard/categories?type=", "type"),
    ] {
        let (status, _, body) = send(&app, get(path, &format!("127.0.0.1:{PORT}"))).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}: {body}");
        assert_eq!(body["error"]["code"], "validation_failed");
        assert_eq!(body["error"]["details"][0]["field"], field, "{path}");
    }
}

/// A PC that never heard from HQ: the default lists.
fn default_lists() -> Arc<dyn kh_ports::BranchLists> {
    let mut lists = kh_ports::MockBranchLists::new();
    lists
        .expect_lists()
        .returning(|| Ok(kh_domain::Lists::defaults()));
    Arc::new(lists)
}

/// The lock screen of a branch without staff: nobody needs to sign in.
fn unlocked() -> kh_ports::services::LockScreenService {
    kh_ports::services::LockScreenService::new(
        default_lists(),
        Arc::new(kh_ports::MockBranchPeople::new()),
        clock(),
        10,
    )
}

/// Shifts over a store that must not be reached.
fn no_shifts() -> kh_ports::services::ShiftService {
    kh_ports::services::ShiftService::new(
        Arc::new(kh_ports::MockShiftStore::new()),
        default_lists(),
        clock(),
    )
}
