//! Reading rows back into domain types.

use kh_domain::{
    Amount, BranchId, Category, ChannelId, ChannelName, ChannelRef, Description, StaffRef,
    SyncState, Transaction, TransactionId, TxType,
};
use kh_ports::LedgerError;
use sea_orm::{FromQueryResult, QueryResult};
use uuid::Uuid;

use crate::error::{corrupt, db_err};
use crate::time::from_ms;

/// The columns every transaction query selects, in this order, with the void (if any) last.
pub(crate) const TX_COLUMNS: &str = "t.id, t.branch_id, t.type AS tx_type, t.category, t.amount, \
    t.description, t.occurred_at, t.created_at, t.reverses_id, t.is_synced, t.synced_at, \
    t.sync_error_code, t.sync_error_reason, t.channel_id, t.channel_name, t.recorded_by, \
    t.recorded_by_name, t.approved_by, t.approved_by_name, \
    (SELECT v.id FROM transactions v WHERE v.reverses_id = t.id) AS voided_by";

/// A transaction as selected with [`TX_COLUMNS`].
#[derive(Debug, FromQueryResult)]
pub(crate) struct TxRow {
    id: Uuid,
    branch_id: Option<Uuid>,
    tx_type: String,
    category: String,
    amount: i64,
    description: String,
    occurred_at: i64,
    created_at: i64,
    reverses_id: Option<Uuid>,
    is_synced: bool,
    synced_at: Option<i64>,
    sync_error_code: Option<String>,
    sync_error_reason: Option<String>,
    channel_id: Uuid,
    channel_name: String,
    recorded_by: Option<Uuid>,
    recorded_by_name: Option<String>,
    approved_by: Option<Uuid>,
    approved_by_name: Option<String>,
    voided_by: Option<Uuid>,
}

impl TxRow {
    /// Decodes one query result.
    pub(crate) fn decode(result: &QueryResult) -> Result<Transaction, LedgerError> {
        Self::from_query_result(result, "")
            .map_err(db_err)?
            .into_domain()
    }

    /// Decodes one row of [`TX_COLUMNS`] read by `rusqlite` (an export's own connection).
    pub(crate) fn decode_plain(row: &rusqlite::Row<'_>) -> Result<Transaction, LedgerError> {
        use rusqlite::types::ValueRef;
        let bad = |e: rusqlite::Error| corrupt(e.to_string());
        let uuid = |i: usize| -> Result<Option<Uuid>, LedgerError> {
            match row.get_ref(i).map_err(bad)? {
                ValueRef::Null => Ok(None),
                ValueRef::Blob(b) => Uuid::from_slice(b)
                    .map(Some)
                    .map_err(|e| corrupt(e.to_string())),
                ValueRef::Text(t) => std::str::from_utf8(t)
                    .ok()
                    .and_then(|t| Uuid::parse_str(t).ok())
                    .map(Some)
                    .ok_or_else(|| corrupt("an id that is not a UUID")),
                _ => Err(corrupt("an id that is not a UUID")),
            }
        };
        let required = |v: Option<Uuid>| v.ok_or_else(|| corrupt("a required id is NULL"));
        Self {
            id: required(uuid(0)?)?,
            branch_id: uuid(1)?,
            tx_type: row.get(2).map_err(bad)?,
            category: row.get(3).map_err(bad)?,
            amount: row.get(4).map_err(bad)?,
            description: row.get(5).map_err(bad)?,
            occurred_at: row.get(6).map_err(bad)?,
            created_at: row.get(7).map_err(bad)?,
            reverses_id: uuid(8)?,
            is_synced: row.get(9).map_err(bad)?,
            synced_at: row.get(10).map_err(bad)?,
            sync_error_code: row.get(11).map_err(bad)?,
            sync_error_reason: row.get(12).map_err(bad)?,
            channel_id: required(uuid(13)?)?,
            channel_name: row.get(14).map_err(bad)?,
            recorded_by: uuid(15)?,
            recorded_by_name: row.get(16).map_err(bad)?,
            approved_by: uuid(17)?,
            approved_by_name: row.get(18).map_err(bad)?,
            voided_by: uuid(19)?,
        }
        .into_domain()
    }

    fn into_domain(self) -> Result<Transaction, LedgerError> {
        let sync = match (self.sync_error_code, self.is_synced, self.synced_at) {
            (Some(code), _, _) => SyncState::Rejected {
                code,
                reason: self.sync_error_reason.unwrap_or_default(),
            },
            (None, true, Some(at)) => SyncState::Synced { at: from_ms(at)? },
            (None, true, None) => return Err(corrupt("synced row without synced_at")),
            (None, false, _) => SyncState::Pending,
        };
        Ok(Transaction {
            id: TransactionId::from_uuid(self.id),
            branch_id: self.branch_id.map(BranchId::from_uuid),
            tx_type: TxType::parse("type", &self.tx_type).map_err(|e| corrupt(e.to_string()))?,
            amount: Amount::new(self.amount).map_err(|e| corrupt(e.to_string()))?,
            category: Category::parse(&self.category).map_err(|e| corrupt(e.to_string()))?,
            description: Description::parse(&self.description)
                .map_err(|e| corrupt(e.to_string()))?,
            occurred_at: from_ms(self.occurred_at)?,
            created_at: from_ms(self.created_at)?,
            reverses_id: self.reverses_id.map(TransactionId::from_uuid),
            channel: ChannelRef {
                id: ChannelId::from_uuid(self.channel_id),
                name: ChannelName::parse("channel_name", &self.channel_name)
                    .map_err(|e| corrupt(e.to_string()))?,
            },
            recorded_by: StaffRef::stored(self.recorded_by, self.recorded_by_name)
                .map_err(corrupt)?,
            approved_by: StaffRef::stored(self.approved_by, self.approved_by_name)
                .map_err(corrupt)?,
            voided_by: self.voided_by.map(TransactionId::from_uuid),
            sync,
        })
    }
}

/// The columns an entry is written with, in `ENTRY_COLUMNS` order (the sync state apart).
pub(crate) const ENTRY_COLUMNS: &str = "id, branch_id, type, category, amount, description, \
     occurred_at, created_at, reverses_id, channel_id, channel_name, recorded_by, \
     recorded_by_name, approved_by, approved_by_name";

/// An entry's values for [`ENTRY_COLUMNS`].
pub(crate) fn entry_values(tx: &kh_domain::NewTransaction) -> [sea_orm::Value; 15] {
    [
        tx.id.as_uuid().into(),
        tx.branch_id.map(|b| b.as_uuid()).into(),
        tx.tx_type.as_str().into(),
        tx.category.as_str().into(),
        tx.amount.rupiah().into(),
        tx.description.as_str().into(),
        crate::time::to_ms(tx.occurred_at).into(),
        crate::time::to_ms(tx.created_at).into(),
        tx.reverses_id.map(|r| r.as_uuid()).into(),
        tx.channel.id.as_uuid().into(),
        tx.channel.name.as_str().into(),
        tx.recorded_by.as_ref().map(|w| w.id.as_uuid()).into(),
        tx.recorded_by
            .as_ref()
            .map(|w| w.name.as_str().to_owned())
            .into(),
        tx.approved_by.as_ref().map(|w| w.id.as_uuid()).into(),
        tx.approved_by
            .as_ref()
            .map(|w| w.name.as_str().to_owned())
            .into(),
    ]
}
