//! The HQ router over mocked ports: branch keys, the push, health, limits and the envelope.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;

use axum::http::StatusCode;
use common::*;
use kh_domain::{BranchId, RejectionCode, TransactionId};
use kh_http_cloud::{CloudConfig, MAX_BODY_BYTES};
use kh_ports::{HqError, IngestOutcome, MockBranchDirectory, MockHqLedger, RowRejection};
use serde_json::{Value, json};

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_push_answers_three_lists_and_sends_only_readable_valid_rows_to_ingest() {
    let me = branch("JKT-01", false);
    let me_id = me.id;
    let mut directory = keyed_directory(me);
    directory.expect_touch().times(1).returning(|_, _| Ok(()));
    let (new, dup, refused, zero) = (
        TransactionId::new_v4(),
        TransactionId::new_v4(),
        TransactionId::new_v4(),
        TransactionId::new_v4(),
    );
    let mut ledger = MockHqLedger::new();
    ledger
        .expect_ingest()
        .times(1)
        .withf(move |branch, device, rows, received_at| {
            let sent: Vec<TransactionId> = rows.iter().map(|r| r.id).collect();
            *branch == me_id
                && device.is_none()
                && sent == [new, dup, refused]
                && *received_at == now()
        })
        .returning(move |_, _, _, _| {
            Ok(IngestOutcome {
                accepted: vec![new],
                duplicates: vec![dup],
                rejected: vec![RowRejection {
                    id: refused.to_string(),
                    code: RejectionCode::UnknownReference,
                    reason: "the original is not at HQ".into(),
                }],
            })
        });
    let mut wrong_type = row(TransactionId::new_v4(), 5);
    wrong_type["amount"] = json!("5000");
    let wrong_type_id = wrong_type["id"].as_str().unwrap().to_owned();
    let mut branch_only = row(TransactionId::new_v4(), 5);
    branch_only["is_synced"] = json!(false);
    let branch_only_id = branch_only["id"].as_str().unwrap().to_owned();
    let body = json!([
        row(new, 10_000),
        wrong_type,
        row(dup, 20_000),
        branch_only,
        7,
        row(refused, 30_000),
        row(zero, 0),
    ]);

    let (status, body) = send(&app(directory, ledger), push(&body.to_string())).await;

    assert_eq!(status, StatusCode::OK, "{body}");
    let data = &body["data"];
    assert_eq!(ids(&data["accepted"]), [new.to_string()]);
    assert_eq!(ids(&data["duplicates"]), [dup.to_string()]);
    let rejected: Vec<(String, String, String)> = data["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_owned(),
                r["code"].as_str().unwrap().to_owned(),
                r["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let by_id = |id: &str| rejected.iter().find(|r| r.0 == id).unwrap().clone();
    let (_, code, reason) = by_id(&wrong_type_id);
    assert_eq!(code, "validation_failed");
    assert!(reason.starts_with("amount: "), "{reason}");
    let (_, code, reason) = by_id(&branch_only_id);
    assert_eq!(code, "validation_failed");
    assert!(reason.starts_with("is_synced: "), "{reason}");
    let (_, code, reason) = by_id("");
    assert_eq!(code, "validation_failed");
    assert!(reason.starts_with("row: must be a JSON object"), "{reason}");
    assert_eq!(by_id(&zero.to_string()).1, "validation_failed");
    assert_eq!(by_id(&refused.to_string()).1, "unknown_reference");
}

#[tokio::test]
async fn an_array_element_is_refused_not_read_by_position() {
    let mut directory = keyed_directory(branch("JKT-01", false));
    directory.expect_touch().returning(|_, _| Ok(()));
    let mut ledger = MockHqLedger::new();
    ledger.expect_ingest().never();
    let id = TransactionId::new_v4().to_string();
    let by_position = json!([[
        id,
        null,
        "IN",
        5,
        "Penjualan",
        null,
        "2025-12-08T02:00:00.000Z",
        "2025-12-08T02:00:00.000Z",
        null
    ]]);
    let (status, body) = send(&app(directory, ledger), push(&by_position.to_string())).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["data"]["accepted"], json!([]));
    assert_eq!(body["data"]["rejected"][0]["code"], "validation_failed");
}

#[tokio::test]
async fn an_empty_push_is_three_empty_lists() {
    let mut directory = keyed_directory(branch("JKT-01", false));
    directory.expect_touch().returning(|_, _| Ok(()));
    let mut ledger = MockHqLedger::new();
    ledger.expect_ingest().never();
    let (status, body) = send(&app(directory, ledger), push("[]")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body["data"],
        json!({"accepted": [], "duplicates": [], "rejected": [], "epoch": common::epoch().to_string()})
    );
}

/// A router where the key is valid but nothing may be stored.
fn nothing_stored() -> axum::Router {
    nothing_stored_with(CloudConfig::default())
}

fn nothing_stored_with(config: CloudConfig) -> axum::Router {
    let mut directory = keyed_directory(branch("JKT-01", false));
    directory.expect_touch().never();
    let mut ledger = MockHqLedger::new();
    ledger.expect_ingest().never();
    app_with(directory, ledger, config)
}

#[tokio::test]
async fn a_body_that_is_not_an_array_refuses_the_whole_push() {
    let app = nothing_stored();
    let one_row = row(TransactionId::new_v4(), 5).to_string();
    for body in [one_row.as_str(), "\"rows\"", "42", "null"] {
        let (status, answer) = send(&app, push(body)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(answer["error"]["code"], "validation_failed");
        assert_eq!(answer["error"]["details"][0]["field"], "body");
    }
}

#[tokio::test]
async fn broken_json_is_malformed_json() {
    let app = nothing_stored();
    for body in ["[{\"id\": ", "[1,]", "not json", "[] []"] {
        let (status, answer) = send(&app, push(body)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(answer["error"]["code"], "malformed_json", "{body}");
    }
    let (status, answer) = send(&app, push("  ")).await;
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("malformed_json"))
    );
}

#[tokio::test]
async fn a_body_that_is_not_declared_json_is_415() {
    let app = nothing_stored();
    let mut request = push("[]");
    request
        .headers_mut()
        .insert("content-type", "text/plain".parse().unwrap());
    let (status, answer) = send(&app, request).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(answer["error"]["code"], "unsupported_media_type");
}

#[tokio::test]
async fn more_rows_than_the_batch_limit_is_413_naming_the_limit() {
    let small = nothing_stored_with(CloudConfig {
        max_batch: 3,
        ..CloudConfig::default()
    });
    let rows: Vec<Value> = (0..4).map(|_| row(TransactionId::new_v4(), 5)).collect();
    let (status, answer) = send(&small, push(&json!(rows).to_string())).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(answer["error"]["code"], "payload_too_large");
    assert!(
        answer["message"]
            .as_str()
            .unwrap()
            .contains("at most 3 rows")
    );

    // The default is 500.
    let default = nothing_stored();
    let rows = vec![json!({}); 501];
    let (status, answer) = send(&default, push(&json!(rows).to_string())).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(answer["message"].as_str().unwrap().contains("500"));
}

#[tokio::test]
async fn a_body_over_2_mib_is_413() {
    let app = nothing_stored();
    let big = format!("[\"{}\"]", "x".repeat(MAX_BODY_BYTES));
    let (status, answer) = send(&app, push(&big)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(answer["error"]["code"], "payload_too_large");
    assert!(answer["message"].as_str().unwrap().contains("2 MiB"));
}

#[tokio::test]
async fn missing_and_unknown_keys_are_401_before_the_body_is_read() {
    let mut ledger = MockHqLedger::new();
    ledger.expect_ingest().never();
    let mut directory = keyed_directory(branch("JKT-01", false));
    directory.expect_touch().never();
    let app = app(directory, ledger);
    let broken = "[{";
    for bearer in [None, Some("kh_SomeoneElsesKeyxxxxxxxxxxxxxxxxxxxxxxxxxx")] {
        let (status, answer) =
            send(&app, request("POST", "/sync/push", bearer, Some(broken))).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{bearer:?}");
        assert_eq!(answer["error"]["code"], "unauthorized");
        let (status, _) = send(&app, request("GET", "/sync/whoami", bearer, None)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    // The admin token is not a branch key.
    let (status, _) = send(&app, request("GET", "/sync/whoami", Some(ADMIN), None)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_disabled_branch_is_403() {
    let mut directory = keyed_directory(branch("JKT-01", true));
    directory.expect_touch().never();
    let mut ledger = MockHqLedger::new();
    ledger.expect_ingest().never();
    let app = app(directory, ledger);
    let (status, answer) = send(&app, push("[]")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(answer["error"]["code"], "forbidden");
    assert!(answer["message"].as_str().unwrap().contains("JKT-01"));
}

#[tokio::test]
async fn whoami_names_the_keys_branch_and_marks_it_seen() {
    let me = branch("BDG-02", false);
    let (id, touched) = (me.id, me.id);
    let mut directory = keyed_directory(me);
    directory
        .expect_touch()
        .times(1)
        .withf(move |id, at| *id == touched && *at == now())
        .returning(|_, _| Ok(()));
    let (status, body) = send(
        &app(directory, MockHqLedger::new()),
        request("GET", "/sync/whoami", Some(KEY), None),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body["data"],
        json!({
            "branch": {"id": id.to_string(), "code": "BDG-02", "name": "Cabang BDG-02"},
            "epoch": common::epoch().to_string(),
        })
    );
}

#[tokio::test]
async fn storage_failures_during_a_push_are_503_and_opaque_500() {
    for (error, status, code) in [
        (
            HqError::Unavailable("connection refused".into()),
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
        ),
        (
            HqError::Internal("secret SQL detail".into()),
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
        ),
    ] {
        let directory = keyed_directory(branch("JKT-01", false));
        let mut ledger = MockHqLedger::new();
        let mut error = Some(error);
        ledger
            .expect_ingest()
            .times(1)
            .returning(move |_, _, _, _| Err(error.take().unwrap()));
        let body = json!([row(TransactionId::new_v4(), 5)]).to_string();
        let (got, answer) = send(&app(directory, ledger), push(&body)).await;
        assert_eq!(got, status);
        assert_eq!(answer["error"]["code"], code);
        assert!(!answer.to_string().contains("secret SQL detail"));
    }
}

#[tokio::test]
async fn health_reports_the_database() {
    let mut ledger = MockHqLedger::new();
    ledger.expect_ping().times(1).returning(|| Ok(()));
    let (status, body) = send(
        &app(MockBranchDirectory::new(), ledger),
        request("GET", "/health", None, None),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["data"], json!({"status": "ok", "database": "ok"}));

    let mut ledger = MockHqLedger::new();
    ledger
        .expect_ping()
        .returning(|| Err(HqError::Unavailable("connection refused".into())));
    let (status, body) = send(
        &app(MockBranchDirectory::new(), ledger),
        request("GET", "/health", None, None),
    )
    .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["error"]["code"], "unavailable");
    assert!(body["message"].as_str().unwrap().contains("unreachable"));
    assert!(!body.to_string().contains("connection refused"));
}

#[tokio::test]
async fn repeated_failed_authentication_is_rate_limited_per_address() {
    let mut directory = keyed_directory(branch("JKT-01", false));
    directory.expect_touch().returning(|_, _| Ok(()));
    let app = app(directory, MockHqLedger::new());
    let wrong_key = || request("GET", "/sync/whoami", Some("kh_wrong"), None);
    let wrong_token = || request("GET", "/branches", Some("wrong-token"), None);

    // Twenty failures from one address, branch keys and admin tokens alike, are each a 401 ...
    for n in 0..20 {
        let request = if n % 2 == 0 {
            wrong_key()
        } else {
            wrong_token()
        };
        let (status, _) = send(&app, from_ip(request, "203.0.113.7")).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "attempt {n}");
    }
    // ... then that address is refused, even with a right key, and told when to come back.
    for request in [
        wrong_key(),
        wrong_token(),
        request("GET", "/sync/whoami", Some(KEY), None),
    ] {
        let (status, headers, body) = send_full(&app, from_ip(request, "203.0.113.7")).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(body["error"]["code"], "rate_limited");
        let wait: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=60).contains(&wait), "{wait}");
    }
    // Another address is unaffected, and so is health.
    let ok = request("GET", "/sync/whoami", Some(KEY), None);
    assert_eq!(
        send(&app, from_ip(ok, "198.51.100.1")).await.0,
        StatusCode::OK
    );
    assert_eq!(
        send(&app, from_ip(wrong_key(), "198.51.100.1")).await.0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn successful_requests_are_not_counted_and_without_an_address_all_share_one_count() {
    let mut directory = keyed_directory(branch("JKT-01", false));
    directory.expect_touch().returning(|_, _| Ok(()));
    let app = app(directory, MockHqLedger::new());
    for _ in 0..30 {
        let ok = request("GET", "/sync/whoami", Some(KEY), None);
        assert_eq!(send(&app, ok).await.0, StatusCode::OK);
    }
    for _ in 0..20 {
        let bad = request("GET", "/sync/whoami", None, None);
        assert_eq!(send(&app, bad).await.0, StatusCode::UNAUTHORIZED);
    }
    let ok = request("GET", "/sync/whoami", Some(KEY), None);
    assert_eq!(send(&app, ok).await.0, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn unknown_paths_and_methods_get_the_envelope() {
    let app = app(MockBranchDirectory::new(), MockHqLedger::new());
    let (status, body) = send(&app, request("GET", "/nothing-here", None, None)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("/api/v1/nothing-here")
    );
    let (status, _) = send(&app, request("DELETE", "/health", None, None)).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    let (status, body) = send(&app, request("GET", "/sync/push", None, None)).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(body["error"]["code"], "method_not_allowed");
    let (status, _) = send(&app, request("DELETE", "/branches", Some(ADMIN), None)).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    // Outside the API, the HQ console's page answers (DESIGN 12): its routes are the app's.
    for path in ["/", "/cabang/0b6f8a52-3c1e-4c55-9d0a-6f1f0e0b7a11"] {
        let mut page = request("GET", "/", None, None);
        *page.uri_mut() = path.parse().unwrap();
        let answer = tower::ServiceExt::oneshot(app.clone(), page).await.unwrap();
        assert_eq!(answer.status(), StatusCode::OK, "{path}");
        let kind = answer.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(kind.starts_with("text/html"), "{path}: {kind}");
    }
    // The cashier's page belongs to kh-local.
    let mut cashier = request("GET", "/", None, None);
    *cashier.uri_mut() = "/index.html".parse().unwrap();
    let answer = tower::ServiceExt::oneshot(app.clone(), cashier)
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_panicking_handler_still_answers_with_the_envelope() {
    let mut ledger = MockHqLedger::new();
    ledger.expect_ping().returning(|| panic!("boom"));
    let (status, body) = send(
        &app(MockBranchDirectory::new(), ledger),
        request("GET", "/health", None, None),
    )
    .await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(body["error"]["code"], "internal");
}

#[tokio::test]
async fn every_pushed_id_lands_in_exactly_one_list() {
    let mut directory = keyed_directory(branch("JKT-01", false));
    directory.expect_touch().returning(|_, _| Ok(()));
    let mut ledger = MockHqLedger::new();
    ledger.expect_ingest().returning(|_, _, rows, _| {
        Ok(IngestOutcome {
            accepted: rows.iter().map(|r| r.id).collect(),
            ..IngestOutcome::default()
        })
    });
    let sent: Vec<Value> = (0..50)
        .map(|n| row(TransactionId::new_v4(), if n % 7 == 0 { -1 } else { n + 1 }))
        .collect();
    let expected: BTreeSet<String> = sent
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    let (status, body) = send(&app(directory, ledger), push(&json!(sent).to_string())).await;
    assert_eq!(status, StatusCode::OK);
    let mut seen: Vec<String> = ids(&body["data"]["accepted"]);
    seen.extend(ids(&body["data"]["duplicates"]));
    seen.extend(
        body["data"]["rejected"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_owned()),
    );
    assert_eq!(seen.len(), expected.len());
    assert_eq!(seen.into_iter().collect::<BTreeSet<_>>(), expected);
}

/// A shift as a PC reports it, valid unless changed.
fn reported_shift() -> Value {
    json!({
        "id": kh_domain::ShiftId::new_v4().to_string(),
        "opened_at": "2025-12-08T01:00:00.000Z",
        "opened_by": null,
        "opened_by_name": null,
        "opening_float": 100_000,
        "suggested_float": null,
        "opening_note": null,
        "cash_in": 0,
        "cash_out": 0,
        "entries": 0,
        "close": null,
    })
}

#[tokio::test]
async fn a_push_of_shifts_refuses_each_bad_shift_with_its_field_and_a_bad_body_whole() {
    let mut directory = keyed_directory(branch("JKT-01", false));
    directory.expect_touch().returning(|_, _| Ok(()));
    let app = app(directory, MockHqLedger::new());
    let shifts = |body: &str| request("POST", "/sync/shifts", Some(KEY), Some(body));

    let mut negative = reported_shift();
    negative["opening_float"] = json!(-5);
    let mut bad_count = reported_shift();
    bad_count["close"] = json!({
        "closed_at": "2025-12-08T09:00:00.000Z", "closed_by": null, "closed_by_name": null,
        "counts": {"note_100000": -1, "note_3000": 2}, "expected": 100_000, "counted": 0,
        "note": null, "approved_by": null, "approved_by_name": null,
    });
    let mut letters = reported_shift();
    letters["entries"] = json!("many");
    // A selisih at HQ must follow from the figures beside it: a float of 100.000 and no cash
    // moved cannot expect 120.000 in the drawer.
    let mut unfounded = reported_shift();
    unfounded["close"] = json!({
        "closed_at": "2025-12-08T09:00:00.000Z", "closed_by": null, "closed_by_name": null,
        "counts": {"note_100000": 1}, "expected": 120_000, "counted": 100_000,
        "note": "kurang", "approved_by": null, "approved_by_name": null,
    });
    let body = json!([negative, bad_count, letters, unfounded, 7]).to_string();
    let (status, answer) = send(&app, shifts(&body)).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let rejected = answer["data"]["rejected"].as_array().unwrap();
    assert_eq!(rejected.len(), 5, "{answer}");
    let reason = |i: usize| rejected[i]["reason"].as_str().unwrap().to_owned();
    assert!(reason(0).starts_with("opening_float"), "{}", reason(0));
    assert!(reason(1).contains("close.counts"), "{}", reason(1));
    assert!(reason(2).contains("entries"), "{}", reason(2));
    assert!(reason(3).starts_with("close.expected"), "{}", reason(3));
    assert_eq!(answer["data"]["accepted"], json!([]));

    let (status, answer) = send(&app, shifts("{\"id\": 1}")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(answer["error"]["code"], "validation_failed");
    let (status, answer) = send(&app, shifts("[{")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(answer["error"]["code"], "malformed_json");
    let many = json!(vec![reported_shift(); 101]).to_string();
    let (status, answer) = send(&app, shifts(&many)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(answer["error"]["code"], "payload_too_large");
    // The console's session or the admin token is not a branch key.
    let (status, _) = send(
        &app,
        request("POST", "/sync/shifts", Some(ADMIN), Some("[]")),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_branchs_shifts_need_a_known_branch_and_a_sane_page() {
    let mut directory = MockBranchDirectory::new();
    directory.expect_get().returning(|_| Ok(None));
    let app = app(directory, MockHqLedger::new());
    let unknown = BranchId::new_v4();
    let (status, answer) = send(
        &app,
        admin("GET", &format!("/branches/{unknown}/shifts"), None),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(answer["error"]["code"], "not_found");
    for query in [
        "limit=0",
        "limit=101",
        "page=x",
        "from=2026-13-01",
        "color=red",
    ] {
        let (status, answer) = send(
            &app,
            admin("GET", &format!("/branches/{unknown}/shifts?{query}"), None),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {answer}");
    }
    let (status, _) = send(&app, admin("GET", "/branches/nope/shifts", None)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = send(&app, request("GET", "/shifts/attention", None, None)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}
