//! The sync benchmark: how fast a branch's backlog reaches HQ.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use clap::Args;
use kh_domain::BusinessCalendar;
use kh_ports::Outbox;

use crate::cloud::{ADMIN, branches, push, raw};

/// Options of `kh-bench drain`.
#[derive(Debug, Args)]
pub struct Options {
    /// PostgreSQL to create the benchmark databases on.
    #[arg(
        long,
        env = "KH_TEST_DATABASE_URL",
        default_value = "postgres://postgres@127.0.0.1:5432/postgres"
    )]
    admin_url: String,
    /// Entries in the branch's backlog.
    #[arg(long, default_value_t = 100_000)]
    rows: u64,
}

/// Resident memory of this process, in MiB (Linux).
pub(crate) fn rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .map(str::to_owned)
        })
        .and_then(|l| {
            l.split_whitespace()
                .nth(1)
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// An in-process kh-cloud on the PostgreSQL database `db`, on a free port, quiet.
pub(crate) async fn start_hq(db: &str) -> anyhow::Result<kh_cloud::Running> {
    let mut vars = HashMap::new();
    vars.insert("KH_DATABASE_URL".to_owned(), db.to_owned());
    vars.insert("KH_HTTP_ADDR".to_owned(), "127.0.0.1:0".to_owned());
    vars.insert("KH_ADMIN_TOKEN".to_owned(), ADMIN.to_owned());
    vars.insert("KH_LOG".to_owned(), "error".to_owned());
    kh_cloud::start(&kh_cloud::Settings::from_vars(&vars)?).await
}

/// [`start_hq`] on a fresh database; returns it with the database's URL.
pub(crate) async fn hq(admin_url: &str) -> anyhow::Result<(kh_cloud::Running, String)> {
    let db = kh_adapters_postgres::create_test_database(admin_url).await?;
    Ok((start_hq(&db).await?, db))
}

struct Drain {
    rate: f64,
    seconds: f64,
    rss_start: f64,
    rss_max: f64,
    rss_end: f64,
}

async fn drain(admin_url: &str, rows: u64, batch: u32) -> anyhow::Result<Drain> {
    let calendar = BusinessCalendar::from_name("Asia/Jakarta")?;
    let (server, db) = hq(admin_url).await?;
    let store = kh_adapters_postgres::connect(&db, calendar, 2)?;
    let (_, keys) = branches(&store, 1).await?;
    store.close().await;

    let dir = tempfile::tempdir()?;
    crate::local::seed(&dir.path().join("haramain-finance.db"), rows, false).await?;
    let mut vars = HashMap::new();
    vars.insert("KH_HTTP_ADDR".to_owned(), "127.0.0.1:0".to_owned());
    vars.insert("KH_LOG".to_owned(), "error".to_owned());
    vars.insert("KH_CLOUD_URL".to_owned(), format!("http://{}", server.addr));
    vars.insert("KH_BRANCH_API_KEY".to_owned(), keys[0].clone());
    vars.insert("KH_SYNC_BATCH_SIZE".to_owned(), batch.to_string());
    let cli = kh_local::Cli {
        data_dir: Some(dir.path().to_path_buf()),
        ..kh_local::Cli::default()
    };
    let env = config::Environment::with_prefix("KH")
        .prefix_separator("_")
        .source(Some(vars));
    let settings = kh_local::Settings::load_from(&cli, env)?;

    anyhow::ensure!(
        {
            let db = kh_adapters_sqlite::SqliteDb::open_branch(
                &kh_adapters_sqlite::SqliteTarget::File(dir.path().join("haramain-finance.db")),
            )
            .await?;
            let store = kh_adapters_sqlite::BranchStore::new(db, calendar).await?;
            let pending = store
                .counts()
                .await
                .map_err(|e| anyhow::anyhow!(e))?
                .pending;
            store.db().clone().close().await;
            pending == rows
        },
        "the seeded backlog is not all pending"
    );
    let rss_start = rss_mib();
    let mut rss_max = rss_start;
    let started = Instant::now();
    let branch = kh_local::start(&settings, None).await?;
    loop {
        tokio::time::sleep(Duration::from_millis(100)).await;
        rss_max = rss_max.max(rss_mib());
        // Whether any entry waits, not how many: counting a large backlog every 100 ms took
        // a quarter of a core from the drain it measures (the cashier app counts every 5 s).
        if branch
            .store
            .pending(1)
            .await
            .map_err(|e| anyhow::anyhow!(e))?
            .is_empty()
        {
            break;
        }
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(600),
            "the drain took over 10 minutes"
        );
    }
    let seconds = started.elapsed().as_secs_f64();
    let rss_end = rss_mib();
    branch.shutdown().await?;
    server.shutdown().await?;
    Ok(Drain {
        rate: rows as f64 / seconds,
        seconds,
        rss_start,
        rss_max,
        rss_end,
    })
}

pub async fn run(options: Options) -> anyhow::Result<()> {
    println!(
        "## kh-bench drain ({} entries in the backlog)",
        options.rows
    );
    println!();
    println!(
        "| batch | drain time | drain rate | HQ push rate (same batch, 1 branch) | raw PostgreSQL INSERT | drain ÷ push | target | RSS start / max / end |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let calendar = BusinessCalendar::from_name("Asia/Jakarta")?;
    for batch in [50_u32, 500] {
        let d = drain(&options.admin_url, options.rows, batch).await?;

        let (server, db) = hq(&options.admin_url).await?;
        let store = kh_adapters_postgres::connect(&db, calendar, 2)?;
        let (_, keys) = branches(&store, 1).await?;
        store.close().await;
        let pushed = push(&server.api_url(), &keys, batch as usize, 1, 40_000).await?;
        server.shutdown().await?;

        let raw_db = kh_adapters_postgres::create_test_database(&options.admin_url).await?;
        let raw_store = kh_adapters_postgres::connect(&raw_db, calendar, 2)?;
        raw_store.migrate().await.map_err(|e| anyhow::anyhow!(e))?;
        let (ids, _) = branches(&raw_store, 1).await?;
        raw_store.close().await;
        let pool = crate::cloud::raw_pool(&raw_db, 2).await?;
        let raw_rate = raw(&pool, &ids, batch as usize, 1, 40_000).await?;
        pool.close().await;

        println!(
            "| {batch} | {:.1} s | {:.0} rows/s | {pushed:.0} rows/s | {raw_rate:.0} rows/s | {:.2} | ≥ 0.50 | {:.0} / {:.0} / {:.0} MiB |",
            d.seconds,
            d.rate,
            d.rate / pushed,
            d.rss_start,
            d.rss_max,
            d.rss_end
        );
    }
    let baseline = 50.0 / 30.0;
    println!(
        "\nThe seed design pushed 50 rows every 30 s: {baseline:.2} rows/s, so {} entries took {:.0} hours.",
        options.rows,
        options.rows as f64 / baseline / 3600.0
    );
    Ok(())
}
