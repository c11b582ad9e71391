//! Branch backups (DESIGN 8.5) for `kh-local`: the daily copy while the server runs, and the
//! `kh-local backup` and `kh-local restore` commands. The SQLite work is in
//! `kh_adapters_sqlite`; this module decides where and when, and what the user is told.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use kh_adapters_sqlite::{
    BackupError, BackupFile, BackupSummary, OpenError, Restored, SqliteDb, SqliteTarget,
    list_backups, new_backup_path, prune_backups, restore_database,
};
use kh_domain::BusinessCalendar;
use kh_domain::chrono::{DateTime, Days, Utc};
use kh_ports::Clock;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::Settings;

/// Backups kept in the backups folder; older ones this app wrote are deleted.
pub const KEEP: usize = 14;
/// The longest the daily task sleeps between looks, so a clock that was set or a PC that
/// slept through midnight is noticed within minutes.
const MAX_NAP: Duration = Duration::from_secs(10 * 60);
/// The tag of the copy a restore keeps of the book it replaces.
const BEFORE_RESTORE: &str = "before-restore";

/// Why `kh-local backup` or `kh-local restore` did nothing.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    /// The settings point at an in-memory database.
    #[error(
        "the database is in memory ({0}): there is no file to back up or restore; unset \
         KH_DATABASE_URL"
    )]
    InMemory(String),
    /// Another process has the database open (restore only).
    #[error(
        "Haramain Finance is running on this database ({0}): close the Haramain Finance \
         window or stop kh-local, then run the restore again. Nothing was changed"
    )]
    Running(String),
    /// The backup or restore itself failed.
    #[error(transparent)]
    Backup(BackupError),
}

impl From<BackupError> for CommandError {
    fn from(e: BackupError) -> Self {
        match e {
            BackupError::Open(OpenError::Locked(locked)) => Self::Running(locked.path),
            other => Self::Backup(other),
        }
    }
}

/// The database file the settings name.
fn database_file(settings: &Settings) -> Result<PathBuf, CommandError> {
    let url = settings.effective_database_url();
    match SqliteTarget::from_url(&url).map_err(BackupError::from)? {
        SqliteTarget::File(path) => Ok(path),
        SqliteTarget::Memory => Err(CommandError::InMemory(url)),
    }
}

/// `kh-local backup [FILE]`: writes a checked backup to `file`, or to a new file in the
/// backups folder (then deletes the oldest beyond [`KEEP`]). Works beside a running server:
/// the database is only read and its lock file is not taken.
pub async fn backup_command(
    settings: &Settings,
    file: Option<PathBuf>,
    now: DateTime<Utc>,
) -> Result<(PathBuf, BackupSummary), CommandError> {
    let db = SqliteDb::open_read_only(&database_file(settings)?)
        .await
        .map_err(BackupError::from)?;
    let dir = settings.backups_dir();
    let dest = file
        .clone()
        .unwrap_or_else(|| new_backup_path(&dir, now, None));
    let written = db.write_backup(&dest).await;
    db.close().await;
    let summary = written?;
    if file.is_none() {
        prune(&dir);
    }
    Ok((dest, summary))
}

/// `kh-local restore FILE`: puts `file` back in place of the database, keeping the current one
/// in the backups folder first. Refused while a server has the database open.
pub async fn restore_command(
    settings: &Settings,
    file: &Path,
    now: DateTime<Utc>,
) -> Result<Restored, CommandError> {
    let db_path = database_file(settings)?;
    let keep_at = new_backup_path(&settings.backups_dir(), now, Some(BEFORE_RESTORE));
    Ok(restore_database(&db_path, file, &keep_at).await?)
}

/// "1 entry", "3 entries".
fn entries(n: u64) -> String {
    if n == 1 {
        "1 entry".to_owned()
    } else {
        format!("{n} entries")
    }
}

/// What `kh-local backup` tells the person who ran it.
pub fn describe_backup(path: &Path, summary: &BackupSummary) -> String {
    format!(
        "Backup written and checked: {} ({})",
        path.display(),
        entries(summary.entries)
    )
}

