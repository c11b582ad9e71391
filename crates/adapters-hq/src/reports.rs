//! [`HqLedger`] on SeaORM: the push entry point and HQ's read side.

use async_trait::async_trait;
use kh_domain::chrono::{DateTime, NaiveDate, Utc};
use kh_domain::{
    Amount, BranchId, DateRange, DayTotals, DeviceId, HqEpoch, NewTransaction, SyncState, Totals,
    Transaction, TransactionId,
};
use kh_ports::{FeedPage, HqError, HqLedger, IngestOutcome, ListCursor, ListQuery, Page};
use sea_orm::{ConnectionTrait, QueryResult, Value};
use uuid::Uuid;

use crate::HqStore;
use crate::error::{corrupt, db_err};
use kh_adapters_sql::{
    date_conditions, like_contains, read_totals, stmt, totals_sums, where_clause,
};

const ORDER: &str = "t.occurred_at DESC, t.created_at DESC, t.id DESC";
/// The first columns are those of `ingest::decode`, in the same order.
const SELECT: &str = "SELECT t.id, t.branch_id, t.type, t.category, t.amount, t.description, t.occurred_at, \
     t.created_at, t.reverses_id, t.channel_id, t.channel_name, t.recorded_by, t.recorded_by_name, \
     t.approved_by, t.approved_by_name, t.received_at, \
     (SELECT v.id FROM transactions v WHERE v.reverses_id = t.id) AS voided_by";

/// A listed row: the stored columns (decoded like a pushed row), then when HQ received it and
/// the void that cancels it, if any.
fn decode(row: &QueryResult) -> Result<Transaction, HqError> {
    let mut tx = Transaction::posted(crate::ingest::decode(row)?);
    let received_at: DateTime<Utc> = row
        .try_get_by_index(crate::ingest::COLUMN_COUNT)
        .map_err(db_err)?;
    let voided_by: Option<Uuid> = row
        .try_get_by_index(crate::ingest::COLUMN_COUNT + 1)
        .map_err(db_err)?;
    tx.sync = SyncState::Synced { at: received_at };
    tx.voided_by = voided_by.map(TransactionId::from_uuid);
    Ok(tx)
}

/// Reads the sums of the per-day totals from `row`, starting at column `first`.
fn sum_totals(row: &QueryResult, first: usize) -> Result<Totals, HqError> {
    read_totals(row, first).map_err(db_err)
}

impl HqStore {
    async fn sums(
        &self,
        mut conditions: Vec<String>,
        mut values: Vec<Value>,
        branch: Option<BranchId>,
    ) -> Result<Totals, HqError> {
        if let Some(b) = branch {
            conditions.push("branch_id = ?".into());
            values.push(b.as_uuid().into());
        }
        let sql = format!(
            "SELECT {} FROM daily_totals{}",
            totals_sums(),
            where_clause(&conditions)
        );
        let backend = self.reader.get_database_backend();
        let row = self
            .reader
            .query_one_raw(stmt(backend, &sql, values))
            .await
            .map_err(db_err)?
            .ok_or_else(|| corrupt("SUM returned no row"))?;
        sum_totals(&row, 0)
    }
}

