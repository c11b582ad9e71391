//! The restore benchmark (issue 14): a fresh branch database takes a branch's whole history
//! from HQ, beside the raw way to move the same rows (one `SELECT … ORDER BY seq` from
//! PostgreSQL, bulk-inserted into SQLite in one transaction), and the pull page latency at HQ.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use clap::Args;
use kh_domain::BusinessCalendar;
use kh_ports::Inbox;
use sea_orm::sqlx::postgres::PgPoolOptions;
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::sqlx::{Connection, Row, SqliteConnection};
use serde_json::{Value, json};

use crate::cloud::branches;
use crate::drain::{hq, rss_mib, start_hq};

/// Options of `kh-bench restore`.
#[derive(Debug, Args)]
pub struct Options {
    /// PostgreSQL to create the benchmark database on.
    #[arg(
        long,
        env = "KH_TEST_DATABASE_URL",
        default_value = "postgres://postgres@127.0.0.1:5432/postgres"
    )]
    admin_url: String,
    /// Rows of the branch's history at HQ.
    #[arg(long, default_value_t = 1_000_000)]
    rows: usize,
}

/// Rows of one push as a branch makes them: in time order, 200 a day, every 100th voided.
fn batch(start: usize, n: usize) -> Vec<Value> {
    let mut rows = Vec::with_capacity(n + n / 100);
    for i in start..start + n {
        let day = i / 200;
        let at = format!(
            "20{:02}-{:02}-{:02}T{:02}:{:02}:00.000Z",
            20 + day / (12 * 28),
            1 + (day / 28) % 12,
            1 + day % 28,
            (i % 200) / 20 + 1,
            (i % 20) * 3
        );
        let id = uuid::Uuid::new_v4().to_string();
        let tx_type = if i % 3 == 0 { "OUT" } else { "IN" };
        let category = ["Penjualan", "Bahan Baku", "Operasional", "Gaji"][i % 4];
        rows.push(
            json!({"id": id, "type": tx_type, "amount": 1_000 + (i % 50_000) as i64,
            "category": category, "description": "bench", "occurred_at": at, "created_at": at}),
        );
        if i % 100 == 99 {
            let void_type = if tx_type == "IN" { "OUT" } else { "IN" };
            let mut void = rows[rows.len() - 1].clone();
            void["id"] = json!(uuid::Uuid::new_v4().to_string());
            void["type"] = json!(void_type);
            void["reverses_id"] = json!(id);
            rows.push(void);
        }
    }
    rows
}

async fn seed(api: &str, key: &str, total: usize) -> anyhow::Result<usize> {
    let client = reqwest::Client::new();
    let mut stored = 0;
    let mut start = 0;
    while start < total {
        let n = 490.min(total - start);
        let rows = batch(start, n);
        stored += rows.len();
        let r = client
            .post(format!("{api}/sync/push"))
            .bearer_auth(key)
            .json(&rows)
            .send()
            .await?;
        anyhow::ensure!(
            r.status().is_success(),
            "seeding push answered {}",
            r.status()
        );
        start += n;
    }
    Ok(stored)
}

/// The raw way: the same rows in one ordered read from PostgreSQL, inserted into a fresh
/// SQLite file (same schema and indexes, WAL, synchronous=FULL) in one transaction.
async fn raw(
    pg_url: &str,
    branch: uuid::Uuid,
    dir: &std::path::Path,
) -> anyhow::Result<(usize, f64)> {
    let target = kh_adapters_sqlite::SqliteTarget::File(dir.join("raw.db"));
    kh_adapters_sqlite::SqliteDb::open_branch(&target)
        .await?
        .close()
        .await;
    let mut sqlite = SqliteConnection::connect_with(
        &SqliteConnectOptions::new()
            .filename(dir.join("raw.db"))
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full),
    )
    .await?;
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect(pg_url)
        .await?;
    let started = Instant::now();
    let rows = sea_orm::sqlx::query(
        "SELECT id, branch_id, type, category, amount, description, occurred_at, created_at, \
         reverses_id, channel_id, channel_name, received_at FROM transactions \
         WHERE branch_id = $1 ORDER BY seq",
    )
    .bind(branch)
    .fetch_all(&pool)
    .await?;
    let mut tx = sqlite.begin().await?;
    for row in &rows {
        let ms = |c: &str| -> anyhow::Result<i64> {
            Ok(row
                .try_get::<chrono::DateTime<chrono::Utc>, _>(c)?
                .timestamp_millis())
        };
        sea_orm::sqlx::query(
            "INSERT INTO transactions (id, branch_id, type, category, amount, description, \
             occurred_at, created_at, reverses_id, channel_id, channel_name, is_synced, synced_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)",
        )
        .bind(row.try_get::<uuid::Uuid, _>("id")?)
        .bind(row.try_get::<uuid::Uuid, _>("branch_id")?)
        .bind(row.try_get::<String, _>("type")?)
        .bind(row.try_get::<String, _>("category")?)
        .bind(row.try_get::<i64, _>("amount")?)
        .bind(row.try_get::<String, _>("description")?)
        .bind(ms("occurred_at")?)
        .bind(ms("created_at")?)
        .bind(row.try_get::<Option<uuid::Uuid>, _>("reverses_id")?)
        .bind(row.try_get::<uuid::Uuid, _>("channel_id")?)
        .bind(row.try_get::<String, _>("channel_name")?)
        .bind(ms("received_at")?)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    let seconds = started.elapsed().as_secs_f64();
    pool.close().await;
    Ok((rows.len(), rows.len() as f64 / seconds))
}

