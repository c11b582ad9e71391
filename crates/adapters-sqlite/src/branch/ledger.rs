//! [`Ledger`] for the branch database.

use async_trait::async_trait;
use kh_domain::chrono::NaiveDate;
use kh_domain::{
    Amount, Category, CategoryTotal, ChannelId, DateRange, DayTotals, NewTransaction, Totals,
    Transaction, TransactionId, TxType,
};
use kh_ports::{
    Ledger, LedgerError, ListCursor, ListQuery, Page, Recorded, SyncFilter, UsedCategory,
};
use sea_orm::{ConnectionTrait, QueryResult, SqlErr, TransactionTrait, Value};

use super::BranchStore;
use super::aggregates::add_entry;
use super::rows::{ENTRY_COLUMNS, entry_values};
use super::rows::{TX_COLUMNS, TxRow};
use crate::error::{corrupt, db_err};
use crate::sql::{date_conditions, like_contains, stmt, where_clause};
use crate::time::to_ms;
use kh_adapters_sql::{TOTALS_COLUMNS, read_totals, totals_sums};

const ORDER: &str = "t.occurred_at DESC, t.created_at DESC, t.id DESC";

/// A bound value as `rusqlite` takes it, stored as sqlx stores it (a UUID as its 16 bytes).
fn plain_value(v: &Value) -> Result<rusqlite::types::Value, LedgerError> {
    use rusqlite::types::Value as Plain;
    Ok(match v {
        Value::BigInt(Some(n)) => Plain::Integer(*n),
        Value::Int(Some(n)) => Plain::Integer(i64::from(*n)),
        Value::Bool(Some(b)) => Plain::Integer(i64::from(*b)),
        Value::String(Some(s)) => Plain::Text(s.to_string()),
        Value::Uuid(Some(u)) => Plain::Blob(u.as_bytes().to_vec()),
        Value::BigInt(None)
        | Value::Int(None)
        | Value::Bool(None)
        | Value::String(None)
        | Value::Uuid(None) => Plain::Null,
        other => {
            return Err(LedgerError::Internal(format!(
                "a value an export cannot bind: {other:?}"
            )));
        }
    })
}

/// Runs `sql` (selecting [`TX_COLUMNS`]) with `values` on a read-only connection of its own to
/// the book at `path` (WAL: it sees the last commit, beside the writer).
fn read_plain(
    path: &std::path::Path,
    sql: &str,
    values: Vec<rusqlite::types::Value>,
) -> Result<Vec<Transaction>, LedgerError> {
    use rusqlite::{Connection, OpenFlags};
    let unavailable = |e: rusqlite::Error| LedgerError::Unavailable(e.to_string());
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(unavailable)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(unavailable)?;
    let mut statement = conn.prepare(sql).map_err(unavailable)?;
    let mut rows = statement
        .query(rusqlite::params_from_iter(values))
        .map_err(unavailable)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(unavailable)? {
        out.push(TxRow::decode_plain(row)?);
    }
    Ok(out)
}

fn get_i64(row: &QueryResult, index: usize) -> Result<i64, LedgerError> {
    row.try_get_by_index::<i64>(index).map_err(db_err)
}

/// Reads the per-day totals columns (or their sums) from `row`, starting at column `first`.
fn day_totals(row: &QueryResult, first: usize) -> Result<Totals, LedgerError> {
    read_totals(row, first).map_err(db_err)
}

impl BranchStore {
    async fn fetch(
        &self,
        conn: &impl ConnectionTrait,
        id: TransactionId,
    ) -> Result<Option<Transaction>, LedgerError> {
        let row = conn
            .query_one_raw(stmt(
                format!("SELECT {TX_COLUMNS} FROM transactions t WHERE t.id = ?"),
                vec![id.as_uuid().into()],
            ))
            .await
            .map_err(db_err)?;
        row.as_ref().map(TxRow::decode).transpose()
    }

