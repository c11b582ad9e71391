//! The branch benchmark (issue: "the cash book ... and the local API").

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Args;
use kh_adapters_sqlite::{BranchStore, SqliteDb, SqliteTarget, connect_options};
use kh_domain::BusinessCalendar;
use sea_orm::sqlx::sqlite::SqlitePoolOptions;
use sea_orm::sqlx::{self, Row, SqlitePool};
use serde_json::json;

use crate::stats::{Samples, header, ms, row};

/// Options of `kh-bench local`.
#[derive(Debug, Args)]
pub struct Options {
    /// Rows in the large ledger the reads run against.
    #[arg(long, default_value_t = 1_000_000)]
    rows: u64,
    /// Writes per client count.
    #[arg(long, default_value_t = 2_000)]
    writes: u64,
    /// Repetitions of each read.
    #[arg(long, default_value_t = 200)]
    reads: u64,
    /// Where to put the databases (default: a temporary folder).
    #[arg(long)]
    dir: Option<std::path::PathBuf>,
}

pub(crate) const DB_FILE: &str = "haramain-finance.db";

pub(crate) async fn start_server(dir: &Path) -> anyhow::Result<kh_local::Running> {
    let mut vars = std::collections::HashMap::new();
    vars.insert("KH_HTTP_ADDR".to_owned(), "127.0.0.1:0".to_owned());
    vars.insert("KH_LOG".to_owned(), "error".to_owned());
    let cli = kh_local::Cli {
        data_dir: Some(dir.to_path_buf()),
        ..kh_local::Cli::default()
    };
    let env = config::Environment::with_prefix("KH")
        .prefix_separator("_")
        .source(Some(vars));
    let settings = kh_local::Settings::load_from(&cli, env)?;
    Ok(kh_local::start(&settings, None).await?)
}

async fn raw_pool(path: &Path, connections: u32) -> anyhow::Result<SqlitePool> {
    Ok(SqlitePoolOptions::new()
        .max_connections(connections)
        .connect_with(connect_options(Some(path))?)
        .await?)
}

/// Creates an empty ledger with the real schema and indexes, then releases it.
async fn create_schema(path: &Path) -> anyhow::Result<()> {
    let db = SqliteDb::open_branch(&SqliteTarget::File(path.to_path_buf())).await?;
    let store = BranchStore::new(db, BusinessCalendar::from_name("Asia/Jakarta")?).await?;
    store.db().clone().close().await;
    Ok(())
}

