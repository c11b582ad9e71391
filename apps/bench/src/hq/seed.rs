//! The seeded HQ: branches made through the admin API, then years of entries written straight
//! into `transactions` with the columns a push writes (`seq` from HQ's sequence, the device,
//! the payment channel), voids as pushes store them, and `daily_totals` summed from the rows by
//! the rule a push applies. A few hundred rows pushed through the real API first are the
//! yardstick: the totals this file's SQL computes for them must equal what the push stored.

use std::time::Instant;

use kh_domain::chrono::{DateTime, Days, Duration, SecondsFormat, Utc};
use kh_domain::{BusinessCalendar, Category, DEFAULT_CHANNELS};
use sea_orm::sqlx::{self, Connection, PgConnection, PgPool, Row};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{Plan, TIMEZONE, data};
use crate::cloud::ADMIN;
use crate::drain::start_hq;

const IN_CATEGORIES: [&str; 3] = ["Penjualan", "Penjualan", "Pesanan Katering"];
const OUT_CATEGORIES: [&str; 3] = ["Bahan Baku", "Operasional", "Gaji"];

/// Business dates per INSERT statement (one progress line each).
const DAYS_PER_STATEMENT: u32 = 30;

/// One statement's entries: rows `$2 .. $3` of the whole seed, numbered day by day, within a
/// day entry by entry, within an entry branch by branch, so rows are stored in the order HQ
/// receives them (every branch's day interleaved, as their pushes arrive). Entry `e` of a
/// branch (its `e`-th since the first day) is voided when `e % 100 = 99`: the void follows its
/// original, mirrors it (opposite type; same amount, category, time and channel) and names it
/// in `reverses_id`. `seq` takes the column's default, HQ's sequence, in insertion order.
const INSERT_ENTRIES: &str = r#"
INSERT INTO transactions (id, branch_id, type, category, amount, description, occurred_at,
                          created_at, reverses_id, received_at, device_id, channel_id, channel_name)
SELECT CASE WHEN v.is_void THEN md5('void-' || z.b || '-' || z.e)::uuid ELSE z.oid END,
       z.branch,
       CASE WHEN v.is_void = z.is_out THEN 'IN' ELSE 'OUT' END,
       z.category, z.amount, 'nota ' || (z.e % 10000), z.at,
       z.at + CASE WHEN v.is_void THEN interval '1 hour' ELSE interval '30 seconds' END,
       CASE WHEN v.is_void THEN z.oid END,
       z.at + CASE WHEN v.is_void THEN interval '65 minutes' ELSE interval '5 minutes' END,
       md5(z.branch::text || '-pc-' || (z.i % 2))::uuid,
       $8[z.c + 1], $9[z.c + 1]
FROM (
  SELECT y.*,
         CASE WHEN y.is_out THEN 1000 + ((y.e * 7919 + y.b * 31) % 300) * 500
              ELSE 5000 + ((y.e * 104729 + y.b * 7) % 400) * 1000 END AS amount,
         CASE WHEN y.is_out THEN $7[1 + ((y.e / 3 + y.b) % cardinality($7))::int]
              ELSE $6[1 + ((y.e / 3 + y.b) % cardinality($6))::int] END AS category,
         CASE WHEN (y.e + y.b) % 10 < 6 THEN 0 WHEN (y.e + y.b) % 10 < 8 THEN 1
              WHEN (y.e + y.b) % 10 = 8 THEN 2 ELSE 3 END AS c,
         ((($1::date + y.day) + time '07:00') AT TIME ZONE $10)
           + (y.i * (50400 / $4) + y.b) * interval '1 second' AS at
  FROM (
    SELECT x.*, br.ids[x.b + 1] AS branch,
           x.day::bigint * $4 + x.i AS e,
           md5('entry-' || x.b || '-' || (x.day::bigint * $4 + x.i))::uuid AS oid,
           ((x.day::bigint * $4 + x.i) * 7 + x.b) % 3 = 0 AS is_out
    FROM (SELECT g, (g / ($4 * $5))::int AS day, ((g % ($4 * $5)) / $5)::int AS i,
                 (g % $5)::int AS b
          FROM generate_series($2::bigint, $3::bigint - 1) g) x
    CROSS JOIN (SELECT array_agg(id ORDER BY code) AS ids FROM branches) br
  ) y
) z
CROSS JOIN (VALUES (false), (true)) v (is_void)
WHERE NOT v.is_void OR z.e % 100 = 99
ORDER BY z.g, v.is_void
"#;

