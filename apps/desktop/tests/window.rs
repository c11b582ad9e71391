//! `kh-desktop` in a real window: started the way a cashier starts it, driven with the keyboard
//! through `xdotool`, photographed with imagemagick's `import`, and checked through the local API.
//!
//! These tests need an X display with a window manager and a D-Bus session bus; run them with
//! `make test-desktop`, which wraps them in `apps/desktop/tests/x-session.sh` (Xvfb, openbox,
//! dbus-run-session). They share the one display and its keyboard focus, so they run one at a
//! time. Screenshots go to `apps/desktop/test-results/` (ignored by git).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs::File;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Mutex, MutexGuard};
use std::thread::sleep;
use std::time::{Duration, Instant};

use serde_json::Value;

/// How long a window or a log line may take to appear on a slow CI machine before the test
/// gives up (a limit on waiting, not a speed assertion: speed is measured in kh-bench).
const PATIENCE: Duration = Duration::from_secs(90);
const MAIN_TITLE: &str = "^Haramain Finance$";
const ERROR_TITLE: &str = "^Haramain Finance tidak bisa dibuka$";

static DISPLAY: Mutex<()> = Mutex::new(());

/// One test at a time on the display; also checks the session is there.
fn session() -> MutexGuard<'static, ()> {
    let guard = DISPLAY
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    assert!(
        std::env::var_os("DISPLAY").is_some(),
        "no X display: run these tests with `make test-desktop` (Xvfb, openbox and a D-Bus session)"
    );
    assert!(
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
        "no D-Bus session bus (single-instance needs one): run with `make test-desktop`"
    );
    guard
}

/// A fresh data folder, removed when the test ends.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("kh-desktop-test-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// An HTTP request to the app's API from outside the window; returns the status and the JSON.
fn http(method: &str, url: &str, origin: Option<&str>) -> (u16, Value) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let client = reqwest::Client::new();
        let mut request = client.request(method.parse().unwrap(), url);
        if let Some(origin) = origin {
            request = request.header("Origin", origin);
        }
        let res = request.send().await.unwrap();
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    })
}

fn free_addr() -> SocketAddr {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
}

fn shots() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test-results");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A launched `kh-desktop` with its own data folder and port; killed if a test fails.
struct Desktop {
    child: Child,
    log: PathBuf,
    addr: SocketAddr,
}

impl Desktop {
    fn launch(data: &Path, addr: SocketAddr) -> Self {
        Self::launch_with(data, addr, |_| {})
    }

    fn launch_with(data: &Path, addr: SocketAddr, adjust: impl FnOnce(&mut Command)) -> Self {
        std::fs::create_dir_all(data).unwrap();
        let log = data.join(format!("kh-desktop-{}.log", addr.port()));
        let out = File::create(&log).unwrap();
        let err = out.try_clone().unwrap();
        let mut command = Command::new(env!("CARGO_BIN_EXE_kh-desktop"));
        command
            .env("KH_DATA_DIR", data)
            .env("KH_HTTP_ADDR", addr.to_string())
            .env("KH_LOG", "info")
            .env("KH_LOG_FORMAT", "json")
            .env("NO_AT_BRIDGE", "1")
            .env_remove("KH_CONFIG")
            .env_remove("KH_DATABASE_URL")
            .env_remove("KH_CLOUD_URL")
            .env_remove("KH_BRANCH_API_KEY")
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err);
        adjust(&mut command);
        let child = command.spawn().expect("kh-desktop starts");
        Self { child, log, addr }
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Waits until the log has a line containing `needle`.
    fn wait_for_log(&mut self, needle: &str) {
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            if self.log_text().contains(needle) {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "kh-desktop exited ({status}) before logging {needle:?}:\n{}",
                    self.log_text()
                );
            }
            sleep(Duration::from_millis(100));
        }
        panic!("kh-desktop never logged {needle:?}:\n{}", self.log_text());
    }

    /// Waits until `needle` is logged after the first line containing `marker`.
    fn wait_for_log_after(&mut self, marker: &str, needle: &str) {
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            let log = self.log_text();
            if let Some(at) = log.find(marker)
                && log[at..].contains(needle)
            {
                return;
            }
            sleep(Duration::from_millis(100));
        }
        panic!(
            "kh-desktop never logged {needle:?} after {marker:?}:\n{}",
            self.log_text()
        );
    }

    fn wait_for_exit(&mut self) -> ExitStatus {
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            sleep(Duration::from_millis(100));
        }
        panic!("kh-desktop did not exit:\n{}", self.log_text());
    }

    fn api(&self, path: &str) -> Value {
        let (status, body) = http("GET", &format!("http://{}/api/v1{path}", self.addr), None);
        assert_eq!(status, 200, "GET {path}: {body}");
        body
    }
}

