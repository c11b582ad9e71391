use kh_adapters_sql::{Failure, classify};
use kh_ports::LedgerError;
use sea_orm::DbErr;

/// Maps a database error to the port's error, keeping the cause for the log: busy, locked,
/// full or cannot-open surface as `Unavailable` (503, clients retry; nothing was written).
pub(crate) fn db_err(error: DbErr) -> LedgerError {
    match classify(&error) {
        Failure::Transient | Failure::LockConflict => LedgerError::Unavailable(error.to_string()),
        Failure::Unique | Failure::Other => LedgerError::Internal(error.to_string()),
    }
}

/// A stored value that breaks the schema's rules: only possible if the file was edited by hand.
pub(crate) fn corrupt(what: impl Into<String>) -> LedgerError {
    LedgerError::Internal(format!("corrupt row: {}", what.into()))
}