    /// Conditions on `transactions t` for a listing, and whether the aggregates can count it.
    fn list_conditions(&self, q: &ListQuery) -> (Vec<String>, Vec<Value>) {
        let mut conditions = Vec::new();
        let mut values: Vec<Value> = Vec::new();
        if let Some(t) = q.tx_type {
            conditions.push("t.type = ?".into());
            values.push(t.as_str().into());
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
            values.push(to_ms(start).into());
        }
        if let Some(end) = end {
            conditions.push("t.occurred_at < ?".into());
            values.push(to_ms(end).into());
        }
        if let Some(text) = &q.text {
            let pattern = like_contains(text);
            values.push(pattern.clone().into());
            values.push(pattern.into());
            // Text that reads as whole rupiah also finds the entries of that amount.
            match Amount::in_search(text) {
                Some(amount) => {
                    conditions.push(
                        "(t.description LIKE ? ESCAPE '\\' OR t.category LIKE ? ESCAPE '\\' \
                         OR t.amount = ?)"
                            .into(),
                    );
                    values.push(amount.rupiah().into());
                }
                None => conditions.push(
                    "(t.description LIKE ? ESCAPE '\\' OR t.category LIKE ? ESCAPE '\\')".into(),
                ),
            }
        }
        match q.sync {
            Some(SyncFilter::Pending) => {
                conditions.push("t.is_synced = 0 AND t.sync_error_code IS NULL".into())
            }
            Some(SyncFilter::Synced) => conditions.push("t.is_synced = 1".into()),
            Some(SyncFilter::Rejected) => conditions.push("t.sync_error_code IS NOT NULL".into()),
            None => {}
        }
        if let Some(b) = q.branch {
            conditions.push("t.branch_id = ?".into());
            values.push(b.as_uuid().into());
        }
        if let Some(c) = q.channel {
            conditions.push("t.channel_id = ?".into());
            values.push(c.as_uuid().into());
        }
        if let Some(who) = q.recorded_by {
            conditions.push("t.recorded_by = ?".into());
            values.push(who.as_uuid().into());
        }
        (conditions, values)
    }

    /// Counts a listing from the aggregates when its filters allow, else from the ledger.
    async fn count(
        &self,
        q: &ListQuery,
        conditions: &[String],
        values: &[Value],
    ) -> Result<u64, LedgerError> {
        let conn = &self.db.reader;
        let exact_needed = q.text.is_some()
            || q.sync.is_some()
            || q.branch.is_some()
            || q.channel.is_some()
            || q.recorded_by.is_some();
        let row = if exact_needed {
            let sql = format!(
                "SELECT COUNT(*) FROM transactions t{}",
                where_clause(conditions)
            );
            conn.query_one_raw(stmt(sql, values.to_vec())).await
        } else {
            let mut conds = Vec::new();
            let mut vals = Vec::new();
            date_conditions(&q.range, &mut conds, &mut vals);
            let sql = if let Some(category) = &q.category {
                // The totals are kept under the first spelling of the key.
                conds.push("category = (SELECT name FROM categories WHERE key = ?)".into());
                vals.push(category.key().into());
                if let Some(t) = q.tx_type {
                    conds.push("type = ?".into());
                    vals.push(t.as_str().into());
                }
                format!(
                    "SELECT COALESCE(SUM(count + voided_count), 0) FROM daily_category_totals{}",
                    where_clause(&conds)
                )
            } else {
                // A listing shows every stored row, cancelled ones too.
                let column = match q.tx_type {
                    Some(TxType::In) => "count_in + voided_count_in",
                    Some(TxType::Out) => "count_out + voided_count_out",
                    None => "count_in + count_out + voided_count_in + voided_count_out",
                };
                format!(
                    "SELECT COALESCE(SUM({column}), 0) FROM daily_totals{}",
                    where_clause(&conds)
                )
            };
            conn.query_one_raw(stmt(sql, vals)).await
        };
        let row = row
            .map_err(db_err)?
            .ok_or_else(|| corrupt("COUNT returned no row"))?;
        u64::try_from(get_i64(&row, 0)?).map_err(|_| corrupt("negative count"))
    }

    /// Sums per-day totals: of every entry, or of one channel's.
    async fn day_sums(
        &self,
        mut conditions: Vec<String>,
        mut values: Vec<Value>,
        channel: Option<ChannelId>,
    ) -> Result<Totals, LedgerError> {
        let table = day_table(channel, &mut conditions, &mut values);
        let sql = format!(
            "SELECT {} FROM {table}{}",
            totals_sums(),
            where_clause(&conditions)
        );
        self.totals_row(sql, values).await
    }

    /// Reads the one row of a query whose columns are the eight sums of [`day_totals`].
    async fn totals_row(&self, sql: String, values: Vec<Value>) -> Result<Totals, LedgerError> {
        let row = self
            .db
            .reader
            .query_one_raw(stmt(sql, values))
            .await
            .map_err(db_err)?
            .ok_or_else(|| corrupt("SUM returned no row"))?;
        day_totals(&row, 0)
    }

