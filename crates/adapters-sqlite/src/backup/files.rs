//! Backup files on disk: their names (the UTC time they were taken), listing and retention,
//! and the few file operations a backup or a restore needs to be atomic.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use kh_domain::chrono::{DateTime, NaiveDateTime, Utc};

use super::BackupError;

const PREFIX: &str = "haramain-finance-";
const STAMP: &str = "%Y-%m-%dT%H%M%SZ";
/// `2026-12-06T101500Z`
const STAMP_LEN: usize = 18;
const EXTENSION: &str = ".db";
/// A backup being written; never listed, never taken for a backup.
pub(crate) const PARTIAL: &str = ".partial";
/// A partial file this old was left by a crash and is removed by [`prune_backups`].
const STALE_PARTIAL: Duration = Duration::from_secs(24 * 60 * 60);

/// A backup this app wrote, found in a backups folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupFile {
    /// Where it is.
    pub path: PathBuf,
    /// When it was taken (from its name).
    pub taken_at: DateTime<Utc>,
}

/// The name of a backup taken at `taken_at`, e.g. `haramain-finance-2026-12-06T101500Z.db`, or
/// with a tag, `haramain-finance-2026-12-06T101500Z-before-restore.db`. Names sort by time.
pub fn backup_name(taken_at: DateTime<Utc>, tag: Option<&str>) -> String {
    let stamp = taken_at.format(STAMP);
    match tag {
        Some(tag) => format!("{PREFIX}{stamp}-{tag}{EXTENSION}"),
        None => format!("{PREFIX}{stamp}{EXTENSION}"),
    }
}

/// A path in `dir` for a backup taken at `taken_at` that no file uses yet (a second backup in
/// the same second gets `-2`, `-3`, ...).
pub fn new_backup_path(dir: &Path, taken_at: DateTime<Utc>, tag: Option<&str>) -> PathBuf {
    let first = dir.join(backup_name(taken_at, tag));
    let mut path = first.clone();
    let mut n = 2;
    while path.exists() || partial_path(&path).exists() {
        let numbered = match tag {
            Some(tag) => format!("{tag}-{n}"),
            None => n.to_string(),
        };
        path = dir.join(backup_name(taken_at, Some(&numbered)));
        n += 1;
    }
    path
}

/// When the backup named `name` was taken, if the name is one this app writes.
pub fn parse_backup_name(name: &str) -> Option<DateTime<Utc>> {
    let rest = name.strip_prefix(PREFIX)?;
    let stamp = rest.get(..STAMP_LEN)?;
    let tail = rest.get(STAMP_LEN..)?.strip_suffix(EXTENSION)?;
    let tag_ok = tail.is_empty()
        || tail.strip_prefix('-').is_some_and(|tag| {
            !tag.is_empty()
                && tag
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        });
    if !tag_ok {
        return None;
    }
    NaiveDateTime::parse_from_str(stamp, STAMP)
        .ok()
        .map(|t| t.and_utc())
}

/// The backups in `dir` this app wrote, oldest first; other files are ignored. A folder that
/// does not exist holds none.
pub fn list_backups(dir: &Path) -> Result<Vec<BackupFile>, BackupError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(BackupError::io("read the folder", dir, e)),
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| BackupError::io("read the folder", dir, e))?;
        let Some(taken_at) = entry.file_name().to_str().and_then(parse_backup_name) else {
            continue;
        };
        if entry.file_type().is_ok_and(|t| t.is_file()) {
            found.push(BackupFile {
                path: entry.path(),
                taken_at,
            });
        }
    }
    found.sort_by(|a, b| (a.taken_at, &a.path).cmp(&(b.taken_at, &b.path)));
    Ok(found)
}

/// Deletes all but the newest `keep` backups in `dir` (and partial files a crash left there
/// more than a day ago); files this app did not write are never touched. Returns what it
/// deleted.
pub fn prune_backups(dir: &Path, keep: usize) -> Result<Vec<PathBuf>, BackupError> {
    let backups = list_backups(dir)?;
    let excess = backups.len().saturating_sub(keep);
    let mut removed = Vec::new();
    for old in backups.into_iter().take(excess) {
        remove_if_exists(&old.path)?;
        // A raw copy kept before a restore may have its write-ahead log beside it.
        remove_if_exists(&sidecar(&old.path, "-wal"))?;
        removed.push(old.path);
    }
    remove_stale_partials(dir)?;
    Ok(removed)
}

fn remove_stale_partials(dir: &Path) -> Result<(), BackupError> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let ours = name
            .strip_suffix(PARTIAL)
            .and_then(parse_backup_name)
            .is_some();
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| now.duration_since(t).unwrap_or_default() > STALE_PARTIAL);
        if ours && stale {
            remove_if_exists(&entry.path())?;
        }
    }
    Ok(())
}

/// `<path>.partial`: where a file is written before it gets its name.
pub(crate) fn partial_path(path: &Path) -> PathBuf {
    sidecar(path, PARTIAL)
}