/// The per-day totals of the rows matching `$cond`, by the push's rule: a row that is a void
/// or has one counts in the voided figures of its own type at its own business date, every
/// other row in the live ones. `$1` is the time zone.
macro_rules! totals_of {
    ($cond:literal) => {
        concat!(
            "SELECT t.branch_id, (t.occurred_at AT TIME ZONE $1)::date AS business_date, \
             COALESCE(SUM(t.amount) FILTER (WHERE t.type = 'IN' AND NOT t.c), 0) AS total_in, \
             COALESCE(SUM(t.amount) FILTER (WHERE t.type = 'OUT' AND NOT t.c), 0) AS total_out, \
             COUNT(*) FILTER (WHERE t.type = 'IN' AND NOT t.c) AS count_in, \
             COUNT(*) FILTER (WHERE t.type = 'OUT' AND NOT t.c) AS count_out, \
             COALESCE(SUM(t.amount) FILTER (WHERE t.type = 'IN' AND t.c), 0) AS voided_in, \
             COALESCE(SUM(t.amount) FILTER (WHERE t.type = 'OUT' AND t.c), 0) AS voided_out, \
             COUNT(*) FILTER (WHERE t.type = 'IN' AND t.c) AS voided_count_in, \
             COUNT(*) FILTER (WHERE t.type = 'OUT' AND t.c) AS voided_count_out \
             FROM (SELECT t.branch_id, t.occurred_at, t.type, t.amount, \
                          (t.reverses_id IS NOT NULL OR v.reverses_id IS NOT NULL) AS c \
                   FROM transactions t LEFT JOIN transactions v ON v.reverses_id = t.id \
                   WHERE ",
            $cond,
            ") t GROUP BY 1, 2"
        )
    };
}

/// Rows whose totals and the stored ones differ, for the pushed yardstick rows (before `$2`).
const YARDSTICK_DIFFERENCES: &str = concat!(
    "WITH mine AS (",
    totals_of!("t.occurred_at < $2"),
    "), stored AS (SELECT branch_id, business_date, total_in, total_out, count_in, count_out, \
     voided_in, voided_out, voided_count_in, voided_count_out FROM daily_totals \
     WHERE business_date < $3) \
     SELECT (SELECT COUNT(*) FROM stored), \
            (SELECT COUNT(*) FROM ((SELECT * FROM mine EXCEPT SELECT * FROM stored) \
                                   UNION ALL (SELECT * FROM stored EXCEPT SELECT * FROM mine)) d)"
);

/// The seeded rows' totals (from `$2` on).
const INSERT_TOTALS: &str = concat!(
    "INSERT INTO daily_totals (branch_id, business_date, total_in, total_out, count_in, count_out, \
     voided_in, voided_out, voided_count_in, voided_count_out) ",
    totals_of!("t.occurred_at >= $2")
);

/// The plan an earlier run stored with the data (for `--reuse`).
pub(super) async fn stored_plan(db: &str) -> anyhow::Result<Plan> {
    let mut conn = PgConnection::connect(db).await?;
    let row = sqlx::query("SELECT branches, days, per_day, first_day FROM kh_bench_seed")
        .fetch_one(&mut conn)
        .await
        .map_err(|e| anyhow::anyhow!("not a database kh-bench hq seeded: {e}"))?;
    let plan = Plan {
        branches: usize::try_from(row.try_get::<i32, _>(0)?)?,
        days: u32::try_from(row.try_get::<i32, _>(1)?)?,
        per_day: u32::try_from(row.try_get::<i32, _>(2)?)?,
        first_day: row.try_get(3)?,
    };
    conn.close().await?;
    Ok(plan)
}

