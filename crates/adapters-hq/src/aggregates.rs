//! Per-branch, per-business-date totals, maintained in the push transaction so HQ reports read
//! a few thousand rows instead of the whole ledger.

use std::collections::{BTreeMap, HashMap};

use kh_domain::chrono::NaiveDate;
use kh_domain::{NewTransaction, Totals, TxType};
use kh_ports::HqError;
use sea_orm::{ConnectionTrait, TransactionTrait, Value};
use uuid::Uuid;

use crate::HqStore;
use crate::error::{corrupt, db_err};
use kh_adapters_sql::{stmt, totals_values};

const TIMEZONE_KEY: &str = "aggregates_timezone";

/// Adds rows to the totals in one statement per thousand (branch, date) keys, in sorted order,
/// so concurrent pushes lock the same rows in the same order and cannot deadlock. A void is
/// cancelled at its own business date and cancels its original (found in `originals`) at the
/// original's.
pub(crate) async fn add<C: ConnectionTrait>(
    conn: &C,
    store: &HqStore,
    rows: &[&NewTransaction],
    originals: &HashMap<Uuid, NewTransaction>,
) -> Result<(), HqError> {
    let mut days: BTreeMap<(Uuid, NaiveDate), Totals> = BTreeMap::new();
    let overflow = |e: kh_domain::TotalsOverflow| HqError::Internal(e.to_string());
    for tx in rows {
        let branch = tx
            .branch_id
            .ok_or_else(|| corrupt("HQ row without branch"))?
            .as_uuid();
        let date = store.calendar.date_of(tx.occurred_at);
        let day = days.entry((branch, date)).or_default();
        let Some(original) = tx.reverses_id else {
            day.add(tx.tx_type, tx.amount.rupiah()).map_err(overflow)?;
            continue;
        };
        day.add_cancelled(tx.tx_type, tx.amount.rupiah())
            .map_err(overflow)?;
        let original = originals
            .get(&original.as_uuid())
            .ok_or_else(|| corrupt("a void stored without its original"))?;
        let date = store.calendar.date_of(original.occurred_at);
        days.entry((branch, date))
            .or_default()
            .cancel(original.tx_type, original.amount.rupiah())
            .map_err(overflow)?;
    }
    upsert(conn, &days).await
}

/// What an insert into `daily_totals` does with a (branch, date) that already has totals.
pub(crate) const UPSERT_TOTALS: &str = "ON CONFLICT (branch_id, business_date) DO UPDATE SET \
     total_in = daily_totals.total_in + excluded.total_in, \
     total_out = daily_totals.total_out + excluded.total_out, \
     count_in = daily_totals.count_in + excluded.count_in, \
     count_out = daily_totals.count_out + excluded.count_out, \
     voided_in = daily_totals.voided_in + excluded.voided_in, \
     voided_out = daily_totals.voided_out + excluded.voided_out, \
     voided_count_in = daily_totals.voided_count_in + excluded.voided_count_in, \
     voided_count_out = daily_totals.voided_count_out + excluded.voided_count_out";

/// Keys per multi-row upsert (10 values each).
const KEYS_PER_UPSERT: usize = 1_000;

async fn upsert<C: ConnectionTrait>(
    conn: &C,
    days: &BTreeMap<(Uuid, NaiveDate), Totals>,
) -> Result<(), HqError> {
    let backend = conn.get_database_backend();
    let entries: Vec<_> = days.iter().collect();
    for chunk in entries.chunks(KEYS_PER_UPSERT) {
        let sql = format!(
            "INSERT INTO daily_totals (branch_id, business_date, total_in, total_out, count_in, count_out, \
             voided_in, voided_out, voided_count_in, voided_count_out) VALUES {} {UPSERT_TOTALS}",
            vec!["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"; chunk.len()].join(", ")
        );
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 10);
        for ((branch, date), t) in chunk {
            values.extend([Value::from(*branch), (*date).into()]);
            values.extend(totals_values(t));
        }
        conn.execute_raw(stmt(backend, &sql, values))
            .await
            .map_err(db_err)?;
    }
    Ok(())
}

