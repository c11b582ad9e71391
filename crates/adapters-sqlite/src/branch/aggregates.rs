//! Per-business-date totals kept beside the ledger, in the same database transaction as every
//! insert, so dashboards read a few hundred rows instead of scanning a million.

use std::collections::{BTreeMap, HashMap};

use kh_domain::{BusinessCalendar, Category, NewTransaction, Totals, TxType};
use kh_ports::LedgerError;
use sea_orm::{ConnectionTrait, TransactionTrait};
use uuid::Uuid;

use super::BranchStore;
use crate::error::{corrupt, db_err};
use crate::sql::stmt;
use crate::time::from_ms;
use kh_adapters_sql::totals_values;

const UPSERT_DAY: &str = "INSERT INTO daily_totals (business_date, total_in, total_out, count_in, count_out, \
     voided_in, voided_out, voided_count_in, voided_count_out) \
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (business_date) DO UPDATE SET \
     total_in = total_in + excluded.total_in, total_out = total_out + excluded.total_out, \
     count_in = count_in + excluded.count_in, count_out = count_out + excluded.count_out, \
     voided_in = voided_in + excluded.voided_in, voided_out = voided_out + excluded.voided_out, \
     voided_count_in = voided_count_in + excluded.voided_count_in, \
     voided_count_out = voided_count_out + excluded.voided_count_out";

const UPSERT_CATEGORY: &str = "INSERT INTO daily_category_totals (business_date, type, category, total, count, voided_count) \
     VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (business_date, type, category) DO UPDATE SET \
     total = total + excluded.total, count = count + excluded.count, \
     voided_count = voided_count + excluded.voided_count";

const UPSERT_CHANNEL_DAY: &str = "INSERT INTO daily_channel_totals (business_date, channel_id, total_in, total_out, \
     count_in, count_out, voided_in, voided_out, voided_count_in, voided_count_out) \
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (business_date, channel_id) DO UPDATE SET \
     total_in = total_in + excluded.total_in, total_out = total_out + excluded.total_out, \
     count_in = count_in + excluded.count_in, count_out = count_out + excluded.count_out, \
     voided_in = voided_in + excluded.voided_in, voided_out = voided_out + excluded.voided_out, \
     voided_count_in = voided_count_in + excluded.voided_count_in, \
     voided_count_out = voided_count_out + excluded.voided_count_out";

const TIMEZONE_KEY: &str = "aggregates_timezone";

const ADD_SPELLING: &str = "INSERT INTO category_spellings (spelling, key) VALUES (?, ?) ON CONFLICT (spelling) DO NOTHING";

/// Keeps the first spelling of a key and answers it (the no-op update makes `RETURNING` answer
/// the stored row too).
const FIRST_SPELLING: &str = "INSERT INTO categories (key, name) VALUES (?, ?) \
     ON CONFLICT (key) DO UPDATE SET name = categories.name RETURNING name";

/// Notes a spelling of a category and answers the one the book shows for it: the first
/// spelling of its key that the book stored.
async fn shown_name<C: ConnectionTrait>(
    conn: &C,
    category: &Category,
) -> Result<String, LedgerError> {
    let key = category.key();
    conn.execute_raw(stmt(
        ADD_SPELLING,
        vec![category.as_str().into(), key.clone().into()],
    ))
    .await
    .map_err(db_err)?;
    let row = conn
        .query_one_raw(stmt(
            FIRST_SPELLING,
            vec![key.into(), category.as_str().into()],
        ))
        .await
        .map_err(db_err)?
        .ok_or_else(|| corrupt("a category upsert answered nothing"))?;
    row.try_get_by_index(0).map_err(db_err)
}

/// What one row changes in the totals of one (date, type, category): live sum and count, and
/// the number of cancelled rows.
#[derive(Debug, Default, Clone, Copy)]
struct CategoryChange {
    total: i64,
    count: i64,
    voided_count: i64,
}

type CategoryKey = (String, TxType, String);

/// Changes to the aggregates, gathered per key so each key is written once.
#[derive(Debug, Default)]
struct Changes {
    days: BTreeMap<String, Totals>,
    channel_days: BTreeMap<(String, Uuid), Totals>,
    categories: BTreeMap<CategoryKey, CategoryChange>,
}

/// Where one row counts: its business date, direction, category (shown spelling) and channel.
struct Place<'a> {
    date: &'a str,
    tx_type: TxType,
    category: &'a str,
    channel: Uuid,
}

impl Changes {
    /// The totals of the day and of the day's channel a row counts in.
    fn day_and_channel(&mut self, date: &str, channel: Uuid) -> [&mut Totals; 2] {
        let day = self.days.entry(date.to_owned()).or_default();
        let by_channel = self
            .channel_days
            .entry((date.to_owned(), channel))
            .or_default();
        [day, by_channel]
    }

    fn live(&mut self, at: &Place<'_>, amount: i64) -> Result<(), LedgerError> {
        let (date, tx_type, category) = (at.date, at.tx_type, at.category);
        for t in self.day_and_channel(date, at.channel) {
            t.add(tx_type, amount).map_err(overflow)?;
        }
        let c = self.category(date, tx_type, category);
        c.total = c
            .total
            .checked_add(amount)
            .ok_or_else(|| corrupt("category total overflow"))?;
        c.count += 1;
        Ok(())
    }

