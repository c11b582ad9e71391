//! Bootstrap of `kh-local`: settings -> adapters -> services -> serve. The benchmarks, the tests
//! and the desktop app (`kh-desktop`) use it too, so there is exactly one way the branch server
//! is put together. The `backup` and `restore` commands live here too.
#![forbid(unsafe_code)]

mod app;
mod backup;
mod logging;
mod settings;

pub use app::{Running, StartError, start, start_with_clock};
pub use backup::{
    CommandError, KEEP, backup_command, describe_backup, describe_restore, restore_command,
};
pub use kh_app_support::{LogFormat, SettingsError};
pub use kh_sync_worker::WakeSignal;
pub use logging::{init as init_logging, init_for_command as init_command_logging};
pub use settings::{Cli, Command, Settings};
