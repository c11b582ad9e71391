//! `GET /transactions` at HQ: every branch's entries, filterable by branch.

use kh_domain::{SyncState, Transaction};
use kh_http_common::{TransactionCore, openapi, rfc3339};
use serde::Serialize;
use utoipa::ToSchema;

/// A transaction as HQ shows it: the shared fields plus when HQ stored it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct TransactionDto {
    #[serde(flatten)]
    core: TransactionCore,
    /// When HQ stored it.
    #[schema(schema_with = openapi::date_time_or_null)]
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