impl Drop for Desktop {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn xdotool(args: &[&str]) -> String {
    let out = Command::new("xdotool")
        .args(args)
        .output()
        .expect("xdotool runs (apt-get install xdotool)");
    assert!(
        out.status.success(),
        "xdotool {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// The visible windows whose title matches `title` (a regular expression).
fn windows_named(title: &str) -> Vec<String> {
    let out = Command::new("xdotool")
        .args(["search", "--onlyvisible", "--name", title])
        .output()
        .expect("xdotool runs");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

fn wait_for_window(title: &str) -> String {
    let deadline = Instant::now() + PATIENCE;
    while Instant::now() < deadline {
        if let Some(id) = windows_named(title).into_iter().next() {
            return id;
        }
        sleep(Duration::from_millis(100));
    }
    panic!("no window titled {title} appeared");
}

/// Focuses the window the way a click on it would, so typed keys go to it.
fn focus(window: &str) {
    xdotool(&["windowactivate", "--sync", window]);
    xdotool(&["windowfocus", "--sync", window]);
}

/// Takes a screenshot of `window` and returns how many colours it has (a blank or black
/// window has one or two; a rendered page has hundreds).
fn screenshot(window: &str, name: &str) -> usize {
    let path = shots().join(name);
    let status = Command::new("import")
        .args(["-window", window, path.to_str().unwrap()])
        .status()
        .expect("imagemagick's import runs (apt-get install imagemagick)");
    assert!(
        status.success(),
        "import could not photograph window {window}"
    );
    let out = Command::new("identify")
        .args(["-format", "%k", path.to_str().unwrap()])
        .output()
        .expect("identify runs");
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .unwrap_or(0)
}

/// Photographs `window` until the picture has more than 50 colours (the page has painted), and
/// returns how many it has; gives up after PATIENCE with the last count.
fn screenshot_when_painted(window: &str, name: &str) -> usize {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let colours = screenshot(window, name);
        if colours > 50 || Instant::now() > deadline {
            return colours;
        }
        sleep(Duration::from_millis(200));
    }
}

/// The words in the picture at `path` (Tesseract OCR, on a copy enlarged twice for small type).
fn read_text(path: &Path) -> String {
    let big = path.with_extension("ocr.png");
    let status = Command::new("convert")
        .arg(path)
        .args(["-resize", "200%"])
        .arg(&big)
        .status()
        .expect("imagemagick's convert runs");
    assert!(
        status.success(),
        "convert could not enlarge {}",
        path.display()
    );
    let out = Command::new("tesseract")
        .arg(&big)
        .arg("stdout")
        .stderr(Stdio::null())
        .output()
        .expect("tesseract runs (apt-get install tesseract-ocr)");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Photographs `window` until the words on it (read by OCR) satisfy `shows`, and returns them;
/// gives up after PATIENCE with the last reading.
fn screenshot_until(window: &str, name: &str, shows: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + PATIENCE;
    loop {
        screenshot(window, name);
        let text = read_text(&shots().join(name));
        if shows(&text) || Instant::now() > deadline {
            return text;
        }
        sleep(Duration::from_millis(300));
    }
}

/// The page has loaded and its scripts have asked the API for data (the dashboard's first
/// request), so it can take keyboard input.
fn wait_until_usable(app: &mut Desktop) -> String {
    app.wait_for_log("window ready");
    app.wait_for_log("\"path\":\"/api/v1/dashboard/summary");
    wait_for_window(MAIN_TITLE)
}

#[test]
fn an_amount_typed_into_the_window_is_saved_in_the_cash_book() {
    let _display = session();
    let data = TempDir::new();
    let mut app = Desktop::launch(data.path(), free_addr());
    let window = wait_until_usable(&mut app);
    // The UI's first data request may still be rendering: photograph it once it has painted.
    let colours = screenshot_when_painted(&window, "desktop-dashboard.png");
    assert!(colours > 50, "the window looks blank ({colours} colours)");

    focus(&window);
    // Alt+2 opens "Catat Transaksi" with the amount field focused; Enter saves from any field.
    xdotool(&["key", "--clearmodifiers", "alt+2"]);
    // The form asks for its category suggestions in the same effects pass that focuses the
    // amount field, so once the server has seen that request the field has the focus.
    app.wait_for_log("\"path\":\"/api/v1/categories");
    xdotool(&["type", "--delay", "40", "150000"]);
    xdotool(&["key", "Tab"]);
    xdotool(&["type", "--delay", "40", "Katering"]);
    xdotool(&["key", "Return"]);

    let deadline = Instant::now() + PATIENCE;
    let stored = loop {
        let page = app.api("/transactions");
        let items = page["data"]["items"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if !items.is_empty() || Instant::now() > deadline {
            break items;
        }
        sleep(Duration::from_millis(200));
    };
    assert_eq!(stored.len(), 1, "one entry, saved once: {stored:?}");
    // The form starts on Pengeluaran (money out), the everyday case for a branch.
    assert_eq!(stored[0]["type"], "OUT");
    assert_eq!(stored[0]["amount"], 150_000);
    assert_eq!(stored[0]["category"], "Katering");
    let summary = app.api("/dashboard/summary");
    assert_eq!(summary["data"]["total_out"], 150_000, "{summary}");
    // The window's save passed the Origin check: its page comes from the server itself. The
    // desktop adds no other origin: Tauri's own schemes are refused like any web page.
    let sync = format!("http://{}/api/v1/system/sync", app.addr);
    for origin in [
        "tauri://localhost",
        "http://tauri.localhost",
        "https://tauri.localhost",
    ] {
        let (status, body) = http("POST", &sync, Some(origin));
        assert_eq!(status, 403, "Origin {origin} must be refused: {body}");
    }
    // After the save the page refreshes its figures; photograph it once it has asked for them.
    app.wait_for_log_after(
        "\"method\":\"POST\",\"path\":\"/api/v1/transactions\"",
        "\"path\":\"/api/v1/dashboard/summary\"",
    );
    // What the cashier sees: the new balance (Saldo Kas) and the entry among today's, each
    // showing 150.000. The form alone can show it at most once (its own amount field), so two
    // readings mean the window has repainted with the saved figures.
    let text = screenshot_until(&window, "desktop-entry-saved.png", |text| {
        text.matches("150.000").count() >= 2
    });
    assert!(
        text.matches("150.000").count() >= 2 && text.contains("Saldo"),
        "the window does not show the new balance after saving; it reads:\n{text}"
    );
}

#[test]
fn closing_the_window_stops_the_server_and_frees_the_cash_book() {
    let _display = session();
    let data = TempDir::new();
    let addr = free_addr();
    // No KH_DATA_DIR: the cash book goes to the per-user data folder (XDG_DATA_HOME here).
    let xdg = data.path().join("xdg");
    let per_user = |c: &mut Command| {
        c.env_remove("KH_DATA_DIR").env("XDG_DATA_HOME", &xdg);
    };
    let mut app = Desktop::launch_with(data.path(), addr, per_user);
    let window = wait_until_usable(&mut app);
    let book = data.path().join("xdg/haramainfinance/haramain-finance.db");
    assert!(book.exists(), "no cash book at {}", book.display());
    let icon = Command::new("xprop")
        .args(["-id", &window, "_NET_WM_ICON"])
        .output()
        .expect("xprop runs");
    let icon = String::from_utf8_lossy(&icon.stdout);
    assert!(
        icon.starts_with("_NET_WM_ICON(CARDINAL) = "),
        "the window has no icon: {icon}"
    );
    focus(&window);
    // Alt+F4 asks the window manager to close the window, as the title bar's X does.
    xdotool(&["key", "--clearmodifiers", "alt+F4"]);
    let status = app.wait_for_exit();
    assert!(
        status.success(),
        "closing the window exits cleanly: {status}"
    );
    let log = app.log_text();
    assert!(
        log.contains("kh-local stopped"),
        "the server was stopped in order:\n{log}"
    );
    assert!(
        std::net::TcpStream::connect(addr).is_err(),
        "nothing listens on {addr} after the window closed"
    );

    // The same cash book opens again at once (the lock was released).
    let mut again = Desktop::launch_with(data.path(), addr, per_user);
    wait_until_usable(&mut again);
}

#[test]
fn a_second_launch_focuses_the_first_window_instead_of_starting_again() {
    let _display = session();
    let data = TempDir::new();
    let mut first = Desktop::launch(data.path(), free_addr());
    let window = wait_until_usable(&mut first);
    // The cashier had minimised it and forgot it was open. The window manager may still be
    // settling the new window, so the request is repeated until the window is hidden.
    let deadline = Instant::now() + PATIENCE;
    while !windows_named(MAIN_TITLE).is_empty() && Instant::now() < deadline {
        xdotool(&["windowminimize", &window]);
        sleep(Duration::from_millis(100));
    }
    assert!(
        windows_named(MAIN_TITLE).is_empty(),
        "the window is minimised"
    );

    let mut second = Desktop::launch(&data.path().join("second"), free_addr());
    let status = second.wait_for_exit();
    assert!(
        status.success(),
        "the second launch hands over and exits: {status}"
    );
    first.wait_for_log("a second launch asked for the window");
    assert_eq!(
        wait_for_window(MAIN_TITLE),
        window,
        "the first window is shown again"
    );
    assert_eq!(
        windows_named(MAIN_TITLE).len(),
        1,
        "still exactly one window"
    );
    let deadline = Instant::now() + PATIENCE;
    while xdotool(&["getactivewindow"]) != window && Instant::now() < deadline {
        sleep(Duration::from_millis(100));
    }
    assert_eq!(
        xdotool(&["getactivewindow"]),
        window,
        "and it has the focus"
    );
    assert_eq!(first.api("/health")["data"]["status"], "ok");
    assert!(
        !second.log_text().contains("kh-local listening"),
        "the second launch must not start a server"
    );
}

#[test]
fn a_taken_port_is_explained_in_a_native_message() {
    let _display = session();
    let data = TempDir::new();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap();
    let mut app = Desktop::launch(data.path(), addr);

    let dialog = wait_for_window(ERROR_TITLE);
    screenshot(&dialog, "desktop-port-in-use.png");
    assert!(
        windows_named(MAIN_TITLE).is_empty(),
        "no cash book window opens"
    );
    assert!(
        app.log_text().contains("could not start"),
        "{}",
        app.log_text()
    );
    focus(&dialog);
    xdotool(&["key", "Return"]);
    let status = app.wait_for_exit();
    assert_eq!(status.code(), Some(1), "closing the message ends the app");
    drop(taken);
}

#[test]
fn a_cash_book_held_by_another_process_is_explained_in_a_native_message() {
    let _display = session();
    let data = TempDir::new();
    let mut first = Desktop::launch(data.path(), free_addr());
    wait_until_usable(&mut first);

    // Without the session bus the single-instance hand-over cannot happen, as when kh-local
    // (the browser version) holds the same cash book: the database lock must catch it.
    let mut second = Desktop::launch_with(data.path(), free_addr(), |c| {
        c.env_remove("DBUS_SESSION_BUS_ADDRESS");
    });
    let dialog = wait_for_window(ERROR_TITLE);
    screenshot(&dialog, "desktop-locked.png");
    assert!(
        second.log_text().contains("already in use"),
        "{}",
        second.log_text()
    );
    focus(&dialog);
    xdotool(&["key", "Return"]);
    assert_eq!(second.wait_for_exit().code(), Some(1));
    assert_eq!(
        first.api("/health")["data"]["status"],
        "ok",
        "the first window is unharmed"
    );
}
