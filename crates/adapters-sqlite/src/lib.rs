//! SQLite for Haramain Finance, on SeaORM: the branch ledger, and the connection settings a
//! trial HQ on one SQLite file opens its store (`kh_adapters_hq`) with; `kh-cloud` wires that.
//!
//! The branch ledger lives in one SQLite file opened by exactly one process (a lock file next to
//! it), in WAL mode with `synchronous=FULL`: a call that returns `Ok` is on disk. Backups of it
//! (`VACUUM INTO`, checked, pruned to the newest) and restores are in `backup`.
#![forbid(unsafe_code)]

mod backup;
mod branch;
mod db;
mod error;
mod migration;
mod sql;
mod time;

pub use backup::{
    BackupError, BackupFile, BackupSummary, Lost, Replaced, Restored, Unusable, backup_name,
    check_backup, list_backups, new_backup_path, parse_backup_name, prune_backups,
    restore_database,
};
pub use branch::BranchStore;
pub use db::{DatabaseLock, DatabaseLocked, OpenError, SqliteDb, SqliteTarget, connect_options};
