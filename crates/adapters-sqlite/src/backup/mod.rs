//! Branch backups (DESIGN 8.5): a consistent copy of the ledger made with `VACUUM INTO`,
//! checked with `PRAGMA integrity_check` before it gets its name, the retention of the newest,
//! and putting one back ([`restore_database`]).

mod files;
mod restore;

pub use files::{
    BackupFile, backup_name, list_backups, new_backup_path, parse_backup_name, prune_backups,
};
pub use restore::{Lost, Replaced, Restored, restore_database};

use std::io;
use std::path::Path;
use std::time::Duration;

use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, RuntimeErr, SqlxSqliteConnector};
use sea_orm_migration::MigratorTrait;

use crate::SqliteDb;
use crate::db::OpenError;
use crate::migration::BranchMigrator;
use crate::sql::stmt;
use files::{create_parent, partial_path, remove_if_exists, rename_durably, sync_file};

/// Why a backup or a restore did not happen. Every message says what the user can do.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The database could not be opened: missing, or (for a restore) in use by a server.
    #[error(transparent)]
    Open(#[from] OpenError),
    /// The file to restore does not exist.
    #[error(
        "{0} does not exist; check the file name (backups are in the backups folder of the data folder)"
    )]
    Missing(String),
    /// The file to restore is not a healthy Haramain Finance branch database.
    #[error(
        "{path} cannot be restored: {problem}. Nothing was changed; choose another backup file"
    )]
    Unusable {
        /// The file.
        path: String,
        /// What is wrong with it.
        problem: Unusable,
    },
    /// A new backup failed its check and was deleted.
    #[error(
        "the new backup failed its check ({0}) and was deleted. Try again; if it fails again the \
         database itself may be damaged: keep the older backups and ask for help"
    )]
    FailedCheck(Unusable),
    /// A backup would overwrite a file.
    #[error("{0} already exists; choose another file name (an existing file is never overwritten)")]
    Exists(String),
    /// A file operation failed.
    #[error(
        "cannot {action} {path}: {source}. Check that the disk has free space and that this \
         user may write there"
    )]
    Io {
        /// What was being done.
        action: &'static str,
        /// The file or folder.
        path: String,
        /// The OS error.
        source: io::Error,
    },
    /// SQLite failed while copying or reading.
    #[error(
        "the database could not be copied: {0}. Try again; if it keeps failing, stop kh-local \
         and copy the whole data folder"
    )]
    Database(String),
}

impl BackupError {
    pub(crate) fn io(action: &'static str, path: &Path, source: io::Error) -> Self {
        Self::Io {
            action,
            path: path.display().to_string(),
            source,
        }
    }
}

/// What is wrong with a file offered as a backup.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unusable {
    /// Not a SQLite file at all.
    #[error("it is not a SQLite database")]
    NotSqlite,
    /// `PRAGMA integrity_check` did not answer `ok` (its first complaint; never row data).
    #[error("it is damaged (integrity check: {0})")]
    Damaged(String),
    /// A SQLite file, but not a branch ledger.
    #[error(
        "it is not a Haramain Finance branch database (it has no transactions or sync_settings \
         table)"
    )]
    NotABranchDatabase,
    /// Migrated by a newer program than this one, which could not open it.
    #[error(
        "it was made by a newer version of Haramain Finance (migration {0}); install that \
         version on this PC first"
    )]
    Newer(String),
}

/// What a checked backup holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackupSummary {
    /// Entries (transactions, voids included) in it.
    pub entries: u64,
}

impl SqliteDb {
    /// Writes a consistent copy of this database to `dest`, which must not exist yet: `VACUUM
    /// INTO` a `.partial` file beside it (a snapshot; writers carry on meanwhile), flushed to
    /// disk and checked with [`check_backup`], and only then renamed to `dest`. A file at
    /// `dest` is therefore always a whole, checked backup; a copy that fails its check is
    /// deleted ([`BackupError::FailedCheck`]).
    pub async fn write_backup(&self, dest: &Path) -> Result<BackupSummary, BackupError> {
        if dest.exists() {
            return Err(BackupError::Exists(dest.display().to_string()));
        }
        create_parent(dest)?;
        let partial = partial_path(dest);
        let Some(partial_text) = partial.to_str().map(str::to_owned) else {
            return Err(BackupError::io(
                "write",
                dest,
                io::Error::new(io::ErrorKind::InvalidInput, "the path is not valid Unicode"),
            ));
        };
        remove_if_exists(&partial)?;
        let vacuum = self
            .reader
            .execute_raw(stmt("VACUUM INTO ?", vec![partial_text.into()]))
            .await;
        if let Err(e) = vacuum {
            let _ = remove_if_exists(&partial);
            return Err(BackupError::Database(e.to_string()));
        }
        let checked = async {
            let flushed = partial.clone();
            blocking(move || sync_file(&flushed)).await?;
            check_backup(&partial).await
        }
        .await;
        match checked {
            Ok(summary) => {
                rename_durably(&partial, dest)?;
                Ok(summary)
            }
            Err(e) => {
                let _ = remove_if_exists(&partial);
                Err(match e {
                    BackupError::Unusable { problem, .. } => BackupError::FailedCheck(problem),
                    other => other,
                })
            }
        }
    }
}