pub async fn run(options: Options) -> anyhow::Result<()> {
    let temp = tempfile::tempdir()?;
    let base = options
        .dir
        .clone()
        .unwrap_or_else(|| temp.path().to_path_buf());
    println!(
        "## kh-bench local ({} rows, {} writes per run, {} reads)",
        options.rows, options.writes, options.reads
    );
    writes(&base.join("writes"), &options).await?;
    reads(&base.join("reads"), &options).await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Writes

async fn writes(dir: &Path, options: &Options) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir.join("api"))?;
    std::fs::create_dir_all(dir.join("raw"))?;
    let server = start_server(&dir.join("api")).await?;
    let client = reqwest::Client::new();
    let url = format!("{}/transactions", server.api_url());
    let api_1 = api_writes(&client, &url, None, 1, options.writes).await?;
    let api_16 = api_writes(&client, &url, None, 16, options.writes).await?;
    server.shutdown().await?;

    // The same on a PC whose branch has staff (issue 16): one sign-in, and every entry carries
    // the session, which the server looks up before recording it.
    let session_dir = dir.join("session");
    std::fs::create_dir_all(&session_dir)?;
    let cashier = crate::pin::member("Kasir Bench", crate::pin::hash_pin(crate::pin::PIN)?)?;
    crate::pin::give_staff(&session_dir.join(DB_FILE), vec![cashier.clone()]).await?;
    let server = start_server(&session_dir).await?;
    let url = format!("{}/transactions", server.api_url());
    let (status, token) =
        crate::pin::sign_in(&client, &server.api_url(), cashier.id, crate::pin::PIN).await?;
    let token = token.filter(|_| status == 201);
    let token = token.ok_or_else(|| anyhow::anyhow!("POST /session answered {status}"))?;
    let refused = client
        .post(&url)
        .json(&json!({"type": "IN", "amount": 1_000, "category": "Penjualan", "description": "bench"}))
        .send()
        .await?
        .status();
    anyhow::ensure!(
        refused.as_u16() == 401,
        "an entry without a session answered {refused}"
    );
    let ses_1 = api_writes(&client, &url, Some(&token), 1, options.writes).await?;
    let ses_16 = api_writes(&client, &url, Some(&token), 16, options.writes).await?;
    server.shutdown().await?;

    let raw_path = dir.join("raw").join(DB_FILE);
    create_schema(&raw_path).await?;
    let pool = raw_pool(&raw_path, 1).await?;
    let raw_1 = raw_writes(&pool, 1, options.writes).await?;
    let raw_16 = raw_writes(&pool, 16, options.writes).await?;
    pool.close().await;

    header(
        "Writes: POST /transactions vs a raw single-row INSERT (synchronous=FULL, one commit each)",
    );
    for (clients, api, raw) in [(1, &api_1, &raw_1), (16, &api_16, &raw_16)] {
        row(
            &format!("entries/s, {clients} client(s)"),
            format!("{:.0}/s", api.per_second()),
            format!("{:.0}/s", raw.per_second()),
            api.per_second() / raw.per_second(),
            if clients == 1 { "≥ 0.50" } else { "" },
        );
        row(
            &format!("p50 latency, {clients} client(s)"),
            ms(api.percentile(50.0)),
            ms(raw.percentile(50.0)),
            api.percentile(50.0).as_secs_f64() / raw.percentile(50.0).as_secs_f64(),
            "",
        );
        row(
            &format!("p99 latency, {clients} client(s)"),
            ms(api.percentile(99.0)),
            ms(raw.percentile(99.0)),
            api.percentile(99.0).as_secs_f64() / raw.percentile(99.0).as_secs_f64(),
            "",
        );
    }

    println!(
        "\n### Writes with a session (issue 16): the branch has staff, one sign-in, every POST /transactions carries X-KH-Session\n"
    );
    println!(
        "| operation | with a session | without (above) | raw SQLite | with ÷ raw | with ÷ without | target |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (clients, ses, api, raw) in [(1, &ses_1, &api_1, &raw_1), (16, &ses_16, &api_16, &raw_16)] {
        println!(
            "| entries/s, {clients} client(s) | {:.0}/s | {:.0}/s | {:.0}/s | {:.2} | {:.2} | {} |",
            ses.per_second(),
            api.per_second(),
            raw.per_second(),
            ses.per_second() / raw.per_second(),
            ses.per_second() / api.per_second(),
            if clients == 1 { "≥ 0.50" } else { "" },
        );
        for p in [50.0, 99.0] {
            let secs = |s: &Samples| s.percentile(p).as_secs_f64();
            println!(
                "| p{p:.0} latency, {clients} client(s) | {} | {} | {} | {:.2} | {:.2} |  |",
                ms(ses.percentile(p)),
                ms(api.percentile(p)),
                ms(raw.percentile(p)),
                secs(ses) / secs(raw),
                secs(ses) / secs(api),
            );
        }
    }
    Ok(())
}

/// Entries through the API; with `session`, each carries it in `X-KH-Session`.
async fn api_writes(
    client: &reqwest::Client,
    url: &str,
    session: Option<&str>,
    clients: u64,
    total: u64,
) -> anyhow::Result<Samples> {
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..clients {
        let client = client.clone();
        let url = url.to_owned();
        let session = session.map(str::to_owned);
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            for i in 0..total / clients {
                let body = json!({"type": if i % 3 == 0 { "OUT" } else { "IN" }, "amount": 1_000 + i as i64 + c as i64,
                                  "category": "Penjualan", "description": "bench"});
                let t = Instant::now();
                let mut request = client.post(&url).json(&body);
                if let Some(token) = &session {
                    request = request.header("X-KH-Session", token);
                }
                let status = request.send().await?.status();
                latencies.push(t.elapsed());
                anyhow::ensure!(status.as_u16() == 201, "POST answered {status}");
            }
            Ok::<_, anyhow::Error>(latencies)
        }));
    }
    let mut samples = Samples::default();
    for t in tasks {
        samples.latencies.extend(t.await??);
    }
    samples.wall = started.elapsed();
    Ok(samples)
}

