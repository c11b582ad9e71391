//! A branch's feed (DESIGN 8.1): its stored rows in `seq` order, for `GET /sync/pull`.

use kh_adapters_sql::stmt;
use kh_domain::chrono::{DateTime, Utc};
use kh_domain::{BranchId, DeviceId};
use kh_ports::{FeedPage, FeedRow, HqError};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::HqStore;
use crate::error::{corrupt, db_err};
use crate::ingest::{COLUMN_COUNT, COLUMNS, decode};

impl HqStore {
    /// One indexed range read on `(branch_id, seq)`, one row more than asked to learn whether
    /// there is more; the branch's row count (from the per-day totals) only when there is.
    pub(crate) async fn feed_page(
        &self,
        branch: BranchId,
        after: i64,
        limit: u32,
    ) -> Result<FeedPage, HqError> {
        let backend = self.reader.get_database_backend();
        let sql = format!(
            "SELECT {COLUMNS}, received_at, seq, device_id FROM transactions \
             WHERE branch_id = ? AND seq > ? ORDER BY seq LIMIT ?"
        );
        let values = vec![
            branch.as_uuid().into(),
            after.into(),
            (i64::from(limit) + 1).into(),
        ];
        let rows = self
            .reader
            .query_all_raw(stmt(backend, &sql, values))
            .await
            .map_err(db_err)?;
        let more = rows.len() > limit as usize;
        let mut items = Vec::with_capacity(rows.len().min(limit as usize));
        for row in rows.iter().take(limit as usize) {
            let received_at: DateTime<Utc> = row.try_get_by_index(COLUMN_COUNT).map_err(db_err)?;
            let seq: i64 = row.try_get_by_index(COLUMN_COUNT + 1).map_err(db_err)?;
            let device: Option<Uuid> = row.try_get_by_index(COLUMN_COUNT + 2).map_err(db_err)?;
            items.push(FeedRow {
                seq,
                device: device.map(DeviceId::from_uuid),
                tx: decode(row)?,
                received_at,
            });
        }
        let total = if more {
            let row = self
                .reader
                .query_one_raw(stmt(
                    backend,
                    "SELECT CAST(COALESCE(SUM(count_in + count_out + voided_count_in + voided_count_out), 0) AS BIGINT) \
                     FROM daily_totals WHERE branch_id = ?",
                    vec![branch.as_uuid().into()],
                ))
                .await
                .map_err(db_err)?
                .ok_or_else(|| corrupt("SUM returned no row"))?;
            let total: i64 = row.try_get_by_index(0).map_err(db_err)?;
            Some(u64::try_from(total).map_err(|_| corrupt("negative row count"))?)
        } else {
            None
        };
        Ok(FeedPage { items, more, total })
    }
}
