//! The router with mocked services' ports: status mapping, the envelope, and the guards.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use kh_domain::chrono::{DateTime, Utc};
use kh_domain::{BusinessCalendar, NewTransaction, Transaction};
use kh_http_local::{AppState, SecurityPolicy, router};
use kh_ports::services::{
    CurrentBranch, LedgerService, MockSyncTrigger, SyncProgress, SyncTrigger, SystemService,
};
use kh_ports::{
    Clock, Inbox, Ledger, LedgerError, MockClock, MockInbox, MockLedger, MockOutbox,
    MockSyncGateway, MockSyncSettings, Outbox, Recorded, SyncGateway, SyncSettings,
};
use serde_json::Value;
use tower::ServiceExt;

const PORT: u16 = 8080;

fn clock() -> Arc<dyn Clock> {
    let mut clock = MockClock::new();
    clock.expect_now().returning(|| {
        DateTime::parse_from_rfc3339("2025-12-08T03:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    });
    Arc::new(clock)
}

fn app(ledger: MockLedger, on_recorded: MockSyncTrigger) -> axum::Router {
    let ledger_service = LedgerService::new(
        Arc::new(ledger) as Arc<dyn Ledger>,
        default_lists(),
        clock(),
        CurrentBranch::default(),
    );
    let mut settings = MockSyncSettings::new();
    settings.expect_credentials().returning(|| Ok(None));
    let system = SystemService::new(
        Arc::new(MockOutbox::new()) as Arc<dyn Outbox>,
        Arc::new(MockInbox::new()) as Arc<dyn Inbox>,
        Arc::new(settings) as Arc<dyn SyncSettings>,
        Arc::new(MockSyncTrigger::new()) as Arc<dyn SyncTrigger>,
        Arc::new(MockSyncGateway::new()) as Arc<dyn SyncGateway>,
        clock(),
        CurrentBranch::default(),
        SyncProgress::default(),
    );
    let state = AppState::new(
        ledger_service,
        system,
        unlocked(),
        no_shifts(),
        Arc::new(on_recorded),
        BusinessCalendar::from_name("Asia/Jayapura").unwrap(),
    );
    router(state, SecurityPolicy::loopback(PORT), None)
}

fn post(path: &str, body: &str) -> Request<Body> {
    Request::post(format!("/api/v1{path}"))
        .header("host", format!("127.0.0.1:{PORT}"))
        .header("content-type", "application/json")
        .body(Body::from(body.to_owned()))
        .unwrap()
}

async fn send(app: axum::Router, request: Request<Body>) -> (StatusCode, Value) {
    let response = app.oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).expect("every answer is a JSON envelope"),
    )
}

const ENTRY: &str = r#"{"type":"OUT","amount":20000,"category":"Bahan Baku"}"#;

#[tokio::test]
async fn a_new_entry_is_201_and_wakes_the_sync_worker_once() {
    let mut ledger = MockLedger::new();
    ledger
        .expect_record()
        .returning(|tx| Ok(Recorded::Created(Transaction::posted(tx))));
    let mut trigger = MockSyncTrigger::new();
    trigger.expect_trigger().times(1).return_const(());
    let (status, body) = send(app(ledger, trigger), post("/transactions", ENTRY)).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(body["success"], true);
    assert_eq!(body["data"]["amount"], 20000);
    assert_eq!(body["data"]["type"], "OUT");
    assert_eq!(body["data"]["sync_state"], "pending");
    assert!(
        body["data"]["occurred_at"]
            .as_str()
            .unwrap()
            .ends_with(".000Z")
    );
}

#[tokio::test]
async fn a_replay_is_200_and_does_not_wake_the_worker() {
    let mut ledger = MockLedger::new();
    ledger
        .expect_record()
        .returning(|tx| Ok(Recorded::Replayed(Transaction::posted(tx))));
    let mut trigger = MockSyncTrigger::new();
    trigger.expect_trigger().never();
    let (status, body) = send(app(ledger, trigger), post("/transactions", ENTRY)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["success"], true);
}

#[tokio::test]
async fn an_unavailable_database_is_503_and_says_nothing_was_saved() {
    let mut ledger = MockLedger::new();
    ledger
        .expect_record()
        .returning(|_| Err(LedgerError::Unavailable("database is locked".into())));
    let (status, body) = send(
        app(ledger, MockSyncTrigger::new()),
        post("/transactions", ENTRY),
    )
    .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["error"]["code"], "unavailable");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("nothing was saved")
    );
}

#[tokio::test]
async fn an_internal_failure_is_an_opaque_500() {
    let mut ledger = MockLedger::new();
    ledger
        .expect_record()
        .returning(|_| Err(LedgerError::Internal("secret SQL detail".into())));
    let (status, body) = send(
        app(ledger, MockSyncTrigger::new()),
        post("/transactions", ENTRY),
    )
    .await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(body["error"]["code"], "internal");
    assert_eq!(body["data"], Value::Null);
    assert!(!body.to_string().contains("secret SQL detail"));
}

