//! SQLite implementations of the Haramain Finance ports, on SeaORM: the branch ledger, and the
//! HQ store (shared with PostgreSQL in `kh_adapters_hq`) on one SQLite file for a trial HQ.
//!
//! The branch ledger lives in one SQLite file opened by exactly one process (a lock file next to
//! it), in WAL mode with `synchronous=FULL`: a call that returns `Ok` is on disk.
#![forbid(unsafe_code)]

mod branch;
mod db;
mod error;
mod hq;
mod migration;
mod time;

pub use branch::BranchStore;
pub use db::{DatabaseLocked, OpenError, SqliteDb, SqliteTarget, connect_options};
pub use hq::open_hq;
