//! SQLite for Haramain Finance, on SeaORM: the branch ledger, and the connection settings a
//! trial HQ on one SQLite file opens its store (`kh_adapters_hq`) with; `kh-cloud` wires that.
//!
//! The branch ledger lives in one SQLite file opened by exactly one process (a lock file next to
//! it), in WAL mode with `synchronous=FULL`: a call that returns `Ok` is on disk.
#![forbid(unsafe_code)]

mod branch;
mod db;
mod error;
mod migration;
mod sql;
mod time;

pub use branch::BranchStore;
pub use db::{DatabaseLocked, OpenError, SqliteDb, SqliteTarget, connect_options};
