//! The lock screen's PIN check (issue 16: "PIN check at sign-in under 300 ms on this machine").
//!
//! Two measurements in one run: the argon2id check alone, in-process, at the parameters PINs
//! are hashed with (`kh_ports::services::Strength::Pin`: 64 MiB, 3 passes, 1 lane), and the
//! whole sign-in, `POST /session` over HTTP to an in-process `kh-local` whose branch has staff.
//! A wrong PIN is timed too: it must cost the same argon2 work as a right one.

use std::path::Path;
use std::time::{Duration, Instant};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use clap::Args;
use kh_adapters_sqlite::{BranchStore, SqliteDb, SqliteTarget};
use kh_domain::{BusinessCalendar, Lists, PinHash, StaffId, StaffMember, StaffName, StaffRole};
use kh_ports::BranchLists;
use serde_json::json;

use crate::local::{DB_FILE, start_server};
use crate::stats::{Samples, ms};

/// Options of `kh-bench pin`.
#[derive(Debug, Args)]
pub struct Options {
    /// Timed runs of each measurement.
    #[arg(long, default_value_t = 20)]
    runs: u32,
    /// Untimed runs before them.
    #[arg(long, default_value_t = 2)]
    warmups: u32,
    /// Where to put the branch database (default: a temporary folder).
    #[arg(long)]
    dir: Option<std::path::PathBuf>,
}

/// The PIN the bench's staff sign in with, and one that is wrong for them.
pub(crate) const PIN: &str = "402913";
const WRONG_PIN: &str = "402914";

/// Requests of each kind when timing the session check alone.
const LOOKUPS: u32 = 500;

/// The lock screen's target for the PIN check.
const TARGET: Duration = Duration::from_millis(300);

/// The parameters PINs are hashed with at HQ (`Strength::Pin` in
/// crates/ports/src/services/secret.rs); [`hash_pin`] checks the result's PHC prefix.
fn pin_argon2() -> anyhow::Result<Argon2<'static>> {
    let params = Params::new(64 * 1024, 3, 1, None).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// A PIN's hash as HQ makes it (argon2id, m=64 MiB, t=3, p=1, a fresh 16-byte salt).
