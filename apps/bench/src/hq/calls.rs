//! The console's calls, timed over HTTP against kh-cloud, each beside the same question asked
//! of PostgreSQL directly over the raw `transactions` table (one sqlx connection, prepared
//! statements, as the app's pool uses), in the same run, alternating which goes first.

use std::time::{Duration, Instant};

use kh_domain::BusinessCalendar;
use kh_domain::chrono::{DateTime, Days, NaiveDate, Utc};
use sea_orm::sqlx::{self, PgPool};
use serde_json::json;
use uuid::Uuid;

use super::data;
use crate::cloud::ADMIN;
use crate::stats::{Samples, ms};

/// Per-branch sums of a period, without setting voids apart (so a little less work than the
/// report, which keeps voided rows out of the figures).
const RAW_SUMMARY_ALL: &str = "SELECT branch_id, SUM(amount) FILTER (WHERE type = 'IN'), \
     SUM(amount) FILTER (WHERE type = 'OUT'), COUNT(*) FROM transactions GROUP BY branch_id";
const RAW_SUMMARY_RANGE: &str = "SELECT branch_id, SUM(amount) FILTER (WHERE type = 'IN'), \
     SUM(amount) FILTER (WHERE type = 'OUT'), COUNT(*) FROM transactions \
     WHERE occurred_at >= $1 AND occurred_at < $2 GROUP BY branch_id";
/// Per-day sums (no opening balance, which the report adds from every earlier day).
const RAW_DAILY_ALL: &str = "SELECT (occurred_at AT TIME ZONE 'Asia/Jakarta')::date AS day, \
     SUM(amount) FILTER (WHERE type = 'IN'), SUM(amount) FILTER (WHERE type = 'OUT'), COUNT(*) \
     FROM transactions GROUP BY 1 ORDER BY 1";
const RAW_DAILY_RANGE: &str = "SELECT (occurred_at AT TIME ZONE 'Asia/Jakarta')::date AS day, \
     SUM(amount) FILTER (WHERE type = 'IN'), SUM(amount) FILTER (WHERE type = 'OUT'), COUNT(*) \
     FROM transactions WHERE occurred_at >= $1 AND occurred_at < $2 GROUP BY 1 ORDER BY 1";
const RAW_BRANCH_DAILY_ALL: &str = "SELECT (occurred_at AT TIME ZONE 'Asia/Jakarta')::date AS day, \
     SUM(amount) FILTER (WHERE type = 'IN'), SUM(amount) FILTER (WHERE type = 'OUT'), COUNT(*) \
     FROM transactions WHERE branch_id = $1 GROUP BY 1 ORDER BY 1";
const RAW_BRANCH_DAILY_RANGE: &str = "SELECT (occurred_at AT TIME ZONE 'Asia/Jakarta')::date AS day, \
     SUM(amount) FILTER (WHERE type = 'IN'), SUM(amount) FILTER (WHERE type = 'OUT'), COUNT(*) \
     FROM transactions WHERE branch_id = $1 AND occurred_at >= $2 AND occurred_at < $3 \
     GROUP BY 1 ORDER BY 1";
const RAW_BRANCHES: &str = "SELECT b.id, b.code, b.name, b.created_at, b.disabled_at, \
     b.last_seen_at, d.id, d.first_seen_at, d.last_seen_at FROM branches b \
     LEFT JOIN devices d ON d.branch_id = b.id ORDER BY b.code, d.first_seen_at";
/// The first page of one branch's day, and how many rows the day holds.
const RAW_PAGE: &str = "SELECT id, branch_id, type, category, amount, description, occurred_at, \
     created_at, reverses_id, channel_id, channel_name, received_at FROM transactions \
     WHERE branch_id = $1 AND occurred_at >= $2 AND occurred_at < $3 \
     ORDER BY occurred_at DESC, created_at DESC, id DESC LIMIT 20";
const RAW_COUNT: &str = "SELECT COUNT(*) FROM transactions \
     WHERE branch_id = $1 AND occurred_at >= $2 AND occurred_at < $3";

/// What the calls are about.
pub(super) struct Setup {
    pub calendar: BusinessCalendar,
    pub today: NaiveDate,
    pub month_start: NaiveDate,
    pub first_day: NaiveDate,
    pub branches: Vec<Uuid>,
}

