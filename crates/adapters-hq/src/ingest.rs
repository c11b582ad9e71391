//! Taking one push: classify every row, insert the new ones, update the totals — in one
//! database transaction committed before the caller answers the branch.

use std::collections::{HashMap, HashSet};

use kh_domain::chrono::{DateTime, SubsecRound, Utc};
use kh_domain::{Amount, BranchId, Category, Description, NewTransaction, TransactionId, TxType};
use kh_ports::{HqError, IngestOutcome, RowRejection};
use sea_orm::{
    ConnectionTrait, DatabaseTransaction, EntityTrait, QueryResult, Set, TransactionTrait,
    TryInsertResult, Value,
};
use uuid::Uuid;

use crate::HqStore;
use crate::aggregates;
use crate::entity::transaction;
use crate::error::{corrupt, db_err};
use crate::sql::{marks, stmt};

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
    txn: &DatabaseTransaction,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, NewTransaction>, HqError> {
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
            .map_err(db_err)?
        {
            let tx = decode(&row)?;
            found.insert(tx.id.as_uuid(), tx);
        }
    }
    Ok(found)
}

/// The originals among `ids` that already have a void.
async fn already_voided(txn: &DatabaseTransaction, ids: &[Uuid]) -> Result<HashSet<Uuid>, HqError> {
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
            .map_err(db_err)?
        {
            voided.insert(row.try_get_by_index::<Uuid>(0).map_err(db_err)?);
        }
    }
    Ok(voided)
}

/// Inserts rows that are not stored yet (`INSERT … ON CONFLICT (id) DO NOTHING RETURNING id`);
/// returns the ids actually inserted — a concurrent push may have stored some a moment ago.
async fn insert(
    txn: &DatabaseTransaction,
    rows: &[NewTransaction],
    received_at: DateTime<Utc>,
) -> Result<HashSet<Uuid>, HqError> {
    let mut inserted = HashSet::new();
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let models = chunk
            .iter()
            .map(|tx| {
                let branch = tx
                    .branch_id
                    .ok_or_else(|| corrupt("HQ row without branch"))?;
                Ok(transaction::ActiveModel {
                    id: Set(tx.id.as_uuid()),
                    branch_id: Set(branch.as_uuid()),
                    tx_type: Set(tx.tx_type.as_str().to_owned()),
                    category: Set(tx.category.as_str().to_owned()),
                    amount: Set(tx.amount.rupiah()),
                    description: Set(tx.description.as_str().to_owned()),
                    occurred_at: Set(tx.occurred_at),
                    created_at: Set(tx.created_at),
                    reverses_id: Set(tx.reverses_id.map(|r| r.as_uuid())),
                    received_at: Set(received_at),
                })
            })
            .collect::<Result<Vec<_>, HqError>>()?;
        let result = transaction::Entity::insert_many(models)
            .on_conflict_do_nothing()
            .exec_with_returning_keys(txn)
            .await
            .map_err(db_err)?;
        if let TryInsertResult::Inserted(ids) = result {
            inserted.extend(ids);
        }
    }
    Ok(inserted)
}

fn rejection(tx: &NewTransaction, code: &'static str, reason: impl Into<String>) -> RowRejection {
    RowRejection {
        id: tx.id.to_string(),
        code,
        reason: reason.into(),
    }
}

/// A row whose id is already stored: the same row again, or a conflict that changes nothing.
fn classify_existing(row: &NewTransaction, stored: &NewTransaction, outcome: &mut IngestOutcome) {
    if row == stored {
        outcome.duplicates.push(row.id);
    } else {
        outcome.rejected.push(rejection(
            row,
            "conflict",
            "HQ already holds an entry with this id and different content; the stored entry is kept",
        ));
    }
}

impl HqStore {
    pub(crate) async fn ingest_rows(
        &self,
        branch: BranchId,
        rows: Vec<NewTransaction>,
        received_at: DateTime<Utc>,
    ) -> Result<IngestOutcome, HqError> {
        let received_at = received_at.trunc_subsecs(3);
        let mut outcome = IngestOutcome::default();
        let (plain, voids): (Vec<_>, Vec<_>) =
            rows.into_iter().partition(|r| r.reverses_id.is_none());
        let txn = self.writer.begin().await.map_err(db_err)?;

        // Plain rows go straight in; the ones not inserted were already stored (earlier, or by
        // a concurrent push a moment ago) and are compared with what is stored.
        let mut stored_now: Vec<&NewTransaction> = Vec::with_capacity(plain.len());
        insert_and_classify(&txn, &plain, received_at, &mut outcome, &mut stored_now).await?;

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
                classify_existing(&void, stored, &mut outcome);
                continue;
            }
            let Some(original_id) = void.reverses_id.map(|r| r.as_uuid()) else {
                continue;
            };
            match originals.get(&original_id) {
                Some(o) if o.branch_id == Some(branch) => {
                    if !o.is_mirrored_by(&void) {
                        outcome.rejected.push(rejection(
                            &void,
                            "validation_failed",
                            "a void must mirror its original: opposite type, same amount and category, and the original must not be a void",
                        ));
                    } else if !claimed.insert(original_id) {
                        outcome.rejected.push(rejection(&void, "already_voided", format!("entry {original_id} already has a void at HQ")));
                    } else {
                        new_voids.push(void);
                    }
                }
                _ => outcome.rejected.push(rejection(
                    &void,
                    "unknown_reference",
                    format!("the entry it voids ({original_id}) has not reached HQ from this branch; it will be accepted once the original is pushed"),
                )),
            }
        }
        insert_and_classify(&txn, &new_voids, received_at, &mut outcome, &mut stored_now).await?;

        aggregates::add(&txn, self, &stored_now).await?;
        txn.commit().await.map_err(db_err)?;
        Ok(outcome)
    }
}

/// Inserts `rows`; those not inserted already existed and are classified against the stored
/// row (a row neither inserted nor found means a concurrent push rolled back: retry).
async fn insert_and_classify<'a>(
    txn: &DatabaseTransaction,
    rows: &'a [NewTransaction],
    received_at: DateTime<Utc>,
    outcome: &mut IngestOutcome,
    stored_now: &mut Vec<&'a NewTransaction>,
) -> Result<(), HqError> {
    let inserted = insert(txn, rows, received_at).await?;
    let missing: Vec<Uuid> = rows
        .iter()
        .map(|r| r.id.as_uuid())
        .filter(|id| !inserted.contains(id))
        .collect();
    let existing = if missing.is_empty() {
        HashMap::new()
    } else {
        fetch(txn, &missing).await?
    };
    for row in rows {
        if inserted.contains(&row.id.as_uuid()) {
            outcome.accepted.push(row.id);
            stored_now.push(row);
        } else if let Some(stored) = existing.get(&row.id.as_uuid()) {
            classify_existing(row, stored, outcome);
        } else {
            return Err(HqError::Unavailable(format!(
                "row {} neither inserted nor found; retry",
                row.id
            )));
        }
    }
    Ok(())
}