    /// The existing void of `original`, looked up after a unique-index violation.
    async fn void_of(
        &self,
        conn: &impl ConnectionTrait,
        original: TransactionId,
    ) -> Result<TransactionId, LedgerError> {
        let row = conn
            .query_one_raw(stmt(
                "SELECT id FROM transactions WHERE reverses_id = ?",
                vec![original.as_uuid().into()],
            ))
            .await
            .map_err(db_err)?
            .ok_or_else(|| corrupt("unique violation on reverses_id without a void"))?;
        let id: uuid::Uuid = row.try_get_by_index(0).map_err(db_err)?;
        Ok(TransactionId::from_uuid(id))
    }
}

/// The per-day totals table to read: all entries, or one channel's (adding its condition).
fn day_table(
    channel: Option<ChannelId>,
    conditions: &mut Vec<String>,
    values: &mut Vec<Value>,
) -> &'static str {
    match channel {
        None => "daily_totals",
        Some(c) => {
            conditions.push("channel_id = ?".into());
            values.push(c.as_uuid().into());
            "daily_channel_totals"
        }
    }
}

#[async_trait]
impl Ledger for BranchStore {
    async fn record(&self, tx: NewTransaction) -> Result<Recorded, LedgerError> {
        let txn = self.db.writer.begin().await.map_err(db_err)?;
        // An entry born while a shift is open belongs to it (DESIGN 11), in the same statement.
        let inserted = txn
            .execute_raw(stmt(
                format!(
                    "INSERT INTO transactions ({ENTRY_COLUMNS}, is_synced, shift_id) \
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, \
                     (SELECT id FROM shifts WHERE closed_at IS NULL)) \
                     ON CONFLICT (id) DO NOTHING"
                ),
                entry_values(&tx).to_vec(),
            ))
            .await;
        match inserted {
            Ok(done) if done.rows_affected() == 1 => {}
            Ok(_) => {
                let stored = self
                    .fetch(&txn, tx.id)
                    .await?
                    .ok_or_else(|| corrupt("conflict on a missing id"))?;
                return if tx.is_replay_of(&stored) {
                    Ok(Recorded::Replayed(stored))
                } else {
                    Err(LedgerError::Conflict(tx.id))
                };
            }
            Err(e) => {
                return Err(match (e.sql_err(), tx.reverses_id) {
                    (Some(SqlErr::UniqueConstraintViolation(_)), Some(original)) => {
                        LedgerError::AlreadyVoided {
                            original,
                            void: self.void_of(&txn, original).await?,
                        }
                    }
                    (Some(SqlErr::ForeignKeyConstraintViolation(_)), Some(original)) => {
                        LedgerError::NotFound(original)
                    }
                    _ => db_err(e),
                });
            }
        }
        let learned = add_entry(&txn, &self.calendar, &self.spellings, &tx).await?;
        txn.commit().await.map_err(db_err)?;
        self.spellings.remember(learned);
        Ok(Recorded::Created(Transaction::posted(tx)))
    }

    async fn get(&self, id: TransactionId) -> Result<Option<Transaction>, LedgerError> {
        self.fetch(&self.db.reader, id).await
    }

    async fn list(&self, query: &ListQuery) -> Result<Page<Transaction>, LedgerError> {
        let (conditions, values) = self.list_conditions(query);
        let total = self.count(query, &conditions, &values).await?;
        let offset = u64::from(query.page.saturating_sub(1)) * u64::from(query.limit);
        let items = if offset >= total {
            Vec::new()
        } else {
            // Page through the covering order index by rowid alone, then fetch only the rows
            // of this page: deep offsets skip index entries, not table rows.
            let sql = format!(
                "SELECT {TX_COLUMNS} FROM transactions t JOIN (SELECT t.rowid AS r FROM transactions t{} \
                 ORDER BY {ORDER} LIMIT ? OFFSET ?) page ON t.rowid = page.r ORDER BY {ORDER}",
                where_clause(&conditions)
            );
            let mut values = values;
            values.push(i64::from(query.limit).into());
            values.push(i64::try_from(offset).unwrap_or(i64::MAX).into());
            let rows = self
                .db
                .reader
                .query_all_raw(stmt(sql, values))
                .await
                .map_err(db_err)?;
            rows.iter().map(TxRow::decode).collect::<Result<_, _>>()?
        };
        Ok(Page {
            items,
            page: query.page,
            limit: query.limit,
            total,
        })
    }

