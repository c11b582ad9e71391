//! The HQ router's admin endpoints over mocked ports: the token, branches, entries, reports.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::*;
use kh_domain::chrono::NaiveDate;
use kh_domain::{
    ApiKey, BranchId, DayTotals, NewTransaction, SyncState, SyncedInput, Totals, Transaction,
    TransactionId,
};
use kh_http_cloud::CloudConfig;
use kh_ports::{HqError, MockBranchDirectory, MockHqLedger, Page};
use serde_json::json;

#[tokio::test]
async fn admin_endpoints_are_401_when_no_token_is_configured() {
    for token in [None, Some(String::new()), Some("   ".to_owned())] {
        let mut directory = MockBranchDirectory::new();
        directory.expect_list().never();
        directory.expect_create().never();
        let app = app_with(
            directory,
            MockHqLedger::new(),
            CloudConfig {
                admin_token: token.clone(),
                ..CloudConfig::default()
            },
        );
        for bearer in [None, Some(""), Some("   "), Some(ADMIN)] {
            let (status, body) = send(&app, request("GET", "/branches", bearer, None)).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{token:?} {bearer:?}");
            assert_eq!(body["error"]["code"], "unauthorized");
            assert!(body["message"].as_str().unwrap().contains("KH_ADMIN_TOKEN"));
        }
        let body = r#"{"code":"JKT-01","name":"Jakarta"}"#;
        let (status, _) = send(&app, request("POST", "/branches", Some(ADMIN), Some(body))).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn a_wrong_or_missing_admin_token_is_401_on_every_admin_endpoint() {
    let mut directory = MockBranchDirectory::new();
    directory.expect_list().never();
    let app = app(directory, MockHqLedger::new());
    let id = BranchId::new_v4();
    let paths = [
        ("GET", "/branches".to_owned()),
        ("POST", "/branches".to_owned()),
        ("POST", format!("/branches/{id}/rotate-key")),
        ("POST", format!("/branches/{id}/disable")),
        ("GET", "/transactions".to_owned()),
        ("GET", "/reports/summary".to_owned()),
        ("GET", "/reports/daily".to_owned()),
    ];
    // One client address per path keeps these attempts under the failed-attempt limit.
    for (n, (method, path)) in paths.iter().enumerate() {
        for bearer in [None, Some("admin-s3cre"), Some("ADMIN-S3CRET"), Some(KEY)] {
            let attempt = from_ip(request(method, path, bearer, None), &format!("192.0.2.{n}"));
            let (status, body) = send(&app, attempt).await;
            assert_eq!(
                status,
                StatusCode::UNAUTHORIZED,
                "{method} {path} {bearer:?}"
            );
            assert_eq!(body["error"]["code"], "unauthorized");
        }
    }
}

#[tokio::test]
async fn branches_are_listed_created_rekeyed_and_disabled() {
    let listed = vec![branch("BDG-02", false), branch("JKT-01", true)];
    let target = branch("SBY-03", false);
    let target_id = target.id;
    let mut directory = MockBranchDirectory::new();
    let all = listed.clone();
    directory.expect_list().returning(move || Ok(all.clone()));
    let pc = kh_domain::DeviceId::new_v4();
    let bdg = listed[0].id;
    directory.expect_devices().returning(move || {
        Ok(vec![kh_ports::Device {
            branch: bdg,
            id: pc,
            first_seen_at: now(),
            last_seen_at: now(),
            pull_quarantined: 2,
        }])
    });
    directory.expect_create().times(1).returning(|n| {
        Ok(kh_domain::Branch {
            id: n.id,
            code: n.code,
            name: n.name,
            created_at: n.created_at,
            disabled_at: None,
            last_seen_at: None,
        })
    });
    let rekeyed = target.clone();
    let fresh_hash = std::sync::Arc::new(std::sync::Mutex::new(None));
    let remember = fresh_hash.clone();
    directory
        .expect_replace_key()
        .times(1)
        .withf(move |id, _| *id == target_id)
        .returning(move |_, hash| {
            *remember.lock().unwrap() = Some(hash);
            Ok(rekeyed.clone())
        });
    let mut disabled = target.clone();
    disabled.disabled_at = Some(now());
    directory
        .expect_disable()
        .times(1)
        .withf(move |id, at| *id == target_id && *at == now())
        .returning(move |_, _| Ok(disabled.clone()));
    let app = app(directory, MockHqLedger::new());

    let (status, body) = send(&app, admin("GET", "/branches", None)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["data"][0]["code"], "BDG-02");
    assert_eq!(body["data"][1]["disabled_at"], "2025-12-08T03:00:00.000Z");
    assert_eq!(body["data"][0]["last_seen_at"], serde_json::Value::Null);
    assert_eq!(body["data"][0]["devices"][0]["id"], pc.to_string());
    assert_eq!(
        body["data"][0]["devices"][0]["last_seen_at"],
        "2025-12-08T03:00:00.000Z"
    );
    assert_eq!(body["data"][0]["devices"][0]["pull_quarantined"], 2);
    assert_eq!(body["data"][1]["devices"], serde_json::json!([]));
    assert!(body["data"][0].get("api_key").is_none());
    let keys: Vec<&str> = body["data"][0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys.iter()
            .copied()
            .collect::<std::collections::BTreeSet<_>>(),
        [
            "code",
            "created_at",
            "devices",
            "disabled_at",
            "id",
            "last_seen_at",
            "name"
        ]
        .into_iter()
        .collect()
    );

    let create = r#"{"code":"mks-04","name":"Makassar"}"#;
    let (status, body) = send(&app, admin("POST", "/branches", Some(create))).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["data"]["code"], "MKS-04");
    assert_eq!(body["data"]["created_at"], "2025-12-08T03:00:00.000Z");
    assert!(body["data"]["api_key"].as_str().unwrap().starts_with("kh_"));
    BranchId::parse("id", body["data"]["id"].as_str().unwrap()).unwrap();

    let (status, body) = send(
        &app,
        admin("POST", &format!("/branches/{target_id}/rotate-key"), None),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let key = body["data"]["api_key"].as_str().unwrap();
    let stored = fresh_hash.lock().unwrap().clone().unwrap();
    assert!(ApiKey::presented(key).unwrap().hash().matches(&stored));

    let (status, body) = send(
        &app,
        admin("POST", &format!("/branches/{target_id}/disable"), None),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["data"]["disabled_at"], "2025-12-08T03:00:00.000Z");
    assert!(body["data"].get("api_key").is_none());
}

#[tokio::test]
async fn bad_branch_input_names_the_field() {
    let mut directory = MockBranchDirectory::new();
    directory.expect_create().never();
    directory
        .expect_replace_key()
        .returning(|id, _| Err(HqError::BranchNotFound(id)));
    let app = app(directory, MockHqLedger::new());
    for path in ["/branches/abc/rotate-key", "/branches/12/disable"] {
        let (status, body) = send(&app, admin("POST", path, None)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}");
        assert_eq!(body["error"]["details"][0]["field"], "id");
    }
    let unknown = BranchId::new_v4();
    let (status, body) = send(
        &app,
        admin("POST", &format!("/branches/{unknown}/rotate-key"), None),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "not_found");

    for (create, field) in [
        (r#"{"code":"","name":"Jakarta"}"#, "code"),
        (r#"{"code":"JKT-01"}"#, "name"),
        (
            r#"{"code":"JKT-01","name":"Jakarta","api_key":"x"}"#,
            "api_key",
        ),
        (r#"{"code":5,"name":"Jakarta"}"#, "code"),
    ] {
        let (status, body) = send(&app, admin("POST", "/branches", Some(create))).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{create}");
        assert_eq!(body["error"]["details"][0]["field"], field, "{create}");
    }
}

#[tokio::test]
async fn a_taken_code_is_409() {
    let mut directory = MockBranchDirectory::new();
    directory
        .expect_create()
        .returning(|n| Err(HqError::CodeTaken(n.code.as_str().to_owned())));
    let app = app(directory, MockHqLedger::new());
    let create = r#"{"code":"JKT-01","name":"Jakarta"}"#;
    let (status, body) = send(&app, admin("POST", "/branches", Some(create))).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"]["code"], "conflict");
}

fn stored(branch: BranchId, voided_by: Option<TransactionId>) -> Transaction {
    let id = TransactionId::new_v4().to_string();
    let new = NewTransaction::from_synced(
        &SyncedInput {
            id: &id,
            tx_type: "OUT",
            amount: 25_000,
            category: "Bahan Baku",
            description: Some("beras"),
            occurred_at: "2025-12-08T02:00:00.000Z",
            created_at: "2025-12-08T02:00:01.000Z",
            reverses_id: None,
            ..SyncedInput::default()
        },
        branch,
    )
    .unwrap();
    let mut tx = Transaction::posted(new);
    tx.voided_by = voided_by;
    tx.sync = SyncState::Synced { at: now() };
    tx
}

#[tokio::test]
async fn transactions_are_listed_across_branches_with_a_branch_filter() {
    let branch_id = BranchId::new_v4();
    let void = TransactionId::new_v4();
    let tx = stored(branch_id, Some(void));
    let tx_id = tx.id;
    let mut ledger = MockHqLedger::new();
    ledger
        .expect_list()
        .times(1)
        .withf(move |q| {
            q.branch == Some(branch_id) && q.page == 2 && q.limit == 1 && q.sync.is_none()
        })
        .returning(move |q| {
            Ok(Page {
                items: vec![tx.clone()],
                page: q.page,
                limit: q.limit,
                total: 3,
            })
        });
    let app = app(MockBranchDirectory::new(), ledger);
    let (status, body) = send(
        &app,
        admin(
            "GET",
            &format!("/transactions?branch_id={branch_id}&page=2&limit=1"),
            None,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let data = &body["data"];
    assert_eq!(
        (
            &data["page"],
            &data["limit"],
            &data["total"],
            &data["total_pages"]
        ),
        (&json!(2), &json!(1), &json!(3), &json!(3))
    );
    let item = &data["items"][0];
    assert_eq!(item["id"], tx_id.to_string());
    assert_eq!(item["branch_id"], branch_id.to_string());
    assert_eq!(item["received_at"], "2025-12-08T03:00:00.000Z");
    assert_eq!(item["voided_by"], void.to_string());
    assert_eq!(item["reverses_id"], serde_json::Value::Null);
    assert_eq!(
        (&item["type"], &item["amount"]),
        (&json!("OUT"), &json!(25_000))
    );
    assert!(item.get("sync_state").is_none());

    for (query, field) in [
        ("branch_id=JKT-01", "branch_id"),
        ("limit=0", "limit"),
        ("sync_state=pending", "sync_state"),
        ("from=2025-02-30", "from"),
    ] {
        let (status, body) =
            send(&app, admin("GET", &format!("/transactions?{query}"), None)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(body["error"]["details"][0]["field"], field, "{query}");
    }
}

#[tokio::test]
async fn the_summary_lists_every_branch_and_the_total() {
    let (jkt, bdg) = (branch("JKT-01", false), branch("BDG-02", false));
    let jkt_id = jkt.id;
    let mut seen = bdg.clone();
    seen.last_seen_at = Some(now());
    let mut directory = MockBranchDirectory::new();
    let both = vec![seen, jkt.clone()];
    directory.expect_list().returning(move || Ok(both.clone()));
    // HQ refused three rows of Bandung: the console lists it under Perlu perhatian.
    let bdg_id = bdg.id;
    directory.expect_refusals().returning(move || {
        Ok(vec![kh_ports::Refusals {
            branch: bdg_id,
            count: 3,
            last_at: now(),
        }])
    });
    let mut ledger = MockHqLedger::new();
    ledger
        .expect_branch_totals()
        .withf(|r| r.from == NaiveDate::from_ymd_opt(2025, 12, 1) && r.to.is_none())
        .returning(move |_| {
            Ok(vec![(
                jkt_id,
                Totals {
                    total_in: 500_000,
                    total_out: 125_000,
                    count_in: 3,
                    count_out: 2,
                    ..Totals::default()
                },
            )])
        });
    let app = app(directory, ledger);
    let (status, body) = send(&app, admin("GET", "/reports/summary?from=2025-12-01", None)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["data"],
        json!({
            "branches": [
                {"branch_id": bdg.id.to_string(), "code": "BDG-02", "name": "Cabang BDG-02",
                 "total_in": 0, "total_out": 0, "balance": 0, "transaction_count": 0,
                 "voided_count": 0, "voided_total": 0, "last_seen_at": "2025-12-08T03:00:00.000Z",
                 "refused_count": 3, "last_refused_at": "2025-12-08T03:00:00.000Z",
                 "shifts_closed": 0, "shift_difference": 0, "shift_short": 0, "shift_over": 0},
                {"branch_id": jkt_id.to_string(), "code": "JKT-01", "name": "Cabang JKT-01",
                 "total_in": 500_000, "total_out": 125_000, "balance": 375_000,
                 "transaction_count": 5, "voided_count": 0, "voided_total": 0, "last_seen_at": null,
                 "refused_count": 0, "last_refused_at": null,
                 "shifts_closed": 0, "shift_difference": 0, "shift_short": 0, "shift_over": 0}
            ],
            "total": {"total_in": 500_000, "total_out": 125_000, "balance": 375_000,
                      "transaction_count": 5, "voided_count": 0, "voided_total": 0}
        })
    );
    let (status, body) = send(&app, admin("GET", "/reports/summary?from=yesterday", None)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["details"][0]["field"], "from");
}

#[tokio::test]
async fn the_daily_report_is_per_business_date_for_one_branch_or_all() {
    let known = branch("JKT-01", false);
    let known_id = known.id;
    let mut directory = MockBranchDirectory::new();
    directory
        .expect_get()
        .returning(move |id| Ok((id == known_id).then(|| known.clone())));
    let mut ledger = MockHqLedger::new();
    ledger
        .expect_daily()
        .withf(move |b, _| *b == Some(known_id))
        .times(1)
        .returning(|_, _| {
            Ok((
                1_000,
                vec![DayTotals {
                    date: NaiveDate::from_ymd_opt(2025, 12, 2).unwrap(),
                    totals: Totals {
                        total_in: 300,
                        total_out: 100,
                        count_in: 1,
                        count_out: 1,
                        ..Totals::default()
                    },
                }],
            ))
        });
    let app = app(directory, ledger);
    let path = format!("/reports/daily?branch_id={known_id}&from=2025-12-01&to=2025-12-03");
    let (status, body) = send(&app, admin("GET", &path, None)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["data"],
        json!([
            {"date": "2025-12-01", "total_in": 0, "total_out": 0, "balance": 1_000,
             "voided_count": 0, "voided_total": 0},
            {"date": "2025-12-02", "total_in": 300, "total_out": 100, "balance": 1_200,
             "voided_count": 0, "voided_total": 0},
            {"date": "2025-12-03", "total_in": 0, "total_out": 0, "balance": 1_200,
             "voided_count": 0, "voided_total": 0}
        ])
    );

    let unknown = BranchId::new_v4();
    let (status, _) = send(
        &app,
        admin("GET", &format!("/reports/daily?branch_id={unknown}"), None),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = send(&app, admin("GET", "/reports/daily?branch_id=JKT-01", None)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["details"][0]["field"], "branch_id");
}
