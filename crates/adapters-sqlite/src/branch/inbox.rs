//! [`Inbox`] for the branch database: rows of the branch's feed taken into the book.

use std::collections::HashSet;

use async_trait::async_trait;
use kh_domain::{BranchId, DeviceId, HqEpoch, NewTransaction, RejectionCode};
use kh_ports::{EpochSeen, Inbox, LedgerError, PullState, PulledPage, Taken};
use sea_orm::{ConnectionTrait, DatabaseTransaction, SqlErr, TransactionTrait, Value};
use uuid::Uuid;

use super::BranchStore;
use super::aggregates::add_entries;
use super::rows::entry_values;
use super::rows::{TX_COLUMNS, TxRow};
use crate::error::{corrupt, db_err};
use crate::sql::stmt;
use crate::time::to_ms;

/// Rows per multi-row INSERT (16 values each, far below SQLite's parameter limit).
const ROWS_PER_INSERT: usize = 400;
const INSERT_COLUMNS: &str = "id, branch_id, type, category, amount, description, occurred_at, \
     created_at, reverses_id, channel_id, channel_name, recorded_by, recorded_by_name, \
     approved_by, approved_by_name, is_synced, synced_at";
const ROW_MARKS: &str = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)";

fn row_values(tx: &NewTransaction, synced_at: i64) -> Vec<Value> {
    let mut values = entry_values(tx).to_vec();
    values.push(synced_at.into());
    values
}

/// A pulled row the book does not take, and why.
struct Refused {
    seq: i64,
    id: String,
    code: &'static str,
    reason: String,
    /// The row as JSON, for whoever looks into it.
    raw: String,
}

impl Refused {
    /// A readable row refused with `code`.
    fn row(seq: i64, tx: &NewTransaction, code: RejectionCode, reason: impl Into<String>) -> Self {
        let raw = serde_json::json!({
            "id": tx.id.to_string(),
            "branch_id": tx.branch_id.map(|b| b.to_string()),
            "type": tx.tx_type.as_str(),
            "amount": tx.amount.rupiah(),
            "category": tx.category.as_str(),
            "description": tx.description.as_str(),
            "occurred_at": tx.occurred_at.to_rfc3339(),
            "created_at": tx.created_at.to_rfc3339(),
            "reverses_id": tx.reverses_id.map(|r| r.to_string()),
        });
        Self {
            seq,
            id: tx.id.to_string(),
            code: code.as_str(),
            reason: reason.into(),
            raw: raw.to_string(),
        }
    }
}

impl BranchStore {
    /// The book's device id, made once (DESIGN 8.2): a fresh database gets one at its first
    /// start, and a restored backup keeps the one it had.
    pub async fn device_id(&self) -> Result<DeviceId, LedgerError> {
        let fresh = DeviceId::new_v4();
        self.db
            .writer
            .execute_raw(stmt(
                "UPDATE sync_settings SET device_id = ? WHERE id = 1 AND device_id IS NULL",
                vec![fresh.as_uuid().into()],
            ))
            .await
            .map_err(db_err)?;
        let row = self
            .db
            .writer
            .query_one_raw(stmt(
                "SELECT device_id FROM sync_settings WHERE id = 1",
                vec![],
            ))
            .await
            .map_err(db_err)?
            .ok_or_else(|| corrupt("sync_settings row missing"))?;
        let id: Uuid = row.try_get_by_index(0).map_err(db_err)?;
        Ok(DeviceId::from_uuid(id))
    }