/// What `kh-local restore` tells the person who ran it, in plain words.
pub fn describe_restore(from: &Path, restored: &Restored) -> String {
    let mut text = format!(
        "Restored the cash book from {}. It holds {}.\n",
        from.display(),
        entries(restored.entries)
    );
    if let Some(replaced) = &restored.replaced {
        let kept = replaced.kept_at.display();
        let _ = writeln!(
            text,
            "The book it replaced is kept in {kept}{}. To undo this restore, run: kh-local restore \"{kept}\"",
            if replaced.raw_copy {
                " (copied as it was: SQLite could not read it)"
            } else {
                ""
            }
        );
        match replaced.lost {
            Some(lost) if lost.entries > 0 => {
                let sent = lost.entries - lost.unsent;
                let _ = writeln!(
                    text,
                    "Not in this backup: {} of the replaced book. Already at HQ (back from \
                     HQ at the next sync): {sent}. Not yet sent to HQ (only in the kept copy): {}.",
                    entries(lost.entries),
                    lost.unsent,
                );
            }
            Some(_) => {
                let _ = writeln!(text, "Every entry of the replaced book is in this backup.");
            }
            None => {}
        }
    }
    text.push_str(
        "Start Haramain Finance as usual: it updates the restored book to this version, the \
         sync sends HQ every entry it does not have yet and takes back from HQ the entries \
         this book lacks.",
    );
    text
}

/// Deletes the oldest backups beyond [`KEEP`]; a failure is logged, never fatal.
fn prune(dir: &Path) {
    match prune_backups(dir, KEEP) {
        Ok(removed) if !removed.is_empty() => {
            tracing::info!(removed = removed.len(), "old backups deleted");
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "old backups could not be deleted"),
    }
}

/// What one look of the daily task did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Daily {
    /// Today's backup was written here.
    Written(PathBuf),
    /// The folder already has a backup of today's business date.
    AlreadyDone,
    /// Writing or checking failed (logged); the next look tries again.
    Failed,
}

/// One look of the daily task: unless `dir` already holds a backup taken on the business date
/// of `now` (in `calendar`), writes one and deletes the oldest beyond [`KEEP`].
pub(crate) async fn daily_step(
    db: &SqliteDb,
    dir: &Path,
    calendar: BusinessCalendar,
    now: DateTime<Utc>,
) -> Daily {
    let existing = match list_backups(dir) {
        Ok(existing) => existing,
        Err(e) => {
            tracing::error!(error = %e, "the backups folder cannot be read");
            return Daily::Failed;
        }
    };
    if !due(&existing, calendar, now) {
        return Daily::AlreadyDone;
    }
    let dest = new_backup_path(dir, now, None);
    match db.write_backup(&dest).await {
        Ok(summary) => {
            tracing::info!(file = %dest.display(), entries = summary.entries, "daily backup written");
            prune(dir);
            Daily::Written(dest)
        }
        Err(e) => {
            tracing::error!(error = %e, "daily backup failed");
            Daily::Failed
        }
    }
}

/// Whether no backup in `existing` was taken on the business date of `now`.
fn due(existing: &[BackupFile], calendar: BusinessCalendar, now: DateTime<Utc>) -> bool {
    let today = calendar.date_of(now);
    !existing
        .iter()
        .any(|b| calendar.date_of(b.taken_at) == today)
}

/// How long to sleep before the next look: until the next business day starts, at most
/// [`MAX_NAP`].
fn until_next_look(calendar: BusinessCalendar, now: DateTime<Utc>) -> Duration {
    calendar
        .date_of(now)
        .checked_add_days(Days::new(1))
        .and_then(|tomorrow| (calendar.start_of(tomorrow) - now).to_std().ok())
        .unwrap_or(MAX_NAP)
        .clamp(Duration::from_secs(1), MAX_NAP)
}

/// The daily backup task of a running server.
#[derive(Debug)]
pub(crate) struct DailyBackups {
    stop: watch::Sender<bool>,
    join: JoinHandle<()>,
}

impl DailyBackups {
    /// Looks at once (today's backup at start-up), then at each new business day.
    pub(crate) fn spawn(
        db: SqliteDb,
        dir: PathBuf,
        calendar: BusinessCalendar,
        clock: Arc<dyn Clock>,
    ) -> Self {
        let (stop, mut stopped) = watch::channel(false);
        let join = tokio::spawn(async move {
            loop {
                daily_step(&db, &dir, calendar, clock.now()).await;
                let nap = until_next_look(calendar, clock.now());
                tokio::select! {
                    () = tokio::time::sleep(nap) => {}
                    _ = stopped.changed() => break,
                }
            }
        });
        Self { stop, join }
    }

