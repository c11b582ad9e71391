//! The desktop window's cost: time from launch to a usable window, and the memory of every
//! process it runs, for `kh-desktop` (Tauri v2 on WebKitGTK, server in-process) beside the
//! same UI in Chromium's app window over a separate `kh-local` (what an Electron shell costs
//! at least: Electron is Chromium plus a Node.js main process).
//!
//! "Usable" is the moment the page's scripts have run and asked the server for the dashboard
//! (the server logs `GET /api/v1/dashboard/summary`); both cases are timed the same way.
//! Needs an X display: run it inside `apps/desktop/tests/x-session.sh`.

use std::fs::File;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

#[derive(Debug, clap::Args)]
pub struct Options {
    /// The kh-desktop binary (release build).
    #[arg(long, default_value = "target/release/kh-desktop")]
    desktop_bin: PathBuf,
    /// The kh-local binary (release build), served to Chromium.
    #[arg(long, default_value = "target/release/kh-local")]
    local_bin: PathBuf,
    /// Chromium.
    #[arg(long, default_value = "/usr/bin/chromium")]
    chromium: PathBuf,
    /// Launches of each; the table shows the median.
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Seconds to wait after the window is usable before reading memory.
    #[arg(long, default_value_t = 3)]
    settle_secs: u64,
}

/// One launch: time to usable, and the memory of its processes.
#[derive(Debug, Clone, Copy)]
struct Launch {
    usable: Duration,
    pss_kib: u64,
    rss_kib: u64,
    processes: usize,
}

pub async fn run(options: Options) -> anyhow::Result<()> {
    tokio::task::spawn_blocking(move || run_blocking(&options)).await?
}

fn run_blocking(o: &Options) -> anyhow::Result<()> {
    if std::env::var_os("DISPLAY").is_none() {
        bail!("no X display: run inside apps/desktop/tests/x-session.sh");
    }
    for bin in [&o.desktop_bin, &o.local_bin, &o.chromium] {
        if !bin.exists() {
            bail!(
                "{} is missing (make build; cargo build --release -p kh-desktop --features custom-protocol)",
                bin.display()
            );
        }
    }
    let settle = Duration::from_secs(o.settle_secs);
    let mut desktop = Vec::new();
    let mut software = Vec::new();
    let mut chromium = Vec::new();
    for i in 0..o.runs {
        desktop
            .push(launch_desktop(o, settle, false).with_context(|| format!("kh-desktop run {i}"))?);
        software
            .push(launch_desktop(o, settle, true).with_context(|| format!("kh-desktop run {i}"))?);
        chromium.push(launch_chromium(o, settle).with_context(|| format!("chromium run {i}"))?);
    }
    let d = median(&desktop);
    let s = median(&software);
    let c = median(&chromium);
    println!("\n### Desktop window: launch to usable, and memory after startup\n");
    println!(
        "| shell | launch to usable window | memory (PSS, all processes) | RSS (sum) | processes |"
    );
    println!("|---|---|---|---|---|");
    row("kh-desktop (Tauri v2, WebKitGTK, server in-process)", d);
    row(
        "kh-desktop, `WEBKIT_DISABLE_COMPOSITING_MODE=1` (software drawing, as Chromium's `--disable-gpu`)",
        s,
    );
    row(
        "kh-local + Chromium `--app --disable-gpu` (Electron baseline)",
        c,
    );
    println!(
        "\nkh-desktop / Chromium: startup {:.2}, PSS {:.2} (median of {} launches each; PSS counts shared pages once).",
        d.usable.as_secs_f64() / c.usable.as_secs_f64(),
        d.pss_kib as f64 / c.pss_kib as f64,
        o.runs,
    );
    Ok(())
}

fn row(what: &str, l: Launch) {
    println!(
        "| {what} | {:.0} ms | {:.0} MiB | {:.0} MiB | {} |",
        l.usable.as_secs_f64() * 1_000.0,
        l.pss_kib as f64 / 1024.0,
        l.rss_kib as f64 / 1024.0,
        l.processes
    );
}

/// The median of each column on its own.
fn median(launches: &[Launch]) -> Launch {
    fn mid<T: Ord + Copy>(mut v: Vec<T>) -> T {
        v.sort_unstable();
        v[v.len() / 2]
    }
    Launch {
        usable: mid(launches.iter().map(|l| l.usable).collect()),
        pss_kib: mid(launches.iter().map(|l| l.pss_kib).collect()),
        rss_kib: mid(launches.iter().map(|l| l.rss_kib).collect()),
        processes: mid(launches.iter().map(|l| l.processes).collect()),
    }
}

