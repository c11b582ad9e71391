//! Request and response bodies. JSON keys are snake_case; times are RFC 3339 UTC with
//! milliseconds and `Z`; money is an integer number of rupiah.

use kh_domain::{
    CategoryTotal, DateRange, NewTransactionInput, SyncState, Totals, Transaction, TxType,
    ValidationErrors,
};
use kh_ports::services::{CategorySuggestion, SystemStatus};
use serde::{Deserialize, Serialize};

use kh_http_common::{TransactionCore, present, rfc3339};

use crate::ApiError;

/// `POST /transactions`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateTransaction {
    #[serde(rename = "type")]
    pub tx_type: String,
    pub amount: i64,
    pub category: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub occurred_at: Option<String>,
    #[serde(default)]
    pub id: Option<String>,
}

impl CreateTransaction {
    pub(crate) fn as_input(&self) -> NewTransactionInput<'_> {
        NewTransactionInput {
            id: self.id.as_deref(),
            tx_type: &self.tx_type,
            amount: self.amount,
            category: &self.category,
            description: self.description.as_deref(),
            occurred_at: self.occurred_at.as_deref(),
        }
    }
}

/// `POST /transactions/{id}/void`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct VoidRequest {
    pub reason: String,
}

/// `POST /system/activate`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ActivateRequest {
    pub cloud_url: String,
    pub api_key: String,
}

/// A transaction as the branch API shows it: the shared fields plus its way to HQ.
#[derive(Debug, Serialize)]
pub(crate) struct TransactionDto {
    #[serde(flatten)]
    core: TransactionCore,
    sync_state: &'static str,
    is_synced: bool,
    synced_at: Option<String>,
    sync_error: Option<String>,
}

impl From<&Transaction> for TransactionDto {
    fn from(t: &Transaction) -> Self {
        let (synced_at, sync_error) = match &t.sync {
            SyncState::Pending => (None, None),
            SyncState::Synced { at } => (Some(rfc3339(*at)), None),
            SyncState::Rejected { reason } => (None, Some(reason.clone())),
        };
        Self {
            core: TransactionCore::from(t),
            sync_state: t.sync.as_str(),
            is_synced: matches!(t.sync, SyncState::Synced { .. }),
            synced_at,
            sync_error,
        }
    }
}

/// Query of the dashboard endpoints.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct RangeParams {
    from: Option<String>,
    to: Option<String>,
    #[serde(rename = "type")]
    tx_type: Option<String>,
}

impl RangeParams {
    pub(crate) fn range(&self) -> Result<DateRange, ApiError> {
        DateRange::parse(present(&self.from), present(&self.to))
            .map_err(|e| ValidationErrors(e).into())
    }

    pub(crate) fn tx_type(&self) -> Result<Option<TxType>, ApiError> {
        present(&self.tx_type)
            .map(|t| TxType::parse("type", t))
            .transpose()
            .map_err(|e| ApiError::invalid(e.field, e.issue))
    }

    pub(crate) fn refuse_type(&self) -> Result<(), ApiError> {
        match self.tx_type {
            Some(_) => Err(ApiError::invalid(
                "type",
                "is not a parameter of this endpoint",
            )),
            None => Ok(()),
        }
    }
}

/// `GET /dashboard/summary`.
#[derive(Debug, Serialize)]
pub(crate) struct SummaryDto {
    total_in: i64,
    total_out: i64,
    balance: i64,
    transaction_count: i64,
    count_in: i64,
    count_out: i64,
}

impl TryFrom<Totals> for SummaryDto {
    type Error = ApiError;

    fn try_from(t: Totals) -> Result<Self, ApiError> {
        let overflow = |e: kh_domain::TotalsOverflow| {
            tracing::error!(error = %e, "summary overflow");
            ApiError::internal()
        };
        Ok(Self {
            total_in: t.total_in,
            total_out: t.total_out,
            balance: t.balance().map_err(overflow)?,
            transaction_count: t.transaction_count().map_err(overflow)?,
            count_in: t.count_in,
            count_out: t.count_out,
        })
    }
}

/// One row of `GET /dashboard/categories`.
#[derive(Debug, Serialize)]
pub(crate) struct CategoryTotalDto {
    category: String,
    #[serde(rename = "type")]
    tx_type: &'static str,
    total: i64,
    count: i64,
}

impl From<&CategoryTotal> for CategoryTotalDto {
    fn from(c: &CategoryTotal) -> Self {
        Self {
            category: c.category.as_str().to_owned(),
            tx_type: c.tx_type.as_str(),
            total: c.total,
            count: c.count,
        }
    }
}

/// One suggestion of `GET /categories`.
#[derive(Debug, Serialize)]
pub(crate) struct SuggestionDto {
    name: String,
    #[serde(rename = "type")]
    tx_type: &'static str,
    count: i64,
}

impl From<&CategorySuggestion> for SuggestionDto {
    fn from(s: &CategorySuggestion) -> Self {
        Self {
            name: s.category.as_str().to_owned(),
            tx_type: s.tx_type.as_str(),
            count: s.count,
        }
    }
}

/// The branch in `GET /system/status`.
#[derive(Debug, Serialize)]
pub(crate) struct BranchDto {
    id: String,
    code: String,
    name: String,
}

/// `GET /system/status`.
#[derive(Debug, Serialize)]
pub(crate) struct StatusDto {
    status: &'static str,
    unsynced_count: u64,
    rejected_count: u64,
    last_sync_at: Option<String>,
    last_attempt_at: Option<String>,
    last_error: Option<String>,
    branch: Option<BranchDto>,
    cloud_url: Option<String>,
}

impl From<&SystemStatus> for StatusDto {
    fn from(s: &SystemStatus) -> Self {
        Self {
            status: s.status,
            unsynced_count: s.counts.pending,
            rejected_count: s.counts.rejected,
            last_sync_at: s.activity.last_sync_at.map(rfc3339),
            last_attempt_at: s.activity.last_attempt_at.map(rfc3339),
            last_error: s.activity.last_error.clone(),
            branch: s.identity.as_ref().map(|i| BranchDto {
                id: i.id.to_string(),
                code: i.code.clone(),
                name: i.name.clone(),
            }),
            cloud_url: s.cloud_url.clone(),
        }
    }
}
