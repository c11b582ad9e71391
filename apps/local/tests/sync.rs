//! Sync end to end: real `kh-local` and `kh-cloud` processes on SQLite and PostgreSQL, with a
//! fault-injecting proxy between them. Whatever happens, HQ ends with exactly the branch's
//! entries: none lost, none twice.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use kh_domain::chrono::{DateTime, Utc};
use kh_ports::Clock;
use kh_test_support::{Fault, FaultProxy};
use serde_json::{Value, json};

const ADMIN: &str = "sync-test-admin-token-0123";

fn admin_url() -> String {
    std::env::var("KH_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// The `kh-cloud` binary next to this test's own, built if this run did not build it.
fn kh_cloud_bin() -> PathBuf {
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| {
            let exe = std::env::current_exe().unwrap();
            let profile_dir = exe.parent().and_then(Path::parent).unwrap().to_path_buf();
            let bin = profile_dir.join("kh-cloud");
            if !bin.exists() {
                let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
                let status = Command::new(cargo)
                    .args(["build", "-p", "kh-cloud"])
                    .status()
                    .unwrap();
                assert!(
                    status.success(),
                    "could not build kh-cloud for the sync tests"
                );
            }
            bin
        })
        .clone()
}

struct Hq {
    child: Child,
    addr: SocketAddr,
    db: String,
}

impl Hq {
    fn command(db: &str) -> Command {
        let mut cmd = Command::new(kh_cloud_bin());
        cmd.env_clear()
            .env("KH_DATABASE_URL", db)
            .env("KH_ADMIN_TOKEN", ADMIN)
            .env("KH_HTTP_ADDR", "127.0.0.1:0")
            .env("KH_LOG_FORMAT", "json")
            .env("KH_LOG", "info");
        cmd
    }

    async fn new_database() -> String {
        kh_adapters_postgres::create_test_database(&admin_url())
            .await
            .expect("PostgreSQL is required for the sync tests")
    }

    fn branch(db: &str, code: &str) -> String {
        let out = Self::command(db)
            .args(["branch", "create", "--code", code, "--name", code])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<Value>(&out.stdout).unwrap()["api_key"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    fn start(db: &str) -> Self {
        let mut cmd = Self::command(db);
        cmd.arg("serve").stdout(Stdio::null());
        let (child, addr) = kh_test_support::spawn_kh_cloud(&mut cmd).unwrap();
        Self {
            child,
            addr,
            db: db.to_owned(),
        }
    }

    fn restart(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
        *self = Self::start(&self.db.clone());
    }

    fn rotate(db: &str, code: &str) -> String {
        let out = Self::command(db)
            .args(["branch", "rotate-key", "--code", code])
            .output()
            .unwrap();
        serde_json::from_slice::<Value>(&out.stdout).unwrap()["api_key"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    async fn get(&self, path: &str) -> Value {
        reqwest::Client::new()
            .get(format!("http://{}/api/v1{path}", self.addr))
            .bearer_auth(ADMIN)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// Every id HQ holds (all pages).
    async fn ids(&self) -> BTreeSet<String> {
        all_ids(|page| async move {
            self.get(&format!("/transactions?limit=100&page={page}"))
                .await
        })
        .await
    }
}

impl Drop for Hq {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn all_ids<F, Fut>(fetch: F) -> BTreeSet<String>
where
    F: Fn(u32) -> Fut,
    Fut: std::future::Future<Output = Value>,
{
    let mut ids = BTreeSet::new();
    for page in 1.. {
        let body = fetch(page).await;
        let items = body["data"]["items"].as_array().unwrap().clone();
        if items.is_empty() {
            break;
        }
        for item in items {
            assert!(
                ids.insert(item["id"].as_str().unwrap().to_owned()),
                "an id is listed twice"
            );
        }
    }
    ids
}

struct Branch {
    child: Child,
    api: String,
}

impl Branch {
    fn start(data_dir: &Path, cloud_url: &str, key: &str) -> Self {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_kh-local"));
        cmd.env_clear()
            .env("KH_DATA_DIR", data_dir)
            .env("KH_HTTP_ADDR", "127.0.0.1:0")
            .env("KH_CLOUD_URL", cloud_url)
            .env("KH_BRANCH_API_KEY", key)
            .env("KH_SYNC_INTERVAL_SECS", "1")
            .env("KH_SYNC_BATCH_SIZE", "7")
            .env("KH_LOG", "warn")
            .stderr(Stdio::null());
        let (child, api) = kh_test_support::spawn_kh_local(&mut cmd).unwrap();
        Self { child, api }
    }

    fn kill9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    async fn get(&self, path: &str) -> Value {
        reqwest::Client::new()
            .get(format!("{}{path}", self.api))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let r = reqwest::Client::new()
            .post(format!("{}{path}", self.api))
            .json(&body)
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.json().await.unwrap())
    }

    async fn status(&self) -> Value {
        self.get("/system/status").await["data"].clone()
    }

    async fn ids(&self) -> BTreeSet<String> {
        all_ids(|page| async move {
            self.get(&format!("/transactions?limit=100&page={page}"))
                .await
        })
        .await
    }
}

impl Drop for Branch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn expense(amount: i64) -> Value {
    json!({"type": if amount % 4 == 0 { "OUT" } else { "IN" }, "amount": amount, "category": "Penjualan"})
}

/// Waits until `check` holds, or fails after `limit` with what it saw last.
async fn eventually<F, Fut>(limit: Duration, what: &str, check: F) -> Value
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = (bool, Value)>,
{
    let started = Instant::now();
    loop {
        let (ok, seen) = check().await;
        if ok {
            return seen;
        }
        assert!(
            started.elapsed() < limit,
            "{what} did not happen within {limit:?}; last seen: {seen}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn drained(branch: &Branch) -> Value {
    eventually(Duration::from_secs(60), "the outbox draining", || async {
        let s = branch.status().await;
        (s["unsynced_count"] == 0 && s["status"] == "online", s)
    })
    .await
}

/// HQ's totals for the branch equal the branch's own, and HQ holds exactly its ids.
async fn assert_same(branch: &Branch, hq: &Hq) {
    let mine = branch.get("/dashboard/summary").await["data"].clone();
    let theirs = hq.get("/reports/summary").await["data"]["total"].clone();
    assert_eq!(theirs["total_in"], mine["total_in"]);
    assert_eq!(theirs["total_out"], mine["total_out"]);
    assert_eq!(theirs["transaction_count"], mine["transaction_count"]);
    assert_eq!(
        hq.ids().await,
        branch.ids().await,
        "HQ must hold exactly the branch's entries"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn entries_made_while_hq_is_down_arrive_when_it_comes_back() {
    let db = Hq::new_database().await;
    let key = Hq::branch(&db, "JKT-01");
    // Nothing listens behind the proxy yet: HQ is "down".
    let proxy = FaultProxy::start("127.0.0.1:9".parse().unwrap())
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let branch = Branch::start(dir.path(), &format!("http://{}", proxy.addr), &key);
    for amount in 1..=30 {
        assert_eq!(
            branch
                .post("/transactions", expense(amount * 1_000))
                .await
                .0,
            201
        );
    }
    let offline = eventually(Duration::from_secs(20), "status offline", || async {
        let s = branch.status().await;
        (s["status"] == "offline" && s["last_error"].is_string(), s)
    })
    .await;
    assert_eq!(offline["unsynced_count"], 30);

    let hq = Hq::start(&db);
    proxy.set_upstream(hq.addr);
    let online = drained(&branch).await;
    assert_eq!(
        online["branch"]["code"], "JKT-01",
        "the identity was learnt from HQ"
    );
    assert!(online["last_error"].is_null());
    assert_same(&branch, &hq).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn lost_answers_cut_connections_hq_restarts_and_kill_9_lose_nothing_and_duplicate_nothing() {
    let db = Hq::new_database().await;
    let key = Hq::branch(&db, "JKT-01");
    let mut hq = Hq::start(&db);
    let proxy = FaultProxy::start(hq.addr).await.unwrap();
    proxy.set(Fault::Chaos { lose: 35, cut: 15 });
    let dir = tempfile::tempdir().unwrap();
    let url = format!("http://{}", proxy.addr);
    let mut acknowledged = 0;
    for round in 0..5_u64 {
        let branch = Branch::start(dir.path(), &url, &key);
        for i in 0..25 {
            let (status, _) = branch
                .post("/transactions", expense(round as i64 * 100 + i + 1))
                .await;
            assert_eq!(status, 201);
            acknowledged += 1;
        }
        // Let sync run into the faults for a while, then pull the plug mid-flight.
        tokio::time::sleep(Duration::from_millis(300 + (round * 250) % 900)).await;
        branch.kill9();
        if round % 2 == 1 {
            hq.restart();
            proxy.set_upstream(hq.addr);
        }
    }
    proxy.set(Fault::Pass);
    let branch = Branch::start(dir.path(), &url, &key);
    drained(&branch).await;
    assert_eq!(branch.ids().await.len(), acknowledged);
    assert_same(&branch, &hq).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_refused_row_is_quarantined_shown_and_sent_again_after_the_cause_is_fixed() {
    let db = Hq::new_database().await;
    let jkt = Hq::branch(&db, "JKT-01");
    let bdg = Hq::branch(&db, "BDG-01");
    let hq = Hq::start(&db);
    let proxy = FaultProxy::start(hq.addr).await.unwrap();
    let url = format!("http://{}", proxy.addr);
    let dir = tempfile::tempdir().unwrap();
    let branch = Branch::start(dir.path(), &url, &jkt);
    let (status, _) = branch
        .post(
            "/system/activate",
            json!({"cloud_url": url, "api_key": jkt}),
        )
        .await;
    assert_eq!(status, 200);
    // Three entries belong to JKT-01 but cannot leave yet.
    proxy.set(Fault::Refuse);
    for amount in [1_000, 2_000, 3_000] {
        branch.post("/transactions", expense(amount)).await;
    }
    // The PC is moved to BDG-01 (a mistake): its JKT-01 rows are refused by HQ, but every
    // other row still goes through.
    proxy.set(Fault::Pass);
    let (status, moved) = branch
        .post(
            "/system/activate",
            json!({"cloud_url": url, "api_key": bdg}),
        )
        .await;
    assert_eq!(status, 200, "{moved}");
    branch.post("/transactions", expense(5_000)).await;
    let quarantined = eventually(Duration::from_secs(30), "rows quarantined", || async {
        let s = branch.status().await;
        (s["rejected_count"] == 3 && s["unsynced_count"] == 0, s)
    })
    .await;
    assert_eq!(quarantined["status"], "online");
    let rejected = branch.get("/transactions?sync_state=rejected").await;
    assert!(
        rejected["data"]["items"][0]["sync_error"]
            .as_str()
            .unwrap()
            .starts_with("branch_mismatch")
    );

    // The cause is fixed (the PC goes back to JKT-01) and the rows are retried.
    let (status, _) = branch
        .post(
            "/system/activate",
            json!({"cloud_url": url, "api_key": jkt}),
        )
        .await;
    assert_eq!(status, 200);
    let (status, requeued) = branch.post("/system/sync/retry-rejected", json!({})).await;
    assert_eq!(
        (status, requeued["data"]["requeued"].as_u64()),
        (202, Some(3))
    );
    eventually(Duration::from_secs(30), "retried rows synced", || async {
        let s = branch.status().await;
        (s["rejected_count"] == 0 && s["unsynced_count"] == 0, s)
    })
    .await;
    let summary = hq.get("/reports/summary").await;
    let line = |code: &str| {
        summary["data"]["branches"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["code"] == code)
            .unwrap()
            .clone()
    };
    assert_eq!(
        (
            line("JKT-01")["transaction_count"].clone(),
            line("JKT-01")["total_out"].clone()
        ),
        (json!(3), json!(6_000))
    );
    assert_eq!(
        (
            line("BDG-01")["transaction_count"].clone(),
            line("BDG-01")["total_out"].clone()
        ),
        (json!(1), json!(5_000))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_rotated_key_stops_sync_without_losing_data_until_the_new_key_is_entered() {
    let db = Hq::new_database().await;
    let key = Hq::branch(&db, "JKT-01");
    let hq = Hq::start(&db);
    let url = format!("http://{}", hq.addr);
    let dir = tempfile::tempdir().unwrap();
    let branch = Branch::start(dir.path(), &url, &key);
    branch.post("/transactions", expense(1_000)).await;
    drained(&branch).await;

    let new_key = Hq::rotate(&db, "JKT-01");
    branch.post("/transactions", expense(2_000)).await;
    let stuck = eventually(Duration::from_secs(20), "status unauthorized", || async {
        let s = branch.status().await;
        (s["status"] == "unauthorized", s)
    })
    .await;
    assert_eq!(
        stuck["unsynced_count"], 1,
        "the entry waits, it is not lost"
    );

    let (status, body) = branch
        .post(
            "/system/activate",
            json!({"cloud_url": url, "api_key": new_key}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    drained(&branch).await;
    assert_same(&branch, &hq).await;
}

/// A clock that runs `offset` ahead of (or behind) the real one.
struct SkewedClock(kh_domain::chrono::Duration);

impl Clock for SkewedClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + self.0
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_branch_clock_an_hour_wrong_loses_and_reorders_nothing() {
    let db = Hq::new_database().await;
    let key = Hq::branch(&db, "JKT-01");
    let hq = Hq::start(&db);
    for hours in [1_i64, -1] {
        let dir = tempfile::tempdir().unwrap();
        let settings = common::settings_for(
            dir.path(),
            &[
                ("KH_CLOUD_URL", &format!("http://{}", hq.addr)),
                ("KH_BRANCH_API_KEY", &key),
                ("KH_SYNC_INTERVAL_SECS", "1"),
            ],
        );
        let clock = Arc::new(SkewedClock(kh_domain::chrono::Duration::hours(hours)));
        let running = kh_local::start_with_clock(&settings, None, clock)
            .await
            .unwrap();
        let client = reqwest::Client::new();
        for amount in 1..=10 {
            let r = client
                .post(format!("{}/transactions", running.api_url()))
                .json(&expense(amount))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status().as_u16(), 201);
        }
        let api = running.api_url();
        eventually(Duration::from_secs(30), "drain with a skewed clock", || {
            let (client, api) = (client.clone(), api.clone());
            async move {
                let s: Value = client
                    .get(format!("{api}/system/status"))
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                (s["data"]["unsynced_count"] == 0, s)
            }
        })
        .await;
        let branch_page: Value = client
            .get(format!("{api}/transactions?limit=100"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let hq_page = hq.get("/transactions?limit=100").await;
        let order = |page: &Value| -> Vec<(String, String)> {
            page["data"]["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| {
                    (
                        i["id"].as_str().unwrap().to_owned(),
                        i["occurred_at"].as_str().unwrap().to_owned(),
                    )
                })
                .collect()
        };
        let at_hq: Vec<_> = order(&hq_page)
            .into_iter()
            .filter(|(id, _)| order(&branch_page).iter().any(|(b, _)| b == id))
            .collect();
        assert_eq!(
            at_hq,
            order(&branch_page),
            "HQ holds the same entries, same times, same order (clock {hours:+}h)"
        );
        running.shutdown().await.unwrap();
    }
}

/// What the desktop app does when its window closes: `Running::shutdown` while a push is on the
/// wire. The batch's answer must be waited for and recorded, or the next start would send the
/// entries again and show them as waiting although HQ has them.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn stopping_while_a_push_is_on_the_wire_records_its_answer_first() {
    let db = Hq::new_database().await;
    let key = Hq::branch(&db, "SBY-02");
    let hq = Hq::start(&db);
    let proxy = FaultProxy::start(hq.addr).await.unwrap();
    let cloud = format!("http://{}", proxy.addr);
    let vars = [
        ("KH_CLOUD_URL", cloud.as_str()),
        ("KH_BRANCH_API_KEY", key.as_str()),
        ("KH_SYNC_INTERVAL_SECS", "1"),
    ];
    let mut app = common::spawn_app_with(&vars).await;
    assert_eq!(app.post("/transactions", expense(1_000)).await.0, 201);
    eventually(
        Duration::from_secs(60),
        "the first entry syncing",
        || async {
            let s = app.get("/system/status").await.1["data"].clone();
            (s["unsynced_count"] == 0 && s["status"] == "online", s)
        },
    )
    .await;

    // HQ takes the next push at once, but its answer is held back for 5 s.
    proxy.set(Fault::Delay(Duration::from_secs(5)));
    for amount in 2..=6 {
        assert_eq!(
            app.post("/transactions", expense(amount * 1_000)).await.0,
            201
        );
    }
    eventually(Duration::from_secs(60), "HQ receiving the push", || async {
        let held = hq.ids().await.len();
        (held == 6, json!(held))
    })
    .await;

    app.stop().await;
    // Started again with HQ unreachable, so nothing can be synced after the fact.
    proxy.set(Fault::Refuse);
    app.restart_with(&vars).await;
    let (_, body) = app.get("/system/status").await;
    assert_eq!(
        body["data"]["unsynced_count"], 0,
        "the answer of the push in flight was recorded before the stop: {body}"
    );
    app.stop().await;
}
