//! `GET /transactions` at HQ: every branch's entries, filterable by branch.

use kh_domain::{SyncState, Transaction};
use kh_http_common::{TransactionCore, rfc3339};
use serde::Serialize;

/// A transaction as HQ shows it: the shared fields plus when HQ stored it.
#[derive(Debug, Serialize)]
pub(crate) struct TransactionDto {
    #[serde(flatten)]
    core: TransactionCore,
    received_at: Option<String>,
}

impl From<&Transaction> for TransactionDto {
    fn from(t: &Transaction) -> Self {
        Self {
            core: TransactionCore::from(t),
            received_at: match t.sync {
                SyncState::Synced { at } => Some(rfc3339(at)),
                SyncState::Pending | SyncState::Rejected { .. } => None,
            },
        }
    }
}