/// p50 and p99 of `GET /sync/pull` pages of 500 at random places in the feed, in ms.
async fn pull_latency(api: &str, key: &str, max_seq: i64) -> anyhow::Result<(f64, f64)> {
    let client = reqwest::Client::new();
    let device = uuid::Uuid::new_v4().to_string();
    let mut times = Vec::new();
    for i in 0..200_i64 {
        let after = (i * 7_919_993) % max_seq.max(1);
        let started = Instant::now();
        let r = client
            .get(format!("{api}/sync/pull?after={after}&limit=500"))
            .bearer_auth(key)
            .header("X-KH-Device", &device)
            .send()
            .await?;
        anyhow::ensure!(r.status().is_success(), "pull answered {}", r.status());
        r.bytes().await?;
        times.push(started.elapsed().as_secs_f64() * 1_000.0);
    }
    times.sort_by(f64::total_cmp);
    Ok((times[times.len() / 2], times[times.len() * 99 / 100]))
}

pub async fn run(options: Options) -> anyhow::Result<()> {
    let calendar = BusinessCalendar::from_name("Asia/Jakarta")?;
    let (server, db) = hq(&options.admin_url).await?;
    let store = kh_adapters_postgres::connect(&db, calendar, 2)?;
    let (ids, keys) = branches(&store, 1).await?;
    store.close().await;
    let stored = seed(&server.api_url(), &keys[0], options.rows).await?;
    println!("## kh-bench restore ({stored} rows of one branch at HQ, 1 in 100 entries voided)");
    println!();

    let dir = tempfile::tempdir()?;
    let mut local = HashMap::new();
    local.insert("KH_HTTP_ADDR".to_owned(), "127.0.0.1:0".to_owned());
    local.insert("KH_LOG".to_owned(), "error".to_owned());
    local.insert("KH_CLOUD_URL".to_owned(), format!("http://{}", server.addr));
    local.insert("KH_BRANCH_API_KEY".to_owned(), keys[0].clone());
    let cli = kh_local::Cli {
        data_dir: Some(dir.path().join("pc")),
        ..kh_local::Cli::default()
    };
    let env = config::Environment::with_prefix("KH")
        .prefix_separator("_")
        .source(Some(local));
    let settings = kh_local::Settings::load_from(&cli, env)?;
    let rss_start = rss_mib();
    let mut rss_max = rss_start;
    let started = Instant::now();
    let branch = kh_local::start(&settings, None).await?;
    loop {
        tokio::time::sleep(Duration::from_millis(100)).await;
        rss_max = rss_max.max(rss_mib());
        let state = branch
            .store
            .pull_state()
            .await
            .map_err(|e| anyhow::anyhow!(e))?;
        if state.caught_up {
            anyhow::ensure!(
                state.restored as usize == stored,
                "restored {} of {stored}",
                state.restored
            );
            break;
        }
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(1_800),
            "the restore took over 30 minutes"
        );
    }
    let seconds = started.elapsed().as_secs_f64();
    branch.shutdown().await?;

    let (raw_rows, raw_rate) = raw(&db, ids[0].as_uuid(), dir.path()).await?;
    anyhow::ensure!(raw_rows == stored, "the raw read found {raw_rows} rows");
    let ours = stored as f64 / seconds;
    println!(
        "| restore into a fresh branch database | rows/s | raw (one ordered SELECT, one SQLite transaction) | ratio | target | RSS start / max (kh-local with an in-process kh-cloud) |"
    );
    println!("|---|---|---|---|---|---|");
    println!(
        "| {stored} rows in {seconds:.1} s | {ours:.0} rows/s | {raw_rate:.0} rows/s | {:.2} | ≥ 0.50 | {rss_start:.0} / {rss_max:.0} MiB (< 150) |",
        ours / raw_rate
    );
    let (p50, p99) = pull_latency(&server.api_url(), &keys[0], stored as i64).await?;
    println!();
    println!(
        "GET /sync/pull (limit 500) at random places of a {stored}-row feed: p50 {p50:.1} ms, p99 {p99:.1} ms (target p50 < 10 ms)."
    );
    server.shutdown().await?;
    Ok(())
}

