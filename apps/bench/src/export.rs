//! The export benchmark (issue 17): every entry of a large book as a file, CSV and XLSX, from
//! the real `kh-local` and `kh-cloud` binaries run as child processes (so the peak RSS is the
//! server's own: `VmHWM` of `/proc/<pid>/status`), beside the database's own command-line tool
//! writing the same rows as CSV in the same run: `sqlite3 -csv` on the branch, `psql` with
//! `COPY (…) TO STDOUT` at HQ.
//!
//! Each download runs against a freshly started server (started, one download, killed), so
//! each peak is that file's alone. On the branch, today's backup is written before the servers
//! start (`kh-local backup`), so the daily backup a server makes at start-up (a `VACUUM INTO`
//! of the whole book) does not run during a timed export.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Args;
use sea_orm::sqlx::postgres::PgPoolOptions;
use sea_orm::sqlx::{self, Row};

use crate::cloud::ADMIN;
use crate::hq::{admin_sql, check_name, database_url, seed_one_branch};
use crate::local::DB_FILE;

/// Options of `kh-bench export`.
#[derive(Debug, Args)]
pub struct Options {
    /// PostgreSQL to create the HQ benchmark database on.
    #[arg(
        long,
        env = "KH_TEST_DATABASE_URL",
        default_value = "postgres://postgres@127.0.0.1:5432/postgres"
    )]
    admin_url: String,
    /// Entries in the branch's book.
    #[arg(long, default_value_t = 1_000_000)]
    rows: u64,
    /// Rows of one branch at HQ (about: whole days of 1,000 entries, 1 in 100 voided, and the
    /// seed's 330 yardstick rows; the count measured is printed).
    #[arg(long, default_value_t = 1_000_000)]
    hq_rows: u64,
    /// The HQ benchmark database's name: dropped and made again, dropped at the end.
    #[arg(long, default_value = "kh_bench_export")]
    database: String,
    /// The `kh-local` binary (default: `$CARGO_TARGET_DIR/release/kh-local`).
    #[arg(long, env = "KH_LOCAL_BIN")]
    kh_local_bin: Option<PathBuf>,
    /// The `kh-cloud` binary (default: `$CARGO_TARGET_DIR/release/kh-cloud`).
    #[arg(long, env = "KH_CLOUD_BIN")]
    kh_cloud_bin: Option<PathBuf>,
    /// Where to put the branch database and the downloaded files (default: a temporary folder);
    /// a book an earlier run left there is replaced.
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Skip the branch (`kh-local`) half.
    #[arg(long)]
    no_branch: bool,
    /// Skip the HQ (`kh-cloud`) half.
    #[arg(long)]
    no_hq: bool,
}

/// Entries a day of the seeded HQ branch (a busy one).
const HQ_PER_DAY: u32 = 1_000;
/// Rows the HQ seed pushes through the API first (its yardstick), besides the entries.
const HQ_YARDSTICK_ROWS: u64 = 330;

/// The columns the branch server reads for an export (`TX_COLUMNS` of the SQLite adapter),
/// in its order, with no pages: the raw CSV of the same rows.
const BRANCH_SELECT: &str = "SELECT t.id, t.branch_id, t.type AS tx_type, t.category, t.amount, \
    t.description, t.occurred_at, t.created_at, t.reverses_id, t.is_synced, t.synced_at, \
    t.sync_error_code, t.sync_error_reason, t.channel_id, t.channel_name, t.recorded_by, \
    t.recorded_by_name, t.approved_by, t.approved_by_name, \
    (SELECT v.id FROM transactions v WHERE v.reverses_id = t.id) AS voided_by \
    FROM transactions t ORDER BY t.occurred_at DESC, t.created_at DESC, t.id DESC";

