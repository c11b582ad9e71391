//! Taking one push: classify every row, insert the new ones, update the totals — in one
//! database transaction committed before the caller answers the branch.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use kh_adapters_sql::{Failure, classify, connection_lost, driver_err, marks, stmt};
use kh_domain::chrono::{DateTime, SubsecRound, Utc};
use kh_domain::{
    Amount, BranchId, Category, ChannelId, ChannelName, ChannelRef, Description, DeviceId,
    NewTransaction, OriginalAtHq, StaffRef, TransactionId, TxType, Verdict, judge_existing,
    judge_new_void,
};
use kh_ports::{HqError, IngestOutcome, RowRejection};
use sea_orm::sqlx::{self, AssertSqlSafe, PgPool, Row};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, QueryResult, TransactionTrait, Value};
use uuid::Uuid;

use crate::HqStore;
use crate::aggregates::{self, UPSERT_TOTALS};
use crate::error::{corrupt, db_err};

/// Rows per INSERT (18 values each at most): far below both backends' bind-parameter limits.
const ROWS_PER_INSERT: usize = 500;
/// Ids per `IN (...)` lookup.
const IDS_PER_LOOKUP: usize = 1_000;

pub(crate) const COLUMNS: &str = "id, branch_id, type, category, amount, description, occurred_at, \
     created_at, reverses_id, channel_id, channel_name, recorded_by, recorded_by_name, \
     approved_by, approved_by_name";

/// How many columns [`COLUMNS`] has: a query's own columns follow them.
pub(crate) const COLUMN_COUNT: usize = 15;

/// Decodes the columns of [`COLUMNS`] (the first [`COLUMN_COUNT`] of any transaction query).
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
    let channel_id: Uuid = row.try_get_by_index(9).map_err(get_err)?;
    let channel_name: String = row.try_get_by_index(10).map_err(get_err)?;
    let recorded_by = StaffRef::stored(
        row.try_get_by_index(11).map_err(get_err)?,
        row.try_get_by_index(12).map_err(get_err)?,
    )
    .map_err(corrupt)?;
    let approved_by = StaffRef::stored(
        row.try_get_by_index(13).map_err(get_err)?,
        row.try_get_by_index(14).map_err(get_err)?,
    )
    .map_err(corrupt)?;
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
        channel: ChannelRef {
            id: ChannelId::from_uuid(channel_id),
            name: ChannelName::parse("channel_name", &channel_name)
                .map_err(|e| corrupt(e.to_string()))?,
        },
        recorded_by,
        approved_by,
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

/// Where a push's rows get their place in the branch's feed (`seq`).
#[derive(Debug)]
enum Seq {
    /// PostgreSQL: the column's default, `nextval('transactions_seq')`, taken while the push
    /// holds its branch's lock ([`BRANCH_LOCK`]).
    Sequence,
    /// SQLite (one writer): the next number to give, counted on from the stored maximum.
    Next(i64),
}

/// The transaction-scoped advisory lock a PostgreSQL push of a branch holds from before it
/// takes any `seq` until it commits: pushes of one branch take their numbers one push after
/// another, so a reader of the branch's feed sees its rows appear in `seq` order.
const BRANCH_LOCK: &str = "SELECT pg_advisory_xact_lock(?::bigint)";

/// The advisory-lock key of a branch: the first 8 bytes of its id (two branches sharing a key
/// would only wait for each other).
fn lock_key(branch: BranchId) -> i64 {
    let b = branch.as_uuid().into_bytes();
    i64::from_be_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
}

