//! Taking one push: classify every row, insert the new ones, update the totals — in one
//! database transaction committed before the caller answers the branch.

use std::collections::{HashMap, HashSet};

use kh_adapters_sql::{Failure, classify, marks, stmt};
use kh_domain::chrono::{DateTime, SubsecRound, Utc};
use kh_domain::{
    Amount, BranchId, Category, Description, NewTransaction, OriginalAtHq, TransactionId, TxType,
    Verdict, judge_existing, judge_new_void,
};
use kh_ports::{HqError, IngestOutcome, RowRejection};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, QueryResult, TransactionTrait, Value};
use uuid::Uuid;

use crate::HqStore;
use crate::aggregates::{self, UPSERT_TOTALS};
use crate::error::{corrupt, db_err};

/// Rows per INSERT (10 values each): far below both backends' bind-parameter limits.
const ROWS_PER_INSERT: usize = 500;
/// Ids per `IN (...)` lookup.
const IDS_PER_LOOKUP: usize = 1_000;

const COLUMNS: &str =
    "id, branch_id, type, category, amount, description, occurred_at, created_at, reverses_id";

/// Decodes the columns of [`COLUMNS`] (the first nine of any transaction query).
pub(crate) fn decode(row: &QueryResult) -> Result<NewTransaction, HqError> {
    let get_err = |e| db_err(e);
    let id: Uuid = row.try_get_by_index(0).map_err(get_err)?;
    let branch: Uuid = row.try_get_by_index(1).map_err(get_err)?;
    let tx_type: String = row.try_get_by_index(2).map_err(get_err)?;
    let category: String = row.try_get_by_index(3).map_err(get_err)?;
    let amount: i64 = row.try_get_by_index(4).map_err(get_err)?;
    let description: String = row.try_get_by_index(5).map_err(get_err)?;
    let occurred_at: DateTime<Utc> = row.try_get_by_index(6).map_err(get_err)?;
    let created_at: DateTime<Utc> = row.try_get_by_index(7).map_err(get_err)?;
    let reverses: Option<Uuid> = row.try_get_by_index(8).map_err(get_err)?;
    Ok(NewTransaction {
        id: TransactionId::from_uuid(id),
        branch_id: Some(BranchId::from_uuid(branch)),
        tx_type: TxType::parse("type", &tx_type).map_err(|e| corrupt(e.to_string()))?,
        amount: Amount::new(amount).map_err(|e| corrupt(e.to_string()))?,
        category: Category::parse(&category).map_err(|e| corrupt(e.to_string()))?,
        description: Description::parse(&description).map_err(|e| corrupt(e.to_string()))?,
        occurred_at,
        created_at,
        reverses_id: reverses.map(TransactionId::from_uuid),
        occurred_at_supplied: true,
    })
}

