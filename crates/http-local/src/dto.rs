//! Request and response bodies. JSON keys are snake_case; times are RFC 3339 UTC with
//! milliseconds and `Z`; money is an integer number of rupiah.

use kh_domain::chrono::{DateTime, SecondsFormat, Utc};
use kh_domain::{
    CategoryTotal, DailyBalance, DateRange, FieldError, NewTransactionInput, SyncState, Totals,
    Transaction, TxType, ValidationErrors,
};
use kh_ports::services::{CategorySuggestion, SystemStatus};
use kh_ports::{ListQuery, Page, SyncFilter};
use serde::{Deserialize, Serialize};

use crate::ApiError;

/// An instant on the wire: `2025-12-08T10:30:00.123Z`.
pub(crate) fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

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

/// A transaction as the API shows it.
#[derive(Debug, Serialize)]
pub(crate) struct TransactionDto {
    id: String,
    branch_id: Option<String>,
    #[serde(rename = "type")]
    tx_type: &'static str,
    category: String,
    amount: i64,
    description: String,
    occurred_at: String,
    created_at: String,
    reverses_id: Option<String>,
    voided_by: Option<String>,
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
            id: t.id.to_string(),
            branch_id: t.branch_id.map(|b| b.to_string()),
            tx_type: t.tx_type.as_str(),
            category: t.category.as_str().to_owned(),
            amount: t.amount.rupiah(),
            description: t.description.as_str().to_owned(),
            occurred_at: rfc3339(t.occurred_at),
            created_at: rfc3339(t.created_at),
            reverses_id: t.reverses_id.map(|r| r.to_string()),
            voided_by: t.voided_by.map(|v| v.to_string()),
            sync_state: t.sync.as_str(),
            is_synced: matches!(t.sync, SyncState::Synced { .. }),
            synced_at,
            sync_error,
        }
    }
}

/// A page of transactions.
#[derive(Debug, Serialize)]
pub(crate) struct PageDto {
    items: Vec<TransactionDto>,
    page: u32,
    limit: u32,
    total: u64,
    total_pages: u64,
}

impl From<&Page<Transaction>> for PageDto {
    fn from(p: &Page<Transaction>) -> Self {
        Self {
            items: p.items.iter().map(TransactionDto::from).collect(),
            page: p.page,
            limit: p.limit,
            total: p.total,
            total_pages: p.total_pages(),
        }
    }
}

/// Query of `GET /transactions`; every value arrives as text and is checked by name.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListParams {
    page: Option<String>,
    limit: Option<String>,
    #[serde(rename = "type")]
    tx_type: Option<String>,
    category: Option<String>,
    from: Option<String>,
    to: Option<String>,
    q: Option<String>,
    sync_state: Option<String>,
}

fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn number(
    field: &'static str,
    raw: Option<&str>,
    default: u32,
    max: u32,
) -> Result<u32, FieldError> {
    match raw {
        None => Ok(default),
        Some(text) => text
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| {
                FieldError::new(field, format!("must be a whole number from 1 to {max}"))
            }),
    }
}

/// The largest page number accepted; deeper pages are better reached with filters.
const MAX_PAGE: u32 = 10_000_000;

impl ListParams {
    pub(crate) fn into_query(self) -> Result<ListQuery, ApiError> {
        let mut errors = ValidationErrors::default();
        let page = errors.collect(number("page", present(&self.page), 1, MAX_PAGE));
        let limit = errors.collect(number("limit", present(&self.limit), 10, 100));
        let tx_type = present(&self.tx_type).and_then(|t| errors.collect(TxType::parse("type", t)));
        let category =
            present(&self.category).and_then(|c| errors.collect(kh_domain::Category::parse(c)));
        let range = match DateRange::parse(present(&self.from), present(&self.to)) {
            Ok(r) => r,
            Err(e) => {
                errors.0.extend(e);
                DateRange::ALL
            }
        };
        let text = match present(&self.q) {
            Some(q) if q.chars().count() > 100 => {
                errors
                    .0
                    .push(FieldError::new("q", "must be at most 100 characters"));
                None
            }
            Some(q) => Some(q.to_owned()),
            None => None,
        };
        let sync = match present(&self.sync_state) {
            None => None,
            Some("pending") => Some(SyncFilter::Pending),
            Some("synced") => Some(SyncFilter::Synced),
            Some("rejected") => Some(SyncFilter::Rejected),
            Some(_) => {
                errors.0.push(FieldError::new(
                    "sync_state",
                    "must be pending, synced or rejected",
                ));
                None
            }
        };
        if !errors.is_empty() {
            return Err(errors.into());
        }
        Ok(ListQuery {
            page: page.unwrap_or(1),
            limit: limit.unwrap_or(10),
            tx_type,
            category,
            range,
            text,
            sync,
            branch: None,
        })
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

/// One row of `GET /dashboard/daily`.
#[derive(Debug, Serialize)]
pub(crate) struct DailyDto {
    date: String,
    total_in: i64,
    total_out: i64,
    balance: i64,
}

impl From<&DailyBalance> for DailyDto {
    fn from(d: &DailyBalance) -> Self {
        Self {
            date: d.date.to_string(),
            total_in: d.total_in,
            total_out: d.total_out,
            balance: d.balance,
        }
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