impl HqStore {
    /// The `WHERE` conditions of a listing and their values.
    fn list_conditions(&self, q: &ListQuery) -> (Vec<String>, Vec<Value>) {
        let mut conditions: Vec<String> = Vec::new();
        let mut values: Vec<Value> = Vec::new();
        if let Some(b) = q.branch {
            conditions.push("t.branch_id = ?".into());
            values.push(b.as_uuid().into());
        }
        if let Some(t) = q.tx_type {
            conditions.push("t.type = ?".into());
            values.push(t.as_str().into());
        }
        if let Some(c) = q.channel {
            conditions.push("t.channel_id = ?".into());
            values.push(c.as_uuid().into());
        }
        if let Some(who) = q.recorded_by {
            conditions.push("t.recorded_by = ?".into());
            values.push(who.as_uuid().into());
        }
        if let Some(c) = &q.category {
            // Every spelling of the category: they compare by key.
            conditions.push(
                "t.category IN (SELECT spelling FROM category_spellings WHERE key = ?)".into(),
            );
            values.push(c.key().into());
        }
        let (start, end) = self.calendar.bounds(&q.range);
        if let Some(start) = start {
            conditions.push("t.occurred_at >= ?".into());
            values.push(start.into());
        }
        if let Some(end) = end {
            conditions.push("t.occurred_at < ?".into());
            values.push(end.into());
        }
        if let Some(text) = &q.text {
            let pattern = like_contains(&text.to_lowercase());
            values.push(pattern.clone().into());
            values.push(pattern.into());
            // Text that reads as whole rupiah also finds the entries of that amount.
            let by_text =
                "LOWER(t.description) LIKE ? ESCAPE '\\' OR LOWER(t.category) LIKE ? ESCAPE '\\'";
            match Amount::in_search(text) {
                Some(amount) => {
                    conditions.push(format!("({by_text} OR t.amount = ?)"));
                    values.push(amount.rupiah().into());
                }
                None => conditions.push(format!("({by_text})")),
            }
        }
        (conditions, values)
    }
}

#[async_trait]
impl HqLedger for HqStore {
    async fn ingest(
        &self,
        branch: BranchId,
        device: Option<DeviceId>,
        rows: Vec<NewTransaction>,
        received_at: DateTime<Utc>,
    ) -> Result<IngestOutcome, HqError> {
        self.ingest_rows(branch, device, rows, received_at).await
    }

    async fn feed(&self, branch: BranchId, after: i64, limit: u32) -> Result<FeedPage, HqError> {
        self.feed_page(branch, after, limit).await
    }

    async fn list(&self, q: &ListQuery) -> Result<Page<Transaction>, HqError> {
        let backend = self.reader.get_database_backend();
        let (conditions, mut values) = self.list_conditions(q);
        // The per-day totals answer the count when only branch, type and dates filter.
        let total = if q.category.is_none()
            && q.text.is_none()
            && q.channel.is_none()
            && q.recorded_by.is_none()
        {
            let mut conds = Vec::new();
            let mut vals = Vec::new();
            date_conditions(
                "business_date",
                (q.range.from, q.range.to),
                &mut conds,
                &mut vals,
            );
            // A listing shows every stored row, cancelled ones too.
            let t = self.sums(conds, vals, q.branch).await?;
            match q.tx_type {
                Some(tx_type) => t.rows_of(tx_type),
                None => t.rows(),
            }
            .map_err(|e| HqError::Internal(e.to_string()))?
        } else {
            let sql = format!(
                "SELECT COUNT(*) FROM transactions t{}",
                where_clause(&conditions)
            );
            let row = self
                .reader
                .query_one_raw(stmt(backend, &sql, values.clone()))
                .await
                .map_err(db_err)?
                .ok_or_else(|| corrupt("COUNT returned no row"))?;
            row.try_get_by_index::<i64>(0).map_err(db_err)?
        };
        let total = u64::try_from(total).unwrap_or_default();
        let offset = u64::from(q.page.saturating_sub(1)) * u64::from(q.limit);
        let items = if offset >= total {
            Vec::new()
        } else {
            let sql = format!(
                "{SELECT} FROM transactions t JOIN (SELECT t.id AS pid FROM transactions t{} ORDER BY {ORDER} LIMIT ? OFFSET ?) p \
                 ON t.id = p.pid ORDER BY {ORDER}",
                where_clause(&conditions)
            );
            values.push(i64::from(q.limit).into());
            values.push(i64::try_from(offset).unwrap_or(i64::MAX).into());
            let rows = self
                .reader
                .query_all_raw(stmt(backend, &sql, values))
                .await
                .map_err(db_err)?;
            rows.iter().map(decode).collect::<Result<_, _>>()?
        };
        Ok(Page {
            items,
            page: q.page,
            limit: q.limit,
            total,
        })
    }

