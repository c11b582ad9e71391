//! The HQ console benchmark (issue 15): a PostgreSQL HQ holding years of many branches' entries
//! (written straight into the tables, as pushes would have left them), then the HTTP calls the
//! console's overview and drill-down make, each beside the same question asked of PostgreSQL
//! directly over the raw `transactions` table, and sign-in to figures on screen in Chromium.

mod browser;
mod calls;
mod seed;

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use clap::Args;
use kh_domain::BusinessCalendar;
use kh_domain::chrono::{Datelike, Days, NaiveDate, Utc};
use sea_orm::sqlx::postgres::PgPoolOptions;
use sea_orm::sqlx::{self, PgPool};
use serde_json::{Value, json};

use crate::cloud::ADMIN;
use crate::drain::start_hq;

/// The business time zone of the seeded HQ (kh-cloud's default).
const TIMEZONE: &str = "Asia/Jakarta";

/// Options of `kh-bench hq`.
#[derive(Debug, Args)]
pub struct Options {
    /// PostgreSQL to create the benchmark database on.
    #[arg(
        long,
        env = "KH_TEST_DATABASE_URL",
        default_value = "postgres://postgres@127.0.0.1:5432/postgres"
    )]
    admin_url: String,
    /// The benchmark database's name: dropped and made again, unless --reuse.
    #[arg(long, default_value = "kh_bench_hq")]
    database: String,
    /// Branches.
    #[arg(long, default_value_t = 50)]
    branches: usize,
    /// Years of entries (365 business dates each), ending today.
    #[arg(long, default_value_t = 3)]
    years: u32,
    /// Entries per branch per business date (1 in 100 is voided: its void is one row more).
    #[arg(long, default_value_t = 300)]
    per_day: u32,
    /// Timed repetitions of each call, after the warm-ups.
    #[arg(long, default_value_t = 30)]
    runs: usize,
    /// Untimed repetitions before them.
    #[arg(long, default_value_t = 3)]
    warmups: usize,
    /// Seconds a raw query may take over all its runs: one that scans the whole table stops
    /// after at least 5 timed runs once it is over.
    #[arg(long, default_value_t = 60)]
    raw_budget_secs: u64,
    /// Keep the database at the end (to measure it again with --reuse).
    #[arg(long)]
    keep: bool,
    /// Measure the database an earlier --keep run left, without seeding it again.
    #[arg(long)]
    reuse: bool,
    /// Skip the timing of sign-in in Chromium.
    #[arg(long)]
    no_browser: bool,
    /// Sign-ins timed in Chromium (the median is reported).
    #[arg(long, default_value_t = 5)]
    browser_runs: usize,
    /// The UI folder: `e2e/bench-console.mjs` and its `node_modules`.
    #[arg(long, default_value = "ui")]
    ui_dir: PathBuf,
}

/// What the seeded database holds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Plan {
    branches: usize,
    days: u32,
    per_day: u32,
    /// The first business date with entries; the last is `first_day + days - 1`.
    first_day: NaiveDate,
}

impl Plan {
    fn last_day(&self) -> NaiveDate {
        self.first_day + Days::new(u64::from(self.days) - 1)
    }
}

/// A JSON answer's `data`, after checking the status.
pub(crate) async fn data(response: reqwest::Response) -> anyhow::Result<Value> {
    let status = response.status();
    let body: Value = response.json().await?;
    anyhow::ensure!(status.is_success(), "HQ answered {status}: {body}");
    Ok(body["data"].clone())
}

/// The URL of database `name` on the server of `admin_url`.
pub(crate) fn database_url(admin_url: &str, name: &str) -> anyhow::Result<String> {
    let mut url = reqwest::Url::parse(admin_url).context("--admin-url")?;
    url.set_path(&format!("/{name}"));
    Ok(url.to_string())
}

/// The benchmark database's name is put into SQL text: letters, digits and `_` only.
pub(crate) fn check_name(name: &str) -> anyhow::Result<()> {
    anyhow::ensure!(
        !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
        "--database must be lower-case letters, digits and _"
    );
    Ok(())
}

pub(crate) async fn admin_sql(admin: &PgPool, sql: String) -> anyhow::Result<()> {
    sqlx::query(sqlx::AssertSqlSafe(sql)).execute(admin).await?;
    Ok(())
}

/// One branch's entries on the fresh database `db` (for `kh-bench export`): `days` business
/// dates ending today, `per_day` entries a day (1 in 100 voided), seeded as this bench seeds its
/// store (totals by the push's rule, checked against a real push first).
pub(crate) async fn seed_one_branch(db: &str, days: u32, per_day: u32) -> anyhow::Result<()> {
    anyhow::ensure!(days > 0 && per_day > 0, "an empty seed");
    let calendar = BusinessCalendar::from_name(TIMEZONE)?;
    let today = calendar.date_of(Utc::now());
    let plan = Plan {
        branches: 1,
        days,
        per_day,
        first_day: today - Days::new(u64::from(days) - 1),
    };
    seed::seed(db, plan, calendar).await
}