/// The stored rows among `ids`.
async fn fetch(
    txn: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, NewTransaction>, Attempt> {
    let backend = txn.get_database_backend();
    let mut found = HashMap::new();
    for chunk in ids.chunks(IDS_PER_LOOKUP) {
        let sql = format!(
            "SELECT {COLUMNS} FROM transactions WHERE id IN ({})",
            marks(chunk.len())
        );
        let values = chunk.iter().map(|id| Value::from(*id)).collect();
        for row in txn
            .query_all_raw(stmt(backend, &sql, values))
            .await
            .map_err(attempt_err)?
        {
            let tx = decode(&row)?;
            found.insert(tx.id.as_uuid(), tx);
        }
    }
    Ok(found)
}

/// The originals among `ids` that already have a void.
async fn already_voided(
    txn: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<HashSet<Uuid>, Attempt> {
    let backend = txn.get_database_backend();
    let mut voided = HashSet::new();
    for chunk in ids.chunks(IDS_PER_LOOKUP) {
        let sql = format!(
            "SELECT reverses_id FROM transactions WHERE reverses_id IN ({})",
            marks(chunk.len())
        );
        let values = chunk.iter().map(|id| Value::from(*id)).collect();
        for row in txn
            .query_all_raw(stmt(backend, &sql, values))
            .await
            .map_err(attempt_err)?
        {
            voided.insert(row.try_get_by_index::<Uuid>(0).map_err(attempt_err)?);
        }
    }
    Ok(voided)
}

/// Where the rows an insert stored are added to the per-day totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Totals {
    /// In the insert statement itself (PostgreSQL).
    InStatement,
    /// By the caller, once for the whole push, from the ids the insert returned.
    ByCaller,
}

/// Inserts rows that are not stored yet (`INSERT … ON CONFLICT (id) DO NOTHING RETURNING id`);
/// returns the ids actually inserted (a concurrent push may have stored some a moment ago).
/// Rows go in id order, so concurrent pushes of overlapping ids lock them in the same order
/// (and every row lock of a push is taken before any totals lock).
async fn insert(
    txn: &impl ConnectionTrait,
    store: &HqStore,
    rows: &[&NewTransaction],
    received_at: DateTime<Utc>,
    totals: Totals,
) -> Result<HashSet<Uuid>, Attempt> {
    let backend = txn.get_database_backend();
    let mut sorted: Vec<&NewTransaction> = rows.to_vec();
    sorted.sort_by_key(|r| r.id);
    let mut inserted = HashSet::with_capacity(rows.len());
    for chunk in sorted.chunks(ROWS_PER_INSERT) {
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 11);
        for tx in chunk {
            let branch = tx
                .branch_id
                .ok_or_else(|| corrupt("HQ row without branch"))?;
            values.extend([
                Value::from(tx.id.as_uuid()),
                Value::from(branch.as_uuid()),
                Value::from(tx.tx_type.as_str()),
                Value::from(tx.category.as_str()),
                Value::from(tx.amount.rupiah()),
                Value::from(tx.description.as_str()),
                Value::from(tx.occurred_at),
                Value::from(tx.created_at),
                Value::from(tx.reverses_id.map(|r| r.as_uuid())),
                Value::from(received_at),
            ]);
            if totals == Totals::InStatement {
                values.push(store.calendar.date_of(tx.occurred_at).into());
            }
        }
        let returned = match totals {
            // One statement inserts the rows and adds the ones it inserted to the totals, so
            // the totals cannot move without the rows they count, and a plain push costs one
            // round trip.
            Totals::InStatement => txn
                .query_all_raw(stmt(backend, &insert_with_totals_sql(chunk.len()), values))
                .await
                .map_err(attempt_err)?,
            Totals::ByCaller => {
                let sql = format!(
                    "INSERT INTO transactions ({COLUMNS}, received_at) VALUES {} \
                     ON CONFLICT (id) DO NOTHING RETURNING id",
                    vec![ROW_MARKS; chunk.len()].join(", ")
                );
                txn.query_all_raw(stmt(backend, &sql, values))
                    .await
                    .map_err(attempt_err)?
            }
        };
        for row in &returned {
            inserted.insert(row.try_get_by_index::<Uuid>(0).map_err(attempt_err)?);
        }
    }
    Ok(inserted)
}

/// Placeholders of one row of [`COLUMNS`] plus `received_at`.
const ROW_MARKS: &str = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

/// PostgreSQL: the rows (with their business date) as a `VALUES` list, inserted, and the
/// inserted ones summed into `daily_totals` in (branch, date) order.
fn insert_with_totals_sql(rows: usize) -> String {
    let first = "(?::uuid, ?::uuid, ?::text, ?::text, ?::bigint, ?::text, ?::timestamptz, \
                 ?::timestamptz, ?::uuid, ?::timestamptz, ?::date)";
    let others = vec!["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"; rows.saturating_sub(1)];
    let list = std::iter::once(first)
        .chain(others)
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "WITH v ({COLUMNS}, received_at, business_date) AS (VALUES {list}), \
         ins AS (INSERT INTO transactions ({COLUMNS}, received_at) \
                 SELECT {COLUMNS}, received_at FROM v ORDER BY id \
                 ON CONFLICT (id) DO NOTHING RETURNING id), \
         totals AS (INSERT INTO daily_totals (branch_id, business_date, total_in, total_out, count_in, count_out) \
                 SELECT v.branch_id, v.business_date, \
                        COALESCE(SUM(v.amount) FILTER (WHERE v.type = 'IN'), 0), \
                        COALESCE(SUM(v.amount) FILTER (WHERE v.type = 'OUT'), 0), \
                        COUNT(*) FILTER (WHERE v.type = 'IN'), COUNT(*) FILTER (WHERE v.type = 'OUT') \
                 FROM v JOIN ins ON ins.id = v.id \
                 GROUP BY v.branch_id, v.business_date ORDER BY v.branch_id, v.business_date \
                 {UPSERT_TOTALS}) \
         SELECT id FROM ins"
    )
}

