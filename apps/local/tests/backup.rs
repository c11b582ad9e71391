//! Branch backups end to end (DESIGN 8.5), with the real `kh-local` binary: a daily backup
//! appears at start, `kh-local backup` works beside a running server, and `kh-local restore`
//! puts exactly the backed-up entries back, but never under a running server and never from a
//! file that is not a branch database.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use kh_test_support::Api;
use serde_json::json;

fn kh_local(data_dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kh-local"));
    cmd.env_clear()
        .env("KH_DATA_DIR", data_dir)
        .env("KH_HTTP_ADDR", "127.0.0.1:0")
        .env("KH_LOG", "warn");
    cmd
}

/// A running server, killed when dropped, so a failing test leaves no process behind.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the real server on a free port.
fn spawn(data_dir: &Path) -> (Server, Api) {
    let mut cmd = kh_local(data_dir);
    cmd.stderr(Stdio::null());
    let (child, api) = kh_test_support::spawn_kh_local(&mut cmd).unwrap();
    (Server(child), Api::new(api))
}

/// Stops the server with `kill -9`: nothing is flushed or closed.
fn stop(server: Server) {
    drop(server);
}

/// Runs `kh-local ARGS` to completion.
fn run(data_dir: &Path, args: &[&str]) -> Output {
    kh_local(data_dir).args(args).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

async fn post_entries(api: &Api, n: usize) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for i in 0..n {
        let id = uuid::Uuid::new_v4().to_string();
        let body = json!({"id": id, "type": "IN", "amount": 10_000 + i, "category": "Penjualan"});
        let (status, answer) = api.post("/transactions", body).await;
        assert_eq!(status, 201, "{answer}");
        ids.insert(id);
    }
    ids
}

async fn listed_ids(api: &Api) -> BTreeSet<String> {
    let data = api.data("/transactions?limit=100").await;
    data["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Polls `probe` until it finds something, failing the test after 30 s.
async fn wait_for<T>(what: &str, mut probe: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(found) = probe() {
            return found;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// The files in `dir` whose names end with `suffix`.
fn files_ending(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    found.sort();
    found
}

#[tokio::test]
async fn a_backup_taken_while_running_restores_exactly_its_entries() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let backup = dir.path().join("usb/monday.db");

    let (server, api) = spawn(data);
    let backed_up = post_entries(&api, 3).await;
    let made = run(data, &["backup", backup.to_str().unwrap()]);
    assert!(made.status.success(), "{}", text(&made.stderr));
    assert!(text(&made.stdout).contains(backup.to_str().unwrap()));
    assert!(text(&made.stdout).contains("3 entries"));
    assert_eq!(listed_ids(&api).await, backed_up, "the server carried on");
    stop(server);

    let (server, api) = spawn(data);
    let later = post_entries(&api, 2).await;
    let everything: BTreeSet<String> = backed_up.union(&later).cloned().collect();

    let refused = run(data, &["restore", backup.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused.stdout));
    assert!(
        text(&refused.stderr).contains("Haramain Finance is running on this database"),
        "{}",
        text(&refused.stderr)
    );
    assert_eq!(listed_ids(&api).await, everything, "the book was touched");
    assert!(files_ending(&data.join("backups"), "before-restore.db").is_empty());
    stop(server); // kill -9: the newest entries may be in the write-ahead log only

    let photo = dir.path().join("photo.jpg");
    std::fs::write(&photo, b"\xff\xd8\xff\xe0 JFIF not a database").unwrap();
    let book = data.join("haramain-finance.db");
    let before = std::fs::read(&book).unwrap();
    let not_a_book = run(data, &["restore", photo.to_str().unwrap()]);
    assert_eq!(not_a_book.status.code(), Some(1));
    assert!(
        text(&not_a_book.stderr).contains("not a SQLite database"),
        "{}",
        text(&not_a_book.stderr)
    );
    assert_eq!(std::fs::read(&book).unwrap(), before);

    let restored = run(data, &["restore", backup.to_str().unwrap()]);
    assert!(restored.status.success(), "{}", text(&restored.stderr));
    let said = text(&restored.stdout);
    assert!(said.contains("It holds 3 entries"), "{said}");
    assert!(
        said.contains("Not in this backup: 2 entries of the replaced book. Already at HQ (back from HQ at the next sync): 0. Not yet sent to HQ (only in the kept copy): 2."),
        "{said}"
    );
    assert!(!data.join("haramain-finance.db-wal").exists());
    assert!(!data.join("haramain-finance.db-shm").exists());

    let (server, api) = spawn(data);
    assert_eq!(listed_ids(&api).await, backed_up);
    let summary = api.data("/dashboard/summary").await;
    assert_eq!(summary["transaction_count"], 3);
    assert_eq!(summary["total_in"], 30_003);
    stop(server);

    // The replaced book was kept: restoring it undoes the restore.
    let kept = files_ending(&data.join("backups"), "before-restore.db");
    assert_eq!(kept.len(), 1, "{kept:?}");
    let undo = run(data, &["restore", kept[0].to_str().unwrap()]);
    assert!(undo.status.success(), "{}", text(&undo.stderr));
    let (server, api) = spawn(data);
    assert_eq!(listed_ids(&api).await, everything);
    stop(server);
}

#[tokio::test]
async fn a_daily_backup_appears_at_start_and_kh_local_backup_adds_one_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let backups = dir.path().join("backups");
    let (server, api) = spawn(dir.path());
    let daily = wait_for("the daily backup", || {
        files_ending(&backups, ".db").into_iter().next()
    })
    .await;
    let name = daily.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with("haramain-finance-20"), "{name}");
    let header = std::fs::read(&daily).unwrap();
    assert!(header.starts_with(b"SQLite format 3\0"));
    assert!(files_ending(&backups, ".partial").is_empty());

    post_entries(&api, 1).await;
    let made = run(dir.path(), &["backup"]);
    assert!(made.status.success(), "{}", text(&made.stderr));
    let copies = files_ending(&backups, ".db");
    assert_eq!(copies.len(), 2, "{copies:?}");
    let manual = copies.iter().find(|c| **c != daily).unwrap();
    let said = text(&made.stdout);
    assert!(said.contains(manual.to_str().unwrap()), "{said}");
    assert!(said.contains("(1 entry)"), "{said}");
    stop(server);

    // A backup also works when no server runs, and a file is never overwritten.
    let file = dir.path().join("copy.db");
    let alone = run(dir.path(), &["backup", file.to_str().unwrap()]);
    assert!(alone.status.success(), "{}", text(&alone.stderr));
    let again = run(dir.path(), &["backup", file.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again.stderr).contains("already exists"));
}

#[tokio::test]
async fn the_in_process_server_writes_todays_backup_and_stops_cleanly() {
    let mut app = common::spawn_app().await;
    let backups = app.dir.path().join("backups");
    wait_for("the daily backup", || {
        files_ending(&backups, ".db").into_iter().next()
    })
    .await;
    app.stop().await;
    // A restart on the same business day adds none.
    app.restart_with(&[]).await;
    let (status, _) = app.get("/health").await;
    assert_eq!(status, 200);
    app.stop().await;
    assert_eq!(files_ending(&backups, ".db").len(), 1);
}
