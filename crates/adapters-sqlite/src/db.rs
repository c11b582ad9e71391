use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sea_orm::sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
};
use sea_orm::{DatabaseConnection, DbErr, SqlxSqliteConnector};
use sea_orm_migration::MigratorTrait;

use crate::migration::BranchMigrator;

/// Where the database lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SqliteTarget {
    /// A file on disk (created if missing).
    File(PathBuf),
    /// A private in-memory database (tests, throwaway trials).
    Memory,
}

impl SqliteTarget {
    /// Parses `sqlite://path`, `sqlite:path` or `sqlite::memory:`.
    pub fn from_url(url: &str) -> Result<Self, OpenError> {
        let rest = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .ok_or_else(|| OpenError::BadUrl(url.to_owned()))?;
        let path = rest.split('?').next().unwrap_or_default();
        match path {
            ":memory:" => Ok(Self::Memory),
            "" => Err(OpenError::BadUrl(url.to_owned())),
            p => Ok(Self::File(PathBuf::from(p))),
        }
    }
}

/// The database file is held by another process.
#[derive(Debug, thiserror::Error)]
#[error(
    "the database {path} is already in use by another Haramain Finance process; \
     close the other window or server first (lock file: {lock})"
)]
pub struct DatabaseLocked {
    /// The database file.
    pub path: String,
    /// The lock file that is held.
    pub lock: String,
}

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// Another process holds the database.
    #[error(transparent)]
    Locked(#[from] DatabaseLocked),
    /// The URL is not a SQLite URL.
    #[error("{0:?} is not a SQLite URL; use sqlite://path/to/file.db")]
    BadUrl(String),
    /// The folder or file could not be created or locked.
    #[error("cannot use {path}: {source}")]
    Io {
        /// The path involved.
        path: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// There is no database file to open read-only.
    #[error("there is no database at {0}; check KH_DATA_DIR (--data-dir) or KH_DATABASE_URL")]
    NotFound(String),
    /// SQLite refused to open or migrate the database.
    #[error("cannot open the database: {0}")]
    Database(#[from] DbErr),
}

/// An open SQLite database: one writer connection (SQLite allows one writer at a time; a single
/// connection means writes queue in-process instead of failing with SQLITE_BUSY), a small pool of
/// readers, and the lock file that keeps other processes out.
#[derive(Debug, Clone)]
pub struct SqliteDb {
    pub(crate) writer: DatabaseConnection,
    pub(crate) reader: DatabaseConnection,
    /// The database file (none in memory): an export reads it on a connection of its own.
    pub(crate) file: Option<PathBuf>,
    _lock: Option<DatabaseLock>,
}

/// The lock file of a database file, held (by this process) until the last clone is dropped.
#[derive(Debug, Clone)]
pub struct DatabaseLock(#[allow(dead_code, reason = "held for its lock, never read")] Arc<File>);

impl DatabaseLock {
    /// Takes `<db>.lock`, the same lock a server takes: refused with [`OpenError::Locked`] while
    /// another process (a running `kh-local` or desktop window) has the database open.
    pub fn acquire(path: &Path) -> Result<Self, OpenError> {
        lock_database(path).map(|file| Self(Arc::new(file)))
    }
}

impl SqliteDb {
    /// Opens (creating if needed) and migrates a branch ledger database.
    pub async fn open_branch(target: &SqliteTarget) -> Result<Self, OpenError> {
        let db = Self::open(target).await?;
        BranchMigrator::up(&db.writer, None).await?;
        Ok(db)
    }

    /// Opens with the durability settings of DESIGN 5.2, without running migrations.
    pub async fn open(target: &SqliteTarget) -> Result<Self, OpenError> {
        match target {
            SqliteTarget::Memory => Self::connect(target, connect_options(None)?, None).await,
            SqliteTarget::File(path) => {
                let lock = DatabaseLock::acquire(path)?;
                Self::open_held(path, lock).await
            }
        }
    }

    /// Opens a file whose lock the caller already holds (a restore works under it).
    pub(crate) async fn open_held(path: &Path, lock: DatabaseLock) -> Result<Self, OpenError> {
        let target = SqliteTarget::File(path.to_path_buf());
        Self::connect(&target, connect_options(Some(path))?, Some(lock)).await
    }

    /// Opens an existing database file for reading only, without its lock file: a backup may be
    /// taken while a server has the file open (WAL lets a reader see a consistent snapshot
    /// beside the writer). One connection serves as both reader and writer; writes fail.
    pub async fn open_read_only(path: &Path) -> Result<Self, OpenError> {
        if !path.is_file() {
            return Err(OpenError::NotFound(path.display().to_string()));
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .read_only(true)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        let conn = SqlxSqliteConnector::from_sqlx_sqlite_pool(pool);
        Ok(Self {
            writer: conn.clone(),
            reader: conn,
            file: Some(path.to_path_buf()),
            _lock: None,
        })
    }

    async fn connect(
        target: &SqliteTarget,
        options: SqliteConnectOptions,
        lock: Option<DatabaseLock>,
    ) -> Result<Self, OpenError> {
        let writer_pool = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(10))
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options.clone())
            .await
            .map_err(|e| DbErr::Conn(sea_orm::RuntimeErr::SqlxError(e.into())))?;
        let writer = SqlxSqliteConnector::from_sqlx_sqlite_pool(writer_pool);
        let reader = match target {
            // Every in-memory connection is its own database: share the writer.
            SqliteTarget::Memory => writer.clone(),
            SqliteTarget::File(_) => {
                let pool = SqlitePoolOptions::new()
                    .max_connections(4)
                    .acquire_timeout(Duration::from_secs(10))
                    .idle_timeout(None)
                    .max_lifetime(None)
                    .connect_with(options)
                    .await
                    .map_err(|e| DbErr::Conn(sea_orm::RuntimeErr::SqlxError(e.into())))?;
                SqlxSqliteConnector::from_sqlx_sqlite_pool(pool)
            }
        };
        let file = match target {
            SqliteTarget::Memory => None,
            SqliteTarget::File(path) => Some(path.clone()),
        };
        Ok(Self {
            writer,
            reader,
            file,
            _lock: lock,
        })
    }

    /// The one writing connection and the reading pool, for a store built on this file (a
    /// trial HQ's); the file's lock stays with this value, which the store must keep alive.
    pub fn connections(&self) -> (DatabaseConnection, DatabaseConnection) {
        (self.writer.clone(), self.reader.clone())
    }

    /// Closes every connection, checkpointing the WAL into the main file.
    pub async fn close(self) {
        let _ = self.reader.close().await;
        let _ = self.writer.close().await;
    }
}

/// The connection settings every ledger connection uses (DESIGN 5.2): WAL, `synchronous=FULL`
/// (a commit is on disk), foreign keys, a busy timeout. Public so benchmarks compare against
/// raw SQLite with exactly the same pragmas.
pub fn connect_options(path: Option<&Path>) -> Result<SqliteConnectOptions, OpenError> {
    let options = match path {
        None => SqliteConnectOptions::from_str("sqlite::memory:")?,
        Some(path) => SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true),
    };
    Ok(options
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5))
        .pragma("temp_store", "memory")
        .pragma("cache_size", "-16000"))
}

