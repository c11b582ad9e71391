//! The HQ push benchmark.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use clap::Args;
use kh_domain::{ApiKey, BranchCode, BranchId, BranchName, BusinessCalendar};
use kh_ports::{BranchDirectory, NewBranch};
use sea_orm::sqlx::postgres::PgPoolOptions;
use sea_orm::sqlx::{self, PgPool};
use serde_json::{Value, json};

/// Options of `kh-bench cloud`.
#[derive(Debug, Args)]
pub struct Options {
    /// PostgreSQL to create the benchmark databases on.
    #[arg(
        long,
        env = "KH_TEST_DATABASE_URL",
        default_value = "postgres://postgres@127.0.0.1:5432/postgres"
    )]
    pub(crate) admin_url: String,
    /// Rows pushed per configuration.
    #[arg(long, default_value_t = 40_000)]
    rows: usize,
    /// Runs of each configuration; the table shows the median and the range of the ratio.
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Rows per push; repeat to measure several (default 50 and 500).
    #[arg(long = "batch", default_values_t = [50, 500])]
    batches: Vec<usize>,
    /// Branches pushing at once; repeat to measure several (default 1 and 8).
    #[arg(long = "branches", default_values_t = [1, 8])]
    clients: Vec<usize>,
    /// Leave out the overlapping-pushes scenario.
    #[arg(long)]
    no_overlap: bool,
}

/// Parts each configuration's rows are cut into: ours and raw take turns part by part, so a
/// slow spell of the machine (a checkpoint, another VM's disk) falls on both sides alike.
const PARTS: usize = 10;

pub(crate) const ADMIN: &str = "bench-admin-token-0123456789";

/// Rows as a branch makes them: in time order, 200 entries per business day (a busy branch),
/// so a push covers one or two days, as a real one does. (Rows scattered over 28 days per
/// push, as an earlier version of this bench made them, cost each push 28 totals updates that
/// no branch ever sends.)
fn rows(n: usize, seed: usize) -> Vec<Value> {
    (0..n)
        .map(|i| {
            let day = i / 200;
            let at = format!(
                "2025-{:02}-{:02}T{:02}:{:02}:00.000Z",
                1 + (seed + day / 28) % 12,
                1 + day % 28,
                (i % 200) / 20 + 1,
                (i % 20) * 3
            );
            json!({"id": uuid::Uuid::new_v4().to_string(), "type": if i % 3 == 0 { "OUT" } else { "IN" },
                   "amount": 1_000 + (i % 50_000) as i64, "category": "Penjualan", "description": "bench",
                   "occurred_at": at, "created_at": at})
        })
        .collect()
}

/// Pushes `total` rows in `batch`-row pushes from `clients` branches at once; rows/s.
pub(crate) async fn push(
    api: &str,
    keys: &[String],
    batch: usize,
    clients: usize,
    total: usize,
) -> anyhow::Result<f64> {
    let per_client = total / clients;
    let data: Vec<Vec<Value>> = (0..clients).map(|c| rows(per_client, c)).collect();
    let took = push_rows(&reqwest::Client::new(), api, keys, &data, batch).await?;
    Ok((per_client * clients) as f64 / took.as_secs_f64())
}

/// Pushes each client's rows (`data[c]` with `keys[c]`) in `batch`-row pushes, the clients at
/// once; how long it took.
async fn push_rows(
    client: &reqwest::Client,
    api: &str,
    keys: &[String],
    data: &[Vec<Value>],
    batch: usize,
) -> anyhow::Result<Duration> {
    let payloads: Vec<Vec<Value>> = data
        .iter()
        .map(|rows| {
            rows.chunks(batch)
                .map(|chunk| Value::Array(chunk.to_vec()))
                .collect()
        })
        .collect();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (c, batches) in payloads.into_iter().enumerate() {
        let (client, key, url) = (client.clone(), keys[c].clone(), format!("{api}/sync/push"));
        tasks.push(tokio::spawn(async move {
            for body in batches {
                let r = client
                    .post(&url)
                    .bearer_auth(&key)
                    .json(&body)
                    .send()
                    .await?;
                anyhow::ensure!(r.status().is_success(), "push answered {}", r.status());
            }
            Ok::<_, anyhow::Error>(())
        }));
    }
    for t in tasks {
        t.await??;
    }
    Ok(started.elapsed())
}