/// Records the domain's verdict on a row HQ already holds.
fn record_existing(row: &NewTransaction, stored: &NewTransaction, outcome: &mut IngestOutcome) {
    match judge_existing(row, stored) {
        Ok(()) => outcome.duplicates.push(row.id),
        Err((code, reason)) => outcome.rejected.push(RowRejection {
            id: row.id.to_string(),
            code,
            reason,
        }),
    }
}

/// How one attempt at a push failed.
enum Attempt {
    /// PostgreSQL chose this push as the victim of a lock conflict (deadlock or serialization
    /// failure), or a concurrent push rolled back under it: the whole push can simply run again.
    Retry(String),
    /// Anything else.
    Failed(HqError),
}

impl From<HqError> for Attempt {
    fn from(e: HqError) -> Self {
        Self::Failed(e)
    }
}

fn attempt_err(e: DbErr) -> Attempt {
    // A unique violation inside a push can only be two pushes voiding one original at once:
    // run again, and the check before the insert then sees the other void.
    match classify(&e) {
        Failure::Unique | Failure::LockConflict => Attempt::Retry(e.to_string()),
        Failure::Transient | Failure::Other => Attempt::Failed(db_err(e)),
    }
}

/// Runs of a push lost to a lock conflict before HQ answers 503 (the branch then retries).
const ATTEMPTS: usize = 5;

impl HqStore {
    pub(crate) async fn ingest_rows(
        &self,
        branch: BranchId,
        rows: Vec<NewTransaction>,
        received_at: DateTime<Utc>,
    ) -> Result<IngestOutcome, HqError> {
        let mut ids = HashSet::with_capacity(rows.len());
        if !rows.iter().all(|r| ids.insert(r.id)) {
            return Err(HqError::Internal(
                "a push handed to the store must hold each id once".into(),
            ));
        }
        let received_at = received_at.trunc_subsecs(3);
        let categories: Vec<&Category> = rows.iter().map(|r| &r.category).collect();
        self.spellings
            .ensure(&self.writer, &categories)
            .await
            .map_err(db_err)?;
        let mut last = String::new();
        for attempt in 1..=ATTEMPTS {
            match self.ingest_once(branch, &rows, received_at).await {
                Ok(outcome) => return Ok(outcome),
                Err(Attempt::Failed(e)) => return Err(e),
                Err(Attempt::Retry(why)) => {
                    tracing::debug!(
                        attempt,
                        rows = rows.len(),
                        "push lost a lock conflict; running it again"
                    );
                    last = why;
                }
            }
        }
        Err(HqError::Unavailable(format!(
            "the push lost {ATTEMPTS} lock conflicts with concurrent pushes: {last}"
        )))
    }