    /// Inserts the plain rows the book lacks; returns the ids inserted.
    async fn insert_plain(
        txn: &DatabaseTransaction,
        rows: &[(&NewTransaction, i64)],
    ) -> Result<HashSet<Uuid>, LedgerError> {
        let mut inserted = HashSet::with_capacity(rows.len());
        for chunk in rows.chunks(ROWS_PER_INSERT) {
            let sql = format!(
                "INSERT INTO transactions ({INSERT_COLUMNS}) VALUES {} \
                 ON CONFLICT (id) DO NOTHING RETURNING id",
                vec![ROW_MARKS; chunk.len()].join(", ")
            );
            let values: Vec<Value> = chunk
                .iter()
                .flat_map(|(tx, at)| row_values(tx, *at))
                .collect();
            for row in txn.query_all_raw(stmt(sql, values)).await.map_err(db_err)? {
                inserted.insert(row.try_get_by_index::<Uuid>(0).map_err(db_err)?);
            }
        }
        Ok(inserted)
    }

    /// Inserts one void; `Err` names why the book cannot take it.
    async fn insert_void(
        txn: &DatabaseTransaction,
        tx: &NewTransaction,
        synced_at: i64,
    ) -> Result<Result<bool, (RejectionCode, &'static str)>, LedgerError> {
        let sql = format!(
            "INSERT INTO transactions ({INSERT_COLUMNS}) VALUES {ROW_MARKS} \
             ON CONFLICT (id) DO NOTHING RETURNING id"
        );
        match txn
            .query_all_raw(stmt(sql, row_values(tx, synced_at)))
            .await
        {
            Ok(rows) => Ok(Ok(!rows.is_empty())),
            Err(e) => match e.sql_err() {
                Some(SqlErr::ForeignKeyConstraintViolation(_)) => Ok(Err((
                    RejectionCode::UnknownReference,
                    "this book does not hold the entry the void cancels",
                ))),
                Some(SqlErr::UniqueConstraintViolation(_)) => Ok(Err((
                    RejectionCode::AlreadyVoided,
                    "this book holds another void of the same entry",
                ))),
                _ => Err(db_err(e)),
            },
        }
    }
}

#[async_trait]
impl Inbox for BranchStore {
    async fn note_epoch(&self, epoch: HqEpoch) -> Result<EpochSeen, LedgerError> {
        self.epoch_changed(epoch).await
    }

    async fn pull_state(&self) -> Result<PullState, LedgerError> {
        let row = self
            .db
            .reader
            .query_one_raw(stmt(
                "SELECT pull_after, pull_restored, pull_total, pull_caught_up, \
                 (SELECT COUNT(*) FROM pull_quarantine) FROM sync_settings WHERE id = 1",
                vec![],
            ))
            .await
            .map_err(db_err)?
            .ok_or_else(|| corrupt("sync_settings row missing"))?;
        let count = |v: i64| u64::try_from(v).map_err(|_| corrupt("negative pull count"));
        Ok(PullState {
            after: row.try_get_by_index(0).map_err(db_err)?,
            restored: count(row.try_get_by_index(1).map_err(db_err)?)?,
            total: row
                .try_get_by_index::<Option<i64>>(2)
                .map_err(db_err)?
                .map(count)
                .transpose()?,
            caught_up: row.try_get_by_index(3).map_err(db_err)?,
            quarantined: count(row.try_get_by_index(4).map_err(db_err)?)?,
        })
    }

