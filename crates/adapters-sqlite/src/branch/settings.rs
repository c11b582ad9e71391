//! [`SyncSettings`] for the branch database: one row in `sync_settings`.

use async_trait::async_trait;
use kh_domain::BranchId;
use kh_ports::{
    BranchIdentity, LedgerError, LinkStatus, SyncActivity, SyncCredentials, SyncSettings,
};
use sea_orm::{ConnectionTrait, QueryResult};

use super::BranchStore;
use crate::error::{corrupt, db_err};
use crate::sql::stmt;
use crate::time::{from_ms, to_ms};

impl BranchStore {
    async fn settings_row(&self, columns: &str) -> Result<QueryResult, LedgerError> {
        self.db
            .reader
            .query_one_raw(stmt(
                format!("SELECT {columns} FROM sync_settings WHERE id = 1"),
                vec![],
            ))
            .await
            .map_err(db_err)?
            .ok_or_else(|| corrupt("sync_settings row missing"))
    }
}

#[async_trait]
impl SyncSettings for BranchStore {
    async fn credentials(&self) -> Result<Option<SyncCredentials>, LedgerError> {
        let row = self.settings_row("cloud_url, api_key").await?;
        let url: Option<String> = row.try_get_by_index(0).map_err(db_err)?;
        let key: Option<String> = row.try_get_by_index(1).map_err(db_err)?;
        Ok(url
            .zip(key)
            .map(|(cloud_url, api_key)| SyncCredentials { cloud_url, api_key }))
    }

    async fn identity(&self) -> Result<Option<BranchIdentity>, LedgerError> {
        let row = self
            .settings_row("branch_id, branch_code, branch_name")
            .await?;
        let id: Option<uuid::Uuid> = row.try_get_by_index(0).map_err(db_err)?;
        let code: Option<String> = row.try_get_by_index(1).map_err(db_err)?;
        let name: Option<String> = row.try_get_by_index(2).map_err(db_err)?;
        Ok(match (id, code, name) {
            (Some(id), Some(code), Some(name)) => Some(BranchIdentity {
                id: BranchId::from_uuid(id),
                code,
                name,
            }),
            _ => None,
        })
    }

    async fn activate(
        &self,
        credentials: &SyncCredentials,
        identity: Option<BranchIdentity>,
    ) -> Result<(), LedgerError> {
        let (id, code, name) = match identity {
            Some(i) => (Some(i.id.as_uuid()), Some(i.code), Some(i.name)),
            None => (None, None, None),
        };
        self.db
            .writer
            .execute_raw(stmt(
                "UPDATE sync_settings SET cloud_url = ?, api_key = ?, branch_id = ?, branch_code = ?, \
                 branch_name = ?, link_status = 'offline', last_error = NULL WHERE id = 1",
                vec![
                    credentials.cloud_url.clone().into(),
                    credentials.api_key.clone().into(),
                    id.into(),
                    code.into(),
                    name.into(),
                ],
            ))
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn activity(&self) -> Result<SyncActivity, LedgerError> {
        let row = self
            .settings_row("link_status, last_sync_at, last_attempt_at, last_error")
            .await?;
        let link: String = row.try_get_by_index(0).map_err(db_err)?;
        let last_sync: Option<i64> = row.try_get_by_index(1).map_err(db_err)?;
        let last_attempt: Option<i64> = row.try_get_by_index(2).map_err(db_err)?;
        Ok(SyncActivity {
            link: LinkStatus::parse(&link),
            last_sync_at: last_sync.map(from_ms).transpose()?,
            last_attempt_at: last_attempt.map(from_ms).transpose()?,
            last_error: row.try_get_by_index(3).map_err(db_err)?,
        })
    }

    async fn learn_identity(
        &self,
        credentials: &SyncCredentials,
        identity: &BranchIdentity,
    ) -> Result<bool, LedgerError> {
        let result = self
            .db
            .writer
            .execute_raw(stmt(
                "UPDATE sync_settings SET branch_id = ?, branch_code = ?, branch_name = ? \
                 WHERE id = 1 AND cloud_url = ? AND api_key = ? AND branch_id IS NULL",
                vec![
                    identity.id.as_uuid().into(),
                    identity.code.clone().into(),
                    identity.name.clone().into(),
                    credentials.cloud_url.clone().into(),
                    credentials.api_key.clone().into(),
                ],
            ))
            .await
            .map_err(db_err)?;
        Ok(result.rows_affected() == 1)
    }

    async fn record_activity_for(
        &self,
        credentials: &SyncCredentials,
        activity: &SyncActivity,
    ) -> Result<bool, LedgerError> {
        let result = self
            .db
            .writer
            .execute_raw(stmt(
                "UPDATE sync_settings SET link_status = ?, last_sync_at = ?, last_attempt_at = ?, \
                 last_error = ? WHERE id = 1 AND cloud_url = ? AND api_key = ?",
                vec![
                    activity.link.as_str().into(),
                    activity.last_sync_at.map(to_ms).into(),
                    activity.last_attempt_at.map(to_ms).into(),
                    activity.last_error.clone().into(),
                    credentials.cloud_url.clone().into(),
                    credentials.api_key.clone().into(),
                ],
            ))
            .await
            .map_err(db_err)?;
        Ok(result.rows_affected() == 1)
    }

    async fn record_activity(&self, activity: &SyncActivity) -> Result<(), LedgerError> {
        self.db
            .writer
            .execute_raw(stmt(
                "UPDATE sync_settings SET link_status = ?, last_sync_at = ?, last_attempt_at = ?, \
                 last_error = ? WHERE id = 1",
                vec![
                    activity.link.as_str().into(),
                    activity.last_sync_at.map(to_ms).into(),
                    activity.last_attempt_at.map(to_ms).into(),
                    activity.last_error.clone().into(),
                ],
            ))
            .await
            .map_err(db_err)?;
        Ok(())
    }
}