#[tokio::test]
async fn a_panicking_handler_still_answers_with_the_envelope() {
    let mut ledger = MockLedger::new();
    ledger
        .expect_record()
        .returning(|_: NewTransaction| panic!("boom"));
    let (status, body) = send(
        app(ledger, MockSyncTrigger::new()),
        post("/transactions", ENTRY),
    )
    .await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(body["error"]["code"], "internal");
}

#[tokio::test]
async fn foreign_hosts_and_origins_are_refused_before_any_handler() {
    let mut ledger = MockLedger::new();
    ledger.expect_record().never();
    let router = app(ledger, MockSyncTrigger::new());

    let mut rebinding = post("/transactions", ENTRY);
    rebinding
        .headers_mut()
        .insert("host", "attacker.example:8080".parse().unwrap());
    let (status, body) = send(router.clone(), rebinding).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("forbidden"))
    );

    let mut no_host = post("/transactions", ENTRY);
    no_host.headers_mut().remove("host");
    assert_eq!(send(router.clone(), no_host).await.0, StatusCode::FORBIDDEN);

    let mut cross_site = post("/transactions", ENTRY);
    cross_site
        .headers_mut()
        .insert("origin", "https://evil.example".parse().unwrap());
    assert_eq!(
        send(router.clone(), cross_site).await.0,
        StatusCode::FORBIDDEN
    );

    let mut null_origin = post("/transactions", ENTRY);
    null_origin
        .headers_mut()
        .insert("origin", "null".parse().unwrap());
    assert_eq!(send(router, null_origin).await.0, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_apps_own_origin_is_accepted() {
    let mut ledger = MockLedger::new();
    ledger
        .expect_record()
        .times(1)
        .returning(|tx| Ok(Recorded::Created(Transaction::posted(tx))));
    let mut trigger = MockSyncTrigger::new();
    trigger.expect_trigger().return_const(());
    let mut request = post("/transactions", ENTRY);
    request
        .headers_mut()
        .insert("origin", "http://localhost:8080".parse().unwrap());
    assert_eq!(
        send(app(ledger, trigger), request).await.0,
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn unknown_paths_and_methods_get_the_envelope() {
    let router = app(MockLedger::new(), MockSyncTrigger::new());
    let get = |path: &str, method: &str| {
        Request::builder()
            .method(method)
            .uri(path)
            .header("host", "localhost:8080")
            .body(Body::empty())
            .unwrap()
    };
    let (status, body) = send(router.clone(), get("/api/v1/nothing-here", "GET")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("/api/v1/nothing-here")
    );
    let (status, body) = send(router.clone(), get("/api/v1/transactions", "DELETE")).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(body["success"], false);
    let (status, _) = send(router, get("/", "GET")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn health_reads_the_cash_book_and_is_503_when_it_cannot() {
    let get = || {
        Request::get("/api/v1/health")
            .header("host", "127.0.0.1:8080")
            .body(Body::empty())
            .unwrap()
    };
    let mut readable = MockLedger::new();
    readable.expect_ping().times(1).returning(|| Ok(()));
    let (status, body) = send(app(readable, MockSyncTrigger::new()), get()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"]["database"], "ok");

    let mut broken = MockLedger::new();
    broken
        .expect_ping()
        .times(1)
        .returning(|| Err(LedgerError::Unavailable("disk I/O error".into())));
    let (status, body) = send(app(broken, MockSyncTrigger::new()), get()).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["error"]["code"], "unavailable");
    assert!(
        !body.to_string().contains("disk I/O"),
        "the cause stays in the log"
    );
}

#[tokio::test]
async fn settings_tell_the_app_the_branch_time_zone() {
    let request = Request::get("/api/v1/system/settings")
        .header("host", "127.0.0.1:8080")
        .body(Body::empty())
        .unwrap();
    let (status, body) = send(app(MockLedger::new(), MockSyncTrigger::new()), request).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"]["timezone"], "Asia/Jayapura");
    assert_eq!(body["data"]["zone_label"], "WIT");
    assert_eq!(body["data"]["utc_offset_minutes"], 540);
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

#[tokio::test]
async fn a_workbook_too_long_for_excel_is_refused_up_front_with_the_count() {
    let mut ledger = MockLedger::new();
    // The book holds one entry more than a sheet takes; only the count is read.
    ledger.expect_list().times(1).returning(|q| {
        Ok(kh_ports::Page {
            items: Vec::new(),
            page: q.page,
            limit: q.limit,
            total: 1_048_576,
        })
    });
    ledger.expect_list_after().never();
    let request = Request::get("/api/v1/transactions/export?format=xlsx")
        .header("host", format!("127.0.0.1:{PORT}"))
        .body(Body::empty())
        .unwrap();
    let (status, body) = send(app(ledger, MockSyncTrigger::new()), request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let detail = &body["error"]["details"][0];
    assert_eq!(detail["field"], "format");
    assert_eq!(detail["limit"], 1_048_575);
    assert!(
        detail["issue"].as_str().unwrap().contains("1048576"),
        "{detail}"
    );
}
