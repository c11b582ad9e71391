//! Whole-process tests of `kh-local`: `kill -9` during a burst of writes loses no acknowledged
//! entry, and a second process on the same database refuses to start.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;

/// Starts the real binary on a free port and returns it with its API base URL.
fn spawn(data_dir: &Path) -> (Child, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kh-local"));
    cmd.env_clear()
        .env("KH_DATA_DIR", data_dir)
        .env("KH_HTTP_ADDR", "127.0.0.1:0")
        .env("KH_LOG", "warn")
        .stderr(Stdio::null());
    kh_test_support::spawn_kh_local(&mut cmd).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill_9_during_a_burst_of_writes_loses_no_acknowledged_entry() {
    let dir = tempfile::tempdir().unwrap();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let acknowledged: Arc<Mutex<HashSet<String>>> = Arc::default();

    for round in 0..3_u64 {
        let (mut child, api) = spawn(dir.path());
        let mut writers = Vec::new();
        for _ in 0..8 {
            let client = client.clone();
            let api = api.clone();
            let acknowledged = acknowledged.clone();
            writers.push(tokio::spawn(async move {
                loop {
                    let id = uuid::Uuid::new_v4().to_string();
                    let body =
                        json!({"id": id, "type": "IN", "amount": 1_000, "category": "Penjualan"});
                    match client
                        .post(format!("{api}/transactions"))
                        .json(&body)
                        .send()
                        .await
                    {
                        Ok(r) if r.status().as_u16() == 201 => {
                            acknowledged.lock().unwrap().insert(id);
                        }
                        Ok(r) => panic!("unexpected status {}", r.status()),
                        Err(_) => return, // the server is gone
                    }
                }
            }));
        }
        // Let the burst run for a while that differs each round, then pull the plug.
        tokio::time::sleep(Duration::from_millis(300 + round * 170)).await;
        child.kill().unwrap(); // SIGKILL: no shutdown, no flush
        child.wait().unwrap();
        for w in writers {
            w.await.unwrap();
        }
    }

    let (mut child, api) = spawn(dir.path());
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() > 50,
        "the burst wrote too little to prove anything: {}",
        acknowledged.len()
    );
    for id in &acknowledged {
        let status = client
            .get(format!("{api}/transactions/{id}"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
        assert_eq!(status, 200, "acknowledged entry {id} was lost");
    }
    let summary: serde_json::Value = client
        .get(format!("{api}/dashboard/summary"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let count = summary["data"]["transaction_count"].as_u64().unwrap();
    assert!(
        count >= acknowledged.len() as u64,
        "totals lost entries: {count} < {}",
        acknowledged.len()
    );
    assert_eq!(
        summary["data"]["total_in"].as_u64().unwrap(),
        count * 1_000,
        "totals match the rows"
    );
    child.kill().unwrap();
    child.wait().unwrap();
}

#[tokio::test]
async fn a_second_process_on_the_same_database_refuses_to_start() {
    let dir = tempfile::tempdir().unwrap();
    let (mut first, _) = spawn(dir.path());
    let second = Command::new(env!("CARGO_BIN_EXE_kh-local"))
        .env_clear()
        .env("KH_DATA_DIR", dir.path())
        .env("KH_HTTP_ADDR", "127.0.0.1:0")
        .output()
        .unwrap();
    assert!(!second.status.success());
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(
        stderr.contains("already in use by another Haramain Finance process"),
        "{stderr}"
    );
    first.kill().unwrap();
    first.wait().unwrap();
}

#[test]
fn a_bad_setting_stops_start_up_with_its_name() {
    let output = Command::new(env!("CARGO_BIN_EXE_kh-local"))
        .env_clear()
        .env("KH_DATA_DIR", "/tmp")
        .env("KH_SYNC_BATCH_SIZE", "lots")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("KH_SYNC_BATCH_SIZE"));
}