/// How often each call runs.
pub(super) struct Timing {
    pub runs: usize,
    pub warmups: usize,
    pub raw_budget: Duration,
}

#[derive(Debug, Clone, Copy)]
enum Bind {
    At(DateTime<Utc>),
    Id(Uuid),
}

/// One raw statement with its parameters.
struct Raw {
    sql: &'static str,
    binds: Vec<Bind>,
}

/// One row of the table: the console's request (one per repetition, cycled) and the raw
/// statements asking the same (none when there is no such question for the table).
struct Call {
    label: String,
    paths: Vec<String>,
    raw: Vec<Vec<Raw>>,
    target: &'static str,
}

impl Call {
    fn fixed(label: &str, path: String, raw: Vec<Raw>, target: &'static str) -> Self {
        Self {
            label: label.to_owned(),
            paths: vec![path],
            raw: if raw.is_empty() { vec![] } else { vec![raw] },
            target,
        }
    }
}

async fn time_get(client: &reqwest::Client, url: &str) -> anyhow::Result<Duration> {
    let started = Instant::now();
    let r = client.get(url).bearer_auth(ADMIN).send().await?;
    anyhow::ensure!(r.status().is_success(), "{url} answered {}", r.status());
    r.bytes().await?;
    Ok(started.elapsed())
}

async fn time_raw(pool: &PgPool, statements: &[Raw]) -> anyhow::Result<Duration> {
    let started = Instant::now();
    for s in statements {
        let mut q = sqlx::query(s.sql);
        for b in &s.binds {
            q = match *b {
                Bind::At(t) => q.bind(t),
                Bind::Id(id) => q.bind(id),
            };
        }
        q.fetch_all(pool).await?;
    }
    Ok(started.elapsed())
}

/// Times a call `warmups + runs` times, its raw question beside it (alternating which goes
/// first) until the raw side has used its budget and has at least 5 timed runs.
async fn measure(
    client: &reqwest::Client,
    api: &str,
    pool: &PgPool,
    call: &Call,
    t: &Timing,
) -> anyhow::Result<(Samples, Samples)> {
    let (mut ours, mut raw) = (Samples::default(), Samples::default());
    let mut raw_spent = Duration::ZERO;
    for k in 0..t.warmups + t.runs {
        let timed = k >= t.warmups;
        let url = format!("{api}{}", call.paths[k % call.paths.len()]);
        let raw_due = !call.raw.is_empty()
            && if timed {
                raw_spent < t.raw_budget || raw.latencies.len() < 5
            } else {
                raw_spent < t.raw_budget / 10
            };
        let statements = call.raw.get(k % call.raw.len().max(1));
        let (o, r) = if k % 2 == 0 {
            let o = time_get(client, &url).await?;
            let r = match (raw_due, statements) {
                (true, Some(s)) => Some(time_raw(pool, s).await?),
                _ => None,
            };
            (o, r)
        } else {
            let r = match (raw_due, statements) {
                (true, Some(s)) => Some(time_raw(pool, s).await?),
                _ => None,
            };
            (time_get(client, &url).await?, r)
        };
        if let Some(r) = r {
            raw_spent += r;
            if timed {
                raw.latencies.push(r);
            }
        }
        if timed {
            ours.latencies.push(o);
        }
    }
    Ok((ours, raw))
}

/// Two decimals, as the other tables; four for a ratio far below one, which two would show as
/// 0.00.
fn ratio_text(r: f64) -> String {
    if r < 0.1 {
        format!("{r:.4}")
    } else {
        format!("{r:.2}")
    }
}

fn print_row(call: &Call, ours: &Samples, raw: &Samples, runs: usize) {
    let o50 = ours.percentile(50.0);
    let (raw_text, ratio) = if raw.latencies.is_empty() {
        ("—".to_owned(), "—".to_owned())
    } else {
        let r50 = raw.percentile(50.0);
        let n = raw.latencies.len();
        let runs_note = if n < runs {
            format!(" ({n} runs)")
        } else {
            String::new()
        };
        (
            format!("{} / {}{runs_note}", ms(r50), ms(raw.percentile(95.0))),
            ratio_text(o50.as_secs_f64() / r50.as_secs_f64()),
        )
    };
    println!(
        "| {} | {} / {} | {raw_text} | {ratio} | {} |",
        call.label,
        ms(o50),
        ms(ours.percentile(95.0)),
        call.target
    );
}