/// `path` with `suffix` appended to its file name (`x.db` -> `x.db-wal`).
pub(crate) fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

pub(crate) fn remove_if_exists(path: &Path) -> Result<(), BackupError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(BackupError::io("delete", path, e)),
        _ => Ok(()),
    }
}

/// Flushes a written file to the disk.
pub(crate) fn sync_file(path: &Path) -> Result<(), BackupError> {
    File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(|e| BackupError::io("write", path, e))
}

/// Renames `from` to `to` (replacing it) and flushes the folder, so the new name survives a
/// power cut.
pub(crate) fn rename_durably(from: &Path, to: &Path) -> Result<(), BackupError> {
    std::fs::rename(from, to).map_err(|e| BackupError::io("rename", from, e))?;
    // Folders cannot be opened for flushing on every OS (Windows); the rename itself stands.
    if let Some(dir) = to.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = File::open(dir).and_then(|d| d.sync_all());
    }
    Ok(())
}

/// Creates the folder that will hold `path`.
pub(crate) fn create_parent(path: &Path) -> Result<(), BackupError> {
    match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(|e| BackupError::io("create the folder", dir, e))
        }
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use kh_domain::chrono::TimeZone;

    use super::*;

    fn at(secs: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_796_551_200 + secs, 0).unwrap()
    }

    #[test]
    fn names_say_the_time_and_parse_back() {
        let t = Utc.with_ymd_and_hms(2026, 12, 6, 10, 15, 0).unwrap();
        assert_eq!(
            backup_name(t, None),
            "haramain-finance-2026-12-06T101500Z.db"
        );
        assert_eq!(
            backup_name(t, Some("before-restore")),
            "haramain-finance-2026-12-06T101500Z-before-restore.db"
        );
        for name in [
            "haramain-finance-2026-12-06T101500Z.db",
            "haramain-finance-2026-12-06T101500Z-2.db",
            "haramain-finance-2026-12-06T101500Z-before-restore.db",
        ] {
            assert_eq!(parse_backup_name(name), Some(t), "{name}");
        }
        for name in [
            "haramain-finance-2026-12-06T101500Z.db.partial",
            "haramain-finance-2026-12-06T101500Z.db-wal",
            "haramain-finance-2026-12-06T101500Z.sqlite",
            "haramain-finance-2026-12-06T101500Z-My Copy.db",
            "haramain-finance-2026-13-06T101500Z.db",
            "haramain-finance.db",
            "notes.db",
        ] {
            assert_eq!(parse_backup_name(name), None, "{name}");
        }
    }

    #[test]
    fn a_second_backup_in_the_same_second_gets_its_own_name() {
        let dir = tempfile::tempdir().unwrap();
        let first = new_backup_path(dir.path(), at(0), None);
        std::fs::write(&first, b"x").unwrap();
        let second = new_backup_path(dir.path(), at(0), None);
        assert_ne!(first, second);
        assert_eq!(
            parse_backup_name(second.file_name().unwrap().to_str().unwrap()),
            Some(at(0))
        );
    }

    #[test]
    fn retention_keeps_the_14_newest_of_20_and_leaves_other_files_alone() {
        let dir = tempfile::tempdir().unwrap();
        // Written in shuffled order: the names, not the file times, say which are newest.
        let mut order: Vec<i64> = (0..20).collect();
        order.reverse();
        order.swap(3, 17);
        for i in &order {
            std::fs::write(dir.path().join(backup_name(at(i * 86_400), None)), b"x").unwrap();
        }
        // Not ours, or (the fresh partial file) possibly being written right now.
        let kept = [
            "notes.txt",
            "haramain-finance.db",
            "my-copy.db",
            "haramain-finance-2020-01-01T000000Z.db.partial",
            "haramain-finance-2020-01-01T000000Z-Copy of.db",
        ];
        for name in kept {
            std::fs::write(dir.path().join(name), b"keep me").unwrap();
        }

        let removed = prune_backups(dir.path(), 14).unwrap();

        assert_eq!(removed.len(), 6);
        let left: Vec<DateTime<Utc>> = list_backups(dir.path())
            .unwrap()
            .into_iter()
            .map(|b| b.taken_at)
            .collect();
        let newest: Vec<DateTime<Utc>> = (6..20).map(|i| at(i * 86_400)).collect();
        assert_eq!(left, newest);
        for name in kept {
            assert!(dir.path().join(name).exists(), "{name} was deleted");
        }
        assert!(prune_backups(dir.path(), 14).unwrap().is_empty());
    }

    #[test]
    fn a_missing_folder_holds_no_backups() {
        let dir = tempfile::tempdir().unwrap();
        assert!(
            list_backups(&dir.path().join("backups"))
                .unwrap()
                .is_empty()
        );
        assert!(
            prune_backups(&dir.path().join("backups"), 14)
                .unwrap()
                .is_empty()
        );
    }
}
