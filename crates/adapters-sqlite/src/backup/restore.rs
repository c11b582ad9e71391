//! Putting a backup back: only under the database's lock file (no server may have it open),
//! after checking a copy of the backup, keeping the current book first, and swapping files so
//! that a power cut leaves either the old book or the restored one, never a mix.

use std::io::Read;
use std::path::{Path, PathBuf};

use sea_orm::{ConnectionTrait, DbErr};

use super::files::{remove_if_exists, rename_durably, sidecar, sync_file};
use super::{BackupError, Unusable, blocking, check_backup};
use crate::SqliteDb;
use crate::db::DatabaseLock;
use crate::sql::stmt;

/// The files SQLite keeps beside a database; stale ones must not meet another database file.
const SIDECARS: [&str; 3] = ["-wal", "-shm", "-journal"];

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// Entries in the restored book.
    pub entries: u64,
    /// The book it replaced, if there was one.
    pub replaced: Option<Replaced>,
}

/// The book a restore replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replaced {
    /// Its copy; restoring that file undoes the restore.
    pub kept_at: PathBuf,
    /// The copy is the raw file (its `-wal` beside it) because SQLite could not copy the book.
    pub raw_copy: bool,
    /// What it held that the backup lacks; `None` when it could not be read.
    pub lost: Option<Lost>,
}

/// Entries of the replaced book that the restored backup lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lost {
    /// How many.
    pub entries: u64,
    /// How many of them HQ never confirmed (pending or refused): they are only in the copy.
    pub unsent: u64,
}

/// Replaces the database at `db_path` with the backup `from`, keeping the current database at
/// `keep_current_at` first (a path that does not exist yet, e.g. from
/// [`super::new_backup_path`]).
///
/// MUST return [`BackupError::Open`] with [`crate::OpenError::Locked`] while another process
/// has the database open, and [`BackupError::Unusable`] or [`BackupError::Missing`] for a file
/// that is not a healthy branch database; in every error case the current database is left as
/// it was. Stale `-wal`/`-shm` files of the database are removed. The restored file is not
/// migrated here: the next start does that.
pub async fn restore_database(
    db_path: &Path,
    from: &Path,
    keep_current_at: &Path,
) -> Result<Restored, BackupError> {
    let lock = DatabaseLock::acquire(db_path)?;
    if !from.is_file() {
        return Err(BackupError::Missing(from.display().to_string()));
    }
    let unusable = |problem| BackupError::Unusable {
        path: from.display().to_string(),
        problem,
    };
    // Refuse an obviously wrong file before copying it.
    if !has_sqlite_header(from)? {
        return Err(unusable(Unusable::NotSqlite));
    }
    // The copy lives beside the database, so the final rename stays within one file system.
    let incoming = sidecar(db_path, ".restoring");
    remove_with_sidecars(&incoming)?;
    let (source, target) = (from.to_path_buf(), incoming.clone());
    blocking(move || {
        std::fs::copy(&source, &target).map_err(|e| BackupError::io("copy", &source, e))?;
        sync_file(&target)
    })
    .await?;
    let outcome = async {
        let summary = check_backup(&incoming).await.map_err(|e| match e {
            BackupError::Unusable { problem, .. } => unusable(problem),
            other => other,
        })?;
        let replaced = if db_path.exists() {
            Some(keep_current(db_path, lock.clone(), &incoming, keep_current_at).await?)
        } else {
            None
        };
        Ok::<_, BackupError>((summary, replaced))
    }
    .await;
    let (summary, replaced) = match outcome {
        Ok(done) => done,
        Err(e) => {
            let _ = remove_with_sidecars(&incoming);
            return Err(e);
        }
    };
    // The old book is kept and its log emptied into it: the log is stale from here on, and
    // applied to the restored file it would corrupt it. Removed before the rename, so a power
    // cut in between leaves the old book whole.
    for suffix in SIDECARS {
        remove_if_exists(&sidecar(db_path, suffix))?;
        remove_if_exists(&sidecar(&incoming, suffix))?;
    }
    rename_durably(&incoming, db_path)?;
    drop(lock);
    Ok(Restored {
        entries: summary.entries,
        replaced,
    })
}

/// Keeps the current book at `keep_at`: a checked backup when SQLite can read it, else the raw
/// file and its log (a damaged book is often why a restore is wanted).
async fn keep_current(
    db_path: &Path,
    lock: DatabaseLock,
    incoming: &Path,
    keep_at: &Path,
) -> Result<Replaced, BackupError> {
    let (lost, kept) = match SqliteDb::open_held(db_path, lock).await {
        Ok(db) => {
            let lost = compare(&db, incoming).await.ok();
            let kept = db.write_backup(keep_at).await;
            // Empty the log into the file (the close does the same when it can).
            let _ = db
                .writer
                .execute_raw(stmt("PRAGMA wal_checkpoint(TRUNCATE)", vec![]))
                .await;
            db.close().await;
            (lost, kept.map(|_| ()))
        }
        Err(e) => (None, Err(BackupError::Open(e))),
    };
    if let Err(e) = kept {
        tracing::warn!(error = %e, "the current database could not be copied by SQLite; keeping the raw file");
        let (source, target) = (db_path.to_path_buf(), keep_at.to_path_buf());
        blocking(move || copy_raw(&source, &target)).await?;
        return Ok(Replaced {
            kept_at: keep_at.to_path_buf(),
            raw_copy: true,
            lost,
        });
    }
    Ok(Replaced {
        kept_at: keep_at.to_path_buf(),
        raw_copy: false,
        lost,
    })
}