    async fn ingest_once(
        &self,
        branch: BranchId,
        rows: &[NewTransaction],
        received_at: DateTime<Utc>,
    ) -> Result<IngestOutcome, Attempt> {
        let mut outcome = IngestOutcome::default();
        let (plain, voids): (Vec<&NewTransaction>, Vec<&NewTransaction>) =
            rows.iter().partition(|r| r.reverses_id.is_none());

        // The commonest push (new entries, no voids) on PostgreSQL is one statement, which is a
        // transaction of its own: no BEGIN/COMMIT round trips. Rows found already stored are
        // only read afterwards, to tell duplicates from conflicts.
        if voids.is_empty() && self.writer.get_database_backend() == DbBackend::Postgres {
            let mode = Totals::InStatement;
            insert_and_classify(&self.writer, self, &plain, received_at, mode, &mut outcome)
                .await?;
            return Ok(outcome);
        }

        let txn = self.writer.begin().await.map_err(attempt_err)?;
        // Plain rows go straight in; the ones not inserted were already stored (earlier, or by
        // a concurrent push a moment ago) and are compared with what is stored.
        let mode = Totals::ByCaller;
        insert_and_classify(&txn, self, &plain, received_at, mode, &mut outcome).await?;

        // Voids: one already stored is a duplicate or a conflict like any row. A new one needs
        // its original from this branch (stored before, or just above), must mirror it, and
        // only one void per original may ever exist.
        let void_ids: Vec<Uuid> = voids.iter().map(|v| v.id.as_uuid()).collect();
        let stored_voids = fetch(&txn, &void_ids).await?;
        let original_ids: Vec<Uuid> = voids
            .iter()
            .filter_map(|v| v.reverses_id)
            .map(|r| r.as_uuid())
            .collect();
        let originals = fetch(&txn, &original_ids).await?;
        let mut claimed = already_voided(&txn, &original_ids).await?;
        let mut new_voids = Vec::with_capacity(voids.len());
        for void in voids {
            if let Some(stored) = stored_voids.get(&void.id.as_uuid()) {
                record_existing(void, stored, &mut outcome);
                continue;
            }
            let original_id = void.reverses_id.map(|r| r.as_uuid());
            let at_hq = OriginalAtHq {
                original: original_id.and_then(|id| originals.get(&id)),
                already_voided: original_id.is_some_and(|id| claimed.contains(&id)),
            };
            match judge_new_void(void, branch, at_hq) {
                Verdict::Store => {
                    claimed.extend(original_id);
                    new_voids.push(void);
                }
                Verdict::Reject(code, reason) => outcome.rejected.push(RowRejection {
                    id: void.id.to_string(),
                    code,
                    reason,
                }),
            }
        }
        insert_and_classify(&txn, self, &new_voids, received_at, mode, &mut outcome).await?;

        // The totals count exactly the rows this push inserted, each once, in one statement
        // after every row lock is held.
        let accepted: HashSet<TransactionId> = outcome.accepted.iter().copied().collect();
        let counted: Vec<&NewTransaction> =
            rows.iter().filter(|r| accepted.contains(&r.id)).collect();
        aggregates::add(&txn, self, &counted, &originals).await?;
        txn.commit().await.map_err(attempt_err)?;
        Ok(outcome)
    }
}

/// Inserts `rows` (adding the inserted ones to the totals); those not inserted already
/// existed and are classified against the stored row. A row neither inserted nor found means
/// a concurrent push that held it rolled back: the push runs again.
async fn insert_and_classify(
    conn: &impl ConnectionTrait,
    store: &HqStore,
    rows: &[&NewTransaction],
    received_at: DateTime<Utc>,
    totals: Totals,
    outcome: &mut IngestOutcome,
) -> Result<(), Attempt> {
    if rows.is_empty() {
        return Ok(());
    }
    let inserted = insert(conn, store, rows, received_at, totals).await?;
    let missing: Vec<Uuid> = rows
        .iter()
        .map(|r| r.id.as_uuid())
        .filter(|id| !inserted.contains(id))
        .collect();
    let existing = if missing.is_empty() {
        HashMap::new()
    } else {
        fetch(conn, &missing).await?
    };
    for row in rows {
        if inserted.contains(&row.id.as_uuid()) {
            outcome.accepted.push(row.id);
        } else if let Some(stored) = existing.get(&row.id.as_uuid()) {
            record_existing(row, stored, outcome);
        } else {
            return Err(Attempt::Retry(format!(
                "row {} neither inserted nor found",
                row.id
            )));
        }
    }
    Ok(())
}