/// Inserts rows that are not stored yet, inside the push's transaction
/// (`INSERT … ON CONFLICT (id) DO NOTHING RETURNING id`); returns the ids actually inserted (a
/// concurrent push may have stored some a moment ago). The caller adds them to the totals.
/// Rows go in id order, so concurrent pushes of overlapping ids lock them in the same order
/// (and every row lock of a push is taken before any totals lock).
async fn insert(
    txn: &impl ConnectionTrait,
    rows: &[&NewTransaction],
    batch: &Batch,
    seq: &mut Seq,
) -> Result<HashSet<Uuid>, Attempt> {
    let backend = txn.get_database_backend();
    let mut sorted: Vec<&NewTransaction> = rows.to_vec();
    sorted.sort_by_key(|r| r.id);
    let mut inserted = HashSet::with_capacity(rows.len());
    let device = Value::from(batch.device.map(|d| d.as_uuid()));
    for chunk in sorted.chunks(ROWS_PER_INSERT) {
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 18);
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
                Value::from(tx.channel.id.as_uuid()),
                Value::from(tx.channel.name.as_str()),
                Value::from(tx.recorded_by.as_ref().map(|w| w.id.as_uuid())),
                Value::from(tx.recorded_by.as_ref().map(|w| w.name.as_str().to_owned())),
                Value::from(tx.approved_by.as_ref().map(|w| w.id.as_uuid())),
                Value::from(tx.approved_by.as_ref().map(|w| w.name.as_str().to_owned())),
                Value::from(batch.received_at),
                device.clone(),
            ]);
            if let Seq::Next(next) = seq {
                values.push((*next).into());
                *next += 1;
            }
        }
        let (extra, marks) = match seq {
            Seq::Sequence => ("", ROW_MARKS),
            Seq::Next(_) => (", seq", ROW_MARKS_WITH_SEQ),
        };
        let sql = format!(
            "INSERT INTO transactions ({COLUMNS}, received_at, device_id{extra}) VALUES {} \
             ON CONFLICT (id) DO NOTHING RETURNING id",
            vec![marks; chunk.len()].join(", ")
        );
        for row in txn
            .query_all_raw(stmt(backend, &sql, values))
            .await
            .map_err(attempt_err)?
        {
            inserted.insert(row.try_get_by_index::<Uuid>(0).map_err(attempt_err)?);
        }
    }
    Ok(inserted)
}

/// Placeholders of one row of [`COLUMNS`] plus `received_at` and `device_id`.
const ROW_MARKS: &str = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
/// [`ROW_MARKS`] plus an explicit `seq` (SQLite).
const ROW_MARKS_WITH_SEQ: &str = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

/// PostgreSQL, a push without voids, as one statement (so one transaction, one round trip):
/// the branch's lock, then the rows, each column one array parameter, inserted (each taking
/// its `seq` from the sequence after the lock is held: the sort of the join with `lock`
/// consumes it before the first row reaches the insert), and the inserted ones summed into
/// `daily_totals` in (branch, date) order, so the totals cannot move without the rows they
/// count.
///
/// Arrays rather than a `VALUES` list of 17 parameters a row: the text is the same for every
/// push whatever its size, so each connection prepares it once and PostgreSQL reuses one plan,
/// and it binds 18 parameters instead of 850 for 50 rows. Measured (`kh-bench cloud`, batch
/// 50): the statement alone went from 0.83 of a raw 10-column insert to 1.0.
static INSERT_COUNTED: LazyLock<String> = LazyLock::new(|| {
    format!(
        "WITH lock AS MATERIALIZED (SELECT pg_advisory_xact_lock($1::bigint)), \
         v AS (SELECT * FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::bigint[], \
                 $7::text[], $8::timestamptz[], $9::timestamptz[], $10::uuid[], $11::text[], \
                 $12::uuid[], $13::text[], $14::uuid[], $15::text[], $16::date[]) \
               AS v (id, branch_id, type, category, amount, description, occurred_at, created_at, \
                 channel_id, channel_name, recorded_by, recorded_by_name, approved_by, \
                 approved_by_name, business_date)), \
         ins AS (INSERT INTO transactions ({COLUMNS}, received_at, device_id) \
                 SELECT id, branch_id, type, category, amount, description, occurred_at, \
                        created_at, NULL, channel_id, channel_name, recorded_by, recorded_by_name, \
                        approved_by, approved_by_name, $17::timestamptz, $18::uuid \
                 FROM v CROSS JOIN lock ORDER BY id \
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
});

/// One value of every row, in the rows' order: a column of [`INSERT_COUNTED`].
fn column<'a, T>(rows: &[&'a NewTransaction], value: impl Fn(&'a NewTransaction) -> T) -> Vec<T> {
    rows.iter().map(|r| value(r)).collect()
}

