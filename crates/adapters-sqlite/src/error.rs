use kh_ports::LedgerError;
use sea_orm::{DbErr, RuntimeErr};

/// SQLite result codes that mean "try again later" rather than "bug": busy, locked, disk full,
/// cannot open. They surface as 503 so clients retry; nothing was written.
const TRANSIENT_CODES: &[&str] = &["5", "6", "13", "14", "261", "517"];

/// Maps a database error to the port's error, keeping the cause for the log.
pub(crate) fn db_err(error: DbErr) -> LedgerError {
    let transient = match &error {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => {
            match e.as_database_error() {
                Some(db) => db
                    .code()
                    .is_some_and(|c| TRANSIENT_CODES.contains(&c.as_ref())),
                None => matches!(
                    e.as_ref(),
                    sea_orm::sqlx::Error::PoolTimedOut
                        | sea_orm::sqlx::Error::PoolClosed
                        | sea_orm::sqlx::Error::Io(_)
                ),
            }
        }
        _ => false,
    };
    if transient {
        LedgerError::Unavailable(error.to_string())
    } else {
        LedgerError::Internal(error.to_string())
    }
}

/// A stored value that breaks the schema's rules: only possible if the file was edited by hand.
pub(crate) fn corrupt(what: impl Into<String>) -> LedgerError {
    LedgerError::Internal(format!("corrupt row: {}", what.into()))
}