/// The calls, in the order the console makes them: the overview (default period: this month;
/// then the whole period), then a branch's page and one day's first page of entries.
fn calls(s: &Setup, n: usize) -> Vec<Call> {
    let bounds = |from: NaiveDate, to: NaiveDate| {
        (
            Bind::At(s.calendar.start_of(from)),
            Bind::At(s.calendar.start_of(to + Days::new(1))),
        )
    };
    let (from, to) = (s.month_start, s.today);
    let (m0, m1) = bounds(from, to);
    let month = format!("from={from}&to={to}");
    let overview = "p50 < 50 ms";
    let nb = s.branches.len();
    let branch_of = |k: usize, step: usize| s.branches[(k * step) % nb];
    let month_days = (s.today - s.month_start).num_days().max(0) as u64 + 1;
    let all_days = (s.today - s.first_day).num_days().max(0) as u64 + 1;
    // A different branch and day each repetition: a day of this month (as reached from the
    // overview's default period), or any day of the years held (period: all).
    let day_this_month = |k: usize| s.today - Days::new(k as u64 % month_days);
    let day_any = |k: usize| s.first_day + Days::new((k as u64 * 373) % all_days);
    let first_page = |label: &str, day: &dyn Fn(usize) -> NaiveDate, step: usize| Call {
        label: label.to_owned(),
        paths: (0..n)
            .map(|k| {
                let d = day(k);
                format!(
                    "/transactions?branch_id={}&from={d}&to={d}&page=1&limit=20",
                    branch_of(k, step)
                )
            })
            .collect(),
        raw: (0..n)
            .map(|k| {
                let (a, b) = bounds(day(k), day(k));
                let id = Bind::Id(branch_of(k, step));
                vec![
                    Raw {
                        sql: RAW_PAGE,
                        binds: vec![id, a, b],
                    },
                    Raw {
                        sql: RAW_COUNT,
                        binds: vec![id, a, b],
                    },
                ]
            })
            .collect(),
        target: "p50 < 20 ms",
    };
    vec![
        Call::fixed(
            "overview: `GET /reports/summary` (all time: cash position)",
            "/reports/summary".into(),
            vec![Raw {
                sql: RAW_SUMMARY_ALL,
                binds: vec![],
            }],
            overview,
        ),
        Call::fixed(
            "overview: `GET /reports/summary?from&to` (this month)",
            format!("/reports/summary?{month}"),
            vec![Raw {
                sql: RAW_SUMMARY_RANGE,
                binds: vec![m0, m1],
            }],
            overview,
        ),
        Call::fixed(
            "overview: `GET /reports/daily?from&to` (this month, all branches)",
            format!("/reports/daily?{month}"),
            vec![Raw {
                sql: RAW_DAILY_RANGE,
                binds: vec![m0, m1],
            }],
            overview,
        ),
        Call::fixed(
            "overview: `GET /branches`",
            "/branches".into(),
            vec![Raw {
                sql: RAW_BRANCHES,
                binds: vec![],
            }],
            overview,
        ),
        Call::fixed(
            "overview: `GET /settings`",
            "/settings".into(),
            vec![],
            overview,
        ),
        Call::fixed(
            "overview, period all: `GET /reports/daily` (every day, all branches)",
            "/reports/daily".into(),
            vec![Raw {
                sql: RAW_DAILY_ALL,
                binds: vec![],
            }],
            overview,
        ),
        Call {
            label: "branch page: `GET /reports/daily?branch_id&from&to` (this month)".into(),
            paths: (0..n)
                .map(|k| format!("/reports/daily?branch_id={}&{month}", branch_of(k, 7)))
                .collect(),
            raw: (0..n)
                .map(|k| {
                    vec![Raw {
                        sql: RAW_BRANCH_DAILY_RANGE,
                        binds: vec![Bind::Id(branch_of(k, 7)), m0, m1],
                    }]
                })
                .collect(),
            target: "",
        },
        Call {
            label: "branch page, period all: `GET /reports/daily?branch_id` (every day)".into(),
            paths: (0..n)
                .map(|k| format!("/reports/daily?branch_id={}", branch_of(k, 7)))
                .collect(),
            raw: (0..n)
                .map(|k| {
                    vec![Raw {
                        sql: RAW_BRANCH_DAILY_ALL,
                        binds: vec![Bind::Id(branch_of(k, 7))],
                    }]
                })
                .collect(),
            target: "",
        },
        Call::fixed("day's entries: `GET /lists`", "/lists".into(), vec![], ""),
        first_page(
            "drill-down first page: `GET /transactions?branch_id&from=day&to=day&page=1&limit=20` (a day this month)",
            &day_this_month,
            11,
        ),
        first_page(
            "drill-down first page, the same (a day anywhere in the years held)",
            &day_any,
            13,
        ),
    ]
}

