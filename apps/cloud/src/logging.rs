use kh_app_support::{LogStream, init_logging};

use crate::Settings;

/// Installs the global subscriber (logs go to stderr, so command output on stdout stays clean
/// JSON): `KH_LOG` filter, pretty on a terminal, JSON otherwise.
pub fn init(settings: &Settings) {
    init_logging(&settings.log, settings.log_format, LogStream::Stderr);
}
