//! The branch side: ledger, outbox and sync settings over one SQLite file.

mod aggregates;
mod inbox;
mod ledger;
mod lists;
mod outbox;
mod people;
mod rows;
mod settings;
mod shifts;

use std::sync::Arc;

use kh_domain::{BusinessCalendar, Lists};
use tokio::sync::RwLock;

use crate::SqliteDb;
use crate::db::OpenError;

/// The branch's storage: implements [`kh_ports::Ledger`], [`kh_ports::Outbox`],
/// [`kh_ports::Inbox`], [`kh_ports::BranchLists`] and [`kh_ports::SyncSettings`] over one
/// database. Cheap to clone.
#[derive(Debug, Clone)]
pub struct BranchStore {
    db: SqliteDb,
    calendar: BusinessCalendar,
    /// HQ's lists as stored, read once and dropped whenever they change.
    lists_cache: Arc<RwLock<Option<Lists>>>,
    /// Category spellings already in the book, with the name it shows for each.
    spellings: Arc<aggregates::KnownSpellings>,
    /// Lock-screen sessions confirmed in the file lately.
    sessions: Arc<people::RecentSessions>,
}

impl BranchStore {
    /// Wraps an open, migrated branch database whose business dates fall in `calendar`.
    /// If the aggregates were computed in another time zone they are rebuilt first.
    ///
    /// The business day starts when HQ last said (`business_day_starts_at`, kept with its
    /// lists): a change HQ sends applies from the next start, and the per-day totals are
    /// rebuilt then.
    pub async fn new(db: SqliteDb, calendar: BusinessCalendar) -> Result<Self, OpenError> {
        use kh_ports::BranchLists;
        let mut store = Self {
            db,
            calendar,
            lists_cache: Arc::default(),
            spellings: Arc::default(),
            sessions: Arc::default(),
        };
        let day_start = store
            .lists()
            .await
            .map_err(|e| OpenError::Database(sea_orm::DbErr::Custom(e.to_string())))?
            .settings
            .day_starts_at_minutes;
        store.calendar = calendar.with_day_start(day_start);
        store
            .ensure_aggregates_match_calendar()
            .await
            .map_err(|e| OpenError::Database(sea_orm::DbErr::Custom(e.to_string())))?;
        Ok(store)
    }

    /// The calendar business dates fall in: the zone given, the day start HQ sent.
    pub fn calendar(&self) -> BusinessCalendar {
        self.calendar
    }

    /// The underlying database (for benchmarks and tools).
    pub fn db(&self) -> &SqliteDb {
        &self.db
    }

    /// A fresh branch book in a file of a temporary folder (kept as long as the folder is).
    #[cfg(test)]
    pub(crate) async fn in_temp_folder() -> (tempfile::TempDir, Self) {
        let dir = tempfile::tempdir().unwrap();
        let db = SqliteDb::open_branch(&crate::SqliteTarget::File(dir.path().join("b.db")))
            .await
            .unwrap();
        let store = Self::new(db, BusinessCalendar::from_name("Asia/Jakarta").unwrap())
            .await
            .unwrap();
        (dir, store)
    }
}