impl From<sea_orm::sqlx::Error> for OpenError {
    fn from(e: sea_orm::sqlx::Error) -> Self {
        OpenError::Database(DbErr::Conn(sea_orm::RuntimeErr::SqlxError(e.into())))
    }
}

/// Takes an exclusive advisory lock on `<db>.lock`, held until the process exits (the OS
/// releases it even after `kill -9`).
fn lock_database(path: &Path) -> Result<File, OpenError> {
    let io = |source| OpenError::Io {
        path: path.display().to_string(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let mut lock_path = path.as_os_str().to_owned();
    lock_path.push(".lock");
    let lock_path = PathBuf::from(lock_path);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|source| OpenError::Io {
            path: lock_path.display().to_string(),
            source,
        })?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(TryLockError::WouldBlock) => Err(DatabaseLocked {
            path: path.display().to_string(),
            lock: lock_path.display().to_string(),
        }
        .into()),
        Err(TryLockError::Error(source)) => Err(OpenError::Io {
            path: lock_path.display().to_string(),
            source,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sqlite_urls() {
        assert_eq!(
            SqliteTarget::from_url("sqlite::memory:").unwrap(),
            SqliteTarget::Memory
        );
        assert_eq!(
            SqliteTarget::from_url("sqlite:///var/kh/a.db?mode=rwc").unwrap(),
            SqliteTarget::File("/var/kh/a.db".into())
        );
        assert_eq!(
            SqliteTarget::from_url("sqlite://a.db").unwrap(),
            SqliteTarget::File("a.db".into())
        );
        assert!(SqliteTarget::from_url("postgres://x").is_err());
    }

    #[tokio::test]
    async fn a_second_open_of_the_same_file_is_refused_until_the_first_closes() {
        let dir = tempfile::tempdir().unwrap();
        let target = SqliteTarget::File(dir.path().join("ledger.db"));
        let first = SqliteDb::open_branch(&target).await.unwrap();
        let second = SqliteDb::open_branch(&target).await;
        match second {
            Err(OpenError::Locked(e)) => assert!(e.to_string().contains("already in use")),
            other => panic!("expected Locked, got {other:?}"),
        }
        first.close().await;
        assert!(SqliteDb::open_branch(&target).await.is_ok());
    }
}
