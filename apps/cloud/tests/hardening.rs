//! What an adversarial test of HQ found (issue 11): one id spelled several ways, and
//! concurrent pushes of overlapping ids. On a real PostgreSQL, and on the SQLite trial HQ.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::{HashMap, HashSet};

use common::{Hq, admin_url, entry, fresh_database, ids, spawn_hq};
use serde_json::{Value, json};

/// A trial HQ on one SQLite file; the folder must outlive the server.
async fn spawn_sqlite_hq() -> (Hq, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/hq.db", dir.path().display());
    (spawn_hq(&url).await, dir)
}

/// The other ways the `uuid` crate would read the same id.
fn spellings(id: &str) -> Vec<String> {
    vec![
        id.to_uppercase(),
        format!("{{{id}}}"),
        format!("urn:uuid:{id}"),
        id.replace('-', ""),
    ]
}

async fn one_id_in_several_spellings_is_counted_once(hq: &Hq) {
    let (branch, key) = hq.branch("JKT-01").await;
    let row = entry("IN", 1_000);
    let id = row["id"].as_str().unwrap().to_owned();
    let mut batch = vec![row.clone()];
    for (n, spelled) in spellings(&id).into_iter().enumerate() {
        let mut copy = row.clone();
        copy["id"] = json!(spelled);
        copy["amount"] = json!(2_000 + n as i64);
        batch.push(copy);
    }
    let (status, body) = hq.push(&key, &Value::Array(batch)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(ids(&body["data"]["accepted"]), vec![id.clone()]);
    let rejected = body["data"]["rejected"].as_array().unwrap();
    assert_eq!(rejected.len(), 4, "{body}");
    for r in rejected {
        assert_eq!(r["code"], "validation_failed", "{r}");
        assert!(r["reason"].as_str().unwrap().contains("lower case"), "{r}");
    }

    // A void naming its original in another spelling is refused too, and counts nothing.
    let mut void = entry("OUT", 1_000);
    void["reverses_id"] = json!(id.to_uppercase());
    let (_, body) = hq.push(&key, &json!([void])).await;
    assert_eq!(body["data"]["rejected"][0]["code"], "validation_failed");

    let (_, summary) = hq.admin_get("/reports/summary").await;
    let total = &summary["data"]["total"];
    assert_eq!(
        (&total["total_in"], &total["total_out"]),
        (&json!(1_000), &json!(0))
    );
    assert_eq!(total["transaction_count"], 1);
    let (_, list) = hq
        .admin_get(&format!("/transactions?branch_id={branch}"))
        .await;
    assert_eq!(list["data"]["total"], 1, "{list}");
    let (_, daily) = hq
        .admin_get(&format!(
            "/reports/daily?branch_id={branch}&from=2025-12-08&to=2025-12-08"
        ))
        .await;
    assert_eq!(daily["data"][0]["total_in"], 1_000, "{daily}");
}

#[tokio::test]
async fn one_id_in_several_spellings_is_counted_once_on_postgres() {
    let hq = spawn_hq(&fresh_database().await).await;
    one_id_in_several_spellings_is_counted_once(&hq).await;
}

#[tokio::test]
async fn one_id_in_several_spellings_is_counted_once_on_sqlite() {
    let (hq, _dir) = spawn_sqlite_hq().await;
    one_id_in_several_spellings_is_counted_once(&hq).await;
}

/// A random order without a random-number crate: sort by fresh v4 UUIDs.
fn shuffled<T: Clone>(items: &[T]) -> Vec<T> {
    let mut keyed: Vec<(uuid::Uuid, T)> = items
        .iter()
        .map(|x| (uuid::Uuid::new_v4(), x.clone()))
        .collect();
    keyed.sort_by_key(|(k, _)| *k);
    keyed.into_iter().map(|(_, x)| x).collect()
}

#[tokio::test]
async fn concurrent_pushes_of_overlapping_ids_in_random_order_all_get_answers() {
    const CLIENTS: usize = 16;
    const PUSHES: usize = 6;
    const PER_PUSH: usize = 150;
    let hq = spawn_hq(&fresh_database().await).await;
    let (_, key) = hq.branch("JKT-01").await;
    let originals: Vec<Value> = (0..300)
        .map(|i| entry(if i % 3 == 0 { "OUT" } else { "IN" }, 1_000 + i))
        .collect();
    let voids: Vec<Value> = originals[..60]
        .iter()
        .map(|o| {
            let mut v = entry(
                if o["type"] == "IN" { "OUT" } else { "IN" },
                o["amount"].as_i64().unwrap(),
            );
            v["reverses_id"] = o["id"].clone();
            v["description"] = json!("salah ketik");
            v
        })
        .collect();
    let all: Vec<Value> = originals.iter().chain(&voids).cloned().collect();

    let mut tasks = Vec::new();
    for _ in 0..CLIENTS {
        let (client, url, key) = (
            hq.client.clone(),
            format!("{}/sync/push", hq.base),
            key.clone(),
        );
        let pushes: Vec<Value> = (0..PUSHES)
            .map(|_| Value::Array(shuffled(&all)[..PER_PUSH].to_vec()))
            .collect();
        tasks.push(tokio::spawn(async move {
            let mut statuses = Vec::new();
            for body in pushes {
                let r = client
                    .post(&url)
                    .bearer_auth(&key)
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                statuses.push(r.status().as_u16());
            }
            statuses
        }));
    }
    let mut statuses: HashMap<u16, usize> = HashMap::new();
    for t in tasks {
        for s in t.await.unwrap() {
            *statuses.entry(s).or_default() += 1;
        }
    }
    assert_eq!(
        statuses,
        HashMap::from([(200, CLIENTS * PUSHES)]),
        "every push is answered, none with 503"
    );

    // Whatever is still missing goes in now (originals first, as a branch sends them), and
    // then HQ holds each entry exactly once.
    let (_, first) = hq.push(&key, &Value::Array(originals.clone())).await;
    let (_, second) = hq.push(&key, &Value::Array(voids.clone())).await;
    for body in [&first, &second] {
        assert!(
            body["data"]["rejected"].as_array().unwrap().is_empty(),
            "{body}"
        );
    }
    // The first 60 originals and their voids are cancelled pairs: out of the sums, apart.
    let live = &originals[voids.len()..];
    let sum = |rows: &[Value], tx_type: Option<&str>| -> i64 {
        rows.iter()
            .filter(|r| tx_type.is_none_or(|t| r["type"] == t))
            .map(|r| r["amount"].as_i64().unwrap())
            .sum()
    };
    let cancelled: Vec<Value> = originals[..voids.len()]
        .iter()
        .chain(&voids)
        .cloned()
        .collect();
    let (_, summary) = hq.admin_get("/reports/summary").await;
    let total = &summary["data"]["total"];
    assert_eq!(total["total_in"], sum(live, Some("IN")), "{summary}");
    assert_eq!(total["total_out"], sum(live, Some("OUT")), "{summary}");
    assert_eq!(total["transaction_count"], live.len());
    assert_eq!(total["voided_count"], cancelled.len());
    assert_eq!(total["voided_total"], sum(&cancelled, None));
    let (_, list) = hq.admin_get("/transactions?limit=100").await;
    assert_eq!(list["data"]["total"], all.len());
    let mut seen = HashSet::new();
    for page in 1..=4 {
        let (_, list) = hq
            .admin_get(&format!("/transactions?limit=100&page={page}"))
            .await;
        for item in list["data"]["items"].as_array().unwrap() {
            assert!(seen.insert(item["id"].as_str().unwrap().to_owned()));
        }
    }
    assert_eq!(seen.len(), all.len());
}

/// Issue 11, item 9: a burst of wrong keys in parallel from one address.
#[tokio::test]
async fn a_parallel_burst_of_wrong_keys_gets_no_more_answers_than_the_limit() {
    let (hq, _dir) = spawn_sqlite_hq().await;
    let (_, key) = hq.branch("JKT-01").await;
    let url = format!("{}/sync/whoami", hq.base);
    let answers = futures::future::join_all((0..300).map(|n| {
        let (client, url) = (hq.client.clone(), url.clone());
        async move {
            client
                .get(url)
                .bearer_auth(format!("kh_wrong_{n:04}"))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    }))
    .await;
    let refused = answers.iter().filter(|s| **s == 401).count();
    let limited = answers.iter().filter(|s| **s == 429).count();
    assert!(
        refused <= 20,
        "{refused} wrong keys were checked (limit 20)"
    );
    assert_eq!(
        refused + limited,
        300,
        "every answer is 401 or 429: {answers:?}"
    );
    // The address stays limited, even with the right key, until its window ends.
    let status = hq
        .client
        .get(&url)
        .bearer_auth(key)
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status.as_u16(), 429);
}

/// Issue 11, item 10: half-sent requests and idle connections no longer pile up.
#[tokio::test]
async fn half_sent_requests_are_cut_off_and_the_server_keeps_answering() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/hq.db", dir.path().display());
    let running = kh_cloud::start(&common::settings(
        &url,
        &[("KH_HEADER_TIMEOUT_SECS", "1"), ("KH_MAX_CONNECTIONS", "8")],
    ))
    .await
    .unwrap();
    // More slow clients than the connection limit: they are served (and cut) in turns.
    kh_test_support::half_sent_requests_are_cut_off(
        running.addr,
        20,
        std::time::Duration::from_secs(60),
    )
    .await;
    let health = reqwest::get(format!("{}/health", running.api_url()))
        .await
        .unwrap();
    assert_eq!(health.status().as_u16(), 200);
    running.shutdown().await.unwrap();
}