/// The columns HQ reads for an export (`SELECT` of the HQ adapter's reports), for one branch.
fn hq_select(branch: uuid::Uuid) -> String {
    format!(
        "SELECT t.id, t.branch_id, t.type, t.category, t.amount, t.description, t.occurred_at, \
         t.created_at, t.reverses_id, t.channel_id, t.channel_name, t.recorded_by, \
         t.recorded_by_name, t.approved_by, t.approved_by_name, t.received_at, \
         (SELECT v.id FROM transactions v WHERE v.reverses_id = t.id) AS voided_by \
         FROM transactions t WHERE t.branch_id = '{branch}' \
         ORDER BY t.occurred_at DESC, t.created_at DESC, t.id DESC"
    )
}

// ---------------------------------------------------------------------------------------------
// Child processes

/// A child process, killed and reaped when dropped, so no path (an error included) leaves one
/// running.
struct Process(Child);

impl Process {
    fn pid(&self) -> u32 {
        self.0.id()
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A `kB` line of `/proc/<pid>/status` (`VmHWM:`, the peak resident memory since the process
/// started; `VmRSS:`), in MiB.
fn status_mib(pid: u32, key: &str) -> anyhow::Result<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .with_context(|| format!("/proc/{pid}/status"))?;
    let kib = status
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse::<f64>().ok())
        .ok_or_else(|| anyhow::anyhow!("no {key} in /proc/{pid}/status"))?;
    Ok(kib / 1024.0)
}

/// A server run as a child process, with its API's base URL.
struct Server {
    process: Process,
    api: String,
}

impl Server {
    /// The server's peak resident memory since it started, in MiB.
    fn peak_mib(&self) -> anyhow::Result<f64> {
        status_mib(self.process.pid(), "VmHWM:")
    }
}

/// Starts `cmd` and waits (up to two minutes) for the line of its log (stdout, or stderr when
/// `log_on_stderr`) from which `ready` reads the API's base URL. The rest of the log is read
/// and dropped, so a chatty server can never stall on a full pipe.
fn start(
    mut cmd: Command,
    log_on_stderr: bool,
    ready: fn(&str) -> Option<String>,
) -> anyhow::Result<Server> {
    let program = cmd.get_program().to_string_lossy().into_owned();
    if log_on_stderr {
        cmd.stdout(Stdio::null()).stderr(Stdio::piped());
    } else {
        cmd.stdout(Stdio::piped()).stderr(Stdio::null());
    }
    let mut child = cmd
        .spawn()
        .with_context(|| format!("cannot start {program}"))?;
    let pipe: Option<Box<dyn Read + Send>> = if log_on_stderr {
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>)
    } else {
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>)
    };
    let process = Process(child);
    let pipe = pipe.ok_or_else(|| anyhow::anyhow!("{program}: no log pipe"))?;
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(pipe);
        let mut line = Vec::new();
        let mut tx = Some(tx);
        loop {
            line.clear();
            match reader.read_until(b'\n', &mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            if tx.is_some()
                && let Some(api) = ready(&String::from_utf8_lossy(&line))
                && let Some(tx) = tx.take()
            {
                let _ = tx.send(api);
            }
        }
    });
    match rx.recv_timeout(Duration::from_secs(120)) {
        Ok(api) => Ok(Server { process, api }),
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            anyhow::bail!("{program} exited before it listened")
        }
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            anyhow::bail!("{program} did not say where it listens within 2 minutes")
        }
    }
}

/// `kh-local` on the book in `data_dir` (serving, or running `args`).
fn kh_local_command(bin: &Path, data_dir: &Path) -> Command {
    let mut cmd = Command::new(bin);
    cmd.env_clear()
        .env("KH_DATA_DIR", data_dir)
        .env("KH_HTTP_ADDR", "127.0.0.1:0")
        .env("KH_LOG", "warn");
    cmd
}

/// The real `kh-local` serving the book in `data_dir` on a free port; its API's base URL is
/// read from the line it prints once it listens (`… (API: http://127.0.0.1:PORT/api/v1)`).
async fn start_kh_local(bin: &Path, data_dir: &Path) -> anyhow::Result<Server> {
    let cmd = kh_local_command(bin, data_dir);
    tokio::task::spawn_blocking(move || {
        start(cmd, false, |line| {
            line.split("(API: ")
                .nth(1)
                .and_then(|rest| rest.trim_end().strip_suffix(')'))
                .map(str::to_owned)
        })
    })
    .await?
}

