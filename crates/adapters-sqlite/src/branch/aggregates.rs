//! Per-business-date totals kept beside the ledger, in the same database transaction as every
//! insert, so dashboards read a few hundred rows instead of scanning a million.

use std::collections::BTreeMap;

use kh_domain::{BusinessCalendar, NewTransaction, Totals, TxType};
use kh_ports::LedgerError;
use sea_orm::{ConnectionTrait, TransactionTrait};

use super::BranchStore;
use crate::error::{corrupt, db_err};
use crate::sql::stmt;
use crate::time::from_ms;

const UPSERT_DAY: &str = "INSERT INTO daily_totals (business_date, total_in, total_out, count_in, count_out) \
     VALUES (?, ?, ?, ?, ?) ON CONFLICT (business_date) DO UPDATE SET \
     total_in = total_in + excluded.total_in, total_out = total_out + excluded.total_out, \
     count_in = count_in + excluded.count_in, count_out = count_out + excluded.count_out";

const UPSERT_CATEGORY: &str = "INSERT INTO daily_category_totals (business_date, type, category, total, count) \
     VALUES (?, ?, ?, ?, ?) ON CONFLICT (business_date, type, category) DO UPDATE SET \
     total = total + excluded.total, count = count + excluded.count";

const TIMEZONE_KEY: &str = "aggregates_timezone";

/// Adds one new entry to the aggregates (call inside the transaction that inserts it).
pub(crate) async fn add_entry<C: ConnectionTrait>(
    conn: &C,
    calendar: &BusinessCalendar,
    tx: &NewTransaction,
) -> Result<(), LedgerError> {
    let date = calendar.date_of(tx.occurred_at).to_string();
    let mut totals = Totals::default();
    totals
        .add(tx.tx_type, tx.amount.rupiah())
        .map_err(|e| LedgerError::Internal(e.to_string()))?;
    upsert_day(conn, &date, &totals).await?;
    let values = vec![
        date.into(),
        tx.tx_type.as_str().into(),
        tx.category.as_str().into(),
        tx.amount.rupiah().into(),
        1_i64.into(),
    ];
    conn.execute_raw(stmt(UPSERT_CATEGORY, values))
        .await
        .map_err(db_err)?;
    Ok(())
}

async fn upsert_day<C: ConnectionTrait>(
    conn: &C,
    date: &str,
    t: &Totals,
) -> Result<(), LedgerError> {
    let values = vec![
        date.into(),
        t.total_in.into(),
        t.total_out.into(),
        t.count_in.into(),
        t.count_out.into(),
    ];
    conn.execute_raw(stmt(UPSERT_DAY, values))
        .await
        .map_err(db_err)?;
    Ok(())
}

impl BranchStore {
    /// Rebuilds the aggregates when they were computed in another time zone (or never).
    pub(crate) async fn ensure_aggregates_match_calendar(&self) -> Result<(), LedgerError> {
        let row = self
            .db
            .writer
            .query_one_raw(stmt(
                "SELECT value FROM ledger_meta WHERE key = ?",
                vec![TIMEZONE_KEY.into()],
            ))
            .await
            .map_err(db_err)?;
        let stored: Option<String> = match row {
            Some(r) => Some(r.try_get_by_index(0).map_err(db_err)?),
            None => None,
        };
        if stored.as_deref() != Some(self.calendar.name()) {
            tracing::info!(
                from = stored.as_deref().unwrap_or("none"),
                to = self.calendar.name(),
                "time zone changed; rebuilding daily totals"
            );
            self.rebuild_aggregates().await?;
        }
        Ok(())
    }

    /// Recomputes every aggregate from the ledger in one transaction. Used when the time zone
    /// changes and by tools that bulk-load rows.
    pub async fn rebuild_aggregates(&self) -> Result<(), LedgerError> {
        let txn = self.db.writer.begin().await.map_err(db_err)?;
        let mut days: BTreeMap<String, Totals> = BTreeMap::new();
        let mut categories: BTreeMap<(String, TxType, String), (i64, i64)> = BTreeMap::new();
        let mut after: i64 = 0;
        loop {
            let rows = txn
                .query_all_raw(stmt(
                    "SELECT rowid, type, category, amount, occurred_at FROM transactions \
                     WHERE rowid > ? ORDER BY rowid LIMIT 20000",
                    vec![after.into()],
                ))
                .await
                .map_err(db_err)?;
            if rows.is_empty() {
                break;
            }
            for row in &rows {
                let rowid: i64 = row.try_get_by_index(0).map_err(db_err)?;
                let tx_type: String = row.try_get_by_index(1).map_err(db_err)?;
                let category: String = row.try_get_by_index(2).map_err(db_err)?;
                let amount: i64 = row.try_get_by_index(3).map_err(db_err)?;
                let occurred_at: i64 = row.try_get_by_index(4).map_err(db_err)?;
                let tx_type =
                    TxType::parse("type", &tx_type).map_err(|e| corrupt(e.to_string()))?;
                let date = self.calendar.date_of(from_ms(occurred_at)?).to_string();
                days.entry(date.clone())
                    .or_default()
                    .add(tx_type, amount)
                    .map_err(|e| LedgerError::Internal(e.to_string()))?;
                let entry = categories.entry((date, tx_type, category)).or_default();
                entry.0 = entry
                    .0
                    .checked_add(amount)
                    .ok_or_else(|| corrupt("category total overflow"))?;
                entry.1 += 1;
                after = rowid;
            }
        }
        txn.execute_unprepared("DELETE FROM daily_totals; DELETE FROM daily_category_totals;")
            .await
            .map_err(db_err)?;
        for (date, totals) in &days {
            upsert_day(&txn, date, totals).await?;
        }
        for ((date, tx_type, category), (total, count)) in categories {
            let values = vec![
                date.into(),
                tx_type.as_str().into(),
                category.into(),
                total.into(),
                count.into(),
            ];
            txn.execute_raw(stmt(UPSERT_CATEGORY, values))
                .await
                .map_err(db_err)?;
        }
        txn.execute_raw(stmt(
            "INSERT INTO ledger_meta (key, value) VALUES (?, ?) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            vec![TIMEZONE_KEY.into(), self.calendar.name().into()],
        ))
        .await
        .map_err(db_err)?;
        txn.commit().await.map_err(db_err)
    }
}
