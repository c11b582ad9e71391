//! `kh-bench cloud`, overlapping scenario: 16 clients of one branch each send 25 pushes of 150
//! rows drawn at random from one pool (originals and voids of some of them), in random order,
//! as branches retrying after lost answers would. Beside it, the same pushes as raw
//! `INSERT … ON CONFLICT DO NOTHING` statements (ids sorted, as a careful loader would,
//! and a deadlock retried). The conflict has no target: two clients inserting the same void
//! at once collide on the one-void-per-original index too, which `ON CONFLICT (id)` does not
//! cover (it then fails with a unique violation).

use std::time::Instant;

use kh_domain::BusinessCalendar;
use sea_orm::sqlx::{self, PgPool};
use serde_json::{Value, json};

use crate::cloud::{branches, median, spawn};

const CLIENTS: usize = 16;
const PUSHES: usize = 25;
const PER_PUSH: usize = 150;
const ORIGINALS: usize = 3_000;
const VOIDS: usize = 300;

fn pool_of_rows() -> Vec<Value> {
    let at = "2025-12-08T03:00:00.000Z";
    let originals: Vec<Value> = (0..ORIGINALS)
        .map(|i| {
            json!({"id": uuid::Uuid::new_v4().to_string(), "type": if i % 3 == 0 { "OUT" } else { "IN" },
                   "amount": 1_000 + i as i64, "category": "Penjualan", "description": "bench",
                   "occurred_at": at, "created_at": at})
        })
        .collect();
    let voids: Vec<Value> = originals[..VOIDS]
        .iter()
        .map(|o| {
            json!({"id": uuid::Uuid::new_v4().to_string(),
                   "type": if o["type"] == "IN" { "OUT" } else { "IN" },
                   "amount": o["amount"], "category": "Penjualan", "description": "salah ketik",
                   "occurred_at": at, "created_at": "2025-12-08T04:00:00.000Z",
                   "reverses_id": o["id"]})
        })
        .collect();
    originals.into_iter().chain(voids).collect()
}

/// `PUSHES` random selections of `PER_PUSH` rows for each client.
fn pushes(rows: &[Value]) -> Vec<Vec<Vec<Value>>> {
    (0..CLIENTS)
        .map(|_| {
            (0..PUSHES)
                .map(|_| {
                    let mut keyed: Vec<(uuid::Uuid, &Value)> =
                        rows.iter().map(|r| (uuid::Uuid::new_v4(), r)).collect();
                    keyed.sort_by_key(|(k, _)| *k);
                    keyed
                        .into_iter()
                        .take(PER_PUSH)
                        .map(|(_, r)| r.clone())
                        .collect()
                })
                .collect()
        })
        .collect()
}

/// What one side of the scenario did.
struct Outcome {
    elapsed: f64,
    ok: usize,
    unavailable: usize,
    latencies_ms: Vec<f64>,
}

async fn ours(api: &str, key: &str, work: Vec<Vec<Vec<Value>>>) -> anyhow::Result<Outcome> {
    let client = reqwest::Client::new();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for batches in work {
        let (client, key, url) = (client.clone(), key.to_owned(), format!("{api}/sync/push"));
        tasks.push(tokio::spawn(async move {
            let mut answers = Vec::new();
            for body in batches {
                let t = Instant::now();
                let r = client
                    .post(&url)
                    .bearer_auth(&key)
                    .json(&body)
                    .send()
                    .await?;
                answers.push((r.status().as_u16(), t.elapsed().as_secs_f64() * 1e3));
            }
            Ok::<_, anyhow::Error>(answers)
        }));
    }
    let mut out = Outcome {
        elapsed: 0.0,
        ok: 0,
        unavailable: 0,
        latencies_ms: Vec::new(),
    };
    for t in tasks {
        for (status, ms) in t.await?? {
            match status {
                200 => out.ok += 1,
                503 => out.unavailable += 1,
                other => anyhow::bail!("push answered {other}"),
            }
            out.latencies_ms.push(ms);
        }
    }
    out.elapsed = started.elapsed().as_secs_f64();
    Ok(out)
}

