//! Whole `kh-cloud` processes: the command line, and two servers on one PostgreSQL taking
//! pushes at the same time (the API tier is stateless; the database enforces uniqueness).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashSet;
use std::process::{Child, Command, Stdio};

use common::{ADMIN, entry, fresh_database, ids};
use serde_json::Value;

fn kh_cloud(database_url: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kh-cloud"));
    cmd.env_clear()
        .env("KH_DATABASE_URL", database_url)
        .env("KH_ADMIN_TOKEN", ADMIN)
        .env("KH_HTTP_ADDR", "127.0.0.1:0")
        .env("KH_LOG_FORMAT", "json")
        .env("KH_LOG", "info");
    cmd
}

/// Starts `kh-cloud serve` and returns it with its API URL, read from its start-up log line.
fn serve(database_url: &str) -> (Child, String) {
    let mut cmd = kh_cloud(database_url);
    cmd.arg("serve").stdout(Stdio::null());
    let (child, addr) = kh_test_support::spawn_kh_cloud(&mut cmd).unwrap();
    (child, format!("http://{addr}/api/v1"))
}

#[tokio::test]
async fn branch_commands_print_json_with_the_key_once() {
    let url = fresh_database().await;
    let out = kh_cloud(&url)
        .args(["branch", "create", "--code", "sby-01", "--name", "Surabaya"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let created: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(created["code"], "SBY-01");
    assert!(created["api_key"].as_str().unwrap().starts_with("kh_"));
    assert!(created["id"].as_str().is_some());

    let out = kh_cloud(&url).args(["branch", "list"]).output().unwrap();
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert!(
        list[0].get("api_key").is_none(),
        "keys are only ever shown when made"
    );

    let out = kh_cloud(&url)
        .args(["branch", "rotate-key", "--code", "SBY-01"])
        .output()
        .unwrap();
    let rotated: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_ne!(rotated["api_key"], created["api_key"]);

    let out = kh_cloud(&url)
        .args(["branch", "create", "--code", "SBY-01", "--name", "again"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
    let out = kh_cloud(&url)
        .args(["branch", "rotate-key", "--code", "NOPE"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("No branch with code NOPE"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_processes_on_one_database_store_each_entry_once() {
    let url = fresh_database().await;
    let out = kh_cloud(&url)
        .args(["branch", "create", "--code", "JKT-01", "--name", "Jakarta"])
        .output()
        .unwrap();
    let key = serde_json::from_slice::<Value>(&out.stdout).unwrap()["api_key"]
        .as_str()
        .unwrap()
        .to_owned();
    let (mut a, api_a) = serve(&url);
    let (mut b, api_b) = serve(&url);

    let batches: Vec<Value> = (0..4)
        .map(|n| Value::Array((0..50).map(|i| entry("IN", n * 1_000 + i + 1)).collect()))
        .collect();
    let expected: i64 = (0..4)
        .flat_map(|n| (0..50).map(move |i| n * 1_000 + i + 1))
        .sum();
    let client = reqwest::Client::new();
    let mut tasks = Vec::new();
    // Every batch is pushed twice through each server, all at once.
    for batch in &batches {
        for api in [&api_a, &api_b, &api_a, &api_b] {
            let (client, key, batch) = (client.clone(), key.clone(), batch.clone());
            let url = format!("{api}/sync/push");
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
                        503 => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
                        other => panic!("push answered {other}"),
                    }
                }
            }));
        }
    }
    let mut accepted = HashSet::new();
    for t in tasks {
        let body = t.await.unwrap();
        assert!(
            body["data"]["rejected"].as_array().unwrap().is_empty(),
            "{body}"
        );
        for id in ids(&body["data"]["accepted"]) {
            assert!(accepted.insert(id.clone()), "{id} accepted by both servers");
        }
    }
    assert_eq!(accepted.len(), 200);
    let summary: Value = client
        .get(format!("{api_b}/reports/summary"))
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(summary["data"]["total"]["total_in"], expected);
    assert_eq!(summary["data"]["total"]["transaction_count"], 200);
    for child in [&mut a, &mut b] {
        child.kill().unwrap();
        child.wait().unwrap();
    }
}

#[test]
fn a_missing_database_setting_stops_start_up_with_its_name() {
    let out = Command::new(env!("CARGO_BIN_EXE_kh-cloud"))
        .env_clear()
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("KH_DATABASE_URL"));
}
