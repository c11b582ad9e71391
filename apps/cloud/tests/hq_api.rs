//! The HQ server end to end on a real PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::{ADMIN, entry, fresh_database, ids, spawn_hq};
use kh_test_support::{Fault, FaultProxy};
use serde_json::{Value, json};

#[tokio::test]
async fn a_mixed_batch_answers_each_row_and_stores_only_the_valid_new_ones() {
    let hq = spawn_hq(&fresh_database().await).await;
    let (jkt, key) = hq.branch("JKT-01").await;
    let (bdg, _) = hq.branch("BDG-01").await;
    let stored = entry("IN", 1_000);
    let other = entry("IN", 3_000);
    assert_eq!(hq.push(&key, &json!([stored, other])).await.0, 200);

    let valid = entry("IN", 2_000);
    let duplicate = stored.clone();
    let mut conflicting = other.clone();
    conflicting["amount"] = json!(9_999);
    let mut invalid = entry("OUT", 0);
    invalid["category"] = json!("");
    let mut foreign = entry("IN", 5);
    foreign["branch_id"] = json!(bdg);
    let mut mine = entry("IN", 7);
    mine["branch_id"] = json!(jkt);
    let batch = json!([valid, duplicate, conflicting, invalid, foreign, mine]);
    let (status, body) = hq.push(&key, &batch).await;
    assert_eq!(status, 200, "{body}");
    let data = &body["data"];
    assert_eq!(
        ids(&data["accepted"]),
        [valid["id"].as_str().unwrap(), mine["id"].as_str().unwrap()]
    );
    assert_eq!(ids(&data["duplicates"]), [stored["id"].as_str().unwrap()]);
    let mut rejected: Vec<(&str, &str)> = data["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].as_str().unwrap(), r["code"].as_str().unwrap()))
        .collect();
    rejected.sort_unstable();
    let mut expected = vec![
        (other["id"].as_str().unwrap(), "conflict"),
        (invalid["id"].as_str().unwrap(), "validation_failed"),
        (foreign["id"].as_str().unwrap(), "branch_mismatch"),
    ];
    expected.sort_unstable();
    assert_eq!(rejected, expected);
    let (_, summary) = hq.admin_get("/reports/summary").await;
    assert_eq!(
        summary["data"]["total"]["total_in"],
        1_000 + 3_000 + 2_000 + 7,
        "only the valid new rows were added; the conflict changed nothing"
    );
    let (_, list) = hq
        .admin_get(&format!("/transactions?branch_id={jkt}"))
        .await;
    assert_eq!(list["data"]["total"], 4);

    // The same id twice in one push with different content is one conflict, stored nowhere.
    let twice = entry("IN", 11);
    let mut changed = twice.clone();
    changed["amount"] = json!(12);
    let (_, body) = hq.push(&key, &json!([twice, changed])).await;
    assert_eq!(body["data"]["rejected"].as_array().unwrap().len(), 1);
    assert_eq!(body["data"]["rejected"][0]["code"], "conflict");

    // HQ counts what it refused from the branch, for the console's "needs attention".
    let (_, summary) = hq.admin_get("/reports/summary").await;
    let line = summary["data"]["branches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["branch_id"] == jkt.as_str())
        .cloned()
        .unwrap();
    assert_eq!(line["refused_count"], expected.len() + 1, "{line}");
    assert!(line["last_refused_at"].is_string(), "{line}");
}

#[tokio::test]
async fn replays_concurrent_pushes_and_lost_answers_store_each_entry_once() {
    let hq = spawn_hq(&fresh_database().await).await;
    let (_, key) = hq.branch("JKT-01").await;
    let batch = Value::Array(
        (0..100)
            .map(|i| entry(if i % 4 == 0 { "OUT" } else { "IN" }, 1_000 + i))
            .collect(),
    );
    let expected_in: i64 = (0..100).filter(|i| i % 4 != 0).map(|i| 1_000 + i).sum();
    let expected_out: i64 = (0..100).filter(|i| i % 4 == 0).map(|i| 1_000 + i).sum();

    // 8 branches' worth of workers pushing the same batch at once.
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let client = hq.client.clone();
        let url = format!("{}/sync/push", hq.base);
        let (key, batch) = (key.clone(), batch.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                let r = client
                    .post(&url)
                    .bearer_auth(&key)
                    .json(&batch)
                    .send()
                    .await
                    .unwrap();
                match r.status().as_u16() {
                    200 => return r.json::<Value>().await.unwrap(),
                    503 => tokio::time::sleep(Duration::from_millis(50)).await, // retry, as the worker would
                    other => panic!("push answered {other}"),
                }
            }
        }));
    }
    let mut accepted = HashSet::new();
    for t in tasks {
        let body = t.await.unwrap();
        assert!(
            body["data"]["rejected"].as_array().unwrap().is_empty(),
            "{body}"
        );
        for id in ids(&body["data"]["accepted"]) {
            assert!(accepted.insert(id.clone()), "{id} accepted twice");
        }
    }
    assert_eq!(accepted.len(), 100);

    // A lost answer: the branch sends again and learns the rows are safe.
    let (_, again) = hq.push(&key, &batch).await;
    assert_eq!(ids(&again["data"]["duplicates"]).len(), 100);
    let (_, summary) = hq.admin_get("/reports/summary").await;
    assert_eq!(summary["data"]["total"]["total_in"], expected_in);
    assert_eq!(summary["data"]["total"]["total_out"], expected_out);
    assert_eq!(summary["data"]["total"]["transaction_count"], 100);
}