async fn raw(
    pool: &PgPool,
    branch: uuid::Uuid,
    work: Vec<Vec<Vec<Value>>>,
) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let mut tasks = Vec::new();
    for batches in work {
        let pool = pool.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            for mut body in batches {
                // Originals first, then voids (a void references its original), each by id.
                body.sort_by_key(|r| {
                    (
                        r.get("reverses_id").is_some(),
                        r["id"].as_str().unwrap_or_default().to_owned(),
                    )
                });
                let t = Instant::now();
                loop {
                    match insert(&pool, branch, &body).await {
                        Ok(()) => break,
                        Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("40P01") => {}
                        // A void whose original another connection has not committed yet.
                        Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("23503") => {
                            body.retain(|r| r.get("reverses_id").is_none());
                        }
                        Err(e) => return Err(e.into()),
                    }
                }
                latencies.push(t.elapsed().as_secs_f64() * 1e3);
            }
            Ok::<_, anyhow::Error>(latencies)
        }));
    }
    let mut out = Outcome {
        elapsed: 0.0,
        ok: 0,
        unavailable: 0,
        latencies_ms: Vec::new(),
    };
    for t in tasks {
        let latencies = t.await??;
        out.ok += latencies.len();
        out.latencies_ms.extend(latencies);
    }
    out.elapsed = started.elapsed().as_secs_f64();
    Ok(out)
}

async fn insert(pool: &PgPool, branch: uuid::Uuid, rows: &[Value]) -> Result<(), sqlx::Error> {
    let tuples: Vec<String> = (0..rows.len())
        .map(|i| {
            let b = i * 10;
            format!(
                "(${},${},${},${},${},${},${},${},${},${})",
                b + 1,
                b + 2,
                b + 3,
                b + 4,
                b + 5,
                b + 6,
                b + 7,
                b + 8,
                b + 9,
                b + 10
            )
        })
        .collect();
    let sql = format!(
        "INSERT INTO transactions (id, branch_id, type, category, amount, description, occurred_at, created_at, reverses_id, received_at) \
         VALUES {} ON CONFLICT DO NOTHING",
        tuples.join(",")
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
    let at = kh_domain::chrono::Utc::now();
    for r in rows {
        let id = uuid::Uuid::parse_str(r["id"].as_str().unwrap_or_default()).unwrap_or_default();
        let reverses = r["reverses_id"]
            .as_str()
            .and_then(|s| uuid::Uuid::parse_str(s).ok());
        q = q
            .bind(id)
            .bind(branch)
            .bind(r["type"].as_str().unwrap_or_default().to_owned())
            .bind("Penjualan")
            .bind(r["amount"].as_i64().unwrap_or(1))
            .bind(r["description"].as_str().unwrap_or_default().to_owned())
            .bind(at)
            .bind(at)
            .bind(reverses)
            .bind(at);
    }
    q.execute(pool).await.map(|_| ())
}

pub(crate) async fn run(admin_url: &str, calendar: BusinessCalendar) -> anyhow::Result<()> {
    let rows = pool_of_rows();
    let work = pushes(&rows);

    let api_db = kh_adapters_postgres::create_test_database(admin_url).await?;
    let server = spawn(&api_db).await?;
    let store = kh_adapters_postgres::connect(&api_db, calendar, 2)?;
    let (_, keys) = branches(&store, 1).await?;
    store.close().await;
    let mut ours = ours(&server.api_url(), &keys[0], work.clone()).await?;
    server.shutdown().await?;

    let raw_db = kh_adapters_postgres::create_test_database(admin_url).await?;
    let raw_store = kh_adapters_postgres::connect(&raw_db, calendar, 2)?;
    raw_store.migrate().await.map_err(|e| anyhow::anyhow!(e))?;
    let (ids, _) = branches(&raw_store, 1).await?;
    raw_store.close().await;
    let pool = crate::cloud::raw_pool(&raw_db, 16).await?;
    let mut theirs = raw(&pool, ids[0].as_uuid(), work).await?;
    pool.close().await;

    let total = (CLIENTS * PUSHES) as f64;
    println!(
        "\n### Overlapping pushes: {CLIENTS} clients x {PUSHES} pushes of {PER_PUSH} rows drawn at random from {} rows ({VOIDS} of them voids)\n",
        ORIGINALS + VOIDS
    );
    println!("| side | answered 200 | answered 503 | pushes/s | p50 latency | ratio (pushes/s) |");
    println!("|---|---|---|---|---|---|");
    println!(
        "| kh-cloud POST /sync/push | {} | {} | {:.0} | {:.1} ms | {:.2} |",
        ours.ok,
        ours.unavailable,
        total / ours.elapsed,
        median(&mut ours.latencies_ms),
        theirs.elapsed / ours.elapsed
    );
    println!(
        "| raw INSERT … ON CONFLICT DO NOTHING (ids sorted) | {} | 0 | {:.0} | {:.1} ms | 1.00 |",
        theirs.ok,
        total / theirs.elapsed,
        median(&mut theirs.latencies_ms)
    );
    Ok(())
}