/// Every branch's id, in code order.
pub(super) async fn branch_ids(pool: &PgPool) -> anyhow::Result<Vec<Uuid>> {
    Ok(sqlx::query_scalar("SELECT id FROM branches ORDER BY code")
        .fetch_all(pool)
        .await?)
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The yardstick: two days before the seeded ones, 150 entries a day of one branch, every
/// tenth voided; the first day's voids travel with their originals, the second day's in a
/// later push (the two ways a push stores a void).
async fn push_yardstick(
    client: &reqwest::Client,
    api: &str,
    key: &str,
    plan: Plan,
    calendar: BusinessCalendar,
) -> anyhow::Result<()> {
    let device = Uuid::new_v4().to_string();
    let (mut first, mut later) = (Vec::new(), Vec::new());
    for back in [2_u64, 1] {
        let day = plan.first_day - Days::new(back);
        for n in 0..150_i64 {
            let at = calendar.start_of(day) + Duration::hours(8) + Duration::minutes(n * 4);
            let out = n % 3 == 0;
            let (channel_id, channel_name, _) = DEFAULT_CHANNELS[(n % 4) as usize];
            let id = Uuid::new_v4();
            let category = if out {
                OUT_CATEGORIES[(n / 3 % 3) as usize]
            } else {
                IN_CATEGORIES[(n % 3) as usize]
            };
            let row = json!({"id": id.to_string(), "type": if out { "OUT" } else { "IN" },
                "amount": 1_000 + n * 2_500, "category": category, "description": "yardstick",
                "occurred_at": rfc3339(at), "created_at": rfc3339(at),
                "channel_id": Uuid::from_u128(channel_id).to_string(), "channel_name": channel_name});
            first.push(row.clone());
            if n % 10 == 9 {
                let mut void = row;
                void["id"] = json!(Uuid::new_v4().to_string());
                void["type"] = json!(if out { "IN" } else { "OUT" });
                void["created_at"] = json!(rfc3339(at + Duration::hours(1)));
                void["reverses_id"] = json!(id.to_string());
                (if back == 2 { &mut first } else { &mut later }).push(void);
            }
        }
    }
    for rows in [first, later] {
        let sent = rows.len();
        let answer = client
            .post(format!("{api}/sync/push"))
            .bearer_auth(key)
            .header("X-KH-Device", &device)
            .json(&Value::Array(rows))
            .send()
            .await?;
        let result = data(answer).await?;
        let accepted = result["accepted"].as_array().map_or(0, Vec::len);
        anyhow::ensure!(
            accepted == sent,
            "the yardstick push stored {accepted} of {sent} rows: {result}"
        );
    }
    Ok(())
}

/// Makes the branches (through the admin API) and the yardstick rows on a fresh HQ, then
/// writes the entries and their totals in SQL, and `VACUUM ANALYZE`.
pub(super) async fn seed(db: &str, plan: Plan, calendar: BusinessCalendar) -> anyhow::Result<()> {
    let server = start_hq(db).await?;
    let api = server.api_url();
    let client = reqwest::Client::new();
    let mut keys = Vec::new();
    for i in 1..=plan.branches {
        let made = client
            .post(format!("{api}/branches"))
            .bearer_auth(ADMIN)
            .json(&json!({"code": format!("B-{i:02}"), "name": format!("Cabang {i:02}")}))
            .send()
            .await?;
        let branch = data(made).await?;
        keys.push(branch["api_key"].as_str().unwrap_or_default().to_owned());
    }
    push_yardstick(&client, &api, &keys[0], plan, calendar).await?;
    server.shutdown().await?;

    let mut conn = PgConnection::connect(db).await?;
    // A bulk load: nothing is lost if the machine stops half-way, and the totals' GROUP BY
    // and the void look-ups fit in memory.
    sqlx::query("SET synchronous_commit = off")
        .execute(&mut conn)
        .await?;
    sqlx::query("SET work_mem = '256MB'")
        .execute(&mut conn)
        .await?;
    let start = calendar.start_of(plan.first_day);
    let row = sqlx::query(YARDSTICK_DIFFERENCES)
        .bind(TIMEZONE)
        .bind(start)
        .bind(plan.first_day)
        .fetch_one(&mut conn)
        .await?;
    let (days, differ): (i64, i64) = (row.try_get(0)?, row.try_get(1)?);
    anyhow::ensure!(
        days == 2 && differ == 0,
        "the seed's totals rule disagrees with a real push: {differ} of {days} per-day rows differ"
    );
    println!(
        "Pushed the yardstick rows through /sync/push: the seed's totals rule gives the same per-day totals."
    );

    insert_entries(&mut conn, plan).await?;
    let started = Instant::now();
    for (name, list) in [("IN", IN_CATEGORIES), ("OUT", OUT_CATEGORIES)] {
        for spelling in list {
            let key = Category::parse(spelling)
                .map_err(|e| anyhow::anyhow!("{name} category {spelling}: {e}"))?
                .key();
            sqlx::query(
                "INSERT INTO category_spellings (spelling, key) VALUES ($1, $2) ON CONFLICT (spelling) DO NOTHING",
            )
            .bind(spelling)
            .bind(key)
            .execute(&mut conn)
            .await?;
        }
    }
    sqlx::query(
        "INSERT INTO devices (branch_id, id, first_seen_at, last_seen_at) \
         SELECT b.id, md5(b.id::text || '-pc-' || k)::uuid, $1, date_trunc('milliseconds', now()) \
         FROM branches b CROSS JOIN generate_series(0, 1) k \
         ON CONFLICT (branch_id, id) DO UPDATE SET last_seen_at = excluded.last_seen_at",
    )
    .bind(start)
    .execute(&mut conn)
    .await?;
    sqlx::query("UPDATE branches SET last_seen_at = date_trunc('milliseconds', now())")
        .execute(&mut conn)
        .await?;
    sqlx::query(INSERT_TOTALS)
        .bind(TIMEZONE)
        .bind(start)
        .execute(&mut conn)
        .await?;
    println!(
        "Per-day totals summed from the rows in {:.0} s.",
        started.elapsed().as_secs_f64()
    );
    let zone: Option<String> =
        sqlx::query_scalar("SELECT value FROM hq_meta WHERE key = 'aggregates_timezone'")
            .fetch_optional(&mut conn)
            .await?;
    anyhow::ensure!(
        zone.as_deref() == Some(TIMEZONE),
        "HQ's totals are marked for {zone:?}: kh-cloud would rebuild them at start"
    );
    sqlx::query(
        "CREATE TABLE kh_bench_seed AS SELECT $1::int AS branches, $2::int AS days, \
         $3::int AS per_day, $4::date AS first_day",
    )
    .bind(i32::try_from(plan.branches)?)
    .bind(i32::try_from(plan.days)?)
    .bind(i32::try_from(plan.per_day)?)
    .bind(plan.first_day)
    .execute(&mut conn)
    .await?;
    let started = Instant::now();
    sqlx::query("VACUUM ANALYZE").execute(&mut conn).await?;
    println!(
        "VACUUM ANALYZE in {:.0} s.",
        started.elapsed().as_secs_f64()
    );
    conn.close().await?;
    Ok(())
}

async fn insert_entries(conn: &mut PgConnection, plan: Plan) -> anyhow::Result<()> {
    let per_day = i64::from(plan.per_day) * i64::try_from(plan.branches)?;
    let total = per_day * i64::from(plan.days);
    let channels: Vec<Uuid> = DEFAULT_CHANNELS
        .iter()
        .map(|c| Uuid::from_u128(c.0))
        .collect();
    let names: Vec<String> = DEFAULT_CHANNELS.iter().map(|c| c.1.to_owned()).collect();
    anyhow::ensure!(
        channels.len() >= 4,
        "the seed spreads entries over 4 channels"
    );
    let started = Instant::now();
    let mut day = 0;
    while day < plan.days {
        let until = (day + DAYS_PER_STATEMENT).min(plan.days);
        sqlx::query(INSERT_ENTRIES)
            .bind(plan.first_day)
            .bind(i64::from(day) * per_day)
            .bind(i64::from(until) * per_day)
            .bind(i32::try_from(plan.per_day)?)
            .bind(i32::try_from(plan.branches)?)
            .bind(IN_CATEGORIES.to_vec())
            .bind(OUT_CATEGORIES.to_vec())
            .bind(&channels)
            .bind(&names)
            .bind(TIMEZONE)
            .execute(&mut *conn)
            .await?;
        day = until;
        let done = i64::from(day) * per_day;
        let secs = started.elapsed().as_secs_f64();
        println!(
            "  entries of {day} of {} days: {done} of {total} ({:.0}%), {secs:.0} s, {:.0} entries/s",
            plan.days,
            done as f64 * 100.0 / total as f64,
            done as f64 / secs
        );
    }
    Ok(())
}

/// Checks `GET /reports/summary` (all time) against the same sums over the raw table, branch
/// by branch; returns the rows stored.
pub(super) async fn verify(
    client: &reqwest::Client,
    api: &str,
    pool: &PgPool,
) -> anyhow::Result<i64> {
    let started = Instant::now();
    let summary = data(
        client
            .get(format!("{api}/reports/summary"))
            .bearer_auth(ADMIN)
            .send()
            .await?,
    )
    .await?;
    let mut tx = pool.begin().await?;
    sqlx::query("SET LOCAL work_mem = '256MB'")
        .execute(&mut *tx)
        .await?;
    let rows = sqlx::query(
        "SELECT t.branch_id::text, \
         COALESCE(SUM(t.amount) FILTER (WHERE t.type = 'IN' AND NOT t.c), 0)::bigint, \
         COALESCE(SUM(t.amount) FILTER (WHERE t.type = 'OUT' AND NOT t.c), 0)::bigint, \
         COUNT(*) FILTER (WHERE NOT t.c), COUNT(*) FILTER (WHERE t.c), \
         COALESCE(SUM(t.amount) FILTER (WHERE t.c), 0)::bigint \
         FROM (SELECT t.branch_id, t.type, t.amount, \
                      (t.reverses_id IS NOT NULL OR v.reverses_id IS NOT NULL) AS c \
               FROM transactions t LEFT JOIN transactions v ON v.reverses_id = t.id) t \
         GROUP BY t.branch_id",
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let lines = summary["branches"].as_array().cloned().unwrap_or_default();
    let mut stored = 0;
    let fields = [
        "total_in",
        "total_out",
        "transaction_count",
        "voided_count",
        "voided_total",
    ];
    for row in &rows {
        let id: String = row.try_get(0)?;
        let line = lines
            .iter()
            .find(|l| l["branch_id"].as_str() == Some(id.as_str()))
            .ok_or_else(|| anyhow::anyhow!("branch {id} is missing from /reports/summary"))?;
        for (i, field) in fields.iter().enumerate() {
            let sql: i64 = row.try_get(i + 1)?;
            anyhow::ensure!(
                line[field].as_i64() == Some(sql),
                "branch {id}: /reports/summary says {field} = {}, SQL over the table says {sql}",
                line[field]
            );
        }
        stored += row.try_get::<i64, _>(4)? + row.try_get::<i64, _>(3)?;
    }
    anyhow::ensure!(
        lines.len() == rows.len(),
        "/reports/summary has {} branches, the table {}",
        lines.len(),
        rows.len()
    );
    println!(
        "Checked: /reports/summary equals SUM/COUNT over the raw table for each of the {} branches ({stored} rows; {:.0} s).",
        rows.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(stored)
}

/// The business's cash position as HQ reports it.
pub(super) async fn cash_position(client: &reqwest::Client, api: &str) -> anyhow::Result<i64> {
    let summary = data(
        client
            .get(format!("{api}/reports/summary"))
            .bearer_auth(ADMIN)
            .send()
            .await?,
    )
    .await?;
    summary["total"]["balance"]
        .as_i64()
        .ok_or_else(|| anyhow::anyhow!("/reports/summary without a balance"))
}
