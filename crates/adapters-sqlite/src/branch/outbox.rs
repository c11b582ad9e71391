//! [`Outbox`] for the branch database.

use async_trait::async_trait;
use kh_domain::chrono::{DateTime, Utc};
use kh_domain::{BranchId, Transaction};
use kh_ports::{LedgerError, Outbox, OutboxCounts, PushOutcome};
use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionTrait, Value};

use super::BranchStore;
use super::rows::{TX_COLUMNS, TxRow};
use crate::error::{corrupt, db_err};
use crate::time::to_ms;

/// Ids per UPDATE statement, well under SQLite's bind-parameter limit.
const IDS_PER_STATEMENT: usize = 500;

fn stmt(sql: impl Into<String>, values: Vec<Value>) -> Statement {
    Statement::from_sql_and_values(DbBackend::Sqlite, sql.into(), values)
}

#[async_trait]
impl Outbox for BranchStore {
    async fn pending(&self, limit: u32) -> Result<Vec<Transaction>, LedgerError> {
        let sql = format!(
            "SELECT {TX_COLUMNS} FROM transactions t WHERE t.is_synced = 0 AND t.sync_error IS NULL \
             ORDER BY t.created_at, t.id LIMIT ?"
        );
        let rows = self
            .db
            .reader
            .query_all_raw(stmt(sql, vec![i64::from(limit).into()]))
            .await
            .map_err(db_err)?;
        rows.iter().map(TxRow::decode).collect()
    }

    async fn apply_outcome(
        &self,
        outcome: &PushOutcome,
        at: DateTime<Utc>,
    ) -> Result<(), LedgerError> {
        let txn = self.db.writer.begin().await.map_err(db_err)?;
        for chunk in outcome.synced.chunks(IDS_PER_STATEMENT) {
            let marks = vec!["?"; chunk.len()].join(", ");
            let mut values: Vec<Value> = vec![to_ms(at).into()];
            values.extend(chunk.iter().map(|id| Value::from(id.as_uuid())));
            let sql = format!(
                "UPDATE transactions SET is_synced = 1, synced_at = ?, sync_error = NULL \
                 WHERE id IN ({marks}) AND is_synced = 0"
            );
            txn.execute_raw(stmt(sql, values)).await.map_err(db_err)?;
        }
        for (id, reason) in &outcome.rejected {
            txn.execute_raw(stmt(
                "UPDATE transactions SET sync_error = ? WHERE id = ? AND is_synced = 0",
                vec![reason.clone().into(), id.as_uuid().into()],
            ))
            .await
            .map_err(db_err)?;
        }
        txn.commit().await.map_err(db_err)
    }

    async fn counts(&self) -> Result<OutboxCounts, LedgerError> {
        let row = self
            .db
            .reader
            .query_one_raw(stmt(
                "SELECT (SELECT COUNT(*) FROM transactions WHERE is_synced = 0 AND sync_error IS NULL), \
                        (SELECT COUNT(*) FROM transactions WHERE sync_error IS NOT NULL)",
                vec![],
            ))
            .await
            .map_err(db_err)?
            .ok_or_else(|| corrupt("COUNT returned no row"))?;
        let pending: i64 = row.try_get_by_index(0).map_err(db_err)?;
        let rejected: i64 = row.try_get_by_index(1).map_err(db_err)?;
        Ok(OutboxCounts {
            pending: u64::try_from(pending).unwrap_or_default(),
            rejected: u64::try_from(rejected).unwrap_or_default(),
        })
    }

    async fn retry_rejected(&self) -> Result<u64, LedgerError> {
        let result = self
            .db
            .writer
            .execute_unprepared(
                "UPDATE transactions SET sync_error = NULL WHERE sync_error IS NOT NULL",
            )
            .await
            .map_err(db_err)?;
        Ok(result.rows_affected())
    }

    async fn assign_branch(&self, branch: BranchId) -> Result<u64, LedgerError> {
        let result = self
            .db
            .writer
            .execute_raw(stmt(
                "UPDATE transactions SET branch_id = ? WHERE branch_id IS NULL",
                vec![branch.as_uuid().into()],
            ))
            .await
            .map_err(db_err)?;
        Ok(result.rows_affected())
    }
}