/// Inserts the rows of a push without voids on PostgreSQL and adds the inserted ones to the
/// totals ([`INSERT_COUNTED`]); returns the ids actually inserted.
async fn insert_counted(
    pool: &PgPool,
    store: &HqStore,
    rows: &[&NewTransaction],
    batch: &Batch,
) -> Result<HashSet<Uuid>, Attempt> {
    if rows.iter().any(|r| r.reverses_id.is_some()) {
        return Err(HqError::Internal("a void reached the push without voids".into()).into());
    }
    let branches = rows
        .iter()
        .map(|r| r.branch_id.map(|b| b.as_uuid()))
        .collect::<Option<Vec<Uuid>>>()
        .ok_or_else(|| corrupt("HQ row without branch"))?;
    let returned = sqlx::query(AssertSqlSafe(INSERT_COUNTED.as_str()))
        .bind(lock_key(batch.branch))
        .bind(column(rows, |r| r.id.as_uuid()))
        .bind(branches)
        .bind(column(rows, |r| r.tx_type.as_str()))
        .bind(column(rows, |r| r.category.as_str()))
        .bind(column(rows, |r| r.amount.rupiah()))
        .bind(column(rows, |r| r.description.as_str()))
        .bind(column(rows, |r| r.occurred_at))
        .bind(column(rows, |r| r.created_at))
        .bind(column(rows, |r| r.channel.id.as_uuid()))
        .bind(column(rows, |r| r.channel.name.as_str()))
        .bind(column(rows, |r| {
            r.recorded_by.as_ref().map(|w| w.id.as_uuid())
        }))
        .bind(column(rows, |r| {
            r.recorded_by.as_ref().map(|w| w.name.as_str())
        }))
        .bind(column(rows, |r| {
            r.approved_by.as_ref().map(|w| w.id.as_uuid())
        }))
        .bind(column(rows, |r| {
            r.approved_by.as_ref().map(|w| w.name.as_str())
        }))
        .bind(column(rows, |r| store.calendar.date_of(r.occurred_at)))
        .bind(batch.received_at)
        .bind(batch.device.map(|d| d.as_uuid()))
        .fetch_all(pool)
        .await
        .map_err(|e| attempt_err(driver_err(e)))?;
    returned
        .iter()
        .map(|row| {
            row.try_get::<Uuid, _>(0)
                .map_err(|e| attempt_err(driver_err(e)))
        })
        .collect()
}

/// SQLite: the `seq` the next stored row takes (the writer is one connection, so no other push
/// numbers rows until this one commits).
async fn next_seq(txn: &impl ConnectionTrait) -> Result<i64, Attempt> {
    let backend = txn.get_database_backend();
    let row = txn
        .query_one_raw(stmt(
            backend,
            "SELECT COALESCE(MAX(seq), 0) FROM transactions",
            vec![],
        ))
        .await
        .map_err(attempt_err)?
        .ok_or_else(|| corrupt("MAX(seq) returned no row"))?;
    let max: i64 = row.try_get_by_index(0).map_err(attempt_err)?;
    Ok(max + 1)
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
    /// The connection broke under the push (e.g. a pooled connection PostgreSQL closed while
    /// it sat idle): the push runs again on another. A run that did commit before its answer
    /// was lost reads its rows back as stored: the branch is told they are delivered.
    ConnectionLost(String),
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
        Failure::Transient | Failure::Other if connection_lost(&e) => {
            Attempt::ConnectionLost(e.to_string())
        }
        Failure::Transient | Failure::Other => Attempt::Failed(db_err(e)),
    }
}

/// Runs of a push lost to a lock conflict before HQ answers 503 (the branch then retries).
const ATTEMPTS: usize = 5;

/// What every row of one push shares.
struct Batch {
    branch: BranchId,
    device: Option<DeviceId>,
    received_at: DateTime<Utc>,
}

