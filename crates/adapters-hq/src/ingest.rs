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

fn decode(row: &QueryResult) -> Result<NewTransaction, HqError> {
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
        let txn = self.writer.begin().await.map_err(db_err)?;

        let ids: Vec<Uuid> = rows.iter().map(|r| r.id.as_uuid()).collect();
        let existing = fetch(&txn, &ids).await?;
        let (mut plain, mut voids) = (Vec::new(), Vec::new());
        for row in rows {
            match existing.get(&row.id.as_uuid()) {
                Some(stored) => classify_existing(&row, stored, &mut outcome),
                None if row.reverses_id.is_some() => voids.push(row),
                None => plain.push(row),
            }
        }

        // Voids need their original from this branch (stored, or earlier in this push), must
        // mirror it, and only one void per original may ever exist.
        let in_push: HashMap<Uuid, &NewTransaction> =
            plain.iter().map(|r| (r.id.as_uuid(), r)).collect();
        let original_ids: Vec<Uuid> = voids
            .iter()
            .filter_map(|v| v.reverses_id)
            .map(|r| r.as_uuid())
            .collect();
        let stored_originals = fetch(&txn, &original_ids).await?;
        let mut claimed = already_voided(&txn, &original_ids).await?;
        let mut accepted_voids = Vec::with_capacity(voids.len());
        for void in voids {
            let Some(original_id) = void.reverses_id.map(|r| r.as_uuid()) else {
                continue;
            };
            let original = in_push
                .get(&original_id)
                .copied()
                .or_else(|| stored_originals.get(&original_id));
            match original {
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
                        accepted_voids.push(void);
                    }
                }
                _ => outcome.rejected.push(rejection(
                    &void,
                    "unknown_reference",
                    format!("the entry it voids ({original_id}) has not reached HQ from this branch; it will be accepted once the original is pushed"),
                )),
            }
        }

        // Originals first, so voids in the same push can reference them.
        let mut stored_now: Vec<&NewTransaction> = Vec::new();
        for batch in [&plain, &accepted_voids] {
            let inserted = insert(&txn, batch, received_at).await?;
            let raced: Vec<Uuid> = batch
                .iter()
                .map(|r| r.id.as_uuid())
                .filter(|id| !inserted.contains(id))
                .collect();
            let raced_rows = if raced.is_empty() {
                HashMap::new()
            } else {
                fetch(&txn, &raced).await?
            };
            for row in batch.iter() {
                if inserted.contains(&row.id.as_uuid()) {
                    outcome.accepted.push(row.id);
                    stored_now.push(row);
                } else if let Some(stored) = raced_rows.get(&row.id.as_uuid()) {
                    classify_existing(row, stored, &mut outcome);
                } else {
                    return Err(HqError::Unavailable(format!(
                        "row {} neither inserted nor found; retry",
                        row.id
                    )));
                }
            }
        }
        aggregates::add(&txn, self, &stored_now).await?;
        txn.commit().await.map_err(db_err)?;
        Ok(outcome)
    }
}