fn free_addr() -> anyhow::Result<SocketAddr> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?)
}

/// Kills a process and everything it started.
struct Tree(Vec<Child>);

impl Drop for Tree {
    fn drop(&mut self) {
        for child in &mut self.0 {
            for pid in descendants(child.id()) {
                let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn server_env(
    command: &mut Command,
    data: &Path,
    addr: SocketAddr,
    log: &Path,
) -> anyhow::Result<()> {
    let out = File::create(log)?;
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
        .stderr(out.try_clone()?)
        .stdout(out);
    Ok(())
}

fn wait_for_line(log: &Path, needle: &str) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        if std::fs::read_to_string(log)
            .unwrap_or_default()
            .contains(needle)
        {
            return Ok(());
        }
        sleep(Duration::from_millis(5));
    }
    bail!("{} never logged {needle:?}", log.display())
}

const USABLE: &str = "\"path\":\"/api/v1/dashboard/summary\"";

/// `software`: WebKit draws without OpenGL (on this GPU-less machine its default composites
/// through Mesa's llvmpipe, which maps the LLVM library into the page's process).
fn launch_desktop(o: &Options, settle: Duration, software: bool) -> anyhow::Result<Launch> {
    let dir = tempfile::tempdir()?;
    let log = dir.path().join("desktop.log");
    let mut command = Command::new(&o.desktop_bin);
    server_env(&mut command, dir.path(), free_addr()?, &log)?;
    if software {
        command.env("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
    let started = Instant::now();
    let tree = Tree(vec![command.spawn()?]);
    wait_for_line(&log, USABLE)?;
    let usable = started.elapsed();
    sleep(settle);
    Ok(measure(&tree, usable))
}

fn launch_chromium(o: &Options, settle: Duration) -> anyhow::Result<Launch> {
    let dir = tempfile::tempdir()?;
    let log = dir.path().join("local.log");
    let addr = free_addr()?;
    let mut server = Command::new(&o.local_bin);
    server_env(&mut server, dir.path(), addr, &log)?;
    let started = Instant::now();
    let mut tree = Tree(vec![server.spawn()?]);
    // As kh-desktop does: the window opens once the server listens.
    wait_for_line(&log, "kh-local listening")?;
    let profile = dir.path().join("chromium-profile");
    let browser = Command::new(&o.chromium)
        .args([
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-default-browser-check",
            "--window-size=1280,820",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--app=http://{addr}/"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    tree.0.push(browser);
    wait_for_line(&log, USABLE)?;
    let usable = started.elapsed();
    sleep(settle);
    Ok(measure(&tree, usable))
}

fn measure(tree: &Tree, usable: Duration) -> Launch {
    let mut pids = Vec::new();
    for child in &tree.0 {
        pids.push(child.id());
        pids.extend(descendants(child.id()));
    }
    let (mut pss_kib, mut rss_kib) = (0, 0);
    for pid in &pids {
        let rollup =
            std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
        pss_kib += kib(&rollup, "Pss:");
        rss_kib += kib(&rollup, "Rss:");
    }
    Launch {
        usable,
        pss_kib,
        rss_kib,
        processes: pids.len(),
    }
}

fn kib(rollup: &str, field: &str) -> u64 {
    rollup
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Every process whose ancestry leads to `root` (from /proc/<pid>/stat's parent field).
fn descendants(root: u32) -> Vec<u32> {
    let mut parents = Vec::new();
    if let Ok(entries) = std::fs::read_dir("/proc") {
        for entry in entries.flatten() {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|s| s.parse::<u32>().ok())
            else {
                continue;
            };
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
                continue;
            };
            // The command name is in parentheses and may hold spaces: the parent is the second
            // field after the last ')'.
            let ppid = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                .and_then(|p| p.parse::<u32>().ok());
            if let Some(ppid) = ppid {
                parents.push((pid, ppid));
            }
        }
    }
    let mut found = Vec::new();
    let mut frontier = vec![root];
    while let Some(parent) = frontier.pop() {
        for &(pid, ppid) in &parents {
            if ppid == parent && !found.contains(&pid) {
                found.push(pid);
                frontier.push(pid);
            }
        }
    }
    found
}
