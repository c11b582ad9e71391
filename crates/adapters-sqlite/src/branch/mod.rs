//! The branch side: ledger, outbox and sync settings over one SQLite file.

mod aggregates;
mod entity;
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
}

impl BranchStore {
    /// Wraps an open, migrated branch database whose business dates fall in `calendar`.
    /// If the aggregates were computed in another time zone they are rebuilt first.
    pub async fn new(db: SqliteDb, calendar: BusinessCalendar) -> Result<Self, OpenError> {
        let store = Self {
            db,
            calendar,
            lists_cache: Arc::default(),
        };
        store
            .ensure_aggregates_match_calendar()
            .await
            .map_err(|e| OpenError::Database(sea_orm::DbErr::Custom(e.to_string())))?;
        Ok(store)
    }

    /// The underlying database (for benchmarks and tools).
    pub fn db(&self) -> &SqliteDb {
        &self.db
    }
}