    async fn take_pulled(
        &self,
        branch: BranchId,
        from: i64,
        page: &PulledPage,
    ) -> Result<Option<Taken>, LedgerError> {
        let txn = self.db.writer.begin().await.map_err(db_err)?;
        let items = u64::try_from(page.items.len()).unwrap_or(u64::MAX);
        let moved = txn
            .execute_raw(stmt(
                "UPDATE sync_settings SET pull_after = ?, pull_restored = pull_restored + ?, \
                 pull_total = COALESCE(?, pull_total), pull_caught_up = MAX(pull_caught_up, ?) \
                 WHERE id = 1 AND pull_after = ? AND branch_id = ?",
                vec![
                    page.next_after.into(),
                    i64::try_from(items).unwrap_or(i64::MAX).into(),
                    page.total
                        .map(|t| i64::try_from(t).unwrap_or(i64::MAX))
                        .into(),
                    i64::from(!page.more).into(),
                    from.into(),
                    branch.as_uuid().into(),
                ],
            ))
            .await
            .map_err(db_err)?;
        if moved.rows_affected() != 1 {
            // Activated again since the page was asked for: it is not this book's to take.
            return Ok(None);
        }

        let mut taken = Taken::default();
        let mut refused: Vec<Refused> = Vec::new();
        // (seq, row, synced_at) of the rows to insert.
        let mut plain: Vec<(i64, &NewTransaction, i64)> = Vec::new();
        let mut voids: Vec<(i64, &NewTransaction, i64)> = Vec::new();
        for item in &page.items {
            let synced_at = to_ms(item.received_at);
            match &item.row {
                Err(unreadable) => refused.push(Refused {
                    seq: item.seq,
                    id: unreadable.id.clone(),
                    code: RejectionCode::ValidationFailed.as_str(),
                    reason: unreadable.reason.clone(),
                    raw: unreadable.raw.clone(),
                }),
                Ok(tx) if tx.branch_id != Some(branch) => refused.push(Refused::row(
                    item.seq,
                    tx,
                    RejectionCode::BranchMismatch,
                    "the row belongs to another branch than this book's",
                )),
                Ok(tx) if tx.reverses_id.is_some() => voids.push((item.seq, tx, synced_at)),
                Ok(tx) => plain.push((item.seq, tx, synced_at)),
            }
        }

        // Originals go in before their voids (a page holds them in feed order).
        let rows: Vec<(&NewTransaction, i64)> =
            plain.iter().map(|(_, tx, at)| (*tx, *at)).collect();
        let inserted = Self::insert_plain(&txn, &rows).await?;
        let mut stored: Vec<&NewTransaction> = Vec::with_capacity(page.items.len());
        let mut already: Vec<(i64, &NewTransaction)> = Vec::new();
        for (seq, tx, _) in plain {
            if inserted.contains(&tx.id.as_uuid()) {
                stored.push(tx);
            } else {
                already.push((seq, tx));
            }
        }
        for (seq, tx, synced_at) in voids {
            match Self::insert_void(&txn, tx, synced_at).await? {
                Ok(true) => stored.push(tx),
                Ok(false) => already.push((seq, tx)),
                Err((code, reason)) => refused.push(Refused::row(seq, tx, code, reason)),
            }
        }
        // Rows already here: the same entry is skipped; anything else is a contradiction the
        // book keeps apart (its own row is never changed).
        for (seq, tx) in already {
            let row = txn
                .query_one_raw(stmt(
                    format!("SELECT {TX_COLUMNS} FROM transactions t WHERE t.id = ?"),
                    vec![tx.id.as_uuid().into()],
                ))
                .await
                .map_err(db_err)?
                .ok_or_else(|| corrupt("a row neither inserted nor stored"))?;
            let held = TxRow::decode(&row)?;
            if tx.is_replay_of(&held) && held.branch_id.is_none_or(|b| Some(b) == tx.branch_id) {
                taken.skipped += 1;
            } else {
                refused.push(Refused::row(
                    seq,
                    tx,
                    RejectionCode::Conflict,
                    "this book holds an entry with this id and other content",
                ));
            }
        }
        let learned = add_entries(&txn, &self.calendar, &self.spellings, &stored).await?;
        taken.stored = u64::try_from(stored.len()).unwrap_or(u64::MAX);

        let now = to_ms(kh_domain::chrono::Utc::now());
        for r in &refused {
            txn.execute_raw(stmt(
                "INSERT INTO pull_quarantine (seq, id, reason_code, reason, row_json, at) \
                 VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (seq) DO NOTHING",
                vec![
                    r.seq.into(),
                    r.id.clone().into(),
                    r.code.into(),
                    r.reason.clone().into(),
                    r.raw.clone().into(),
                    now.into(),
                ],
            ))
            .await
            .map_err(db_err)?;
        }
        taken.quarantined = u64::try_from(refused.len()).unwrap_or(u64::MAX);
        txn.commit().await.map_err(db_err)?;
        self.spellings.remember(learned);
        Ok(Some(taken))
    }
}