/// The real `kh-cloud serve` on the PostgreSQL database `db` on a free port; its address is
/// read from its JSON `kh-cloud listening` log line.
async fn start_kh_cloud(bin: &Path, db: &str) -> anyhow::Result<Server> {
    let mut cmd = Command::new(bin);
    cmd.env_clear()
        .env("KH_DATABASE_URL", db)
        .env("KH_ADMIN_TOKEN", ADMIN)
        .env("KH_HTTP_ADDR", "127.0.0.1:0")
        .env("KH_LOG_FORMAT", "json")
        .env("KH_LOG", "info")
        .arg("serve");
    tokio::task::spawn_blocking(move || {
        start(cmd, true, |line| {
            if !line.contains("kh-cloud listening") {
                return None;
            }
            let log: serde_json::Value = serde_json::from_str(line).ok()?;
            let addr = log["addr"]
                .as_str()
                .or_else(|| log["fields"]["addr"].as_str())?;
            Some(format!("http://{addr}/api/v1"))
        })
    })
    .await?
}

/// The binary `name`: `given`, or `$CARGO_TARGET_DIR/release/name` (`target/release/name`).
fn binary(given: Option<PathBuf>, name: &str) -> anyhow::Result<PathBuf> {
    let path = given.unwrap_or_else(|| {
        std::env::var_os("CARGO_TARGET_DIR")
            .map_or_else(|| PathBuf::from("target"), PathBuf::from)
            .join("release")
            .join(name)
    });
    anyhow::ensure!(
        path.is_file(),
        "no {name} binary at {}: build it with `cargo build --release -p {name}` (same \
         CARGO_TARGET_DIR), or name it with --{name}-bin",
        path.display()
    );
    Ok(path)
}

// ---------------------------------------------------------------------------------------------
// Measuring

/// Counts the lines of CSV text as it streams by (a line break inside quotes is a field's).
#[derive(Debug, Default)]
struct CsvLines {
    quoted: bool,
    lines: u64,
}

impl CsvLines {
    fn feed(&mut self, bytes: &[u8]) {
        for &b in bytes {
            match b {
                b'"' => self.quoted = !self.quoted,
                b'\n' if !self.quoted => self.lines += 1,
                _ => {}
            }
        }
    }
}

/// One file made: rows, bytes, wall time, the maker's peak RSS.
#[derive(Debug, Clone, Copy)]
struct Made {
    rows: u64,
    bytes: u64,
    seconds: f64,
    peak_mib: f64,
}

impl Made {
    fn per_second(&self) -> f64 {
        self.rows as f64 / self.seconds
    }
}

/// A download from a server, with the time to its first byte and the server's resident memory
/// before it.
#[derive(Debug, Clone, Copy)]
struct Download {
    made: Made,
    first_byte: f64,
    start_mib: f64,
}

