//! Bootstrap of `kh-cloud`: settings -> store -> services -> serve, plus the branch commands.
#![forbid(unsafe_code)]

mod app;
mod logging;
mod settings;

pub use app::{Running, open_store, start, wait_for_database};
pub use logging::init as init_logging;
pub use settings::{LogFormat, Settings, SettingsError};
