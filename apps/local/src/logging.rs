use kh_app_support::{LogStream, init_logging};

use crate::Settings;

/// Installs the global subscriber: `KH_LOG` filter, pretty on a terminal or JSON otherwise.
/// Safe to call twice (the second call does nothing).
pub fn init(settings: &Settings) {
    init_logging(&settings.log, settings.log_format, LogStream::Stdout);
}

/// The same, on stderr, for `kh-local backup` and `restore`: their stdout is for the person.
pub fn init_for_command(settings: &Settings) {
    init_logging(&settings.log, settings.log_format, LogStream::Stderr);
}