    async fn list_after(
        &self,
        query: &ListQuery,
        after: Option<ListCursor>,
        limit: u32,
    ) -> Result<Vec<Transaction>, LedgerError> {
        let (mut conditions, mut values) = self.list_conditions(query);
        if let Some(c) = after {
            // The row after the cursor in the order index, as a row-value comparison.
            conditions.push("(t.occurred_at, t.created_at, t.id) < (?, ?, ?)".into());
            values.push(to_ms(c.occurred_at).into());
            values.push(to_ms(c.created_at).into());
            values.push(c.id.as_uuid().into());
        }
        values.push(i64::from(limit).into());
        let sql = format!(
            "SELECT {TX_COLUMNS} FROM transactions t{} ORDER BY {ORDER} LIMIT ?",
            where_clause(&conditions)
        );
        if let Some(path) = self.db.file.clone() {
            // A file: read on a connection of its own, row by row, on a blocking thread. An
            // export reads a million rows this way; sqlx would copy each value across threads.
            let plain = values
                .iter()
                .map(plain_value)
                .collect::<Result<Vec<_>, _>>()?;
            return tokio::task::spawn_blocking(move || read_plain(&path, &sql, plain))
                .await
                .map_err(|e| LedgerError::Internal(e.to_string()))?;
        }
        self.db
            .reader
            .query_all_raw(stmt(sql, values))
            .await
            .map_err(db_err)?
            .iter()
            .map(TxRow::decode)
            .collect()
    }

    async fn list_totals(&self, query: &ListQuery) -> Result<Totals, LedgerError> {
        let (conditions, values) = self.list_conditions(query);
        // From the rows themselves: the filters (text, sync state) are not kept in the
        // aggregates. An entry is cancelled when it is a void or has one.
        let live = |ty: &str, what: &str| {
            format!(
                "CAST(SUM(CASE WHEN NOT x.cancelled AND x.type = '{ty}' THEN {what} END) AS BIGINT)"
            )
        };
        let gone = |ty: &str, what: &str| {
            format!(
                "CAST(SUM(CASE WHEN x.cancelled AND x.type = '{ty}' THEN {what} END) AS BIGINT)"
            )
        };
        let sql = format!(
            "SELECT {}, {}, {}, {}, {}, {}, {}, {} FROM (SELECT t.type, t.amount, \
             (t.reverses_id IS NOT NULL OR EXISTS (SELECT 1 FROM transactions v WHERE v.reverses_id = t.id)) AS cancelled \
             FROM transactions t{}) x",
            live("IN", "x.amount"),
            live("OUT", "x.amount"),
            live("IN", "1"),
            live("OUT", "1"),
            gone("IN", "x.amount"),
            gone("OUT", "x.amount"),
            gone("IN", "1"),
            gone("OUT", "1"),
            where_clause(&conditions)
        );
        self.totals_row(sql, values).await
    }

    async fn totals(
        &self,
        range: DateRange,
        channel: Option<ChannelId>,
    ) -> Result<Totals, LedgerError> {
        let mut conditions = Vec::new();
        let mut values = Vec::new();
        date_conditions(&range, &mut conditions, &mut values);
        self.day_sums(conditions, values, channel).await
    }

    async fn channel_totals(
        &self,
        range: DateRange,
    ) -> Result<Vec<(ChannelId, Totals)>, LedgerError> {
        let mut conditions = Vec::new();
        let mut values = Vec::new();
        date_conditions(&range, &mut conditions, &mut values);
        let sql = format!(
            "SELECT channel_id, {} FROM daily_channel_totals{} GROUP BY channel_id",
            totals_sums(),
            where_clause(&conditions)
        );
        let rows = self
            .db
            .reader
            .query_all_raw(stmt(sql, values))
            .await
            .map_err(db_err)?;
        rows.iter()
            .map(|row| {
                let id: uuid::Uuid = row.try_get_by_index(0).map_err(db_err)?;
                Ok((ChannelId::from_uuid(id), day_totals(row, 1)?))
            })
            .filter(|r| {
                // A channel whose every entry was cancelled still shows, with its voids.
                r.as_ref().map_or(true, |(_, t)| *t != Totals::default())
            })
            .collect()
    }

