use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

use crate::{LogFormat, Settings};

/// Installs the global subscriber (logs go to stderr, so command output on stdout stays clean
/// JSON): `KH_LOG` filter, pretty on a terminal, JSON otherwise.
pub fn init(settings: &Settings) {
    let filter = EnvFilter::try_new(&settings.log).unwrap_or_else(|_| EnvFilter::new("info"));
    let format = settings
        .log_format
        .unwrap_or(if std::io::stderr().is_terminal() {
            LogFormat::Pretty
        } else {
            LogFormat::Json
        });
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Pretty => builder.compact().try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
}
