//! `kh-local`: the branch server.
#![forbid(unsafe_code)]

use kh_http_common::shutdown_signal;

use std::process::ExitCode;

use clap::Parser;
use kh_local::{Cli, Settings, init_logging, start};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::load(&cli) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("kh-local: {e}");
            return ExitCode::from(2);
        }
    };
    init_logging(&settings);
    let running = match start(&settings, Some(kh_http_local::ui_router())).await {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e, "kh-local could not start");
            eprintln!("kh-local: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "Haramain Finance is running at http://{}/ (API: {})",
        running.addr,
        running.api_url()
    );
    shutdown_signal().await;
    tracing::info!("shutting down");
    match running.shutdown().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kh-local: error while stopping: {e}");
            ExitCode::FAILURE
        }
    }
}
