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
use kh_test_support::{Api, Fault, FaultProxy, KeptLog, log_tail};
use serde_json::{Value, json};

const ADMIN: &str = "sync-test-admin-token-0123";

fn admin_url() -> String {
    std::env::var("KH_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// The `kh-cloud` binary next to this test's own, built if this run did not build it.
/// The kh-cloud binary cargo built beside this test (the workspace's test build builds it).
/// A test never builds another binary itself: that would compile it in another profile or with
/// other features than the one under test.
fn kh_cloud_bin() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().and_then(Path::parent).unwrap().to_path_buf();
    let bin = profile_dir.join("kh-cloud");
    assert!(
        bin.exists(),
        "{} is missing: run the workspace's tests (make test, or cargo nextest run --workspace), \
         which build kh-cloud too",
        bin.display()
    );
    bin
}

struct Hq {
    child: Child,
    addr: SocketAddr,
    db: String,
    log: KeptLog,
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
        Self::start_with(db, &[])
    }

    /// Starts HQ with extra settings; its log is kept, to be shown if the test fails.
    fn start_with(db: &str, vars: &[(&str, &str)]) -> Self {
        let mut cmd = Self::command(db);
        cmd.envs(vars.iter().copied())
            .arg("serve")
            .stdout(Stdio::null());
        let log = KeptLog::default();
        let (child, addr) = kh_test_support::spawn_kh_cloud_logged(&mut cmd, log.clone()).unwrap();
        Self {
            child,
            addr,
            db: db.to_owned(),
            log,
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

    fn api(&self) -> Api {
        Api::new(format!("http://{}/api/v1", self.addr))
    }

    async fn get(&self, path: &str) -> Value {
        self.api().with_bearer(ADMIN).get(path).await.1
    }

    /// The status HQ answers `GET /sync/whoami` with for `key`.
    async fn whoami_status(&self, key: &str) -> u16 {
        self.api().with_bearer(key).get("/sync/whoami").await.0
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
        if std::thread::panicking() {
            eprintln!(
                "--- the last of kh-cloud's log ({}) ---\n{}",
                self.addr,
                log_tail(&self.log, LOG_LINES_SHOWN)
            );
        }
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
    log: KeptLog,
}

/// How much of each server's log a failing test shows.
const LOG_LINES_SHOWN: usize = 150;

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
            .env("KH_LOG", "warn,kh_sync_worker=debug")
            .stderr(Stdio::null());
        let log = KeptLog::default();
        let (child, api) = kh_test_support::spawn_kh_local_logged(&mut cmd, log.clone()).unwrap();
        Self { child, api, log }
    }

    fn kill9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    async fn get(&self, path: &str) -> Value {
        Api::new(self.api.as_str()).get(path).await.1
    }

    async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        Api::new(self.api.as_str()).post(path, body).await
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
        // A failing test shows what the worker did: a wait that timed out says little alone.
        if std::thread::panicking() {
            eprintln!(
                "--- the last of kh-local's log ({}) ---\n{}",
                self.api,
                log_tail(&self.log, LOG_LINES_SHOWN)
            );
        }
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
    assert_eq!(theirs["voided_count"], mine["voided_count"]);
    assert_eq!(theirs["voided_total"], mine["voided_total"]);
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
async fn a_pc_moved_to_another_branch_keeps_the_old_entries_until_it_is_moved_back() {
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
    // Three entries belong to JKT-01 but cannot leave: the way through the proxy stays shut.
    proxy.set(Fault::Refuse);
    for amount in [1_000, 2_000, 3_000] {
        branch.post("/transactions", expense(amount)).await;
    }
    // Moving the PC to BDG-01 (HQ reached directly) is refused until the user confirms, and
    // says why.
    let direct = format!("http://{}", hq.addr);
    let move_to_bdg = json!({"cloud_url": direct, "api_key": bdg});
    let (status, refused) = branch.post("/system/activate", move_to_bdg.clone()).await;
    assert_eq!(status, 409, "{refused}");
    assert_eq!(refused["error"]["code"], "branch_change_unconfirmed");
    assert!(
        refused["message"].as_str().unwrap().contains("3 entries"),
        "{refused}"
    );
    assert_eq!(
        branch.status().await["branch"]["code"],
        "JKT-01",
        "nothing changed"
    );
    let mut confirmed = move_to_bdg;
    confirmed["confirm_branch_change"] = json!(true);
    let (status, moved) = branch.post("/system/activate", confirmed).await;
    assert_eq!(status, 200, "{moved}");
    // JKT-01's entries are held, never sent with BDG-01's key; BDG-01's own go through.
    branch.post("/transactions", expense(5_000)).await;
    let held = eventually(Duration::from_secs(30), "BDG-01's entry sent", || async {
        let s = branch.status().await;
        (
            s["unsynced_count"] == 0 && s["held_count"] == 3 && s["status"] == "online",
            s,
        )
    })
    .await;
    assert_eq!(held["status"], "online");
    assert_eq!(
        held["rejected_count"], 0,
        "nothing refused as branch_mismatch: {held}"
    );

    // Back to JKT-01 (nothing of BDG-01 waits, so no question): the held entries go.
    let (status, back) = branch
        .post(
            "/system/activate",
            json!({"cloud_url": direct, "api_key": jkt}),
        )
        .await;
    assert_eq!(status, 200, "{back}");
    eventually(Duration::from_secs(30), "held rows synced", || async {
        let s = branch.status().await;
        (
            s["rejected_count"] == 0 && s["unsynced_count"] == 0 && s["held_count"] == 0,
            s,
        )
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
    // The key was changed by another HQ process (the command line): the running one stops
    // taking the old key once its cached lookup expires (5 s, docs/decisions.md).
    eventually(
        Duration::from_secs(20),
        "HQ refusing the old key",
        || async {
            let status = hq.whoami_status(&key).await;
            (status == 401, json!(status))
        },
    )
    .await;
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
        let clock = Arc::new(MovableClock::default());
        clock.shift_minutes(hours * 60);
        let running = kh_local::start_with_clock(&settings, None, clock)
            .await
            .unwrap();
        let api = Api::new(running.api_url());
        for amount in 1..=10 {
            assert_eq!(api.post("/transactions", expense(amount)).await.0, 201);
        }
        eventually(Duration::from_secs(30), "drain with a skewed clock", || {
            let api = api.clone();
            async move {
                let s = api.data("/system/status").await;
                (s["unsynced_count"] == 0, s)
            }
        })
        .await;
        let (_, branch_page) = api.get("/transactions?limit=100").await;
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

/// A clock that can be set back or forward while the app runs, as a cashier does with the PC's.
#[derive(Default)]
struct MovableClock(std::sync::atomic::AtomicI64);

impl MovableClock {
    fn shift_minutes(&self, minutes: i64) {
        self.0
            .fetch_add(minutes * 60_000, std::sync::atomic::Ordering::SeqCst);
    }
}

impl Clock for MovableClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
            + kh_domain::chrono::Duration::milliseconds(
                self.0.load(std::sync::atomic::Ordering::SeqCst),
            )
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_empty_outbox_says_offline_once_hq_stops_answering() {
    let db = Hq::new_database().await;
    let key = Hq::branch(&db, "JKT-01");
    let hq = Hq::start(&db);
    let dir = tempfile::tempdir().unwrap();
    let branch = Branch::start(dir.path(), &format!("http://{}", hq.addr), &key);
    drained(&branch).await;
    drop(hq);
    let status = eventually(Duration::from_secs(30), "status offline", || async {
        let s = branch.status().await;
        (s["status"] == "offline", s)
    })
    .await;
    assert!(status["last_error"].is_string(), "{status}");
    assert_eq!(status["unsynced_count"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_void_made_after_the_clock_went_back_still_reaches_hq_after_its_original() {
    let db = Hq::new_database().await;
    let key = Hq::branch(&db, "JKT-01");
    let hq = Hq::start(&db);
    // HQ out of reach until both rows exist, so they wait in the outbox together.
    let proxy = FaultProxy::start("127.0.0.1:9".parse().unwrap())
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let settings = common::settings_for(
        dir.path(),
        &[
            ("KH_CLOUD_URL", &format!("http://{}", proxy.addr)),
            ("KH_BRANCH_API_KEY", &key),
            ("KH_SYNC_INTERVAL_SECS", "1"),
            // One row per push: the order the outbox keeps is the order HQ sees.
            ("KH_SYNC_BATCH_SIZE", "1"),
        ],
    );
    let clock = Arc::new(MovableClock::default());
    let running = kh_local::start_with_clock(&settings, None, clock.clone())
        .await
        .unwrap();
    let api = Api::new(running.api_url());
    let (_, created) = api
        .post(
            "/transactions",
            json!({"type": "OUT", "amount": 20_000, "category": "Operasional"}),
        )
        .await;
    let id = created["data"]["id"].as_str().unwrap().to_owned();
    clock.shift_minutes(-3);
    let (status, body) = api
        .post(
            &format!("/transactions/{id}/void"),
            json!({"reason": "salah ketik"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");

    proxy.set_upstream(hq.addr);
    let status = eventually(Duration::from_secs(60), "both rows at HQ", || {
        let api = api.clone();
        async move {
            let d = api.data("/system/status").await;
            (d["unsynced_count"] == 0 && d["status"] == "online", d)
        }
    })
    .await;
    assert_eq!(status["rejected_count"], 0, "nothing stranded: {status}");
    assert_eq!(hq.ids().await.len(), 2);
    let totals = hq.get("/reports/summary").await["data"]["total"].clone();
    let mine = api.data("/dashboard/summary").await;
    assert_eq!(totals["total_in"], mine["total_in"]);
    assert_eq!(totals["total_out"], mine["total_out"]);
    running.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_pc_clock_before_2000_is_named_and_takes_nothing_hq_would_refuse() {
    let dir = tempfile::tempdir().unwrap();
    let settings = common::settings_for(dir.path(), &[]);
    let clock = Arc::new(MovableClock::default());
    let running = kh_local::start_with_clock(&settings, None, clock.clone())
        .await
        .unwrap();
    let api = Api::new(running.api_url());
    let (_, made) = api.post("/transactions", expense(5_000)).await;
    let id = made["data"]["id"].as_str().unwrap().to_owned();
    // Back to 1999, as after a dead CMOS battery.
    let minutes_to_1999 =
        (Utc::now() - "1999-06-01T08:00:00Z".parse::<DateTime<Utc>>().unwrap()).num_minutes();
    clock.shift_minutes(-minutes_to_1999);
    for (path, body) in [
        ("/transactions".to_owned(), expense(1_000)),
        (
            format!("/transactions/{id}/void"),
            json!({"reason": "salah ketik"}),
        ),
    ] {
        let (status, body) = api.post(&path, body).await;
        assert_eq!(status, 400, "{path}");
        assert_eq!(body["error"]["code"], "validation_failed", "{body}");
        let detail = &body["error"]["details"][0];
        assert_eq!(detail["field"], "clock", "{body}");
        assert!(
            detail["issue"].as_str().unwrap().contains("01/06/1999"),
            "{body}"
        );
    }
    let summary = api.data("/dashboard/summary").await;
    assert_eq!(summary["transaction_count"], 1, "nothing was stored");
    running.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_key_mistyped_at_first_start_is_replaced_by_the_right_one_at_the_next() {
    let db = Hq::new_database().await;
    let key = Hq::branch(&db, "JKT-01");
    let hq = Hq::start(&db);
    let url = format!("http://{}", hq.addr);
    let dir = tempfile::tempdir().unwrap();
    let wrong = Branch::start(dir.path(), &url, "kh_mistyped_key_0000");
    wrong.post("/transactions", expense(1_000)).await;
    eventually(Duration::from_secs(20), "status unauthorized", || async {
        let s = wrong.status().await;
        (s["status"] == "unauthorized", s)
    })
    .await;
    drop(wrong);

    let right = Branch::start(dir.path(), &url, &key);
    let online = drained(&right).await;
    assert_eq!(online["branch"]["code"], "JKT-01");
    assert_same(&right, &hq).await;
    drop(right);

    // Once HQ has accepted a key, a different one in the environment does not replace it.
    let again = Branch::start(dir.path(), &url, "kh_other_key_0000");
    again.post("/transactions", expense(2_000)).await;
    drained(&again).await;
    assert_same(&again, &hq).await;
}

// ---------------------------------------------------------------------------------------------
// Two-way sync (DESIGN 8, issue 14)

impl Hq {
    /// Starts a trial HQ on the SQLite file `db_file`.
    fn start_sqlite(db_file: &Path) -> Self {
        Self::start(&format!("sqlite://{}", db_file.display()))
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    fn epoch_reset(db: &str) -> String {
        let out = Self::command(db).args(["epoch", "reset"]).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<Value>(&out.stdout).unwrap()["epoch"]
            .as_str()
            .unwrap()
            .to_owned()
    }
}

impl Branch {
    fn start_at(data_dir: &Path, hq: &Hq, key: &str) -> Self {
        Self::start(data_dir, &format!("http://{}", hq.addr), key)
    }

    /// What a cashier and a manager see: the summary, every day with its balance, the
    /// categories, and the whole list (ids), over all time.
    async fn figures(&self) -> Value {
        json!({
            "summary": self.get("/dashboard/summary").await["data"],
            "daily": self.get("/dashboard/daily?from=2025-01-01&to=2026-12-31").await["data"],
            "categories": self.get("/dashboard/categories").await["data"],
        })
    }
}

/// Waits until the PC has caught up with HQ both ways and says online.
async fn in_step(branch: &Branch) -> Value {
    eventually(
        Duration::from_secs(120),
        "the PC caught up with HQ",
        || async {
            let s = branch.status().await;
            (
                s["unsynced_count"] == 0 && s["status"] == "online" && s["restoring"].is_null(),
                s,
            )
        },
    )
    .await
}

async fn record_with_voids(branch: &Branch, from: i64, n: i64) -> Vec<String> {
    let mut ids = Vec::new();
    for i in from..from + n {
        let (status, body) = branch.post("/transactions", expense(i * 1_000)).await;
        assert_eq!(status, 201, "{body}");
        let id = body["data"]["id"].as_str().unwrap().to_owned();
        if i % 7 == 0 {
            let (status, body) = branch
                .post(
                    &format!("/transactions/{id}/void"),
                    json!({"reason": "salah ketik"}),
                )
                .await;
            assert_eq!(status, 201, "{body}");
        }
        ids.push(id);
    }
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_new_pc_takes_the_whole_branch_history_and_two_pcs_share_one_book() {
    let db = Hq::new_database().await;
    let key = Hq::branch(&db, "JKT-01");
    let hq = Hq::start(&db);
    let old_dir = tempfile::tempdir().unwrap();
    let old = Branch::start_at(old_dir.path(), &hq, &key);
    record_with_voids(&old, 1, 60).await;
    in_step(&old).await;

    // The old PC's disk dies; a new PC is activated with the branch's key.
    let new_dir = tempfile::tempdir().unwrap();
    let new = Branch::start_at(new_dir.path(), &hq, &key);
    in_step(&new).await;
    assert_eq!(
        new.figures().await,
        old.figures().await,
        "the new PC reads as the old one"
    );
    assert_eq!(new.ids().await, old.ids().await);
    let listed = new.get("/transactions?limit=1").await;
    assert_eq!(
        listed["data"]["items"][0]["sync_state"], "synced",
        "{listed}"
    );

    // Both PCs now write, each while cut off from HQ, then both come back.
    let proxy = FaultProxy::start(hq.addr).await.unwrap();
    proxy.set(Fault::Refuse);
    old.kill9();
    new.kill9();
    let url = format!("http://{}", proxy.addr);
    let a = Branch::start(old_dir.path(), &url, &key);
    let b = Branch::start(new_dir.path(), &url, &key);
    let from_a = record_with_voids(&a, 100, 15).await;
    let from_b = record_with_voids(&b, 200, 15).await;
    proxy.set(Fault::Pass);
    in_step(&a).await;
    in_step(&b).await;
    // Each sees the other's entries within an interval of the other's push.
    let union = eventually(Duration::from_secs(60), "both PCs hold both", || async {
        let (ia, ib) = (a.ids().await, b.ids().await);
        let ok = ia == ib && from_a.iter().chain(&from_b).all(|id| ia.contains(id));
        (ok, json!({"a": ia.len(), "b": ib.len()}))
    })
    .await;
    assert_eq!(a.figures().await, b.figures().await, "{union}");
    assert_same(&a, &hq).await;
    assert_same(&b, &hq).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_restore_killed_twice_still_ends_with_the_whole_history() {
    let db = Hq::new_database().await;
    let key = Hq::branch(&db, "JKT-01");
    let hq = Hq::start(&db);
    // 100,000 rows (98,000 entries, every 50th voided) as some earlier PC pushed them.
    let branch_id = hq.api().with_bearer(&key).get("/sync/whoami").await.1["data"]["branch"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut total = 0;
    for batch in 0..196 {
        let mut rows = Vec::new();
        let mut voids = Vec::new();
        for i in 0..500 {
            let n = batch * 500 + i;
            let at = format!(
                "2026-0{}-{:02}T0{}:00:00.000Z",
                1 + n % 9,
                1 + n % 28,
                n % 10
            );
            let id = uuid::Uuid::new_v4().to_string();
            let category = ["Penjualan", "Bahan Baku", "Operasional"][n as usize % 3];
            let tx_type = if n % 3 == 0 { "OUT" } else { "IN" };
            let row = json!({"id": id, "branch_id": branch_id, "type": tx_type,
                "amount": 1_000 + n, "category": category, "occurred_at": at, "created_at": at});
            if n % 50 == 0 {
                let mut void = row.clone();
                void["id"] = json!(uuid::Uuid::new_v4().to_string());
                void["type"] = json!(if n % 3 == 0 { "IN" } else { "OUT" });
                void["reverses_id"] = json!(id);
                void["created_at"] = json!(at.replace(":00:00.000Z", ":05:00.000Z"));
                voids.push(void);
            }
            rows.push(row);
        }
        rows.extend(voids);
        total += rows.len();
        for chunk in rows.chunks(500) {
            let (status, body) = hq.api().with_bearer(&key).post("/sync/push", chunk).await;
            assert_eq!(status, 200, "{body}");
            assert!(
                body["data"]["rejected"].as_array().unwrap().is_empty(),
                "{body}"
            );
        }
    }

    let dir = tempfile::tempdir().unwrap();
    for kill in 0..2 {
        let pc = Branch::start_at(dir.path(), &hq, &key);
        let seen = eventually(Duration::from_secs(120), "a restore under way", || async {
            let s = pc.status().await;
            let r = &s["restoring"];
            let under_way = s["status"] == "restoring"
                && r["restored"]
                    .as_u64()
                    .is_some_and(|n| n > (kill as u64) * 1_000)
                && r["total"] == json!(total);
            (under_way, s)
        })
        .await;
        assert!(
            seen["restoring"]["restored"].as_u64().unwrap() < total as u64,
            "the restore ended before it could be cut: {seen}"
        );
        pc.kill9();
    }
    let pc = Branch::start_at(dir.path(), &hq, &key);
    in_step(&pc).await;
    let mine = pc.get("/dashboard/summary").await["data"].clone();
    let theirs = hq.get("/reports/summary").await["data"]["total"].clone();
    for field in [
        "total_in",
        "total_out",
        "transaction_count",
        "voided_count",
        "voided_total",
    ] {
        assert_eq!(mine[field], theirs[field], "{field}: {mine} vs {theirs}");
    }
    let hq_daily = hq
        .get(&format!(
            "/reports/daily?branch_id={branch_id}&from=2026-01-01&to=2026-09-30"
        ))
        .await["data"]
        .clone();
    let pc_daily = pc
        .get("/dashboard/daily?from=2026-01-01&to=2026-09-30")
        .await["data"]
        .clone();
    assert!(
        pc_daily.as_array().is_some_and(|days| days.len() > 200),
        "{pc_daily}"
    );
    assert_eq!(pc_daily, hq_daily, "daily balances");
    let listed = pc.get("/transactions?limit=1").await;
    assert_eq!(listed["data"]["total"], json!(total), "each row once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_hq_restored_from_a_backup_gets_every_entry_back_after_an_epoch_reset() {
    let hq_dir = tempfile::tempdir().unwrap();
    let hq_file = hq_dir.path().join("hq.db");
    let hq_url = format!("sqlite://{}", hq_file.display());
    let key = Hq::branch(&hq_url, "JKT-01");
    let mut hq = Hq::start_sqlite(&hq_file);
    // The PC reaches HQ through a proxy, so HQ may come back on another port.
    let proxy = FaultProxy::start(hq.addr).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let pc = Branch::start(dir.path(), &format!("http://{}", proxy.addr), &key);
    record_with_voids(&pc, 1, 50).await;
    in_step(&pc).await;
    // HQ's nightly backup, taken with the server stopped: the file and its log.
    hq.stop();
    let backup = hq_dir.path().join("backup");
    std::fs::create_dir(&backup).unwrap();
    let files = |dir: &Path| ["hq.db", "hq.db-wal"].map(|f| dir.join(f));
    for (from, to) in files(hq_dir.path()).iter().zip(files(&backup)) {
        if from.exists() {
            std::fs::copy(from, to).unwrap();
        }
    }
    hq = Hq::start_sqlite(&hq_file);
    proxy.set_upstream(hq.addr);
    for amount in 1..=500 {
        assert_eq!(pc.post("/transactions", expense(amount * 10)).await.0, 201);
    }
    in_step(&pc).await;
    assert_eq!(hq.ids().await.len(), pc.ids().await.len());

    // HQ's disk dies; it is restored from last night's backup, which lacks the 500.
    hq.stop();
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", hq_file.display()));
    }
    for (from, to) in files(&backup).iter().zip(files(hq_dir.path())) {
        if from.exists() {
            std::fs::copy(from, to).unwrap();
        }
    }
    Hq::epoch_reset(&hq_url);
    hq = Hq::start_sqlite(&hq_file);
    // The PC cannot reach it yet (the proxy still points at the old address): HQ holds only
    // what the backup held.
    let restored = hq.get("/transactions?limit=1").await["data"]["total"].clone();
    let on_pc = pc.get("/transactions?limit=1").await["data"]["total"].clone();
    assert_eq!(
        on_pc.as_u64().unwrap() - restored.as_u64().unwrap(),
        500,
        "the backup lacks the 500: {restored} at HQ, {on_pc} on the PC"
    );
    proxy.set_upstream(hq.addr);
    // Within a couple of sync intervals HQ holds as many rows as the PC (listed page by page
    // only once the pushes are over: a list that grows while it is read repeats rows).
    eventually(Duration::from_secs(60), "HQ whole again", || async {
        let at_hq = hq.get("/transactions?limit=1").await["data"]["total"].clone();
        let at_pc = pc.get("/transactions?limit=1").await["data"]["total"].clone();
        (at_hq == at_pc, json!({"hq": at_hq, "pc": at_pc}))
    })
    .await;
    in_step(&pc).await;
    assert_same(&pc, &hq).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn hq_owns_the_lists_an_offline_pc_keeps_them_and_an_entrys_channel_travels_both_ways() {
    let db = Hq::new_database().await;
    let key = Hq::branch(&db, "JKT-01");
    // HQ's operator adds GoPay on the command line and retires QRIS.
    let cli = |args: &[&str]| {
        let out = Hq::command(&db).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let gopay = cli(&["channel", "add", "--name", "GoPay", "--kind", "non_cash"]);
    let gopay_id = gopay["id"].as_str().unwrap().to_owned();
    let qris = cli(&["channel", "change", "qris", "--active", "false"]);
    assert_eq!(qris["active"], false);
    let hq = Hq::start(&db);
    // The admin API, too: only listed categories from now on.
    let admin = hq.api().with_bearer(ADMIN);
    let (status, body) = tests_put(
        &admin,
        "/lists/settings",
        json!({"allow_new_categories": false}),
    )
    .await;
    assert_eq!(status, 200, "{body}");

    let dir = tempfile::tempdir().unwrap();
    // Through a proxy, so the PC can be cut off from HQ later.
    let proxy = FaultProxy::start(hq.addr).await.unwrap();
    let via_proxy = format!("http://{}", proxy.addr);
    let pc = Branch::start(dir.path(), &via_proxy, &key);
    let lists = eventually(
        Duration::from_secs(60),
        "HQ's lists reaching the PC",
        || async {
            let l = pc.get("/lists").await["data"].clone();
            (l["allow_new_categories"] == false, l)
        },
    )
    .await;
    let channel = |name: &str| {
        lists["channels"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("{name} in {lists}"))
    };
    assert_eq!(channel("GoPay")["active"], true);
    assert_eq!(channel("QRIS")["active"], false);
    assert_eq!(lists["channels"][0]["name"], "Tunai", "cash first: {lists}");

    let (status, body) = pc
        .post(
            "/transactions",
            json!({"type": "IN", "amount": 25_000, "category": "penjualan", "channel_id": gopay_id}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["data"]["channel_name"], "GoPay");
    let paid_by_gopay = body["data"]["id"].as_str().unwrap().to_owned();
    let (status, body) = pc
        .post(
            "/transactions",
            json!({"type": "IN", "amount": 5_000, "category": "Penjualan"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["data"]["channel_name"], "Tunai", "cash by default");
    let qris_id = channel("QRIS")["id"].as_str().unwrap().to_owned();
    let (status, body) = pc
        .post(
            "/transactions",
            json!({"type": "IN", "amount": 5_000, "category": "Penjualan", "channel_id": qris_id}),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["details"][0]["field"], "channel_id");
    let (status, body) = pc
        .post(
            "/transactions",
            json!({"type": "OUT", "amount": 5_000, "category": "Parkir"}),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["details"][0]["field"], "category");

    in_step(&pc).await;
    let at_hq = hq
        .get(&format!("/transactions?channel_id={gopay_id}"))
        .await;
    assert_eq!(at_hq["data"]["total"], 1, "{at_hq}");
    assert_eq!(at_hq["data"]["items"][0]["id"], paid_by_gopay.as_str());
    assert_eq!(at_hq["data"]["items"][0]["channel_name"], "GoPay");
    let by_channel = pc.get("/dashboard/channels").await["data"].clone();
    assert_eq!(by_channel[0]["channel_name"], "Tunai", "{by_channel}");
    assert_eq!(by_channel[0]["total_in"], 5_000);
    assert_eq!(by_channel[1]["channel_name"], "GoPay");
    assert_eq!(by_channel[1]["total_in"], 25_000);
    let gopay_only = pc
        .get(&format!("/dashboard/summary?channel_id={gopay_id}"))
        .await;
    assert_eq!(gopay_only["data"]["total_in"], 25_000, "{gopay_only}");

    // HQ renames GoPay while the PC is off and cut off; the PC, offline, still has its lists
    // and books with them.
    proxy.set(Fault::Refuse);
    pc.kill9();
    let (status, body) = tests_patch(
        &admin,
        &format!("/lists/channels/{gopay_id}"),
        json!({"name": "GoPay Merchant"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let offline = Branch::start(dir.path(), &via_proxy, &key);
    let held = offline.get("/lists").await["data"].clone();
    assert_eq!(held["allow_new_categories"], false, "{held}");
    let (status, body) = offline
        .post(
            "/transactions",
            json!({"type": "IN", "amount": 1_000, "category": "Penjualan", "channel_id": gopay_id}),
        )
        .await;
    assert_eq!(status, 201, "offline, the last lists still work: {body}");
    assert_eq!(body["data"]["channel_name"], "GoPay");
    drop(offline);

    // A new PC restores the history: each entry keeps the name its channel had.
    let new_dir = tempfile::tempdir().unwrap();
    let new = Branch::start_at(new_dir.path(), &hq, &key);
    in_step(&new).await;
    let restored = new.get(&format!("/transactions/{paid_by_gopay}")).await;
    assert_eq!(restored["data"]["channel_name"], "GoPay", "{restored}");
    let renamed = eventually(
        Duration::from_secs(60),
        "the rename reaching the new PC",
        || async {
            let l = new.get("/lists").await["data"].clone();
            let ok = l["channels"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["name"] == "GoPay Merchant");
            (ok, l)
        },
    )
    .await;
    assert_eq!(renamed["allow_new_categories"], false);
}

async fn tests_put(api: &Api, path: &str, body: Value) -> (u16, Value) {
    kh_test_support::send(api.request(reqwest::Method::PUT, path).json(&body)).await
}

async fn tests_patch(api: &Api, path: &str, body: Value) -> (u16, Value) {
    kh_test_support::send(api.request(reqwest::Method::PATCH, path).json(&body)).await
}

/// `kh-cloud staff …` on the test's HQ database; answers the printed JSON.
fn staff_cli(db: &str, args: &[&str], pin: &str) -> Value {
    use std::io::Write;
    let mut child = Hq::command(db)
        .arg("staff")
        .args(args)
        .arg("--pin-stdin")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{pin}\n").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

async fn send_with_session(
    pc: &Branch,
    method: reqwest::Method,
    path: &str,
    session: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = Api::new(pc.api.as_str()).request(method, path);
    if let Some(token) = session {
        request = request.header("X-KH-Session", token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    kh_test_support::send(request).await
}

/// Staff added at HQ reach the PC with the next sync; from then on the PC records only for a
/// signed-in member. Five wrong PINs lock the name, and a restart does not undo the lock.
#[tokio::test]
async fn staff_from_hq_lock_the_pc_and_a_pin_lock_outlives_a_restart() {
    let db = Hq::new_database().await;
    let key = Hq::branch(&db, "JKT-01");
    let hq = Hq::start(&db);
    let dir = tempfile::tempdir().unwrap();
    let cloud = format!("http://{}", hq.addr);
    let pc = Branch::start(dir.path(), &cloud, &key);
    let roster = pc.get("/staff").await["data"].clone();
    assert_eq!(roster["required"], false, "{roster}");
    let (status, body) = pc.post("/transactions", expense(1_000)).await;
    assert_eq!(
        status, 201,
        "no staff yet: the PC records as before: {body}"
    );

    let siti = staff_cli(
        &db,
        &[
            "add", "--branch", "JKT-01", "--name", "Siti", "--role", "cashier",
        ],
        "402913",
    );
    let budi = staff_cli(
        &db,
        &[
            "add",
            "--branch",
            "JKT-01",
            "--name",
            "Budi",
            "--role",
            "supervisor",
        ],
        "583920",
    );
    let roster = eventually(
        Duration::from_secs(60),
        "HQ's staff reaching the PC",
        || async {
            let r = pc.get("/staff").await["data"].clone();
            (r["staff"].as_array().is_some_and(|s| s.len() == 2), r)
        },
    )
    .await;
    assert_eq!(roster["required"], true);
    assert_eq!(roster["staff"][0]["name"], "Budi");
    assert!(
        !roster.to_string().contains("argon2"),
        "no hash leaves: {roster}"
    );

    let (status, body) = pc.post("/transactions", expense(2_000)).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (401, Some("unauthorized")),
        "{body}"
    );
    let siti_id = siti["id"].as_str().unwrap();
    let wrong = json!({"staff_id": siti_id, "pin": "111222"});
    for _ in 0..2 {
        let (status, body) = pc.post("/session", wrong.clone()).await;
        assert_eq!(status, 401, "{body}");
    }
    // Guesses sent all at once get the three tries left, not one each: two more are told
    // wrong, the third locks, and the rest find the lock without their PIN being checked.
    let guesses = futures::future::join_all((0..20).map(|n| {
        pc.post(
            "/session",
            json!({"staff_id": siti_id, "pin": format!("{:06}", 700_000 + n)}),
        )
    }))
    .await;
    let answered = |code: u16| guesses.iter().filter(|(s, _)| *s == code).count();
    assert_eq!((answered(401), answered(429)), (2, 18), "{guesses:?}");
    let (status, body) = pc.post("/session", wrong.clone()).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (429, Some("rate_limited")),
        "{body}"
    );

    // kh-local restarts: Siti is still locked, even with her right PIN.
    pc.kill9();
    let pc = Branch::start(dir.path(), &cloud, &key);
    let (status, _) = pc
        .post("/session", json!({"staff_id": siti_id, "pin": "402913"}))
        .await;
    assert_eq!(status, 429, "the lock outlives the restart");

    // Whoever is at the keyboard cannot point the locked PC at another HQ (which would send it
    // staff, lists and entries of its own): that takes somebody signed in.
    let elsewhere = json!({"cloud_url": "http://127.0.0.1:9", "api_key": key});
    let (status, body) = pc.post("/system/activate", elsewhere.clone()).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (401, Some("unauthorized")),
        "{body}"
    );
    assert_eq!(pc.status().await["cloud_url"], cloud.as_str());

    // Budi signs in and records; after Kunci the PC refuses again.
    let (status, signed) = pc
        .post("/session", json!({"staff_id": budi["id"], "pin": "583920"}))
        .await;
    assert_eq!(status, 201, "{signed}");
    let token = signed["data"]["token"].as_str().unwrap().to_owned();
    // Signed in, the same activation goes as far as asking that address (nobody answers).
    let (status, body) = send_with_session(
        &pc,
        reqwest::Method::POST,
        "/system/activate",
        Some(&token),
        Some(elsewhere),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (503, Some("unavailable")),
        "{body}"
    );
    assert_eq!(signed["data"]["staff"]["name"], "Budi");
    let (status, body) = send_with_session(
        &pc,
        reqwest::Method::POST,
        "/transactions",
        Some(&token),
        Some(expense(3_000)),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["data"]["recorded_by_name"], "Budi");
    let entry_id = body["data"]["id"].as_str().unwrap().to_owned();
    // A supervisor's void is their own approval.
    let (status, void) = send_with_session(
        &pc,
        reqwest::Method::POST,
        &format!("/transactions/{entry_id}/void"),
        Some(&token),
        Some(json!({"reason": "salah ketik"})),
    )
    .await;
    assert_eq!(status, 201, "{void}");
    assert_eq!(
        (
            void["data"]["recorded_by_name"].as_str(),
            void["data"]["approved_by_name"].as_str()
        ),
        (Some("Budi"), Some("Budi"))
    );
    // HQ gets who did it, and filters by it.
    let budi_id = budi["id"].as_str().unwrap().to_owned();
    let at_hq = eventually(
        Duration::from_secs(60),
        "Budi's entries reaching HQ",
        || async {
            let listed = hq
                .get(&format!("/transactions?recorded_by={budi_id}"))
                .await["data"]
                .clone();
            (listed["total"] == 2, listed)
        },
    )
    .await;
    assert!(
        at_hq["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["recorded_by_name"] == "Budi"),
        "{at_hq}"
    );
    let (status, me) =
        send_with_session(&pc, reqwest::Method::GET, "/session", Some(&token), None).await;
    assert_eq!(
        (status, me["data"]["staff"]["name"].as_str()),
        (200, Some("Budi"))
    );
    let (status, _) =
        send_with_session(&pc, reqwest::Method::DELETE, "/session", Some(&token), None).await;
    assert_eq!(status, 200);
    let (status, _) = send_with_session(
        &pc,
        reqwest::Method::POST,
        "/transactions",
        Some(&token),
        Some(expense(4_000)),
    )
    .await;
    assert_eq!(status, 401, "locked again");
}

/// Two PCs of one branch each run their own shift at once (DESIGN 11: a shift belongs to one
/// device): each shift's drawer counts only the entries made on its PC, although each PC's
/// book holds the other's entries after a sync.
#[tokio::test]
async fn two_pcs_of_one_branch_each_run_their_own_shift() {
    let db = Hq::new_database().await;
    let key = Hq::branch(&db, "JKT-01");
    let hq = Hq::start(&db);
    let cloud = format!("http://{}", hq.addr);
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = Branch::start(dir_a.path(), &cloud, &key);
    let b = Branch::start(dir_b.path(), &cloud, &key);
    for (pc, float) in [(&a, 100_000), (&b, 300_000)] {
        let (status, body) = pc.post("/shifts", json!({"opening_float": float})).await;
        assert_eq!(status, 201, "{body}");
    }
    for (pc, amount) in [(&a, 10_000), (&a, 5_000), (&b, 70_000)] {
        let (status, body) = pc
            .post(
                "/transactions",
                json!({"type": "IN", "amount": amount, "category": "Penjualan"}),
            )
            .await;
        assert_eq!(status, 201, "{body}");
    }
    // Each PC's book takes the other's entries...
    for pc in [&a, &b] {
        eventually(
            Duration::from_secs(60),
            "both PCs' entries in each book",
            || async {
                let s = pc.get("/dashboard/summary").await["data"].clone();
                (s["total_in"] == 85_000, s)
            },
        )
        .await;
    }
    // ...and each drawer counts only its own.
    let expected = |pc: &Branch| {
        let pc = pc.api.clone();
        async move {
            Api::new(pc.as_str()).get("/shifts/current").await.1["data"]["shift"]["expected"]
                .clone()
        }
    };
    assert_eq!(expected(&a).await, 115_000);
    assert_eq!(expected(&b).await, 370_000);
}

/// A closed shift reaches HQ with its difference; the other PC's open shift shows there as
/// open; the summary adds the difference to its branch.
#[tokio::test]
async fn a_closed_shift_and_its_difference_reach_hq() {
    let db = Hq::new_database().await;
    let key = Hq::branch(&db, "JKT-01");
    let hq = Hq::start(&db);
    let cloud = format!("http://{}", hq.addr);
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = Branch::start(dir_a.path(), &cloud, &key);
    let b = Branch::start(dir_b.path(), &cloud, &key);
    let (status, opened) = a.post("/shifts", json!({"opening_float": 100_000})).await;
    assert_eq!(status, 201, "{opened}");
    let (status, body) = b.post("/shifts", json!({"opening_float": 50_000})).await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = a
        .post(
            "/transactions",
            json!({"type": "IN", "amount": 25_000, "category": "Penjualan"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    // Expected 125.000; counted 120.000: Rp 5.000 short, with a note.
    let id = opened["data"]["id"].as_str().unwrap().to_owned();
    let (status, closed) = a
        .post(
            &format!("/shifts/{id}/close"),
            json!({"counts": {"note_100000": 1, "note_20000": 1}, "note": "uang kembalian salah"}),
        )
        .await;
    assert_eq!(status, 200, "{closed}");
    assert_eq!(closed["data"]["difference"], -5_000);

    let branch_id = hq.get("/branches").await["data"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let shifts = eventually(
        Duration::from_secs(60),
        "both shifts at HQ, one closed",
        || async {
            let page = hq.get(&format!("/branches/{branch_id}/shifts")).await;
            let items = page["data"]["items"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let done = items.len() == 2 && items.iter().any(|s| s["status"] == "closed");
            (done, page)
        },
    )
    .await;
    let items = shifts["data"]["items"].as_array().unwrap();
    let closed_at_hq = items.iter().find(|s| s["id"] == id.as_str()).unwrap();
    assert_eq!(closed_at_hq["difference"], -5_000);
    assert_eq!(closed_at_hq["expected"], 125_000);
    assert_eq!(closed_at_hq["counted"], 120_000);
    assert_eq!(closed_at_hq["close_note"], "uang kembalian salah");
    assert_eq!(closed_at_hq["counts"]["note_20000"], 1);
    assert_eq!(
        a.status().await["refused_shift_count"],
        0,
        "HQ took both reports of the shift"
    );
    let open_at_hq = items.iter().find(|s| s["id"] != id.as_str()).unwrap();
    assert_eq!(open_at_hq["status"], "open");
    assert_ne!(
        open_at_hq["device_id"], closed_at_hq["device_id"],
        "each PC is named"
    );
    let summary = hq.get("/reports/summary").await;
    let line = &summary["data"]["branches"][0];
    assert_eq!(
        (
            line["shifts_closed"].clone(),
            line["shift_difference"].clone()
        ),
        (json!(1), json!(-5_000))
    );
}

/// HQ's branch settings reach the PC: its threshold and blind close at the next sync, its day
/// start from the PC's next start, after which a 00:30 entry is the day before's on the PC
/// and at HQ alike.
#[tokio::test]
async fn hqs_branch_settings_rule_the_pc_and_a_four_oclock_day_start_moves_half_past_midnight() {
    let db = Hq::new_database().await;
    let key = Hq::branch(&db, "JKT-01");
    let hq = Hq::start_with(
        &db,
        &[
            ("KH_CASH_DIFFERENCE_THRESHOLD", "2000"),
            ("KH_BLIND_CLOSE", "true"),
            ("KH_BUSINESS_DAY_STARTS_AT", "04:00"),
        ],
    );
    let dir = tempfile::tempdir().unwrap();
    let pc = Branch::start_at(dir.path(), &hq, &key);
    let settings = eventually(
        Duration::from_secs(60),
        "HQ's settings on the PC",
        || async {
            let s = pc.get("/system/settings").await["data"].clone();
            (s["cash_difference_threshold"] == 2_000, s)
        },
    )
    .await;
    assert_eq!(settings["blind_close"], true);
    assert_eq!(
        settings["business_day_starts_at"], "00:00",
        "the day start waits for a restart"
    );
    // A blind close: the cashier sees no expected amount while the shift is open.
    let (status, opened) = pc.post("/shifts", json!({"opening_float": 50_000})).await;
    assert_eq!(status, 201, "{opened}");
    assert_eq!(opened["data"]["expected"], Value::Null);
    let current = pc.get("/shifts/current").await;
    assert_eq!(current["data"]["shift"]["expected"], Value::Null);
    // The count reveals the difference (no staff on this PC yet: nobody to approve, as before
    // the lock screen; the threshold's approval is the service's test).
    let id = opened["data"]["id"].as_str().unwrap().to_owned();
    let (status, closed) = pc
        .post(
            &format!("/shifts/{id}/close"),
            json!({"counts": {"note_20000": 2, "note_5000": 1}, "note": "kurang"}),
        )
        .await;
    assert_eq!(status, 200, "{closed}");
    assert_eq!(
        (
            closed["data"]["expected"].clone(),
            closed["data"]["difference"].clone()
        ),
        (json!(50_000), json!(-5_000))
    );

    // The next start takes the day start: 17:30 UTC on 8 Dec is 00:30 WIB on the 9th.
    pc.kill9();
    let pc = Branch::start_at(dir.path(), &hq, &key);
    let settings = pc.get("/system/settings").await["data"].clone();
    assert_eq!(settings["business_day_starts_at"], "04:00");
    let (status, body) = pc
        .post(
            "/transactions",
            json!({"type": "IN", "amount": 30_000, "category": "Penjualan",
                   "occurred_at": "2025-12-08T17:30:00.000Z"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    // Both daily reports (one row per business date) put the 30.000 on the 8th.
    let taken_in = |days: &Value, date: &str| {
        days.as_array()
            .unwrap_or_else(|| panic!("a daily report is a list of days: {days}"))
            .iter()
            .find(|d| d["date"] == date)
            .map_or(0, |d| d["total_in"].as_i64().unwrap())
    };
    let days = pc
        .get("/dashboard/daily?from=2025-12-08&to=2025-12-09")
        .await["data"]
        .clone();
    assert_eq!(
        (taken_in(&days, "2025-12-08"), taken_in(&days, "2025-12-09")),
        (30_000, 0),
        "the PC: {days}"
    );
    let at_hq = eventually(Duration::from_secs(60), "the entry at HQ", || async {
        let d = hq.get("/reports/daily?from=2025-12-08&to=2025-12-09").await["data"].clone();
        let arrived = d.as_array().is_some_and(|days| {
            days.iter()
                .any(|day| day["total_in"].as_i64().unwrap_or(0) > 0)
        });
        (arrived, d)
    })
    .await;
    assert_eq!(
        (
            taken_in(&at_hq, "2025-12-08"),
            taken_in(&at_hq, "2025-12-09")
        ),
        (30_000, 0),
        "HQ puts the 00:30 entry on the 8th: {at_hq}"
    );
}
