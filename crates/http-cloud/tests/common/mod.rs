//! Building the HQ router over mocked ports (driving the real services) and calling it.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use kh_domain::chrono::{DateTime, Utc};
use kh_domain::{ApiKey, Branch, BranchCode, BranchId, BranchName, TransactionId};
use kh_http_cloud::{CloudConfig, CloudState, HqPorts, router};
use kh_ports::{
    BranchDirectory, Clock, HqBranchStaff, HqLedger, HqLists, HqShifts, HqStaff,
    MockBranchDirectory, MockClock, MockHqBranchStaff, MockHqLedger, MockHqLists, MockHqShifts,
    MockHqStaff,
};
use serde_json::{Value, json};
use tower::ServiceExt;

/// The key the test branch was issued.
pub const KEY: &str = "kh_TestKeyTestKeyTestKeyTestKeyTestKeyTest1";
/// The admin token of [`admin_config`].
pub const ADMIN: &str = "admin-s3cret";

pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2025-12-08T03:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

pub fn clock() -> Arc<dyn Clock> {
    let mut clock = MockClock::new();
    clock.expect_now().returning(now);
    Arc::new(clock)
}

pub fn branch(code: &str, disabled: bool) -> Branch {
    Branch {
        id: BranchId::new_v4(),
        code: BranchCode::parse(code).unwrap(),
        name: BranchName::parse(&format!("Cabang {code}")).unwrap(),
        created_at: now(),
        disabled_at: disabled.then(now),
        last_seen_at: None,
    }
}

/// A directory where [`KEY`] belongs to `owner`, and every other key to nobody.
pub fn keyed_directory(owner: Branch) -> MockBranchDirectory {
    let stored = ApiKey::presented(KEY).unwrap().hash();
    let mut directory = MockBranchDirectory::new();
    directory.expect_note_refusals().returning(|_, _, _| Ok(()));
    directory.expect_find_by_key().returning(move |presented| {
        Ok(presented
            .matches(&stored)
            .then(|| (owner.clone(), stored.clone())))
    });
    directory
}

pub fn admin_config() -> CloudConfig {
    CloudConfig {
        admin_token: Some(ADMIN.into()),
        ..CloudConfig::default()
    }
}

pub fn app(directory: MockBranchDirectory, ledger: MockHqLedger) -> axum::Router {
    app_with(directory, ledger, admin_config())
}

/// The epoch every mocked HQ answers with.
pub fn epoch() -> kh_domain::HqEpoch {
    kh_domain::HqEpoch::parse("epoch", "0b6f8a52-3c1e-4c55-9d0a-6f1f0e0b7a11").unwrap()
}

pub fn app_with(
    directory: MockBranchDirectory,
    ledger: MockHqLedger,
    config: CloudConfig,
) -> axum::Router {
    app_with_lists(directory, ledger, MockHqLists::new(), config)
}

/// [`app_with`] over a list store that expects what the test says.
pub fn app_with_lists(
    directory: MockBranchDirectory,
    mut ledger: MockHqLedger,
    lists: MockHqLists,
    config: CloudConfig,
) -> axum::Router {
    ledger.expect_epoch().returning(|| Ok(epoch()));
    let ports = HqPorts {
        directory: Arc::new(directory) as Arc<dyn BranchDirectory>,
        ledger: Arc::new(ledger) as Arc<dyn HqLedger>,
        lists: Arc::new(lists) as Arc<dyn HqLists>,
        staff: Arc::new(recording_staff()) as Arc<dyn HqStaff>,
        people: Arc::new(no_branch_staff()) as Arc<dyn HqBranchStaff>,
        shifts: Arc::new(no_shifts()) as Arc<dyn HqShifts>,
    };
    router(CloudState::new(ports, clock(), config))
}

/// A shift store of a business without shifts yet.
pub fn no_shifts() -> MockHqShifts {
    let mut shifts = MockHqShifts::new();
    shifts.expect_shift_totals().returning(|_| Ok(vec![]));
    shifts
}

/// A branch-staff store of branches without staff.
pub fn no_branch_staff() -> MockHqBranchStaff {
    let mut staff = MockHqBranchStaff::new();
    staff.expect_staff_since().returning(|_, _| Ok(vec![]));
    staff
}

/// A staff store that takes every audit line (the admin token is the only principal here).
pub fn recording_staff() -> MockHqStaff {
    let mut staff = MockHqStaff::new();
    staff.expect_audit().returning(|_| Ok(()));
    staff
}

/// A request to `/api/v1{path}`, with a bearer credential and a JSON body if given.
pub fn request(
    method: &str,
    path: &str,
    bearer: Option<&str>,
    body: Option<&str>,
) -> Request<Body> {
    let mut builder = Request::builder()
        .method(method)
        .uri(format!("/api/v1{path}"));
    if let Some(credential) = bearer {
        builder = builder.header("authorization", format!("Bearer {credential}"));
    }
    match body {
        Some(body) => builder
            .header("content-type", "application/json")
            .body(Body::from(body.to_owned()))
            .unwrap(),
        None => builder.body(Body::empty()).unwrap(),
    }
}

/// Marks the request as coming from `ip`, as `into_make_service_with_connect_info` would.
pub fn from_ip(mut request: Request<Body>, ip: &str) -> Request<Body> {
    let addr: SocketAddr = format!("{ip}:40000").parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(addr));
    request
}

pub fn push(body: &str) -> Request<Body> {
    request("POST", "/sync/push", Some(KEY), Some(body))
}

pub fn admin(method: &str, path: &str, body: Option<&str>) -> Request<Body> {
    request(method, path, Some(ADMIN), body)
}

/// Sends one request and checks that the answer is the envelope of DESIGN 4.
pub async fn send_full(
    app: &axum::Router,
    request: Request<Body>,
) -> (StatusCode, HeaderMap, Value) {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let body: Value = serde_json::from_slice(&bytes).expect("every answer is a JSON envelope");
    assert_eq!(
        body["success"].as_bool(),
        Some(status.is_success()),
        "{body}"
    );
    assert!(body["message"].is_string(), "{body}");
    assert!(body.get("data").is_some(), "{body}");
    if !status.is_success() {
        assert_eq!(body["data"], Value::Null, "{body}");
        assert!(body["error"]["code"].is_string(), "{body}");
        assert!(body["error"]["details"].is_array(), "{body}");
    }
    (status, headers, body)
}

pub async fn send(app: &axum::Router, request: Request<Body>) -> (StatusCode, Value) {
    let (status, _, body) = send_full(app, request).await;
    (status, body)
}

/// A row as a branch pushes it, valid unless changed.
pub fn row(id: TransactionId, amount: i64) -> Value {
    json!({
        "id": id.to_string(),
        "type": "IN",
        "amount": amount,
        "category": "Penjualan",
        "description": "nasi kotak",
        "occurred_at": "2025-12-08T02:00:00.000Z",
        "created_at": "2025-12-08T02:00:01.000Z",
        "reverses_id": null
    })
}