/// Downloads `path` of `server`'s API as fast as it comes, from a server just started for it.
/// CSV lines are counted (the header is not a row); a workbook is saved to `save` (its rows
/// are counted afterwards).
async fn download(
    server: &Server,
    path: &str,
    bearer: Option<&str>,
    save: Option<&Path>,
) -> anyhow::Result<Download> {
    let start_mib = server.peak_mib()?;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(1_800))
        .build()?;
    let url = format!("{}{path}", server.api);
    let started = Instant::now();
    let mut request = client.get(&url);
    if let Some(token) = bearer {
        request = request.bearer_auth(token);
    }
    let mut response = request.send().await?;
    let status = response.status();
    if !status.is_success() {
        let body = response.text().await.unwrap_or_default();
        anyhow::bail!("GET {path} answered {status}: {body}");
    }
    let mut file = save
        .map(|p| std::fs::File::create(p).map(std::io::BufWriter::new))
        .transpose()?;
    let mut lines = CsvLines::default();
    let (mut bytes, mut first_byte) = (0_u64, None);
    while let Some(chunk) = response
        .chunk()
        .await
        .with_context(|| format!("GET {path}: the download was cut"))?
    {
        first_byte.get_or_insert_with(|| started.elapsed());
        bytes += chunk.len() as u64;
        match &mut file {
            Some(f) => f.write_all(&chunk)?,
            None => lines.feed(&chunk),
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    if let Some(mut f) = file {
        f.flush()?;
    }
    let peak_mib = server.peak_mib()?;
    Ok(Download {
        made: Made {
            rows: lines.lines.saturating_sub(1),
            bytes,
            seconds,
            peak_mib,
        },
        first_byte: first_byte.map_or(seconds, |d| d.as_secs_f64()),
        start_mib,
    })
}

/// Rows below the header of the first sheet of the workbook at `path`, read cell by cell.
fn xlsx_rows(path: &Path) -> anyhow::Result<u64> {
    use calamine::{Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(path)?;
    let name = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("a workbook without a sheet"))?;
    let mut cells = book.worksheet_cells_reader(&name)?;
    let (mut rows, mut last) = (0_u64, None);
    while let Some(cell) = cells.next_cell()? {
        let (row, _) = cell.get_position();
        if last != Some(row) {
            rows += 1;
            last = Some(row);
        }
    }
    Ok(rows.saturating_sub(1))
}

const TIME: &str = "/usr/bin/time";

/// How the raw tool's peak RSS is measured.
fn raw_rss_method() -> &'static str {
    if Path::new(TIME).is_file() {
        "`/usr/bin/time -f %M` (maximum resident set size)"
    } else {
        "`VmHWM` of `/proc/<pid>/status`, polled every 2 ms until it exits"
    }
}