impl HqStore {
    pub(crate) async fn ingest_rows(
        &self,
        branch: BranchId,
        device: Option<DeviceId>,
        rows: Vec<NewTransaction>,
        received_at: DateTime<Utc>,
    ) -> Result<IngestOutcome, HqError> {
        let mut ids = HashSet::with_capacity(rows.len());
        if !rows.iter().all(|r| ids.insert(r.id)) {
            return Err(HqError::Internal(
                "a push handed to the store must hold each id once".into(),
            ));
        }
        let batch = Batch {
            branch,
            device,
            received_at: received_at.trunc_subsecs(3),
        };
        let categories: Vec<&Category> = rows.iter().map(|r| &r.category).collect();
        self.spellings
            .ensure(&self.writer, &categories)
            .await
            .map_err(db_err)?;
        let mut last = String::new();
        for attempt in 1..=ATTEMPTS {
            match self.ingest_once(&batch, &rows).await {
                Ok(outcome) => return Ok(outcome),
                Err(Attempt::Failed(e)) => return Err(e),
                Err(Attempt::ConnectionLost(why)) => {
                    tracing::debug!(attempt, "push lost its connection; running it again");
                    last = why;
                }
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
            "the push lost {ATTEMPTS} runs to lock conflicts with concurrent pushes or to broken connections: {last}"
        )))
    }

    async fn ingest_once(
        &self,
        batch: &Batch,
        rows: &[NewTransaction],
    ) -> Result<IngestOutcome, Attempt> {
        let mut outcome = IngestOutcome::default();
        let (plain, voids): (Vec<&NewTransaction>, Vec<&NewTransaction>) =
            rows.iter().partition(|r| r.reverses_id.is_none());

        // The commonest push (new entries, no voids) on PostgreSQL is one statement, which is a
        // transaction of its own: no BEGIN/COMMIT round trips. Rows found already stored are
        // only read afterwards, to tell duplicates from conflicts.
        let backend = self.writer.get_database_backend();
        if voids.is_empty() && backend == DbBackend::Postgres {
            let pool = self.writer.get_postgres_connection_pool();
            let inserted = insert_counted(pool, self, &plain, batch).await?;
            judge_inserted(&self.writer, &plain, &inserted, &mut outcome).await?;
            return Ok(outcome);
        }

        let txn = self.writer.begin().await.map_err(attempt_err)?;
        let mut seq = match backend {
            DbBackend::Postgres => {
                txn.execute_raw(stmt(
                    backend,
                    BRANCH_LOCK,
                    vec![lock_key(batch.branch).into()],
                ))
                .await
                .map_err(attempt_err)?;
                Seq::Sequence
            }
            _ => Seq::Next(next_seq(&txn).await?),
        };
        // Plain rows go straight in; the ones not inserted were already stored (earlier, or by
        // a concurrent push a moment ago) and are compared with what is stored.
        insert_and_classify(&txn, &plain, batch, &mut seq, &mut outcome).await?;

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
            match judge_new_void(void, batch.branch, at_hq) {
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
        insert_and_classify(&txn, &new_voids, batch, &mut seq, &mut outcome).await?;

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

/// Inserts `rows` in the push's transaction; those not inserted already existed and are
/// judged against the stored row ([`judge_inserted`]).
async fn insert_and_classify(
    txn: &impl ConnectionTrait,
    rows: &[&NewTransaction],
    batch: &Batch,
    seq: &mut Seq,
    outcome: &mut IngestOutcome,
) -> Result<(), Attempt> {
    if rows.is_empty() {
        return Ok(());
    }
    let inserted = insert(txn, rows, batch, seq).await?;
    judge_inserted(txn, rows, &inserted, outcome).await
}

/// Sorts `rows` after an insert that stored `inserted`: those are accepted; the others already
/// existed and are judged against the stored row. A row neither inserted nor found means a
/// concurrent push that held it rolled back: the push runs again.
async fn judge_inserted(
    conn: &impl ConnectionTrait,
    rows: &[&NewTransaction],
    inserted: &HashSet<Uuid>,
    outcome: &mut IngestOutcome,
) -> Result<(), Attempt> {
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