impl HqStore {
    /// Rebuilds the totals when they were computed in another time zone (or never).
    pub(crate) async fn ensure_aggregates_match_calendar(&self) -> Result<(), HqError> {
        let backend = self.writer.get_database_backend();
        let row = self
            .writer
            .query_one_raw(stmt(
                backend,
                "SELECT value FROM hq_meta WHERE key = ?",
                vec![TIMEZONE_KEY.into()],
            ))
            .await
            .map_err(db_err)?;
        let stored: Option<String> = match row {
            Some(r) => Some(r.try_get_by_index(0).map_err(db_err)?),
            None => None,
        };
        if stored.as_deref() == Some(self.calendar.key().as_str()) {
            return Ok(());
        }
        tracing::info!(
            from = stored.as_deref().unwrap_or("none"),
            to = self.calendar.key(),
            "rebuilding HQ daily totals"
        );
        let txn = self.writer.begin().await.map_err(db_err)?;
        let mut days: BTreeMap<(Uuid, NaiveDate), Totals> = BTreeMap::new();
        let mut after: Option<Uuid> = None;
        loop {
            let (after_id, values): (&str, Vec<Value>) = match after {
                None => ("", vec![]),
                Some(id) => ("WHERE t.id > ?", vec![id.into()]),
            };
            // A row is cancelled when it is a void or has one (the unique index on
            // `reverses_id` answers the second).
            let sql = format!(
                "SELECT t.id, t.branch_id, t.type, t.amount, t.occurred_at, \
                 (t.reverses_id IS NOT NULL \
                  OR EXISTS (SELECT 1 FROM transactions v WHERE v.reverses_id = t.id)) \
                 FROM transactions t {after_id} ORDER BY t.id LIMIT 20000"
            );
            let rows = txn
                .query_all_raw(stmt(backend, &sql, values))
                .await
                .map_err(db_err)?;
            let Some(last) = rows.last() else { break };
            after = Some(last.try_get_by_index(0).map_err(db_err)?);
            for row in &rows {
                let branch: Uuid = row.try_get_by_index(1).map_err(db_err)?;
                let tx_type: String = row.try_get_by_index(2).map_err(db_err)?;
                let amount: i64 = row.try_get_by_index(3).map_err(db_err)?;
                let at: kh_domain::chrono::DateTime<kh_domain::chrono::Utc> =
                    row.try_get_by_index(4).map_err(db_err)?;
                let cancelled: bool = row.try_get_by_index(5).map_err(db_err)?;
                let tx_type =
                    TxType::parse("type", &tx_type).map_err(|e| corrupt(e.to_string()))?;
                let day = days.entry((branch, self.calendar.date_of(at))).or_default();
                if cancelled {
                    day.add_cancelled(tx_type, amount)
                } else {
                    day.add(tx_type, amount)
                }
                .map_err(|e| HqError::Internal(e.to_string()))?;
            }
        }
        txn.execute_unprepared("DELETE FROM daily_totals")
            .await
            .map_err(db_err)?;
        upsert(&txn, &days).await?;
        // A shift's business day follows the same calendar.
        let shifts = txn
            .query_all_raw(stmt(backend, "SELECT id, opened_at FROM shifts", vec![]))
            .await
            .map_err(db_err)?;
        for row in shifts {
            let id: Uuid = row.try_get_by_index(0).map_err(db_err)?;
            let opened_at: kh_domain::chrono::DateTime<kh_domain::chrono::Utc> =
                row.try_get_by_index(1).map_err(db_err)?;
            txn.execute_raw(stmt(
                backend,
                "UPDATE shifts SET business_date = ? WHERE id = ?",
                vec![self.calendar.date_of(opened_at).into(), id.into()],
            ))
            .await
            .map_err(db_err)?;
        }
        txn.execute_raw(stmt(
            backend,
            "INSERT INTO hq_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            vec![TIMEZONE_KEY.into(), self.calendar.key().into()],
        ))
        .await
        .map_err(db_err)?;
        txn.commit().await.map_err(db_err)
    }
}