/// Runs `program args` (a database's CSV dump to stdout), counting the rows and bytes it
/// writes as they come; returns them with its wall time and peak RSS.
fn raw_csv(program: &str, args: &[String], scratch: &Path) -> anyhow::Result<Made> {
    let timed = Path::new(TIME).is_file();
    let report = scratch.join("time.txt");
    let mut cmd = if timed {
        let mut cmd = Command::new(TIME);
        cmd.arg("-f").arg("%M").arg("-o").arg(&report).arg(program);
        cmd
    } else {
        Command::new(program)
    };
    cmd.args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
    let started = Instant::now();
    let mut child = cmd
        .spawn()
        .with_context(|| format!("cannot start {program}"))?;
    let (stdout, stderr) = (child.stdout.take(), child.stderr.take());
    let mut process = Process(child);
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut e) = stderr {
            let _ = e.read_to_string(&mut text);
        }
        text
    });
    let counter = std::thread::spawn(move || -> std::io::Result<(u64, u64)> {
        let mut lines = CsvLines::default();
        let (mut bytes, mut buf) = (0_u64, vec![0_u8; 256 * 1024]);
        if let Some(mut out) = stdout {
            loop {
                let n = out.read(&mut buf)?;
                if n == 0 {
                    break;
                }
                bytes += n as u64;
                lines.feed(&buf[..n]);
            }
        }
        Ok((lines.lines, bytes))
    });
    let mut polled = 0.0_f64;
    let status = loop {
        if let Some(status) = process.0.try_wait()? {
            break status;
        }
        if !timed {
            polled = polled.max(status_mib(process.pid(), "VmHWM:").unwrap_or(0.0));
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let (rows, bytes) = counter
        .join()
        .map_err(|_| anyhow::anyhow!("the counting thread panicked"))??;
    let seconds = started.elapsed().as_secs_f64();
    drop(process);
    let errors = errors.join().unwrap_or_default();
    anyhow::ensure!(status.success(), "{program} failed ({status}): {errors}");
    let peak_mib = if timed {
        let text = std::fs::read_to_string(&report)?;
        let kib: f64 = text
            .lines()
            .rev()
            .find_map(|l| l.trim().parse().ok())
            .ok_or_else(|| anyhow::anyhow!("{TIME} wrote {text:?}"))?;
        kib / 1024.0
    } else {
        polled
    };
    Ok(Made {
        rows,
        bytes,
        seconds,
        peak_mib,
    })
}

async fn raw_async(
    program: &'static str,
    args: Vec<String>,
    scratch: PathBuf,
) -> anyhow::Result<Made> {
    tokio::task::spawn_blocking(move || raw_csv(program, &args, &scratch)).await?
}

// ---------------------------------------------------------------------------------------------
// One side: raw, CSV, XLSX, raw again

/// What was measured on one side (the branch or HQ).
struct Side {
    rows: u64,
    raw: Vec<Made>,
    csv: Download,
    xlsx: Option<Download>,
}

/// The largest sheet an XLSX export can hold (Excel's limit).
const MAX_XLSX_ROWS: u64 = 1_048_575;

/// Raw, our CSV and our XLSX (each from a freshly started server), raw again.
async fn measure<F, Fut>(
    rows: u64,
    raw: impl Fn() -> Fut,
    start_server: F,
    export: &str,
    bearer: Option<&str>,
    scratch: &Path,
) -> anyhow::Result<Side>
where
    F: AsyncFn() -> anyhow::Result<Server>,
    Fut: Future<Output = anyhow::Result<Made>>,
{
    let mut raws = vec![raw().await?];
    let server = start_server().await?;
    let csv = download(&server, &format!("{export}format=csv"), bearer, None).await?;
    drop(server);
    anyhow::ensure!(
        csv.made.rows == rows,
        "the CSV export has {} rows, the database {rows}",
        csv.made.rows
    );
    let xlsx = if rows <= MAX_XLSX_ROWS {
        let file = scratch.join("export.xlsx");
        let server = start_server().await?;
        let mut xlsx = download(
            &server,
            &format!("{export}format=xlsx"),
            bearer,
            Some(&file),
        )
        .await?;
        drop(server);
        let path = file.clone();
        xlsx.made.rows = tokio::task::spawn_blocking(move || xlsx_rows(&path)).await??;
        std::fs::remove_file(&file)?;
        anyhow::ensure!(
            xlsx.made.rows == rows,
            "the XLSX export has {} rows, the database {rows}",
            xlsx.made.rows
        );
        Some(xlsx)
    } else {
        println!("XLSX skipped: {rows} rows are more than a sheet holds ({MAX_XLSX_ROWS}).");
        None
    };
    raws.push(raw().await?);
    for r in &raws {
        anyhow::ensure!(
            r.rows == rows,
            "the raw dump has {} rows, the database {rows}",
            r.rows
        );
    }
    Ok(Side {
        rows,
        raw: raws,
        csv,
        xlsx,
    })
}

fn pass(ok: bool) -> &'static str {
    if ok { "PASS" } else { "FAIL" }
}

const RSS_TARGET_MIB: f64 = 100.0;