#[tokio::test]
async fn rotated_and_disabled_keys_are_refused() {
    let hq = spawn_hq(&fresh_database().await).await;
    let (id, old_key) = hq.branch("JKT-01").await;
    let (status, rotated) = hq
        .admin_post(&format!("/branches/{id}/rotate-key"), json!({}))
        .await;
    assert_eq!(status, 200, "{rotated}");
    let new_key = rotated["data"]["api_key"].as_str().unwrap().to_owned();
    assert_eq!(hq.push(&old_key, &json!([entry("IN", 1)])).await.0, 401);
    assert_eq!(hq.push(&new_key, &json!([entry("IN", 1)])).await.0, 200);
    let (status, _) = hq
        .admin_post(&format!("/branches/{id}/disable"), json!({}))
        .await;
    assert_eq!(status, 200);
    let (status, body) = hq.push(&new_key, &json!([entry("IN", 1)])).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (403, Some("forbidden"))
    );
    let r = hq
        .client
        .get(format!("{}/sync/whoami", hq.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401, "no key at all");
}

#[tokio::test]
async fn hq_totals_equal_what_each_branch_pushed() {
    let hq = spawn_hq(&fresh_database().await).await;
    let mut expected = Vec::new();
    for (n, code) in ["JKT-01", "BDG-01", "SBY-01"].iter().enumerate() {
        let (id, key) = hq.branch(code).await;
        let rows: Vec<Value> = (0..30)
            .map(|i| {
                entry(
                    if i % 3 == 0 { "OUT" } else { "IN" },
                    (n as i64 + 1) * 10_000 + i,
                )
            })
            .collect();
        let balance: i64 = rows
            .iter()
            .map(|r| {
                if r["type"] == "IN" {
                    r["amount"].as_i64().unwrap()
                } else {
                    -r["amount"].as_i64().unwrap()
                }
            })
            .sum();
        for chunk in rows.chunks(7) {
            assert_eq!(hq.push(&key, &Value::Array(chunk.to_vec())).await.0, 200);
        }
        expected.push((id, balance));
    }
    let (_, summary) = hq.admin_get("/reports/summary").await;
    for (id, balance) in &expected {
        let line = summary["data"]["branches"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["branch_id"] == *id)
            .unwrap();
        assert_eq!(line["balance"], *balance);
        assert_eq!(line["transaction_count"], 30);
    }
    let total: i64 = expected.iter().map(|(_, b)| b).sum();
    assert_eq!(summary["data"]["total"]["balance"], total);
    let (_, daily) = hq
        .admin_get(&format!("/reports/daily?branch_id={}", expected[0].0))
        .await;
    assert_eq!(
        daily["data"].as_array().unwrap().last().unwrap()["balance"],
        expected[0].1
    );
}