/// The drill-down's first page holds what the table holds: its `total` is the day's rows and
/// its first entry the newest.
async fn check_first_page(
    client: &reqwest::Client,
    api: &str,
    pool: &PgPool,
    s: &Setup,
) -> anyhow::Result<()> {
    let (branch, day) = (s.branches[0], s.today);
    let page = data(
        client
            .get(format!(
                "{api}/transactions?branch_id={branch}&from={day}&to={day}&page=1&limit=20"
            ))
            .bearer_auth(ADMIN)
            .send()
            .await?,
    )
    .await?;
    let (a, b) = (
        s.calendar.start_of(day),
        s.calendar.start_of(day + Days::new(1)),
    );
    let count: i64 = sqlx::query_scalar(RAW_COUNT)
        .bind(branch)
        .bind(a)
        .bind(b)
        .fetch_one(pool)
        .await?;
    let newest: Option<Uuid> = sqlx::query_scalar(
        "SELECT id FROM transactions WHERE branch_id = $1 AND occurred_at >= $2 \
         AND occurred_at < $3 ORDER BY occurred_at DESC, created_at DESC, id DESC LIMIT 1",
    )
    .bind(branch)
    .bind(a)
    .bind(b)
    .fetch_optional(pool)
    .await?;
    anyhow::ensure!(
        page["total"].as_i64() == Some(count)
            && page["items"][0]["id"].as_str().map(str::to_owned)
                == newest.map(|id| id.to_string()),
        "the first page of {day} (total {}, first {}) differs from the table ({count} rows, newest {newest:?})",
        page["total"],
        page["items"][0]["id"]
    );
    Ok(())
}

/// Sign-in itself (argon2id and a new session), which Chromium's figure includes.
async fn time_login(api: &str, user: (&str, &str), t: &Timing) -> anyhow::Result<Samples> {
    let client = reqwest::Client::new();
    let mut samples = Samples::default();
    for k in 0..t.warmups + t.runs {
        let started = Instant::now();
        let r = client
            .post(format!("{api}/auth/login"))
            .json(&json!({"email": user.0, "password": user.1}))
            .send()
            .await?;
        anyhow::ensure!(r.status().is_success(), "sign-in answered {}", r.status());
        r.bytes().await?;
        if k >= t.warmups {
            samples.latencies.push(started.elapsed());
        }
    }
    Ok(samples)
}

/// Prints the table.
pub(super) async fn run(
    client: &reqwest::Client,
    api: &str,
    pool: &PgPool,
    s: &Setup,
    t: &Timing,
    user: (&str, &str),
) -> anyhow::Result<()> {
    check_first_page(client, api, pool, s).await?;
    println!(
        "\nThis month = {} to {} (the console's default period); p50 / p95 of {} runs after {} warm-ups; ratio = ours ÷ raw (p50).\n",
        s.month_start, s.today, t.runs, t.warmups
    );
    println!(
        "| call (as the console sends it) | Haramain Finance p50 / p95 | raw PostgreSQL p50 / p95 | ratio | target |"
    );
    println!("|---|---|---|---|---|");
    for call in calls(s, t.warmups + t.runs) {
        let (ours, raw) = measure(client, api, pool, &call, t).await?;
        print_row(&call, &ours, &raw, t.runs);
    }
    let login = time_login(api, user, t).await?;
    let call = Call::fixed(
        "sign-in: `POST /auth/login` (argon2id, new session)",
        String::new(),
        vec![],
        "",
    );
    print_row(&call, &login, &Samples::default(), t.runs);
    Ok(())
}