    /// Stops the task and waits for it; a backup being written is finished first.
    pub(crate) async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.join.await;
    }
}

#[cfg(test)]
mod tests {
    use kh_adapters_sqlite::{Lost, Replaced, backup_name};
    use kh_domain::chrono::TimeZone;

    use super::*;

    fn wib() -> BusinessCalendar {
        BusinessCalendar::from_name("Asia/Jakarta").unwrap()
    }

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
    }

    fn taken(at: DateTime<Utc>) -> BackupFile {
        BackupFile {
            path: PathBuf::from(backup_name(at, None)),
            taken_at: at,
        }
    }

    #[test]
    fn one_backup_per_business_day_in_the_branch_time_zone() {
        let evening = taken(utc(2026, 12, 6, 10, 0)); // 17:00 WIB on the 6th
        assert!(due(&[], wib(), utc(2026, 12, 6, 10, 0)));
        assert!(!due(
            std::slice::from_ref(&evening),
            wib(),
            utc(2026, 12, 6, 16, 59)
        ));
        assert!(due(
            std::slice::from_ref(&evening),
            wib(),
            utc(2026, 12, 6, 17, 0)
        ));
        // 2026-12-06 23:30 UTC is 06:30 WIB on the 7th: that day's backup, whatever its UTC date.
        let early = taken(utc(2026, 12, 6, 23, 30));
        assert!(!due(&[evening, early], wib(), utc(2026, 12, 7, 9, 0)));
    }

    #[test]
    fn the_task_wakes_at_the_next_midnight_or_within_ten_minutes() {
        // 23:55 WIB: five minutes to the new business day.
        assert_eq!(
            until_next_look(wib(), utc(2026, 12, 6, 16, 55)),
            Duration::from_secs(300)
        );
        assert_eq!(until_next_look(wib(), utc(2026, 12, 6, 3, 0)), MAX_NAP);
    }

    #[tokio::test]
    async fn the_daily_step_writes_once_a_day_and_keeps_fourteen() {
        let dir = tempfile::tempdir().unwrap();
        let backups = dir.path().join("backups");
        let target = SqliteTarget::File(dir.path().join("haramain-finance.db"));
        let db = SqliteDb::open_branch(&target).await.unwrap();
        let morning = utc(2026, 12, 6, 1, 0);
        let Daily::Written(first) = daily_step(&db, &backups, wib(), morning).await else {
            panic!("no backup at start-up");
        };
        assert!(first.is_file());
        assert_eq!(
            daily_step(&db, &backups, wib(), utc(2026, 12, 6, 9, 0)).await,
            Daily::AlreadyDone
        );
        for day in 1..=20 {
            let later = morning + kh_domain::chrono::Duration::days(day);
            assert!(matches!(
                daily_step(&db, &backups, wib(), later).await,
                Daily::Written(_)
            ));
        }
        let left = list_backups(&backups).unwrap();
        assert_eq!(left.len(), KEEP);
        assert_eq!(
            left.last().unwrap().taken_at,
            morning + kh_domain::chrono::Duration::days(20)
        );
        db.close().await;
    }

    #[test]
    fn the_restore_report_says_what_was_kept_and_what_only_the_copy_holds() {
        let restored = Restored {
            entries: 4,
            replaced: Some(Replaced {
                kept_at: PathBuf::from("/data/backups/kept.db"),
                raw_copy: false,
                lost: Some(Lost {
                    entries: 3,
                    unsent: 1,
                }),
            }),
        };
        let text = describe_restore(Path::new("/usb/monday.db"), &restored);
        assert!(
            text.contains("from /usb/monday.db. It holds 4 entries"),
            "{text}"
        );
        assert!(
            text.contains("kh-local restore \"/data/backups/kept.db\""),
            "{text}"
        );
        assert!(
            text.contains(
                "Not in this backup: 3 entries of the replaced book. Already at HQ (back from \
                 HQ at the next sync): 2. Not yet sent to HQ (only in the kept copy): 1."
            ),
            "{text}"
        );
    }
}
