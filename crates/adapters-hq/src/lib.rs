//! HQ storage on SeaORM: one entity set and one implementation of the HQ ports
//! ([`kh_ports::BranchDirectory`], [`kh_ports::HqLedger`], [`kh_ports::HqLists`]) for PostgreSQL (production) and
//! SQLite (a one-machine trial). The backend crates only open connections.
#![forbid(unsafe_code)]

mod aggregates;
mod directory;
mod entity;
mod epoch;
mod error;
mod feed;
mod ingest;
mod key_cache;
mod lists;
mod migration;
mod people;
mod reports;
mod shifts;
mod spellings;
mod staff;

use std::sync::Arc;

use kh_domain::BusinessCalendar;
use kh_ports::HqError;
use sea_orm::DatabaseConnection;
use sea_orm_migration::MigratorTrait;

pub use migration::HqMigrator;

/// The HQ store. Cheap to clone. On SQLite, `writer` is a single connection so writes queue
/// in-process; on PostgreSQL both are the same pool.
#[derive(Clone)]
pub struct HqStore {
    writer: DatabaseConnection,
    reader: DatabaseConnection,
    calendar: BusinessCalendar,
    keys: Arc<key_cache::KeyCache>,
    spellings: Arc<spellings::KnownSpellings>,
    epoch: Arc<epoch::EpochCache>,
    _guard: Option<Arc<dyn std::any::Any + Send + Sync>>,
}

impl std::fmt::Debug for HqStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HqStore")
            .field("backend", &self.writer.get_database_backend())
            .finish()
    }
}

impl HqStore {
    /// A store over migrated connections, with business dates in `calendar`. `guard` is kept
    /// alive as long as the store (e.g. the SQLite lock file).
    pub fn new(
        writer: DatabaseConnection,
        reader: DatabaseConnection,
        calendar: BusinessCalendar,
        guard: Option<Arc<dyn std::any::Any + Send + Sync>>,
    ) -> Self {
        Self {
            writer,
            reader,
            calendar,
            keys: Arc::default(),
            spellings: Arc::default(),
            epoch: Arc::default(),
            _guard: guard,
        }
    }

    /// Applies pending migrations, then rebuilds the per-day totals if they were computed in
    /// another time zone.
    pub async fn migrate(&self) -> Result<(), HqError> {
        HqMigrator::up(&self.writer, None)
            .await
            .map_err(error::db_err)?;
        self.ensure_epoch().await?;
        self.ensure_lists().await?;
        self.ensure_aggregates_match_calendar().await
    }

    /// Closes the connections.
    pub async fn close(self) {
        let _ = self.reader.close().await;
        let _ = self.writer.close().await;
    }
}