pub async fn run(options: Options) -> anyhow::Result<()> {
    check_name(&options.database)?;
    anyhow::ensure!(
        options.years > 0 && options.per_day > 0 && options.branches > 0,
        "--years, --per-day and --branches must be at least 1"
    );
    let result = seed_and_measure(&options).await;
    if result.is_err() {
        // Seeding takes minutes at full size: a failed run leaves what it made for a look, or
        // for --reuse; the next run without --reuse drops it.
        eprintln!(
            "kh-bench hq failed; the database {} (if made) is left in place.",
            options.database
        );
    }
    result
}

async fn seed_and_measure(options: &Options) -> anyhow::Result<()> {
    let calendar = BusinessCalendar::from_name(TIMEZONE)?;
    let today = calendar.date_of(Utc::now());
    let db = database_url(&options.admin_url, &options.database)?;
    let admin = PgPoolOptions::new()
        .max_connections(1)
        .connect(&options.admin_url)
        .await?;
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(&options.database)
            .fetch_one(&admin)
            .await?;

    let seed_started = Instant::now();
    let plan = if options.reuse {
        anyhow::ensure!(exists, "--reuse: there is no database {}", options.database);
        let plan = seed::stored_plan(&db).await?;
        println!(
            "Measuring the kept database {} ({} branches x {} days x {} a day, from {}).",
            options.database, plan.branches, plan.days, plan.per_day, plan.first_day
        );
        plan
    } else {
        if exists {
            println!("Dropping the earlier database {}.", options.database);
        }
        let name = &options.database;
        admin_sql(
            &admin,
            format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        )
        .await?;
        admin_sql(&admin, format!("CREATE DATABASE {name}")).await?;
        let days = options.years * 365;
        let plan = Plan {
            branches: options.branches,
            days,
            per_day: options.per_day,
            first_day: today - Days::new(u64::from(days) - 1),
        };
        seed::seed(&db, plan, calendar).await?;
        plan
    };
    let seeding = seed_started.elapsed().as_secs_f64();

    let started = Instant::now();
    let server = start_hq(&db).await?;
    let start_secs = started.elapsed().as_secs_f64();
    let result = measure(options, &db, &server, plan, calendar, today).await;
    server.shutdown().await?;
    let size: i64 = sqlx::query_scalar("SELECT pg_database_size($1)")
        .bind(&options.database)
        .fetch_one(&admin)
        .await?;
    let rows = result?;
    let seeded = if options.reuse {
        "kept from an earlier run".to_owned()
    } else {
        format!("seeded in {seeding:.0} s")
    };
    println!(
        "\n{rows} rows ({} branches x {} business dates x {} a day, 1 in 100 voided), {seeded}; database {:.1} GiB; kh-cloud started on it in {start_secs:.2} s.",
        plan.branches,
        plan.days,
        plan.per_day,
        size as f64 / f64::from(1 << 30)
    );
    if options.keep {
        println!(
            "Kept database {} (measure it again with --reuse; drop it with `DROP DATABASE {}`).",
            options.database, options.database
        );
    } else {
        admin_sql(
            &admin,
            format!("DROP DATABASE {} WITH (FORCE)", options.database),
        )
        .await?;
    }
    admin.close().await;
    Ok(())
}

/// Checks the app against SQL, prints the table and the Chromium figure; returns the rows held.
async fn measure(
    options: &Options,
    db: &str,
    server: &kh_cloud::Running,
    plan: Plan,
    calendar: BusinessCalendar,
    today: NaiveDate,
) -> anyhow::Result<i64> {
    let api = server.api_url();
    let client = reqwest::Client::new();
    let raw = PgPoolOptions::new().max_connections(1).connect(db).await?;
    let rows = seed::verify(&client, &api, &raw).await?;
    let branches = seed::branch_ids(&raw).await?;
    if today > plan.last_day() || today < plan.first_day {
        println!(
            "Note: today ({today}) is outside the seeded dates ({} to {}); this month's figures are partly empty.",
            plan.first_day,
            plan.last_day()
        );
    }

    println!(
        "\n## kh-bench hq ({rows} rows, {} branches, {} to {}; PostgreSQL on this machine)",
        plan.branches,
        plan.first_day,
        plan.last_day()
    );
    let month_start = today.with_day(1).unwrap_or(today);
    let setup = calls::Setup {
        calendar,
        today,
        month_start,
        first_day: plan.first_day,
        branches,
    };
    let timing = calls::Timing {
        runs: options.runs.max(1),
        warmups: options.warmups,
        raw_budget: std::time::Duration::from_secs(options.raw_budget_secs),
    };
    let email = format!("bench-{}@haramain.id", Utc::now().timestamp());
    let password = "bench-console-password";
    let user = client
        .post(format!("{api}/users"))
        .bearer_auth(ADMIN)
        .json(&json!({"email": email, "role": "owner", "password": password}))
        .send()
        .await?;
    data(user).await?;
    calls::run(&client, &api, &raw, &setup, &timing, (&email, password)).await?;

    let balance = seed::cash_position(&client, &api).await?;
    if options.no_browser {
        println!("\nChromium: skipped (--no-browser).");
    } else {
        let base = format!("http://{}", server.addr);
        browser::run(
            &options.ui_dir,
            &base,
            (&email, password),
            options.browser_runs,
            balance,
        )
        .await?;
    }
    raw.close().await;
    Ok(rows)
}