/// Checks that `path` is a whole, healthy branch database this program can open:
/// `PRAGMA integrity_check` answers `ok`, it has the branch's `transactions` and
/// `sync_settings` tables, and no migration newer than this program's. The file is opened
/// read-only and immutable, so checking never writes beside it.
pub async fn check_backup(path: &Path) -> Result<BackupSummary, BackupError> {
    if !path.is_file() {
        return Err(BackupError::Missing(path.display().to_string()));
    }
    let conn = open_immutable(path)
        .await
        .map_err(|e| db_problem(path, e))?;
    let result = inspect(&conn, path).await;
    let _ = conn.close().await;
    result
}

async fn open_immutable(path: &Path) -> Result<DatabaseConnection, DbErr> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .immutable(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await
        .map_err(|e| DbErr::Conn(RuntimeErr::SqlxError(e.into())))?;
    Ok(SqlxSqliteConnector::from_sqlx_sqlite_pool(pool))
}

async fn inspect(conn: &DatabaseConnection, path: &Path) -> Result<BackupSummary, BackupError> {
    let db = |e| db_problem(path, e);
    let unusable = |problem| BackupError::Unusable {
        path: path.display().to_string(),
        problem,
    };
    let rows = conn
        .query_all_raw(stmt("PRAGMA integrity_check", vec![]))
        .await
        .map_err(db)?;
    let answers = rows
        .iter()
        .map(|r| r.try_get_by_index::<String>(0))
        .collect::<Result<Vec<_>, _>>()
        .map_err(db)?;
    if answers != ["ok"] {
        let first = answers.into_iter().next().unwrap_or_default();
        return Err(unusable(Unusable::Damaged(
            first.chars().take(200).collect(),
        )));
    }
    let tables = count(
        conn,
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' \
         AND name IN ('transactions', 'sync_settings')",
    )
    .await
    .map_err(db)?;
    if tables != 2 {
        return Err(unusable(Unusable::NotABranchDatabase));
    }
    if let Some(newer) = unknown_migration(conn).await.map_err(db)? {
        return Err(unusable(Unusable::Newer(newer)));
    }
    let entries = count(conn, "SELECT COUNT(*) FROM transactions")
        .await
        .map_err(db)?;
    Ok(BackupSummary { entries })
}

/// A migration the database has that this program does not know (it was made by a newer one).
async fn unknown_migration(conn: &DatabaseConnection) -> Result<Option<String>, DbErr> {
    let has_table = count(
        conn,
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'seaql_migrations'",
    )
    .await?;
    if has_table == 0 {
        return Ok(None);
    }
    let known: Vec<String> = BranchMigrator::migrations()
        .iter()
        .map(|m| m.name().to_owned())
        .collect();
    let rows = conn
        .query_all_raw(stmt("SELECT version FROM seaql_migrations", vec![]))
        .await?;
    for row in rows {
        let version: String = row.try_get_by_index(0)?;
        if !known.contains(&version) {
            return Ok(Some(version));
        }
    }
    Ok(None)
}

async fn count(conn: &DatabaseConnection, sql: &str) -> Result<u64, DbErr> {
    let row = conn
        .query_one_raw(stmt(sql, vec![]))
        .await?
        .ok_or_else(|| DbErr::Custom("COUNT(*) returned no row".into()))?;
    let n: i64 = row.try_get_by_index(0)?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// SQLite's primary result codes that say what a file is.
const SQLITE_CORRUPT: i32 = 11;
const SQLITE_NOTADB: i32 = 26;

/// A database error met while reading `path` as a backup: not a database, damaged, or a
/// failure to read it.
fn db_problem(path: &Path, error: DbErr) -> BackupError {
    let code = match &error {
        DbErr::Conn(RuntimeErr::SqlxError(e))
        | DbErr::Exec(RuntimeErr::SqlxError(e))
        | DbErr::Query(RuntimeErr::SqlxError(e)) => e
            .as_database_error()
            .and_then(|d| d.code())
            .and_then(|c| c.parse::<i32>().ok()),
        _ => None,
    };
    let unusable = |problem| BackupError::Unusable {
        path: path.display().to_string(),
        problem,
    };
    // Extended result codes keep the primary code in their low byte.
    match code.map(|c| c & 0xff) {
        Some(SQLITE_NOTADB) => unusable(Unusable::NotSqlite),
        Some(SQLITE_CORRUPT) => unusable(Unusable::Damaged("the file is malformed".into())),
        _ => BackupError::Database(error.to_string()),
    }
}

/// Runs blocking file work (copying, flushing) off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, BackupError> + Send + 'static,
) -> Result<T, BackupError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| BackupError::Database(format!("a file task failed: {e}")))?
}