/// Issue 11, item 11: too many headers get the JSON envelope like every other refusal.
#[tokio::test]
async fn too_many_headers_are_refused_with_the_envelope() {
    let (hq, _dir) = spawn_sqlite_hq().await;
    let mut request = hq.client.get(format!("{}/health", hq.base));
    for n in 0..80 {
        request = request.header(format!("x-filler-{n}"), "x");
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status().as_u16(), 431);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "headers_too_large", "{body}");
}

/// Issue 11, item 11: a row that names a field twice is refused, not read as its last value;
/// the other rows of the push go in.
#[tokio::test]
async fn a_pushed_row_naming_a_field_twice_is_refused() {
    let (hq, _dir) = spawn_sqlite_hq().await;
    let (_, key) = hq.branch("JKT-01").await;
    let (twice, fine) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
    let body = format!(
        r#"[{{"id": "{twice}", "type": "IN", "amount": 1000, "amount": 1000000000, "category": "Penjualan",
              "occurred_at": "2026-01-01T10:00:00.000Z", "created_at": "2026-01-01T10:00:00.000Z"}},
            {{"id": "{fine}", "type": "IN", "amount": 2000, "category": "Penjualan",
              "occurred_at": "2026-01-01T10:00:00.000Z", "created_at": "2026-01-01T10:00:00.000Z"}}]"#
    );
    let response = hq
        .client
        .post(format!("{}/sync/push", hq.base))
        .bearer_auth(&key)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body["data"]["accepted"],
        json!([fine.to_string()]),
        "{body}"
    );
    let rejected = &body["data"]["rejected"][0];
    assert_eq!(rejected["id"], twice.to_string(), "{body}");
    assert_eq!(rejected["code"], "validation_failed");
    assert!(
        rejected["reason"]
            .as_str()
            .unwrap()
            .starts_with("amount: appears more than once"),
        "{body}"
    );
    let (_, summary) = hq.admin_get("/reports/summary").await;
    assert_eq!(summary["data"]["total"]["total_in"], 2000);
}

/// PostgreSQL closing HQ's idle connections (a restart, a failover, a proxy's idle timeout)
/// costs the next push nothing: it is stored and answered 200, not refused with 503. (HQ does
/// not ping a connection before each use; a push that meets a dead one runs again on another.)
#[tokio::test]
async fn a_push_after_postgres_closed_the_idle_connections_is_stored() {
    let db = fresh_database().await;
    let hq = spawn_hq(&db).await;
    let (_, key) = hq.branch("JKT-01").await;
    let (status, body) = hq.push(&key, &json!([entry("IN", 10_000)])).await;
    assert_eq!(status, 200, "{body}");

    let closed = kh_adapters_postgres::close_connections_to(&admin_url(), &db)
        .await
        .unwrap();
    assert!(closed >= 1, "HQ held no connection to close");

    let row = entry("IN", 25_000);
    let (status, body) = hq.push(&key, &json!([row])).await;
    assert_eq!(status, 200, "the push after the connections closed: {body}");
    assert_eq!(
        ids(&body["data"]["accepted"]),
        vec![row["id"].as_str().unwrap().to_owned()]
    );
    let (status, body) = hq.admin_get("/reports/summary").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["total"]["total_in"], 35_000, "{body}");
}
