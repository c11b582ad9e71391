//! `kh-local`: the branch server, and its `backup` and `restore` commands.
#![forbid(unsafe_code)]

use kh_http_common::shutdown_signal;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use kh_domain::chrono::Utc;
use kh_local::{
    Cli, Command, Settings, backup_command, describe_backup, describe_restore,
    init_command_logging, init_logging, restore_command, start,
};

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
    match cli.command {
        None => serve(&settings).await,
        Some(Command::Backup { file }) => backup(&settings, file).await,
        Some(Command::Restore { file }) => restore(&settings, file).await,
    }
}

async fn serve(settings: &Settings) -> ExitCode {
    init_logging(settings);
    let running = match start(settings, Some(kh_http_local::ui_router())).await {
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

async fn backup(settings: &Settings, file: Option<PathBuf>) -> ExitCode {
    init_command_logging(settings);
    match backup_command(settings, file, Utc::now()).await {
        Ok((path, summary)) => {
            println!("{}", describe_backup(&path, &summary));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("kh-local backup: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn restore(settings: &Settings, file: PathBuf) -> ExitCode {
    init_command_logging(settings);
    match restore_command(settings, &file, Utc::now()).await {
        Ok(restored) => {
            println!("{}", describe_restore(&file, &restored));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("kh-local restore: {e}");
            ExitCode::FAILURE
        }
    }
}
