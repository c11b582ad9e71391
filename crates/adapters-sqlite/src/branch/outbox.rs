//! [`Outbox`] for the branch database.

use std::sync::LazyLock;

use async_trait::async_trait;
use kh_domain::chrono::{DateTime, Utc};
use kh_domain::{BranchId, RejectionCode, Transaction};
use kh_ports::{LedgerError, Outbox, OutboxCounts, PushOutcome};
use sea_orm::{ConnectionTrait, TransactionTrait, Value};

use super::BranchStore;
use super::rows::{TX_COLUMNS, TxRow};
use crate::error::{corrupt, db_err};
use crate::sql::stmt;
use crate::time::to_ms;

/// Ids per UPDATE statement, well under SQLite's bind-parameter limit.
const IDS_PER_STATEMENT: usize = 500;

/// Rows of the branch the PC is activated for, or of none yet: another branch's rows are held,
/// never pushed with this branch's key (HQ would refuse them as `branch_mismatch` forever).
const THIS_BRANCH: &str = "(t.branch_id IS NULL \
     OR t.branch_id IS (SELECT s.branch_id FROM sync_settings s WHERE s.id = 1))";

/// The next `?` entries to push, in the order they were made (the outbox's partial index is
/// in rowid order, so this reads only the first waiting entries, however long the ledger).
static PENDING: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT {TX_COLUMNS} FROM transactions t WHERE t.is_synced = 0 AND t.sync_error_code IS NULL \
         AND {THIS_BRANCH} ORDER BY t.rowid LIMIT ?"
    )
});

/// Puts back in the outbox the voids HQ refused as `unknown_reference` whose original is now
/// synced. It starts from the quarantined rows (a handful, through their partial index) and
/// looks each original up by id: written as `reverses_id IN (SELECT … WHERE is_synced = 1)`,
/// SQLite listed every synced row of the ledger for each pushed batch, which made a
/// 100,000-entry backlog drain twelve times slower (docs/benchmarks.md, "Sync drain").
const REQUEUE_VOIDS: &str = "UPDATE transactions SET sync_error_code = NULL, sync_error_reason = NULL \
     WHERE sync_error_code = ? AND is_synced = 0 \
       AND EXISTS (SELECT 1 FROM transactions o \
                   WHERE o.id = transactions.reverses_id AND o.is_synced = 1)";

#[async_trait]
impl Outbox for BranchStore {
    async fn pending(&self, limit: u32) -> Result<Vec<Transaction>, LedgerError> {
        let rows = self
            .db
            .reader
            .query_all_raw(stmt(PENDING.as_str(), vec![i64::from(limit).into()]))
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
                "UPDATE transactions SET is_synced = 1, synced_at = ?, sync_error_code = NULL, sync_error_reason = NULL \
                 WHERE id IN ({marks}) AND is_synced = 0"
            );
            txn.execute_raw(stmt(sql, values)).await.map_err(db_err)?;
        }
        for (id, refusal) in &outcome.rejected {
            txn.execute_raw(stmt(
                "UPDATE transactions SET sync_error_code = ?, sync_error_reason = ? \
                 WHERE id = ? AND is_synced = 0",
                vec![
                    refusal.code.as_str().into(),
                    refusal.reason.as_str().into(),
                    id.as_uuid().into(),
                ],
            ))
            .await
            .map_err(db_err)?;
        }
        if !outcome.synced.is_empty() {
            // A void HQ refused because its original had not arrived yet goes back in the
            // outbox by itself once that original is safe at HQ.
            txn.execute_raw(stmt(
                REQUEUE_VOIDS,
                vec![RejectionCode::UnknownReference.as_str().into()],
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
                format!(
                    "SELECT (SELECT COUNT(*) FROM transactions t \
                             WHERE t.is_synced = 0 AND t.sync_error_code IS NULL AND {THIS_BRANCH}), \
                            (SELECT COUNT(*) FROM transactions t \
                             WHERE t.sync_error_code IS NOT NULL AND {THIS_BRANCH}), \
                            (SELECT COUNT(*) FROM transactions t \
                             WHERE t.is_synced = 0 AND t.sync_error_code IS NULL AND NOT {THIS_BRANCH}) \
                          + (SELECT COUNT(*) FROM transactions t \
                             WHERE t.sync_error_code IS NOT NULL AND NOT {THIS_BRANCH}), \
                            (SELECT COUNT(*) FROM shift_sync WHERE refused_code IS NOT NULL)"
                ),
                vec![],
            ))
            .await
            .map_err(db_err)?
            .ok_or_else(|| corrupt("COUNT returned no row"))?;
        let count = |i: usize| -> Result<u64, LedgerError> {
            let n: i64 = row.try_get_by_index(i).map_err(db_err)?;
            Ok(u64::try_from(n).unwrap_or_default())
        };
        Ok(OutboxCounts {
            pending: count(0)?,
            rejected: count(1)?,
            held: count(2)?,
            refused_shifts: count(3)?,
        })
    }

    async fn retry_rejected(&self) -> Result<u64, LedgerError> {
        let result = self
            .db
            .writer
            .execute_unprepared(
                "UPDATE transactions SET sync_error_code = NULL, sync_error_reason = NULL \
                 WHERE sync_error_code IS NOT NULL",
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

#[cfg(test)]
mod tests {
    use sea_orm::ConnectionTrait;

    use crate::BranchStore;
    use crate::sql::stmt;

    /// What SQLite plans for `sql` with its one parameter `value`, one line a step.
    async fn plan(store: &BranchStore, sql: &str, value: sea_orm::Value) -> Vec<String> {
        let rows = store
            .db
            .reader
            .query_all_raw(stmt(format!("EXPLAIN QUERY PLAN {sql}"), vec![value]))
            .await
            .unwrap();
        rows.iter()
            .map(|r| r.try_get_by_index::<String>(3).unwrap())
            .collect()
    }

    /// Each pushed batch reads the next entries and runs the requeue: both must go through
    /// their indexes (the waiting entries, the quarantined ones, each original by its id),
    /// never read the whole ledger, which grows for years.
    #[tokio::test]
    async fn a_pushed_batch_reads_only_waiting_and_quarantined_rows() {
        let (_dir, store) = BranchStore::in_temp_folder().await;
        let steps = plan(&store, super::REQUEUE_VOIDS, "unknown_reference".into()).await;
        assert!(
            steps
                .iter()
                .all(|s| !s.starts_with("SCAN") || s.contains("ix_transactions_rejected")),
            "a step of the requeue reads the whole table: {steps:?}"
        );
        assert!(
            steps.iter().any(|s| s.contains("ix_transactions_rejected")),
            "{steps:?}"
        );
        let steps = plan(&store, &super::PENDING, 50_i64.into()).await;
        assert!(
            steps
                .iter()
                .all(|s| !s.starts_with("SCAN") && !s.contains("TEMP B-TREE")),
            "the next batch's read scans a table or sorts every waiting entry: {steps:?}"
        );
        assert!(
            steps
                .iter()
                .any(|s| s.contains("ix_transactions_outbox_seq")),
            "{steps:?}"
        );
    }
}
