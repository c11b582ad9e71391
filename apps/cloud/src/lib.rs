//! Bootstrap of `kh-cloud`: settings -> store -> services -> serve, plus the branch commands.
#![forbid(unsafe_code)]

mod app;
mod logging;
mod settings;

pub use app::{Running, open_sqlite_hq, open_store, start, wait_for_database};
pub use kh_app_support::{LogFormat, SettingsError};
pub use logging::init as init_logging;
pub use settings::{Flags, Settings};
