//! `kh-bench`: measures Haramain Finance beside the raw database doing the same work, and
//! prints a Markdown table (copied into docs/benchmarks.md).
#![forbid(unsafe_code)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod cloud;
mod desktop;
mod drain;
mod export;
mod hq;
mod local;
mod overlap;
mod pin;
mod restore;
mod stats;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "kh-bench", about = "Benchmarks for Haramain Finance")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// The branch server: writes through the API vs raw SQLite inserts, and dashboard/list reads
    /// on a large ledger vs the same queries on raw SQLite.
    Local(local::Options),
    /// The HQ server: rows/s of POST /sync/push beside the same multi-row
    /// INSERT … ON CONFLICT (id) DO NOTHING sent straight to PostgreSQL.
    Cloud(cloud::Options),
    /// Sync: time for a branch to drain a backlog to HQ, beside HQ's own push rate and raw
    /// PostgreSQL inserts measured in the same run.
    Drain(drain::Options),
    /// Restore: a fresh branch database takes a branch's whole history from HQ, beside one
    /// ordered SELECT from PostgreSQL bulk-inserted into SQLite; and pull page latency.
    Restore(restore::Options),
    /// Pull page latency at HQ with a large store (10,000,000 rows over 50 branches).
    Feed(restore::FeedOptions),
    /// The HQ console on a large store (issue 15): the overview's and the drill-down's API
    /// calls beside the same questions asked of PostgreSQL over the raw table, and sign-in to
    /// figures on screen in Chromium.
    Hq(hq::Options),
    /// The desktop window: launch to usable and memory of kh-desktop beside the same UI in
    /// Chromium (the Electron baseline). Needs an X display (apps/desktop/tests/x-session.sh).
    Desktop(desktop::Options),
    /// The lock screen (issue 16): the argon2id PIN check alone, and `POST /session` over HTTP
    /// with a right and a wrong PIN, against the 300 ms target.
    Pin(pin::Options),
    /// Exports (issue 17): every entry of a large book as CSV and XLSX from the real kh-local
    /// and kh-cloud binaries (time, the server's peak RSS), beside `sqlite3 -csv` and `psql`
    /// `COPY … TO STDOUT` of the same rows in the same run.
    Export(export::Options),
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Local(options) => local::run(options).await,
        Command::Cloud(options) => cloud::run(options).await,
        Command::Drain(options) => drain::run(options).await,
        Command::Restore(options) => restore::run(options).await,
        Command::Feed(options) => restore::feed(options).await,
        Command::Hq(options) => hq::run(options).await,
        Command::Desktop(options) => desktop::run(options).await,
        Command::Pin(options) => pin::run(options).await,
        Command::Export(options) => export::run(options).await,
    }
}