    /// A row that is cancelled; `was_live` when it had been counted live before (the original
    /// of a void that has just been recorded).
    fn cancelled(
        &mut self,
        at: &Place<'_>,
        amount: i64,
        was_live: bool,
    ) -> Result<(), LedgerError> {
        let (date, tx_type, category) = (at.date, at.tx_type, at.category);
        for t in self.day_and_channel(date, at.channel) {
            if was_live {
                t.cancel(tx_type, amount).map_err(overflow)?;
            } else {
                t.add_cancelled(tx_type, amount).map_err(overflow)?;
            }
        }
        let c = self.category(date, tx_type, category);
        if was_live {
            c.total = c
                .total
                .checked_sub(amount)
                .ok_or_else(|| corrupt("category total overflow"))?;
            c.count -= 1;
        }
        c.voided_count += 1;
        Ok(())
    }

    fn category(&mut self, date: &str, tx_type: TxType, category: &str) -> &mut CategoryChange {
        self.categories
            .entry((date.to_owned(), tx_type, category.to_owned()))
            .or_default()
    }

    async fn write<C: ConnectionTrait>(&self, conn: &C) -> Result<(), LedgerError> {
        for (date, t) in &self.days {
            let mut values = vec![date.as_str().into()];
            values.extend(totals_values(t));
            conn.execute_raw(stmt(UPSERT_DAY, values))
                .await
                .map_err(db_err)?;
        }
        for ((date, channel), t) in &self.channel_days {
            let mut values = vec![date.as_str().into(), (*channel).into()];
            values.extend(totals_values(t));
            conn.execute_raw(stmt(UPSERT_CHANNEL_DAY, values))
                .await
                .map_err(db_err)?;
        }
        for ((date, tx_type, category), c) in &self.categories {
            let values = vec![
                date.as_str().into(),
                tx_type.as_str().into(),
                category.as_str().into(),
                c.total.into(),
                c.count.into(),
                c.voided_count.into(),
            ];
            conn.execute_raw(stmt(UPSERT_CATEGORY, values))
                .await
                .map_err(db_err)?;
        }
        Ok(())
    }
}

fn overflow(e: kh_domain::TotalsOverflow) -> LedgerError {
    LedgerError::Internal(e.to_string())
}

/// Adds one new entry to the aggregates (call inside the transaction that inserts it). A void
/// cancels its original at the original's business date and is itself cancelled at its own.
/// Category totals are kept under the first spelling of the entry's category.
pub(crate) async fn add_entry<C: ConnectionTrait>(
    conn: &C,
    calendar: &BusinessCalendar,
    spellings: &KnownSpellings,
    tx: &NewTransaction,
) -> Result<Learned, LedgerError> {
    add_entries(conn, calendar, spellings, &[tx]).await
}

/// The spellings of categories this process has seen committed, each with the name the book
/// shows for it (its key's first spelling). Both only ever grow and never change once stored,
/// and one process owns the file: a spelling found here needs no statement.
#[derive(Debug, Default)]
pub(crate) struct KnownSpellings(std::sync::Mutex<HashMap<String, String>>);

/// Spellings an uncommitted transaction looked up: remember them once it commits.
pub(crate) type Learned = Vec<(String, String)>;

impl KnownSpellings {
    fn shown(&self, spelling: &str) -> Option<String> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(spelling)
            .cloned()
    }

    /// Keeps what a committed transaction learnt.
    pub(crate) fn remember(&self, learned: Learned) {
        let mut known = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if known.len() > 10_000 {
            known.clear();
        }
        known.extend(learned);
    }
}

/// [`add_entry`] for many new entries at once (inserted, in this order, in the calling
/// transaction): each aggregate key is written once, and each spelling looked up once.
pub(crate) async fn add_entries<C: ConnectionTrait>(
    conn: &C,
    calendar: &BusinessCalendar,
    spellings: &KnownSpellings,
    txs: &[&NewTransaction],
) -> Result<Learned, LedgerError> {
    let mut changes = Changes::default();
    let mut shown: HashMap<String, String> = HashMap::new();
    for tx in txs {
        let category = match shown.get(tx.category.as_str()) {
            Some(name) => name.clone(),
            None => {
                let name = match spellings.shown(tx.category.as_str()) {
                    Some(name) => name,
                    None => shown_name(conn, &tx.category).await?,
                };
                shown.insert(tx.category.as_str().to_owned(), name.clone());
                name
            }
        };
        let date = calendar.date_of(tx.occurred_at).to_string();
        let amount = tx.amount.rupiah();
        let channel = tx.channel.id.as_uuid();
        let here = Place {
            date: &date,
            tx_type: tx.tx_type,
            category: &category,
            channel,
        };
        match tx.reverses_id {
            None => changes.live(&here, amount)?,
            Some(original) => {
                // A void mirrors its original (same category, amount, time and channel;
                // opposite type); the original is cancelled where it was counted.
                let row = conn
                    .query_one_raw(stmt(
                        "SELECT type, amount, occurred_at, channel_id FROM transactions WHERE id = ?",
                        vec![original.as_uuid().into()],
                    ))
                    .await
                    .map_err(db_err)?
                    .ok_or_else(|| corrupt("a void recorded without its original"))?;
                let o_type: String = row.try_get_by_index(0).map_err(db_err)?;
                let o_amount: i64 = row.try_get_by_index(1).map_err(db_err)?;
                let o_at: i64 = row.try_get_by_index(2).map_err(db_err)?;
                let o_channel: Uuid = row.try_get_by_index(3).map_err(db_err)?;
                let o_type = TxType::parse("type", &o_type).map_err(|e| corrupt(e.to_string()))?;
                let o_date = calendar.date_of(from_ms(o_at)?).to_string();
                let original = Place {
                    date: &o_date,
                    tx_type: o_type,
                    category: &category,
                    channel: o_channel,
                };
                changes.cancelled(&original, o_amount, true)?;
                changes.cancelled(&here, amount, false)?;
            }
        }
    }
    changes.write(conn).await?;
    Ok(shown.into_iter().collect())
}