/// Options of `kh-bench feed`.
#[derive(Debug, Args)]
pub struct FeedOptions {
    /// PostgreSQL to create the benchmark database on.
    #[arg(
        long,
        env = "KH_TEST_DATABASE_URL",
        default_value = "postgres://postgres@127.0.0.1:5432/postgres"
    )]
    admin_url: String,
    /// Rows stored at HQ, spread over the branches.
    #[arg(long, default_value_t = 10_000_000)]
    rows: u64,
    /// Branches they belong to.
    #[arg(long, default_value_t = 50)]
    branches: usize,
}

/// Pull page latency at HQ on a large store: rows written straight into PostgreSQL (what is
/// measured is the read), then `GET /sync/pull` pages at random places of some branches' feeds.
pub async fn feed(options: FeedOptions) -> anyhow::Result<()> {
    let calendar = BusinessCalendar::from_name("Asia/Jakarta")?;
    let db = kh_adapters_postgres::create_test_database(&options.admin_url).await?;
    let store = kh_adapters_postgres::connect(&db, calendar, 2)?;
    store.migrate().await.map_err(|e| anyhow::anyhow!(e))?;
    let (_, keys) = branches(&store, options.branches).await?;
    store.close().await;
    let pool = PgPoolOptions::new().max_connections(1).connect(&db).await?;
    let started = Instant::now();
    let per_statement = 1_000_000_u64;
    let mut done = 0;
    while done < options.rows {
        let n = per_statement.min(options.rows - done);
        sea_orm::sqlx::query(
            "INSERT INTO transactions (id, branch_id, type, category, amount, description, \
             occurred_at, created_at, reverses_id, received_at) \
             SELECT gen_random_uuid(), b.ids[1 + (g % array_length(b.ids, 1))], \
                    CASE WHEN g % 3 = 0 THEN 'OUT' ELSE 'IN' END, 'Penjualan', 1000 + g % 50000, \
                    'bench', t, t, NULL, t \
             FROM generate_series($1::bigint, $2::bigint) g \
             CROSS JOIN (SELECT array_agg(id ORDER BY code) AS ids FROM branches) b \
             CROSS JOIN LATERAL (SELECT timestamptz '2024-01-01' + g * interval '3 seconds' AS t) x",
        )
        .bind(i64::try_from(done + 1)?)
        .bind(i64::try_from(done + n)?)
        .execute(&pool)
        .await?;
        done += n;
    }
    sea_orm::sqlx::query("VACUUM ANALYZE transactions")
        .execute(&pool)
        .await?;
    pool.close().await;
    let loaded = started.elapsed().as_secs_f64();

    let server = start_hq(&db).await?;
    let max_seq = i64::try_from(options.rows)?;
    let mut all = Vec::new();
    for key in keys.iter().step_by((keys.len() / 5).max(1)) {
        let (p50, p99) = pull_latency(&server.api_url(), key, max_seq).await?;
        all.push((p50, p99));
    }
    server.shutdown().await?;
    let p50 = all.iter().map(|t| t.0).fold(0.0_f64, f64::max);
    let p99 = all.iter().map(|t| t.1).fold(0.0_f64, f64::max);
    println!(
        "## kh-bench feed ({} rows over {} branches at HQ, loaded in {loaded:.0} s)",
        options.rows, options.branches
    );
    println!();
    println!(
        "GET /sync/pull (limit 500) at 200 random places of the feeds of {} branches: worst branch p50 {p50:.1} ms, p99 {p99:.1} ms (target p50 < 10 ms).",
        all.len()
    );
    Ok(())
}