/// The table of one side.
fn print_side(title: &str, raw_name: &str, export: &str, side: &Side) {
    let raw = side
        .raw
        .iter()
        .copied()
        .min_by(|a, b| a.seconds.total_cmp(&b.seconds))
        .unwrap_or(side.csv.made);
    println!("\n### {title}\n");
    println!(
        "| export | rows | bytes | time (s) | rows/s | ÷ raw speed | peak RSS (MiB) | target | result |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    let line = |what: &str, m: &Made, target: &str, result: String| {
        println!(
            "| {what} | {} | {} | {:.2} | {:.0} | {:.2} | {:.1} | {target} | {result} |",
            m.rows,
            m.bytes,
            m.seconds,
            m.per_second(),
            m.per_second() / raw.per_second(),
            m.peak_mib
        );
    };
    line(&format!("raw: {raw_name}"), &raw, "", "—".to_owned());
    let csv = &side.csv.made;
    let speed = csv.per_second() / raw.per_second();
    line(
        &format!("`GET {export}format=csv`"),
        csv,
        "≥ 0.50 × raw speed; RSS < 100 MiB",
        format!(
            "speed {} ({speed:.2}); RSS {}",
            pass(speed >= 0.5),
            pass(csv.peak_mib < RSS_TARGET_MIB)
        ),
    );
    if let Some(xlsx) = &side.xlsx {
        let m = &xlsx.made;
        let times = m.seconds / csv.seconds;
        line(
            &format!("`GET {export}format=xlsx`"),
            m,
            "≤ 4 × CSV time; RSS < 100 MiB",
            format!(
                "time {} ({times:.2} × CSV); RSS {}",
                pass(times <= 4.0),
                pass(m.peak_mib < RSS_TARGET_MIB)
            ),
        );
    }
    let runs: Vec<String> = side
        .raw
        .iter()
        .map(|r| format!("{:.2} s", r.seconds))
        .collect();
    println!(
        "\nRaw ran before and after the exports ({}); the faster is the yardstick. The server's \
         resident memory when the download began: {:.1} MiB (CSV run){}; the first byte of the \
         CSV came after {:.2} s{}.",
        runs.join(", "),
        side.csv.start_mib,
        side.xlsx
            .as_ref()
            .map(|x| format!(", {:.1} MiB (XLSX run)", x.start_mib))
            .unwrap_or_default(),
        side.csv.first_byte,
        side.xlsx
            .as_ref()
            .map(|x| format!(
                ", of the XLSX after {:.2} s (the workbook is written whole before it is sent)",
                x.first_byte
            ))
            .unwrap_or_default(),
    );
}

// ---------------------------------------------------------------------------------------------
// The branch and HQ

async fn branch(options: &Options, base: &Path) -> anyhow::Result<()> {
    let bin = binary(options.kh_local_bin.clone(), "kh-local")?;
    let dir = base.join("branch");
    std::fs::create_dir_all(&dir)?;
    let db = dir.join(DB_FILE);
    if db.exists() {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(dir.join(format!("{DB_FILE}{suffix}")));
        }
        let _ = std::fs::remove_dir_all(dir.join("backups"));
    }
    let seeded = crate::local::seed(&db, options.rows, true).await?;
    println!(
        "Branch: seeded {} entries in {:.1} s ({}).",
        options.rows,
        seeded.as_secs_f64(),
        db.display()
    );
    let started = Instant::now();
    let backup = kh_local_command(&bin, &dir)
        .arg("backup")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()?;
    anyhow::ensure!(
        backup.status.success(),
        "kh-local backup failed: {}",
        String::from_utf8_lossy(&backup.stderr)
    );
    println!(
        "Branch: today's backup written first (`kh-local backup`, {:.1} s), so no server makes \
         one at start-up during a timed export.",
        started.elapsed().as_secs_f64()
    );
    let db_arg = db.display().to_string();
    let scratch = dir.clone();
    let side = measure(
        options.rows,
        || {
            raw_async(
                "sqlite3",
                vec!["-csv".into(), db_arg.clone(), BRANCH_SELECT.into()],
                scratch.clone(),
            )
        },
        async || start_kh_local(&bin, &dir).await,
        "/transactions/export?",
        None,
        &dir,
    )
    .await?;
    print_side(
        &format!("Branch (`kh-local`, SQLite): {} entries", side.rows),
        "`sqlite3 -csv` of the server's SELECT, no pages",
        "/transactions/export?",
        &side,
    );
    Ok(())
}

async fn hq(options: &Options, base: &Path) -> anyhow::Result<()> {
    let bin = binary(options.kh_cloud_bin.clone(), "kh-cloud")?;
    check_name(&options.database)?;
    let name = &options.database;
    let db = database_url(&options.admin_url, name)?;
    let admin = PgPoolOptions::new()
        .max_connections(1)
        .connect(&options.admin_url)
        .await?;
    admin_sql(
        &admin,
        format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
    )
    .await?;
    admin_sql(&admin, format!("CREATE DATABASE {name}")).await?;
    let result = hq_measured(options, base, &bin, &db).await;
    match &result {
        Ok(()) => admin_sql(&admin, format!("DROP DATABASE {name} WITH (FORCE)")).await?,
        Err(_) => eprintln!(
            "kh-bench export failed at HQ; the database {name} is left for a look (the next \
             run drops it)."
        ),
    }
    admin.close().await;
    result
}