    async fn daily(
        &self,
        range: DateRange,
        channel: Option<ChannelId>,
    ) -> Result<(i64, Vec<DayTotals>), LedgerError> {
        let opening = match range.from {
            None => 0,
            Some(from) => {
                let before = self
                    .day_sums(
                        vec!["business_date < ?".into()],
                        vec![from.to_string().into()],
                        channel,
                    )
                    .await?;
                before
                    .balance()
                    .map_err(|e| LedgerError::Internal(e.to_string()))?
            }
        };
        let mut conditions = Vec::new();
        let mut values = Vec::new();
        date_conditions(&range, &mut conditions, &mut values);
        let table = day_table(channel, &mut conditions, &mut values);
        let sql = format!(
            "SELECT business_date, {} FROM {table}{} ORDER BY business_date",
            TOTALS_COLUMNS.join(", "),
            where_clause(&conditions)
        );
        let rows = self
            .db
            .reader
            .query_all_raw(stmt(sql, values))
            .await
            .map_err(db_err)?;
        let days = rows
            .iter()
            .map(|row| {
                let date: String = row.try_get_by_index(0).map_err(db_err)?;
                Ok(DayTotals {
                    date: NaiveDate::parse_from_str(&date, "%Y-%m-%d")
                        .map_err(|_| corrupt(format!("business date {date:?}")))?,
                    totals: day_totals(row, 1)?,
                })
            })
            .collect::<Result<Vec<_>, LedgerError>>()?;
        Ok((opening, days))
    }

    async fn category_totals(
        &self,
        range: DateRange,
        tx_type: Option<TxType>,
    ) -> Result<Vec<CategoryTotal>, LedgerError> {
        let mut conditions = Vec::new();
        let mut values = Vec::new();
        date_conditions(&range, &mut conditions, &mut values);
        if let Some(t) = tx_type {
            conditions.push("type = ?".into());
            values.push(t.as_str().into());
        }
        let sql = format!(
            "SELECT category, type, SUM(total) AS total, SUM(count) FROM daily_category_totals{} \
             GROUP BY category, type HAVING SUM(count) > 0 ORDER BY total DESC, category, type",
            where_clause(&conditions)
        );
        let rows = self
            .db
            .reader
            .query_all_raw(stmt(sql, values))
            .await
            .map_err(db_err)?;
        rows.iter()
            .map(|row| {
                let category: String = row.try_get_by_index(0).map_err(db_err)?;
                let tx_type: String = row.try_get_by_index(1).map_err(db_err)?;
                Ok(CategoryTotal {
                    category: Category::parse(&category).map_err(|e| corrupt(e.to_string()))?,
                    tx_type: TxType::parse("type", &tx_type).map_err(|e| corrupt(e.to_string()))?,
                    total: get_i64(row, 2)?,
                    count: get_i64(row, 3)?,
                })
            })
            .collect()
    }

    async fn used_categories(&self, limit: u32) -> Result<Vec<UsedCategory>, LedgerError> {
        let rows = self
            .db
            .reader
            .query_all_raw(stmt(
                "SELECT category, type, SUM(count + voided_count) AS uses FROM daily_category_totals \
                 GROUP BY category, type ORDER BY uses DESC, category LIMIT ?",
                vec![i64::from(limit).into()],
            ))
            .await
            .map_err(db_err)?;
        rows.iter()
            .map(|row| {
                let category: String = row.try_get_by_index(0).map_err(db_err)?;
                let tx_type: String = row.try_get_by_index(1).map_err(db_err)?;
                Ok(UsedCategory {
                    category: Category::parse(&category).map_err(|e| corrupt(e.to_string()))?,
                    tx_type: TxType::parse("type", &tx_type).map_err(|e| corrupt(e.to_string()))?,
                    count: get_i64(row, 2)?,
                })
            })
            .collect()
    }

    async fn ping(&self) -> Result<(), LedgerError> {
        // Reads a page of the ledger itself: a file that was deleted, replaced or damaged
        // under the server fails here, where `SELECT 1` would not touch it.
        self.db
            .reader
            .query_one_raw(stmt(
                "SELECT id FROM transactions ORDER BY rowid DESC LIMIT 1",
                vec![],
            ))
            .await
            .map_err(db_err)?;
        Ok(())
    }
}