impl BranchStore {
    async fn epoch_changed(&self, epoch: HqEpoch) -> Result<EpochSeen, LedgerError> {
        let txn = self.db.writer.begin().await.map_err(db_err)?;
        let row = txn
            .query_one_raw(stmt(
                "SELECT hq_epoch, branch_id FROM sync_settings WHERE id = 1",
                vec![],
            ))
            .await
            .map_err(db_err)?
            .ok_or_else(|| corrupt("sync_settings row missing"))?;
        let known: Option<String> = row.try_get_by_index(0).map_err(db_err)?;
        let branch: Option<Uuid> = row.try_get_by_index(1).map_err(db_err)?;
        let heard = epoch.to_string();
        if known.as_deref() == Some(heard.as_str()) {
            return Ok(EpochSeen::Known);
        }
        let mut requeued = 0;
        if known.is_some() {
            // Entries of this branch HQ had confirmed go out again; quarantined ones stay
            // quarantined, other branches' entries stay held.
            requeued = txn
                .execute_raw(stmt(
                    "UPDATE transactions SET is_synced = 0, synced_at = NULL \
                     WHERE is_synced = 1 AND (branch_id = ? OR branch_id IS NULL)",
                    vec![branch.into()],
                ))
                .await
                .map_err(db_err)?
                .rows_affected();
            txn.execute_raw(stmt(
                "UPDATE sync_settings SET pull_after = 0 WHERE id = 1",
                vec![],
            ))
            .await
            .map_err(db_err)?;
        }
        txn.execute_raw(stmt(
            "UPDATE sync_settings SET hq_epoch = ? WHERE id = 1",
            vec![heard.into()],
        ))
        .await
        .map_err(db_err)?;
        txn.commit().await.map_err(db_err)?;
        Ok(if known.is_some() {
            EpochSeen::Changed { requeued }
        } else {
            EpochSeen::Known
        })
    }
}

#[cfg(test)]
mod tests {
    use kh_domain::chrono::Utc;
    use kh_domain::{
        BranchId, DateRange, HqEpoch, NewTransaction, NewTransactionInput, TransactionId,
    };
    use kh_ports::{
        BranchIdentity, EpochSeen, Inbox, Ledger, Outbox, PulledPage, PulledRow, PushOutcome,
        SyncCredentials, SyncSettings, UnreadableRow,
    };
    use sea_orm::ConnectionTrait;

    use crate::BranchStore;

    fn entry(branch: BranchId, amount: i64) -> NewTransaction {
        let input = NewTransactionInput {
            tx_type: "IN",
            amount,
            category: "Penjualan",
            ..Default::default()
        };
        let mut tx =
            NewTransaction::from_input(&input, Utc::now(), &kh_domain::Lists::defaults()).unwrap();
        tx.branch_id = Some(branch);
        tx
    }

    fn pulled(seq: i64, row: Result<NewTransaction, UnreadableRow>) -> PulledRow {
        PulledRow {
            seq,
            row,
            received_at: Utc::now(),
        }
    }