const RAW_INSERT: &str = "INSERT INTO transactions (id, branch_id, type, category, amount, description, \
     occurred_at, created_at, reverses_id, is_synced, synced_at, sync_error_code, \
     sync_error_reason) VALUES (?, NULL, ?, ?, ?, ?, ?, ?, NULL, 0, NULL, NULL, NULL)";

async fn raw_writes(pool: &SqlitePool, clients: u64, total: u64) -> anyhow::Result<Samples> {
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..clients {
        let pool = pool.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            for i in 0..total / clients {
                let now = chrono::Utc::now().timestamp_millis();
                let t = Instant::now();
                sqlx::query(RAW_INSERT)
                    .bind(uuid::Uuid::new_v4())
                    .bind(if i % 3 == 0 { "OUT" } else { "IN" })
                    .bind("Penjualan")
                    .bind(1_000 + i as i64 + c as i64)
                    .bind("bench")
                    .bind(now)
                    .bind(now)
                    .execute(&pool)
                    .await?;
                latencies.push(t.elapsed());
            }
            Ok::<_, anyhow::Error>(latencies)
        }));
    }
    let mut samples = Samples::default();
    for t in tasks {
        samples.latencies.extend(t.await??);
    }
    samples.wall = started.elapsed();
    Ok(samples)
}

// ---------------------------------------------------------------------------------------------
// Reads on a large ledger

const CATEGORIES: &[&str] = &[
    "Penjualan",
    "Pesanan Katering",
    "Bahan Baku",
    "Operasional",
    "Gaji",
    "Sewa",
    "Listrik & Air",
    "Transportasi",
    "Peralatan",
    "Modal",
    "Kemasan",
    "Lain-lain",
];

/// Fills the ledger with `rows` entries over three years in big transactions, then rebuilds
/// the aggregates as the app would have maintained them.
pub(crate) async fn seed(path: &Path, rows: u64, synced: bool) -> anyhow::Result<Duration> {
    let started = Instant::now();
    create_schema(path).await?;
    let pool = raw_pool(path, 1).await?;
    let start_ms = chrono::DateTime::parse_from_rfc3339("2023-01-01T00:00:00Z")?.timestamp_millis();
    let span_ms: i64 = 3 * 365 * 24 * 3_600 * 1_000;
    const PER_STATEMENT: u64 = 500;
    let mut written = 0_u64;
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        // xorshift: deterministic, fast, good enough to spread dates and amounts.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    while written < rows {
        let mut tx = pool.begin().await?;
        for _ in 0..100 {
            let n = PER_STATEMENT.min(rows - written);
            if n == 0 {
                break;
            }
            // Synced rows carry synced_at; a backlog has neither is_synced nor synced_at.
            let tuple = if synced {
                "(?, NULL, ?, ?, ?, '', ?, ?, NULL, 1, ?, NULL, NULL)"
            } else {
                "(?, NULL, ?, ?, ?, '', ?, ?, NULL, 0, ?, NULL, NULL)"
            };
            let values = vec![tuple; n as usize].join(", ");
            let sql = format!(
                "INSERT INTO transactions (id, branch_id, type, category, amount, description, occurred_at, \
                 created_at, reverses_id, is_synced, synced_at, sync_error_code, sync_error_reason) \
                 VALUES {values}"
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
            for k in 0..n {
                let r = next();
                // Entries are made in time order, as on a real branch: created_at rises with
                // the insertion order across the three years; the money moved up to a day
                // before it was entered.
                let created = start_ms + ((written + k) as i64) * (span_ms / rows.max(1) as i64);
                let occurred = created - (r % 86_400_000) as i64;
                query = query
                    .bind(uuid::Uuid::new_v4())
                    .bind(if r % 3 == 0 { "OUT" } else { "IN" })
                    .bind(CATEGORIES[(r >> 20) as usize % CATEGORIES.len()])
                    .bind(1_000 + (r >> 32) as i64 % 5_000_000)
                    .bind(occurred)
                    .bind(created)
                    .bind(if synced { Some(created) } else { None::<i64> });
            }
            query.execute(&mut *tx).await?;
            written += n;
        }
        tx.commit().await?;
    }
    pool.close().await;
    let db = SqliteDb::open_branch(&SqliteTarget::File(path.to_path_buf())).await?;
    let store = BranchStore::new(db, BusinessCalendar::from_name("Asia/Jakarta")?).await?;
    store.rebuild_aggregates().await?;
    store.db().clone().close().await;
    Ok(started.elapsed())
}