async fn hq_measured(options: &Options, base: &Path, bin: &Path, db: &str) -> anyhow::Result<()> {
    let entries = options.hq_rows.saturating_sub(HQ_YARDSTICK_ROWS);
    // Entries plus 1 in 100 voided: whole days of HQ_PER_DAY.
    let days = (entries as f64 / 1.01 / f64::from(HQ_PER_DAY))
        .round()
        .max(1.0);
    let started = Instant::now();
    seed_one_branch(db, days as u32, HQ_PER_DAY).await?;
    let pool = PgPoolOptions::new().max_connections(1).connect(db).await?;
    let row = sqlx::query(
        "SELECT b.id, (SELECT COUNT(*) FROM transactions t WHERE t.branch_id = b.id) \
         FROM branches b",
    )
    .fetch_one(&pool)
    .await?;
    let (branch, rows): (uuid::Uuid, i64) = (row.try_get(0)?, row.try_get(1)?);
    let size: i64 = sqlx::query_scalar("SELECT pg_database_size(current_database())")
        .fetch_one(&pool)
        .await?;
    pool.close().await;
    let rows = u64::try_from(rows)?;
    println!(
        "HQ: seeded {rows} rows of one branch ({days} business dates x {HQ_PER_DAY}, 1 in 100 \
         voided, and the seed's yardstick rows) in {:.0} s; database {:.0} MiB.",
        started.elapsed().as_secs_f64(),
        size as f64 / f64::from(1 << 20)
    );
    let dir = base.join("hq");
    std::fs::create_dir_all(&dir)?;
    let copy = format!("COPY ({}) TO STDOUT WITH (FORMAT csv)", hq_select(branch));
    let export = format!("/transactions/export?branch_id={branch}&");
    let scratch = dir.clone();
    let side = measure(
        rows,
        || {
            raw_async(
                "psql",
                vec![
                    "-X".into(),
                    "-q".into(),
                    "-v".into(),
                    "ON_ERROR_STOP=1".into(),
                    "-d".into(),
                    db.to_owned(),
                    "-c".into(),
                    copy.clone(),
                ],
                scratch.clone(),
            )
        },
        async || start_kh_cloud(bin, db).await,
        &export,
        Some(ADMIN),
        &dir,
    )
    .await?;
    print_side(
        &format!(
            "HQ (`kh-cloud`, PostgreSQL 15): {} rows of one branch",
            side.rows
        ),
        "`psql -c \"COPY (the server's SELECT, no pages) TO STDOUT CSV\"`",
        "/transactions/export?branch_id=…&",
        &side,
    );
    Ok(())
}

pub async fn run(options: Options) -> anyhow::Result<()> {
    let temp = tempfile::tempdir()?;
    let base = options
        .dir
        .clone()
        .unwrap_or_else(|| temp.path().to_path_buf());
    std::fs::create_dir_all(&base)?;
    println!(
        "## kh-bench export ({} entries on the branch, about {} rows of one branch at HQ)\n",
        options.rows, options.hq_rows
    );
    println!(
        "Servers: the release `kh-local` and `kh-cloud` binaries as child processes, started \
         afresh for each download; peak RSS is the server's `VmHWM` after the download. The raw \
         tools' peak RSS: {}. Time is from the request to the last byte, read by this bench as \
         fast as it comes (CSV rows counted, the workbook saved, then its rows counted with \
         calamine, untimed).\n",
        raw_rss_method()
    );
    if !options.no_branch {
        branch(&options, &base).await?;
    }
    if !options.no_hq {
        if !options.no_branch {
            println!();
        }
        hq(&options, &base).await?;
    }
    Ok(())
}
