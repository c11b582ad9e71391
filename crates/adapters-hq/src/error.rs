use kh_ports::HqError;
use sea_orm::{DbErr, RuntimeErr};

/// Database error codes that mean "retry later": SQLite busy/locked/full/cannot-open, and
/// PostgreSQL connection failures, shutdowns, too many connections, serialization failures,
/// deadlocks and (inside a push) a unique violation raced by a concurrent push.
const TRANSIENT: &[&str] = &[
    "5", "6", "13", "14", "261", "517", // SQLite
    "08000", "08003", "08006", "08001", "08004", "57P01", "57P02", "57P03", "53300", "40001",
    "40P01",
];

/// Maps a database error to the port's error, keeping the cause for the log.
pub(crate) fn db_err(error: DbErr) -> HqError {
    let transient = match &error {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => {
            match e.as_database_error() {
                Some(db) => db.code().is_some_and(|c| TRANSIENT.contains(&c.as_ref())),
                None => matches!(
                    e.as_ref(),
                    sea_orm::sqlx::Error::PoolTimedOut
                        | sea_orm::sqlx::Error::PoolClosed
                        | sea_orm::sqlx::Error::Io(_)
                        | sea_orm::sqlx::Error::Tls(_)
                        | sea_orm::sqlx::Error::Protocol(_)
                ),
            }
        }
        _ => false,
    };
    if transient {
        HqError::Unavailable(error.to_string())
    } else {
        HqError::Internal(error.to_string())
    }
}

/// A stored value that breaks the schema's rules.
pub(crate) fn corrupt(what: impl Into<String>) -> HqError {
    HqError::Internal(format!("corrupt row: {}", what.into()))
}
