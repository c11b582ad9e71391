//! Per-branch, per-business-date totals, maintained in the push transaction so HQ reports read
//! a few thousand rows instead of the whole ledger.

use std::collections::BTreeMap;

use kh_domain::chrono::NaiveDate;
use kh_domain::{NewTransaction, Totals, TxType};
use kh_ports::HqError;
use sea_orm::{ConnectionTrait, TransactionTrait, Value};
use uuid::Uuid;

use crate::HqStore;
use crate::error::{corrupt, db_err};
use kh_adapters_sql::stmt;

const TIMEZONE_KEY: &str = "aggregates_timezone";

/// Adds rows to the totals in one statement per thousand (branch, date) keys, in sorted order,
/// so concurrent pushes lock the same rows in the same order and cannot deadlock.
pub(crate) async fn add<C: ConnectionTrait>(
    conn: &C,
    store: &HqStore,
    rows: &[&NewTransaction],
) -> Result<(), HqError> {
    let mut days: BTreeMap<(Uuid, NaiveDate), Totals> = BTreeMap::new();
    for tx in rows {
        let branch = tx
            .branch_id
            .ok_or_else(|| corrupt("HQ row without branch"))?;
        let date = store.calendar.date_of(tx.occurred_at);
        days.entry((branch.as_uuid(), date))
            .or_default()
            .add(tx.tx_type, tx.amount.rupiah())
            .map_err(|e| HqError::Internal(e.to_string()))?;
    }
    upsert(conn, &days).await
}

/// What an insert into `daily_totals` does with a (branch, date) that already has totals.
pub(crate) const UPSERT_TOTALS: &str = "ON CONFLICT (branch_id, business_date) DO UPDATE SET \
     total_in = daily_totals.total_in + excluded.total_in, \
     total_out = daily_totals.total_out + excluded.total_out, \
     count_in = daily_totals.count_in + excluded.count_in, \
     count_out = daily_totals.count_out + excluded.count_out";

/// Keys per multi-row upsert (6 values each).
const KEYS_PER_UPSERT: usize = 1_000;

async fn upsert<C: ConnectionTrait>(
    conn: &C,
    days: &BTreeMap<(Uuid, NaiveDate), Totals>,
) -> Result<(), HqError> {
    let backend = conn.get_database_backend();
    let entries: Vec<_> = days.iter().collect();
    for chunk in entries.chunks(KEYS_PER_UPSERT) {
        let sql = format!(
            "INSERT INTO daily_totals (branch_id, business_date, total_in, total_out, count_in, count_out) VALUES {} \
             {UPSERT_TOTALS}",
            vec!["(?, ?, ?, ?, ?, ?)"; chunk.len()].join(", ")
        );
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 6);
        for ((branch, date), t) in chunk {
            values.extend([
                Value::from(*branch),
                (*date).into(),
                t.total_in.into(),
                t.total_out.into(),
                t.count_in.into(),
                t.count_out.into(),
            ]);
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
        if stored.as_deref() == Some(self.calendar.name()) {
            return Ok(());
        }
        tracing::info!(
            from = stored.as_deref().unwrap_or("none"),
            to = self.calendar.name(),
            "rebuilding HQ daily totals"
        );
        let txn = self.writer.begin().await.map_err(db_err)?;
        let mut days: BTreeMap<(Uuid, NaiveDate), Totals> = BTreeMap::new();
        let mut after: Option<Uuid> = None;
        loop {
            let (sql, values): (&str, Vec<Value>) = match after {
                None => (
                    "SELECT id, branch_id, type, amount, occurred_at FROM transactions ORDER BY id LIMIT 20000",
                    vec![],
                ),
                Some(id) => (
                    "SELECT id, branch_id, type, amount, occurred_at FROM transactions WHERE id > ? ORDER BY id LIMIT 20000",
                    vec![id.into()],
                ),
            };
            let rows = txn
                .query_all_raw(stmt(backend, sql, values))
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
                let tx_type =
                    TxType::parse("type", &tx_type).map_err(|e| corrupt(e.to_string()))?;
                days.entry((branch, self.calendar.date_of(at)))
                    .or_default()
                    .add(tx_type, amount)
                    .map_err(|e| HqError::Internal(e.to_string()))?;
            }
        }
        txn.execute_unprepared("DELETE FROM daily_totals")
            .await
            .map_err(db_err)?;
        upsert(&txn, &days).await?;
        txn.execute_raw(stmt(
            backend,
            "INSERT INTO hq_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            vec![TIMEZONE_KEY.into(), self.calendar.name().into()],
        ))
        .await
        .map_err(db_err)?;
        txn.commit().await.map_err(db_err)
    }
}