    async fn list_after(
        &self,
        q: &ListQuery,
        after: Option<ListCursor>,
        limit: u32,
    ) -> Result<Vec<Transaction>, HqError> {
        let backend = self.reader.get_database_backend();
        let (mut conditions, mut values) = self.list_conditions(q);
        if let Some(c) = after {
            // The rows after the cursor in the order index, as a row-value comparison.
            conditions.push("(t.occurred_at, t.created_at, t.id) < (?, ?, ?)".into());
            values.push(c.occurred_at.into());
            values.push(c.created_at.into());
            values.push(c.id.as_uuid().into());
        }
        values.push(i64::from(limit).into());
        let sql = format!(
            "{SELECT} FROM transactions t{} ORDER BY {ORDER} LIMIT ?",
            where_clause(&conditions)
        );
        self.reader
            .query_all_raw(stmt(backend, &sql, values))
            .await
            .map_err(db_err)?
            .iter()
            .map(decode)
            .collect()
    }

    async fn branch_totals(&self, range: DateRange) -> Result<Vec<(BranchId, Totals)>, HqError> {
        let backend = self.reader.get_database_backend();
        let mut conditions = Vec::new();
        let mut values = Vec::new();
        date_conditions(
            "business_date",
            (range.from, range.to),
            &mut conditions,
            &mut values,
        );
        let sql = format!(
            "SELECT branch_id, {} FROM daily_totals{} GROUP BY branch_id",
            totals_sums(),
            where_clause(&conditions)
        );
        let rows = self
            .reader
            .query_all_raw(stmt(backend, &sql, values))
            .await
            .map_err(db_err)?;
        rows.iter()
            .map(|row| {
                let branch: Uuid = row.try_get_by_index(0).map_err(db_err)?;
                Ok((BranchId::from_uuid(branch), sum_totals(row, 1)?))
            })
            .collect()
    }

    async fn daily(
        &self,
        branch: Option<BranchId>,
        range: DateRange,
    ) -> Result<(i64, Vec<DayTotals>), HqError> {
        let opening = match range.from {
            None => 0,
            Some(from) => self
                .sums(vec!["business_date < ?".into()], vec![from.into()], branch)
                .await?
                .balance()
                .map_err(|e| HqError::Internal(e.to_string()))?,
        };
        let backend = self.reader.get_database_backend();
        let mut conditions = Vec::new();
        let mut values = Vec::new();
        date_conditions(
            "business_date",
            (range.from, range.to),
            &mut conditions,
            &mut values,
        );
        if let Some(b) = branch {
            conditions.push("branch_id = ?".into());
            values.push(b.as_uuid().into());
        }
        let sql = format!(
            "SELECT business_date, {} FROM daily_totals{} GROUP BY business_date ORDER BY business_date",
            totals_sums(),
            where_clause(&conditions)
        );
        let rows = self
            .reader
            .query_all_raw(stmt(backend, &sql, values))
            .await
            .map_err(db_err)?;
        let days = rows
            .iter()
            .map(|row| {
                let date: NaiveDate = row.try_get_by_index(0).map_err(db_err)?;
                Ok(DayTotals {
                    date,
                    totals: sum_totals(row, 1)?,
                })
            })
            .collect::<Result<Vec<_>, HqError>>()?;
        Ok((opening, days))
    }

    async fn epoch(&self) -> Result<HqEpoch, HqError> {
        self.current_epoch().await
    }

    async fn reset_epoch(&self) -> Result<HqEpoch, HqError> {
        self.new_epoch().await
    }

    async fn ping(&self) -> Result<(), HqError> {
        self.reader
            .execute_unprepared("SELECT 1")
            .await
            .map_err(db_err)?;
        Ok(())
    }
}
