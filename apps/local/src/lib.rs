//! Bootstrap of `kh-local`: settings -> adapters -> services -> serve. The benchmarks, the tests
//! and the desktop app (`kh-desktop`) use it too, so there is exactly one way the branch server
//! is put together.
#![forbid(unsafe_code)]

mod app;
mod logging;
mod settings;

pub use app::{Running, StartError, start, start_with_clock};
pub use kh_app_support::{LogFormat, SettingsError};
pub use kh_sync_worker::WakeSignal;
pub use logging::init as init_logging;
pub use settings::{Cli, Settings};