/// The spellings a rebuild has met, in entry order: the first of each key is the one shown.
#[derive(Debug, Default)]
struct Spellings {
    shown: HashMap<String, String>,
    seen: BTreeMap<String, String>,
}

impl Spellings {
    fn shown_name(&mut self, raw: &str) -> Result<String, LedgerError> {
        if let Some(key) = self.seen.get(raw) {
            return Ok(self.shown[key].clone());
        }
        let key = Category::parse(raw)
            .map_err(|e| corrupt(e.to_string()))?
            .key();
        self.seen.insert(raw.to_owned(), key.clone());
        Ok(self
            .shown
            .entry(key)
            .or_insert_with(|| raw.to_owned())
            .clone())
    }

    async fn write<C: ConnectionTrait>(&self, conn: &C) -> Result<(), LedgerError> {
        for (spelling, key) in &self.seen {
            conn.execute_raw(stmt(
                ADD_SPELLING,
                vec![spelling.as_str().into(), key.as_str().into()],
            ))
            .await
            .map_err(db_err)?;
        }
        for (key, name) in &self.shown {
            conn.execute_raw(stmt(
                FIRST_SPELLING,
                vec![key.as_str().into(), name.as_str().into()],
            ))
            .await
            .map_err(db_err)?;
        }
        Ok(())
    }
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
        if stored.as_deref() != Some(self.calendar.key().as_str()) {
            tracing::info!(
                from = stored.as_deref().unwrap_or("none"),
                to = self.calendar.key(),
                "time zone changed; rebuilding daily totals"
            );
            self.rebuild_aggregates().await?;
        }
        Ok(())
    }

    /// Recomputes every aggregate from the ledger in one transaction. Used when the time zone
    /// or the rule changes and by tools that bulk-load rows.
    pub async fn rebuild_aggregates(&self) -> Result<(), LedgerError> {
        let txn = self.db.writer.begin().await.map_err(db_err)?;
        let mut changes = Changes::default();
        let mut spellings = Spellings::default();
        let mut after: i64 = 0;
        loop {
            // A row is cancelled when it is a void or has one (the unique index on
            // `reverses_id` answers the second).
            let rows = txn
                .query_all_raw(stmt(
                    "SELECT t.rowid, t.type, t.category, t.amount, t.occurred_at, t.channel_id, \
                     (t.reverses_id IS NOT NULL \
                      OR EXISTS (SELECT 1 FROM transactions v WHERE v.reverses_id = t.id)) \
                     FROM transactions t WHERE t.rowid > ? ORDER BY t.rowid LIMIT 20000",
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
                let channel: Uuid = row.try_get_by_index(5).map_err(db_err)?;
                let cancelled: bool = row.try_get_by_index(6).map_err(db_err)?;
                let tx_type =
                    TxType::parse("type", &tx_type).map_err(|e| corrupt(e.to_string()))?;
                let date = self.calendar.date_of(from_ms(occurred_at)?).to_string();
                let category = spellings.shown_name(&category)?;
                let here = Place {
                    date: &date,
                    tx_type,
                    category: &category,
                    channel,
                };
                if cancelled {
                    changes.cancelled(&here, amount, false)?;
                } else {
                    changes.live(&here, amount)?;
                }
                after = rowid;
            }
        }
        txn.execute_unprepared(
            "DELETE FROM daily_totals; DELETE FROM daily_channel_totals; DELETE FROM daily_category_totals; \
             DELETE FROM categories; DELETE FROM category_spellings;",
        )
        .await
        .map_err(db_err)?;
        spellings.write(&txn).await?;
        changes.write(&txn).await?;
        txn.execute_raw(stmt(
            "INSERT INTO ledger_meta (key, value) VALUES (?, ?) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            vec![TIMEZONE_KEY.into(), self.calendar.key().into()],
        ))
        .await
        .map_err(db_err)?;
        txn.commit().await.map_err(db_err)
    }
}