/// The same rows as multi-row INSERT … ON CONFLICT (id) DO NOTHING straight to PostgreSQL.
pub(crate) async fn raw(
    pool: &PgPool,
    branches: &[BranchId],
    batch: usize,
    clients: usize,
    total: usize,
) -> anyhow::Result<f64> {
    let per_client = total / clients;
    let data: Vec<Vec<Value>> = (0..clients).map(|c| rows(per_client, c)).collect();
    let took = raw_rows(pool, branches, data, batch).await?;
    Ok((per_client * clients) as f64 / took.as_secs_f64())
}

/// Inserts each client's rows (`data[c]` as `branches[c]`'s) in `batch`-row statements, the
/// clients at once; how long it took.
async fn raw_rows(
    pool: &PgPool,
    branches: &[BranchId],
    data: Vec<Vec<Value>>,
    batch: usize,
) -> anyhow::Result<Duration> {
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (branch, data) in branches.iter().zip(data) {
        let pool = pool.clone();
        let branch = branch.as_uuid();
        tasks.push(tokio::spawn(async move {
            for chunk in data.chunks(batch) {
                let tuples: Vec<String> = (0..chunk.len())
                    .map(|i| {
                        let b = i * 10;
                        format!("(${},${},${},${},${},${},${},${},${},${})", b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7, b + 8, b + 9, b + 10)
                    })
                    .collect();
                let sql = format!(
                    "INSERT INTO transactions (id, branch_id, type, category, amount, description, occurred_at, created_at, reverses_id, received_at) \
                     VALUES {} ON CONFLICT (id) DO NOTHING",
                    tuples.join(",")
                );
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
                for r in chunk {
                    let at = kh_domain::chrono::DateTime::parse_from_rfc3339(r["occurred_at"].as_str().unwrap_or_default())?
                        .with_timezone(&kh_domain::chrono::Utc);
                    q = q
                        .bind(uuid::Uuid::parse_str(r["id"].as_str().unwrap_or_default())?)
                        .bind(branch)
                        .bind(r["type"].as_str().unwrap_or_default().to_owned())
                        .bind("Penjualan")
                        .bind(r["amount"].as_i64().unwrap_or(1))
                        .bind("bench")
                        .bind(at)
                        .bind(at)
                        .bind(None::<uuid::Uuid>)
                        .bind(kh_domain::chrono::Utc::now());
                }
                q.execute(&pool).await?;
            }
            Ok::<_, anyhow::Error>(())
        }));
    }
    for t in tasks {
        t.await??;
    }
    Ok(started.elapsed())
}

pub(crate) async fn branches(
    store: &kh_adapters_hq::HqStore,
    n: usize,
) -> anyhow::Result<(Vec<BranchId>, Vec<String>)> {
    let (mut ids, mut keys) = (Vec::new(), Vec::new());
    for i in 0..n {
        let key = ApiKey::generate().map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
        let branch = store
            .create(NewBranch {
                id: BranchId::new_v4(),
                code: BranchCode::parse(&format!("B-{i:02}"))?,
                name: BranchName::parse(&format!("Bench {i}"))?,
                key_hash: key.hash(),
                created_at: kh_domain::chrono::Utc::now(),
            })
            .await?;
        ids.push(branch.id);
        keys.push(key.reveal().to_owned());
    }
    Ok((ids, keys))
}

/// The raw side's pool: statements go straight to PostgreSQL, with no health check (a ping
/// round trip) before each one, as kh-cloud's own pool does for a connection in steady use.
pub(crate) async fn raw_pool(url: &str, max: u32) -> anyhow::Result<PgPool> {
    Ok(PgPoolOptions::new()
        .max_connections(max)
        .test_before_acquire(false)
        .connect(url)
        .await?)
}

/// Median and spread of several runs.
pub(crate) fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        values[n / 2]
    } else {
        f64::midpoint(values[n / 2 - 1], values[n / 2])
    }
}