pub(crate) fn hash_pin(pin: &str) -> anyhow::Result<PinHash> {
    let salt = SaltString::encode_b64(uuid::Uuid::new_v4().as_bytes())
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let phc = pin_argon2()?
        .hash_password(pin.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .to_string();
    anyhow::ensure!(
        phc.starts_with("$argon2id$v=19$m=65536,t=3,p=1$"),
        "not the production PIN parameters: {phc}"
    );
    Ok(PinHash::new(phc))
}

/// A cashier with the given PIN hash, as HQ sends them.
pub(crate) fn member(name: &str, pin_hash: PinHash) -> anyhow::Result<StaffMember> {
    Ok(StaffMember {
        id: StaffId::from_uuid(uuid::Uuid::new_v4()),
        name: StaffName::parse(name).map_err(|e| anyhow::anyhow!("{e:?}"))?,
        role: StaffRole::Cashier,
        active: true,
        pin_hash,
        version: 1,
    })
}

/// Gives the branch database at `path` (created if missing) these staff, as `GET /sync/config`
/// would: the default categories and channels plus `staff`, at list version 1. Call it before
/// the server opens the file.
pub(crate) async fn give_staff(path: &Path, staff: Vec<StaffMember>) -> anyhow::Result<()> {
    let db = SqliteDb::open_branch(&SqliteTarget::File(path.to_path_buf())).await?;
    let store = BranchStore::new(db, BusinessCalendar::from_name("Asia/Jakarta")?).await?;
    let lists = Lists {
        version: 1,
        staff,
        ..Lists::defaults()
    };
    store.apply_lists(&lists, true).await?;
    store.db().clone().close().await;
    Ok(())
}

/// `POST /session`: answers the HTTP status and, on 201, the token.
pub(crate) async fn sign_in(
    client: &reqwest::Client,
    api: &str,
    staff: StaffId,
    pin: &str,
) -> anyhow::Result<(u16, Option<String>)> {
    let response = client
        .post(format!("{api}/session"))
        .json(&json!({"staff_id": staff.to_string(), "pin": pin}))
        .send()
        .await?;
    let status = response.status().as_u16();
    let body: serde_json::Value = response.json().await?;
    let token = body
        .pointer("/data/token")
        .and_then(|t| t.as_str())
        .map(str::to_owned);
    Ok((status, token))
}

/// One argon2id check of `pin` against `phc`, as the lock screen makes it (parse the stored
/// PHC string, verify with the parameters it names, off the async threads).
async fn verify(pin: &'static str, phc: String) -> anyhow::Result<bool> {
    tokio::task::spawn_blocking(move || {
        let parsed = PasswordHash::new(&phc).map_err(|e| anyhow::anyhow!("{e}"))?;
        Ok::<_, anyhow::Error>(
            Argon2::default()
                .verify_password(pin.as_bytes(), &parsed)
                .is_ok(),
        )
    })
    .await?
}

async fn time_verify(
    pin: &'static str,
    phc: &str,
    expect: bool,
    options: &Options,
) -> anyhow::Result<Samples> {
    let mut samples = Samples::default();
    let started = Instant::now();
    for i in 0..options.warmups + options.runs {
        let t = Instant::now();
        let right = verify(pin, phc.to_owned()).await?;
        let took = t.elapsed();
        anyhow::ensure!(right == expect, "the PIN {pin} checked {right}");
        if i >= options.warmups {
            samples.latencies.push(took);
        }
    }
    samples.wall = started.elapsed();
    Ok(samples)
}

pub async fn run(options: Options) -> anyhow::Result<()> {
    anyhow::ensure!(options.runs > 0, "--runs must be at least 1");
    let temp = tempfile::tempdir()?;
    let dir = options
        .dir
        .clone()
        .unwrap_or_else(|| temp.path().to_path_buf());
    println!(
        "## kh-bench pin ({} runs after {} warm-ups; argon2id m=64 MiB, t=3, p=1)",
        options.runs, options.warmups
    );

    // (a) The check alone.
    let t = Instant::now();
    let hash = hash_pin(PIN)?;
    let hashed_in = t.elapsed();
    let alone_right = time_verify(PIN, hash.as_str(), true, &options).await?;
    let alone_wrong = time_verify(WRONG_PIN, hash.as_str(), false, &options).await?;

    // (b) The whole sign-in over HTTP. One member signs in with the right PIN every time; the
    // wrong PINs go to other members, at most four each, so none reaches the fifth wrong PIN
    // that locks a name (a locked name is refused before any argon2 work). All share one hash:
    // the check costs the same whatever the salt.
    let tries = options.warmups + options.runs;
    let others = tries.div_ceil(4);
    let right_member = member("Kasir Bench", hash.clone())?;
    let mut staff = vec![right_member.clone()];
    for k in 0..others {
        staff.push(member(&format!("Kasir Bench {}", k + 1), hash.clone())?);
    }
    let wrong_ids: Vec<StaffId> = staff[1..].iter().map(|m| m.id).collect();
    std::fs::create_dir_all(&dir)?;
    give_staff(&dir.join(DB_FILE), staff).await?;

    let server = start_server(&dir).await?;
    let api = server.api_url();
    let client = reqwest::Client::new();
    let roster: serde_json::Value = client
        .get(format!("{api}/staff"))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    anyhow::ensure!(
        roster.pointer("/data/required") == Some(&json!(true)),
        "the PC does not ask for a sign-in: {roster}"
    );

    let mut http_right = Samples::default();
    let mut token = None;
    let started = Instant::now();
    for i in 0..tries {
        let t = Instant::now();
        let (status, got) = sign_in(&client, &api, right_member.id, PIN).await?;
        let took = t.elapsed();
        anyhow::ensure!(
            status == 201 && got.is_some(),
            "right PIN answered {status}"
        );
        if i >= options.warmups {
            http_right.latencies.push(took);
        }
        token = got;
    }
    http_right.wall = started.elapsed();

    let mut http_wrong = Samples::default();
    let started = Instant::now();
    for i in 0..tries {
        let id = wrong_ids[(i / 4) as usize];
        let t = Instant::now();
        let (status, _) = sign_in(&client, &api, id, WRONG_PIN).await?;
        let took = t.elapsed();
        anyhow::ensure!(status == 401, "wrong PIN answered {status}");
        if i >= options.warmups {
            http_wrong.latencies.push(took);
        }
    }
    http_wrong.wall = started.elapsed();

    // The sessions are real: an entry needs one here.
    let entry =
        json!({"type": "IN", "amount": 1_000, "category": "Penjualan", "description": "bench"});
    let without = client
        .post(format!("{api}/transactions"))
        .json(&entry)
        .send()
        .await?
        .status();
    anyhow::ensure!(
        without.as_u16() == 401,
        "an entry without a session answered {without}"
    );
    let token = token.unwrap_or_default();
    let with = client
        .post(format!("{api}/transactions"))
        .header("X-KH-Session", &token)
        .json(&entry)
        .send()
        .await?
        .status();
    anyhow::ensure!(
        with.as_u16() == 201,
        "an entry with a session answered {with}"
    );

    // What the session adds to every entry: `GET /session` makes the same check as an entry
    // (the roster, then the session looked up in the file); `GET /staff` only the roster.
    // Alternated, so a busy moment of the machine falls on both.
    let (mut lookup, mut roster_only) = (Samples::default(), Samples::default());
    for i in 0..LOOKUPS + 10 {
        let t = Instant::now();
        client
            .get(format!("{api}/session"))
            .header("X-KH-Session", &token)
            .send()
            .await?
            .error_for_status()?
            .bytes()
            .await?;
        let took_lookup = t.elapsed();
        let t = Instant::now();
        client
            .get(format!("{api}/staff"))
            .send()
            .await?
            .error_for_status()?
            .bytes()
            .await?;
        if i >= 10 {
            lookup.latencies.push(took_lookup);
            roster_only.latencies.push(t.elapsed());
        }
    }
    server.shutdown().await?;

    println!(
        "\n(The hash the staff carry was made in {}, as HQ makes it when a PIN is set.)",
        ms(hashed_in)
    );
    println!("\n### PIN check at the lock screen (target: p95 under 300 ms)\n");
    println!("| operation | p50 | p95 | max | target | result |");
    println!("|---|---|---|---|---|---|");
    for (what, samples) in [
        ("argon2id check alone, right PIN (in-process)", &alone_right),
        ("argon2id check alone, wrong PIN (in-process)", &alone_wrong),
        ("POST /session, right PIN → 201 (HTTP)", &http_right),
        ("POST /session, wrong PIN → 401 (HTTP)", &http_wrong),
    ] {
        let p95 = samples.percentile(95.0);
        let max = samples.percentile(100.0);
        println!(
            "| {what} | {} | {} | {} | p95 < 300 ms | {} |",
            ms(samples.percentile(50.0)),
            ms(p95),
            ms(max),
            if p95 < TARGET { "PASS" } else { "FAIL" }
        );
    }
    let p50 = |s: &Samples| s.percentile(50.0).as_secs_f64();
    println!(
        "\nWrong ÷ right PIN (p50): {:.2} alone, {:.2} over HTTP. \
         HTTP sign-in ÷ check alone (p50): {:.2} right, {:.2} wrong.",
        p50(&alone_wrong) / p50(&alone_right),
        p50(&http_wrong) / p50(&http_right),
        p50(&http_right) / p50(&alone_right),
        p50(&http_wrong) / p50(&alone_wrong),
    );
    println!(
        "\nThe session check every entry makes, {LOOKUPS} requests each, alternated: \
         GET /session (roster + session looked up) p50 {} / p99 {}; GET /staff (roster only) \
         p50 {} / p99 {}; difference at p50 {}.",
        ms(lookup.percentile(50.0)),
        ms(lookup.percentile(99.0)),
        ms(roster_only.percentile(50.0)),
        ms(roster_only.percentile(99.0)),
        ms(lookup
            .percentile(50.0)
            .saturating_sub(roster_only.percentile(50.0))),
    );
    Ok(())
}
