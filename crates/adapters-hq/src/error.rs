use kh_adapters_sql::{Failure, classify};
use kh_ports::HqError;
use sea_orm::DbErr;

/// Maps a database error to the port's error, keeping the cause for the log: connection
/// failures, shutdowns, too many connections, busy/locked SQLite files and lock conflicts
/// surface as `Unavailable` (503, the branch retries; nothing was written).
pub(crate) fn db_err(error: DbErr) -> HqError {
    match classify(&error) {
        Failure::Transient | Failure::LockConflict => HqError::Unavailable(error.to_string()),
        Failure::Unique | Failure::Other => HqError::Internal(error.to_string()),
    }
}

/// A stored value that breaks the schema's rules.
pub(crate) fn corrupt(what: impl Into<String>) -> HqError {
    HqError::Internal(format!("corrupt row: {}", what.into()))
}