#[tokio::test]
async fn bad_requests_get_4xx_envelopes() {
    let hq = spawn_hq(&fresh_database().await).await;
    let (_, key) = hq.branch("JKT-01").await;
    let url = format!("{}/sync/push", hq.base);
    let send = |body: &'static str, ct: &'static str| {
        let client = hq.client.clone();
        let (url, key) = (url.clone(), key.clone());
        async move {
            let r = client
                .post(url)
                .bearer_auth(key)
                .header("content-type", ct)
                .body(body)
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            (status, r.json::<Value>().await.unwrap())
        }
    };
    assert_eq!(
        send("{\"id\": 1}", "application/json").await.0,
        400,
        "an object is not an array"
    );
    assert_eq!(
        send("[{", "application/json").await.1["error"]["code"],
        "malformed_json"
    );
    assert_eq!(send("[]", "text/plain").await.0, 415);
    let (status, body) = send("[]", "application/json").await;
    assert_eq!(
        (status, body["data"]["accepted"].as_array().unwrap().len()),
        (200, 0)
    );
    let too_many = Value::Array((0..501).map(|i| entry("IN", i + 1)).collect());
    assert_eq!(hq.push(&key, &too_many).await.0, 413);
    for header in ["Bearer", "Basic abc", "Bearer  ", "bearer kh_x"] {
        let r = hq
            .client
            .get(format!("{}/sync/whoami", hq.base))
            .header("authorization", header)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 401, "{header}");
    }
    let (status, _) = hq
        .admin_post("/branches", json!({"code": "", "name": ""}))
        .await;
    assert_eq!(status, 400);
    let (status, body) = hq
        .admin_post("/branches", json!({"code": "JKT-01", "name": "again"}))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("conflict"))
    );
    let (status, _) = hq.admin_get("/reports/daily?branch_id=nope").await;
    assert_eq!(status, 400);
    let (status, _) = hq
        .admin_get(&format!(
            "/reports/daily?branch_id={}",
            uuid::Uuid::new_v4()
        ))
        .await;
    assert_eq!(status, 404);
    let r = hq
        .client
        .get(format!("{}/branches", hq.base))
        .bearer_auth("wrong-token-wrong-token")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let _ = ADMIN;
}

#[tokio::test]
async fn an_unreachable_database_is_503_and_recovers_without_a_restart() {
    let url = fresh_database().await;
    let proxy = FaultProxy::start("127.0.0.1:5432".parse().unwrap())
        .await
        .unwrap();
    let proxied = url.replacen("127.0.0.1:5432", &proxy.addr.to_string(), 1);
    assert_ne!(
        proxied, url,
        "the test database URL must point at 127.0.0.1:5432"
    );
    let hq = spawn_hq(&proxied).await;
    let (_, key) = hq.branch("JKT-01").await;
    assert_eq!(hq.push(&key, &json!([entry("IN", 1)])).await.0, 200);

    proxy.set(Fault::Refuse);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let health = hq
        .client
        .get(format!("{}/health", hq.base))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status().as_u16(), 503);
    let (status, body) = hq.push(&key, &json!([entry("IN", 2)])).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (503, Some("unavailable")),
        "{body}"
    );

    proxy.set(Fault::Pass);
    let mut healthy = false;
    for _ in 0..50 {
        let r = hq
            .client
            .get(format!("{}/health", hq.base))
            .send()
            .await
            .unwrap();
        if r.status().as_u16() == 200 {
            healthy = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(healthy, "HQ did not recover after the database came back");
    assert_eq!(hq.push(&key, &json!([entry("IN", 3)])).await.0, 200);
}
