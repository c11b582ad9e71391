//! HQ's epoch (DESIGN 8.4): which life of the database an answer comes from.

use std::sync::{PoisonError, RwLock};

use kh_adapters_sql::stmt;
use kh_domain::HqEpoch;
use kh_ports::HqError;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::HqStore;
use crate::error::{corrupt, db_err};

const EPOCH_KEY: &str = "epoch";

/// The epoch as this process last read or wrote it: every push and pull answer carries it,
/// so it is not read from the database each time. `kh-cloud epoch reset` runs while no server
/// does (after a restore), so a server always starts with the current one.
#[derive(Debug, Default)]
pub(crate) struct EpochCache(RwLock<Option<HqEpoch>>);

impl EpochCache {
    fn get(&self) -> Option<HqEpoch> {
        *self.0.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn set(&self, epoch: HqEpoch) {
        *self.0.write().unwrap_or_else(PoisonError::into_inner) = Some(epoch);
    }
}

impl HqStore {
    /// Makes the epoch at the first migration (kept ever after) and remembers it.
    pub(crate) async fn ensure_epoch(&self) -> Result<HqEpoch, HqError> {
        let backend = self.writer.get_database_backend();
        self.writer
            .execute_raw(stmt(
                backend,
                "INSERT INTO hq_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
                vec![EPOCH_KEY.into(), HqEpoch::new_v4().to_string().into()],
            ))
            .await
            .map_err(db_err)?;
        let row = self
            .writer
            .query_one_raw(stmt(
                backend,
                "SELECT value FROM hq_meta WHERE key = ?",
                vec![EPOCH_KEY.into()],
            ))
            .await
            .map_err(db_err)?
            .ok_or_else(|| corrupt("hq_meta has no epoch"))?;
        let text: String = row.try_get_by_index(0).map_err(db_err)?;
        let epoch = Uuid::try_parse(&text)
            .map(HqEpoch::from_uuid)
            .map_err(|_| corrupt("hq_meta's epoch is not a UUID"))?;
        self.epoch.set(epoch);
        Ok(epoch)
    }

    /// The current epoch.
    pub(crate) async fn current_epoch(&self) -> Result<HqEpoch, HqError> {
        match self.epoch.get() {
            Some(epoch) => Ok(epoch),
            None => self.ensure_epoch().await,
        }
    }

    /// Makes a new epoch (after HQ was restored from a backup): branches that see it send all
    /// their rows again.
    pub(crate) async fn new_epoch(&self) -> Result<HqEpoch, HqError> {
        let backend = self.writer.get_database_backend();
        let epoch = HqEpoch::new_v4();
        self.writer
            .execute_raw(stmt(
                backend,
                "INSERT INTO hq_meta (key, value) VALUES (?, ?) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                vec![EPOCH_KEY.into(), epoch.to_string().into()],
            ))
            .await
            .map_err(db_err)?;
        self.epoch.set(epoch);
        Ok(epoch)
    }
}