pub(crate) async fn spawn(api_db: &str) -> anyhow::Result<kh_cloud::Running> {
    let mut vars = HashMap::new();
    vars.insert("KH_DATABASE_URL".to_owned(), api_db.to_owned());
    vars.insert("KH_HTTP_ADDR".to_owned(), "127.0.0.1:0".to_owned());
    vars.insert("KH_ADMIN_TOKEN".to_owned(), ADMIN.to_owned());
    vars.insert("KH_LOG".to_owned(), "error".to_owned());
    vars.insert("KH_DB_MAX_CONNECTIONS".to_owned(), "16".to_owned());
    let settings = kh_cloud::Settings::from_vars(&vars)?;
    kh_cloud::start(&settings).await
}

/// One run of one configuration: (ours, raw) in rows/s, each on a fresh database. The rows
/// are cut into [`PARTS`] parts of whole pushes; ours and raw take turns (each part's first
/// turn alternating), and each side's rate is its rows over its summed time.
async fn one_run(
    options: &Options,
    calendar: BusinessCalendar,
    batch: usize,
    clients: usize,
) -> anyhow::Result<(f64, f64)> {
    let api_db = kh_adapters_postgres::create_test_database(&options.admin_url).await?;
    let server = spawn(&api_db).await?;
    let store = kh_adapters_postgres::connect(&api_db, calendar, 2)?;
    let (_, keys) = branches(&store, clients).await?;
    store.close().await;

    let raw_db = kh_adapters_postgres::create_test_database(&options.admin_url).await?;
    let raw_store = kh_adapters_postgres::connect(&raw_db, calendar, 2)?;
    raw_store.migrate().await.map_err(|e| anyhow::anyhow!(e))?;
    let (ids, _) = branches(&raw_store, clients).await?;
    raw_store.close().await;
    let pool = raw_pool(&raw_db, 16).await?;

    let per_client = options.rows / clients;
    let data: Vec<Vec<Value>> = (0..clients).map(|c| rows(per_client, c)).collect();
    let client = reqwest::Client::new();
    let part = (per_client / PARTS).div_ceil(batch).max(1) * batch;
    let (mut ours, mut theirs) = (Duration::ZERO, Duration::ZERO);
    for (k, start) in (0..per_client).step_by(part).enumerate() {
        let end = (start + part).min(per_client);
        let slice: Vec<Vec<Value>> = data.iter().map(|d| d[start..end].to_vec()).collect();
        if k % 2 == 0 {
            ours += push_rows(&client, &server.api_url(), &keys, &slice, batch).await?;
            theirs += raw_rows(&pool, &ids, slice, batch).await?;
        } else {
            theirs += raw_rows(&pool, &ids, slice.clone(), batch).await?;
            ours += push_rows(&client, &server.api_url(), &keys, &slice, batch).await?;
        }
    }
    server.shutdown().await?;
    pool.close().await;
    let total = (per_client * clients) as f64;
    Ok((total / ours.as_secs_f64(), total / theirs.as_secs_f64()))
}

pub async fn run(options: Options) -> anyhow::Result<()> {
    let calendar = BusinessCalendar::from_name("Asia/Jakarta")?;
    println!(
        "## kh-bench cloud ({} rows per configuration, median of {} runs, ratio range in brackets)",
        options.rows, options.runs
    );
    println!(
        "\n| batch | branches | kh-cloud POST /sync/push | raw INSERT … ON CONFLICT DO NOTHING | ratio | target |"
    );
    println!("|---|---|---|---|---|---|");
    for &batch in &options.batches {
        for &clients in &options.clients {
            let (mut ours, mut theirs, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
            for _ in 0..options.runs.max(1) {
                let (o, t) = one_run(&options, calendar, batch, clients).await?;
                ours.push(o);
                theirs.push(t);
                ratios.push(o / t);
            }
            let (lo, hi) = ratios
                .iter()
                .fold((f64::MAX, f64::MIN), |(lo, hi), r| (lo.min(*r), hi.max(*r)));
            println!(
                "| {batch} | {clients} | {:.0} rows/s | {:.0} rows/s | {:.2} ({lo:.2}–{hi:.2}) | ≥ 0.80 |",
                median(&mut ours),
                median(&mut theirs),
                median(&mut ratios),
            );
        }
    }
    if options.no_overlap {
        return Ok(());
    }
    crate::overlap::run(&options.admin_url, calendar).await
}