    /// What the book cannot take is kept apart with its reason, the rest goes in, the feed
    /// moves on, and no stored entry changes.
    #[tokio::test]
    async fn a_pulled_row_the_book_cannot_take_is_quarantined_not_dropped_and_not_blocking() {
        let (_dir, store) = BranchStore::in_temp_folder().await;
        let branch = BranchId::new_v4();
        store
            .activate(
                &SyncCredentials {
                    cloud_url: "http://hq".into(),
                    api_key: "kh_key".into(),
                },
                Some(BranchIdentity {
                    id: branch,
                    code: "JKT-01".into(),
                    name: "Jakarta".into(),
                }),
            )
            .await
            .unwrap();
        let mine = entry(branch, 5_000);
        store.record(mine.clone()).await.unwrap();
        let also_mine = entry(branch, 700);
        store.record(also_mine.clone()).await.unwrap();
        let mut contradicting = mine.clone();
        contradicting.amount = kh_domain::Amount::new(9_999).unwrap();
        let good = entry(branch, 1_000);
        let mut orphan_void = entry(branch, 300);
        orphan_void.tx_type = kh_domain::TxType::Out;
        orphan_void.reverses_id = Some(TransactionId::new_v4());
        let page = PulledPage {
            items: vec![
                pulled(
                    3,
                    Err(UnreadableRow {
                        id: "x".into(),
                        reason: "amount: must be a whole number".into(),
                        raw: "{\"id\":\"x\"}".into(),
                    }),
                ),
                pulled(4, Ok(contradicting)),
                pulled(5, Ok(good.clone())),
                pulled(6, Ok(orphan_void)),
                pulled(7, Ok(also_mine.clone())),
            ],
            next_after: 7,
            more: false,
            total: None,
            epoch: None,
        };
        let taken = store.take_pulled(branch, 0, &page).await.unwrap().unwrap();
        assert_eq!(
            (taken.stored, taken.skipped, taken.quarantined),
            (1, 1, 3),
            "{taken:?}"
        );
        let state = store.pull_state().await.unwrap();
        assert_eq!((state.after, state.caught_up), (7, true));
        assert_eq!(state.quarantined, 3, "the status can say so");
        // The book's own entry is unchanged; the good row is in the book and the totals.
        assert_eq!(
            store.get(mine.id).await.unwrap().unwrap().amount.rupiah(),
            5_000
        );
        assert!(store.get(good.id).await.unwrap().is_some());
        assert_eq!(
            store.totals(DateRange::ALL, None).await.unwrap().total_in,
            6_700
        );
        let (writer, _) = store.db().connections();
        let kept = writer
            .query_all_raw(crate::sql::stmt(
                "SELECT seq, reason_code FROM pull_quarantine ORDER BY seq",
                vec![],
            ))
            .await
            .unwrap();
        let kept: Vec<(i64, String)> = kept
            .iter()
            .map(|r| {
                (
                    r.try_get_by_index(0).unwrap(),
                    r.try_get_by_index(1).unwrap(),
                )
            })
            .collect();
        assert_eq!(
            kept,
            [
                (3, "validation_failed".to_owned()),
                (4, "conflict".to_owned()),
                (6, "unknown_reference".to_owned()),
            ]
        );
        // A page asked for before the PC was moved on is not taken.
        assert_eq!(store.take_pulled(branch, 0, &page).await.unwrap(), None);
    }

    #[tokio::test]
    async fn a_new_epoch_puts_confirmed_entries_back_in_the_outbox() {
        let (_dir, store) = BranchStore::in_temp_folder().await;
        let mut ids = Vec::new();
        for amount in 1..=3 {
            let input = NewTransactionInput {
                tx_type: "IN",
                amount,
                category: "Penjualan",
                ..Default::default()
            };
            let tx = NewTransaction::from_input(&input, Utc::now(), &kh_domain::Lists::defaults())
                .unwrap();
            ids.push(tx.id);
            store.record(tx).await.unwrap();
        }
        store
            .apply_outcome(
                &PushOutcome {
                    synced: ids.clone(),
                    rejected: vec![],
                },
                Utc::now(),
            )
            .await
            .unwrap();
        assert_eq!(store.counts().await.unwrap().pending, 0);
        let first = HqEpoch::new_v4();
        assert_eq!(store.note_epoch(first).await.unwrap(), EpochSeen::Known);
        assert_eq!(store.note_epoch(first).await.unwrap(), EpochSeen::Known);
        let seen = store.note_epoch(HqEpoch::new_v4()).await.unwrap();
        assert_eq!(store.counts().await.unwrap().pending, 3, "{seen:?}");
        assert_eq!(seen, EpochSeen::Changed { requeued: 3 });
    }
}