async fn time_api(client: &reqwest::Client, url: &str, n: u64) -> anyhow::Result<Samples> {
    let mut samples = Samples::default();
    client.get(url).send().await?.error_for_status()?; // warm-up
    let started = Instant::now();
    for _ in 0..n {
        let t = Instant::now();
        let response = client.get(url).send().await?.error_for_status()?;
        let _ = response.bytes().await?;
        samples.latencies.push(t.elapsed());
    }
    samples.wall = started.elapsed();
    Ok(samples)
}

async fn time_raw(pool: &SqlitePool, sql: &'static str, n: u64) -> anyhow::Result<Samples> {
    let mut samples = Samples::default();
    sqlx::query(sql).fetch_all(pool).await?; // warm-up
    let started = Instant::now();
    for _ in 0..n {
        let t = Instant::now();
        let rows = sqlx::query(sql).fetch_all(pool).await?;
        // Read every column of every row, as the API does.
        for r in &rows {
            for i in 0..r.len() {
                let _: Option<sqlx::sqlite::SqliteValueRef<'_>> = r.try_get_raw(i).ok();
            }
        }
        samples.latencies.push(t.elapsed());
    }
    samples.wall = started.elapsed();
    Ok(samples)
}

async fn reads(dir: &Path, options: &Options) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(DB_FILE);
    let seeded = seed(&path, options.rows, true).await?;
    println!(
        "\nSeeded {} rows in {:.1} s.",
        options.rows,
        seeded.as_secs_f64()
    );

    let server = start_server(dir).await?;
    let client = reqwest::Client::new();
    let api = server.api_url();
    let pool = Arc::new(raw_pool(&path, 1).await?);
    let deep_page = 500_000 / 10 + 1;
    let deep_reads = (options.reads / 4).max(10);

    let summary = time_api(&client, &format!("{api}/dashboard/summary"), options.reads).await?;
    let raw_summary = time_raw(
        &pool,
        "SELECT type, SUM(amount), COUNT(*) FROM transactions GROUP BY type",
        (options.reads / 10).max(5),
    )
    .await?;
    let first = time_api(
        &client,
        &format!("{api}/transactions?limit=10"),
        options.reads,
    )
    .await?;
    let raw_first = time_raw(
        &pool,
        "SELECT * FROM transactions ORDER BY occurred_at DESC, created_at DESC, id DESC LIMIT 10",
        options.reads,
    )
    .await?;
    let deep = time_api(
        &client,
        &format!("{api}/transactions?limit=10&page={deep_page}"),
        deep_reads,
    )
    .await?;
    let raw_deep = time_raw(
        &pool,
        "SELECT * FROM transactions ORDER BY occurred_at DESC, created_at DESC, id DESC LIMIT 10 OFFSET 500000",
        deep_reads,
    )
    .await?;
    server.shutdown().await?;
    pool.close().await;

    header(&format!(
        "Reads on a {}-row ledger (p50 / p99 latency)",
        options.rows
    ));
    for (what, ours, raw, target) in [
        (
            "GET /dashboard/summary vs SUM over the table",
            &summary,
            &raw_summary,
            "< 5 ms",
        ),
        (
            "GET /transactions first page (limit 10, with total)",
            &first,
            &raw_first,
            "< 5 ms",
        ),
        (
            "GET /transactions at offset 500,000",
            &deep,
            &raw_deep,
            "≤ 1.5 × raw",
        ),
    ] {
        row(
            what,
            format!(
                "{} / {}",
                ms(ours.percentile(50.0)),
                ms(ours.percentile(99.0))
            ),
            format!(
                "{} / {}",
                ms(raw.percentile(50.0)),
                ms(raw.percentile(99.0))
            ),
            ours.percentile(50.0).as_secs_f64() / raw.percentile(50.0).as_secs_f64(),
            target,
        );
    }
    Ok(())
}