/// Counts the entries of the open book that `incoming` lacks.
async fn compare(db: &SqliteDb, incoming: &Path) -> Result<Lost, DbErr> {
    let path = incoming
        .to_str()
        .ok_or_else(|| DbErr::Custom("the path is not valid Unicode".into()))?
        .to_owned();
    // One writer connection: the ATTACH, the count and the DETACH run on the same one.
    let conn = &db.writer;
    conn.execute_raw(stmt("ATTACH DATABASE ? AS incoming", vec![path.into()]))
        .await?;
    let row = conn
        .query_one_raw(stmt(
            "SELECT COUNT(*), COALESCE(SUM(t.is_synced = 0), 0) FROM main.transactions t \
             WHERE NOT EXISTS (SELECT 1 FROM incoming.transactions i WHERE i.id = t.id)",
            vec![],
        ))
        .await;
    let _ = conn
        .execute_raw(stmt("DETACH DATABASE incoming", vec![]))
        .await;
    let row = row?.ok_or_else(|| DbErr::Custom("COUNT(*) returned no row".into()))?;
    let entries: i64 = row.try_get_by_index(0)?;
    let unsent: i64 = row.try_get_by_index(1)?;
    Ok(Lost {
        entries: u64::try_from(entries).unwrap_or(0),
        unsent: u64::try_from(unsent).unwrap_or(0),
    })
}

fn copy_raw(source: &Path, target: &Path) -> Result<(), BackupError> {
    if target.exists() {
        return Err(BackupError::Exists(target.display().to_string()));
    }
    std::fs::copy(source, target).map_err(|e| BackupError::io("copy", source, e))?;
    sync_file(target)?;
    let log = sidecar(source, "-wal");
    if log.is_file() {
        let kept_log = sidecar(target, "-wal");
        std::fs::copy(&log, &kept_log).map_err(|e| BackupError::io("copy", &log, e))?;
        sync_file(&kept_log)?;
    }
    Ok(())
}

fn has_sqlite_header(path: &Path) -> Result<bool, BackupError> {
    let mut header = [0_u8; 16];
    let mut file = std::fs::File::open(path).map_err(|e| BackupError::io("read", path, e))?;
    match file.read_exact(&mut header) {
        Ok(()) => Ok(&header == b"SQLite format 3\0"),
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(false),
        Err(e) => Err(BackupError::io("read", path, e)),
    }
}

fn remove_with_sidecars(path: &Path) -> Result<(), BackupError> {
    remove_if_exists(path)?;
    for suffix in SIDECARS {
        remove_if_exists(&sidecar(path, suffix))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use kh_domain::{BusinessCalendar, TransactionId};
    use kh_ports::Ledger;
    use sea_orm_migration::MigratorTrait;

    use super::*;
    use crate::migration::BranchMigrator;
    use crate::{BranchStore, SqliteTarget};

    /// A backup made by an older version (fewer migrations) is restored as it is, and the next
    /// open brings it up to date.
    #[tokio::test]
    async fn a_backup_from_an_older_version_is_restored_and_migrated_on_open() {
        let dir = tempfile::tempdir().unwrap();
        let old = SqliteDb::open(&SqliteTarget::File(dir.path().join("old.db")))
            .await
            .unwrap();
        BranchMigrator::up(&old.writer, Some(1)).await.unwrap();
        let id = TransactionId::new_v4();
        let sql = format!(
            "INSERT INTO transactions (id, type, category, amount, occurred_at, created_at) \
             VALUES (x'{}', 'OUT', 'Operasional', 5000, 1765162800000, 1765162800000)",
            id.as_uuid().simple()
        );
        old.writer.execute_unprepared(&sql).await.unwrap();
        let backup = dir.path().join("old-backup.db");
        old.write_backup(&backup).await.unwrap();
        old.close().await;

        let book = dir.path().join("haramain-finance.db");
        SqliteDb::open_branch(&SqliteTarget::File(book.clone()))
            .await
            .unwrap()
            .close()
            .await;
        let restored = restore_database(&book, &backup, &dir.path().join("kept.db"))
            .await
            .unwrap();
        assert_eq!(restored.entries, 1);

        let db = SqliteDb::open_branch(&SqliteTarget::File(book))
            .await
            .unwrap();
        let store = BranchStore::new(db, BusinessCalendar::from_name("Asia/Jakarta").unwrap())
            .await
            .unwrap();
        assert!(store.get(id).await.unwrap().is_some());
        store.db().clone().close().await;
    }

    #[tokio::test]
    async fn a_backup_from_a_newer_version_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("newer.db");
        let db = SqliteDb::open_branch(&SqliteTarget::File(path.clone()))
            .await
            .unwrap();
        db.writer
            .execute_unprepared(
                "INSERT INTO seaql_migrations (version, applied_at) \
                 VALUES ('m20990101_000001_future', 0)",
            )
            .await
            .unwrap();
        db.close().await;
        match check_backup(&path).await {
            Err(BackupError::Unusable {
                problem: Unusable::Newer(version),
                ..
            }) => assert_eq!(version, "m20990101_000001_future"),
            other => panic!("expected Newer, got {other:?}"),
        }
    }
}
