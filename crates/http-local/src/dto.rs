//! Request and response bodies. JSON keys are snake_case; times are RFC 3339 UTC with
//! milliseconds and `Z`; money is an integer number of rupiah.

use kh_domain::{
    CategoryTotal, ChannelId, ChannelKind, DateRange, Lists, NewTransactionInput, SyncState,
    Totals, Transaction, TxType, ValidationErrors,
};
use kh_ports::services::{CategorySuggestion, ChannelTotal, SyncStatus, SystemStatus};
use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::{Object, ObjectBuilder, Type};
use utoipa::{IntoParams, ToSchema};

use kh_http_common::openapi::{self, nullable};
use kh_http_common::{TransactionCore, range_params, rfc3339};

use crate::ApiError;

/// `POST /transactions`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateTransaction {
    #[serde(rename = "type")]
    #[schema(schema_with = openapi::tx_type)]
    pub tx_type: String,
    #[schema(schema_with = openapi::amount)]
    pub amount: i64,
    #[schema(schema_with = openapi::category)]
    pub category: String,
    #[serde(default)]
    #[schema(schema_with = description_or_null, required = false)]
    pub description: Option<String>,
    /// When the money moved (RFC 3339; not before 2000, not more than a few minutes ahead of
    /// the server's clock); now when absent.
    #[serde(default)]
    #[schema(schema_with = openapi::date_time_or_null, required = false)]
    pub occurred_at: Option<String>,
    /// The client's own id for safe retries: the same id and content again is answered 200
    /// with the stored entry, other content 409.
    #[serde(default)]
    #[schema(schema_with = uuid_v4_or_null, required = false)]
    pub id: Option<String>,
    /// How the money was paid: an active channel of `GET /lists`; the cash channel when absent.
    #[serde(default)]
    #[schema(schema_with = openapi::uuid_or_null, required = false)]
    pub channel_id: Option<String>,
    /// A supervisor's approval, for an entry dated more than 24 hours back by a cashier.
    #[serde(default)]
    #[schema(required = false, nullable)]
    pub approval: Option<Approval>,
}

/// A supervisor's approval given in the same dialog (DESIGN 10.2): their id and PIN, checked
/// on this PC like a sign-in (wrong PINs count towards their lock).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Approval {
    #[schema(schema_with = openapi::uuid)]
    pub staff_id: String,
    #[schema(pattern = "^[0-9]{6}$")]
    pub pin: String,
}

fn description_or_null() -> Object {
    nullable(openapi::description())
}

fn uuid_v4_or_null() -> Object {
    nullable(openapi::uuid_v4())
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
            channel_id: self.channel_id.as_deref(),
        }
    }
}

/// `POST /transactions/{id}/void`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct VoidRequest {
    #[schema(schema_with = openapi::void_reason)]
    pub reason: String,
    /// A supervisor's approval: a cashier's void needs one.
    #[serde(default)]
    #[schema(required = false, nullable)]
    pub approval: Option<Approval>,
}

/// `POST /system/activate`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ActivateRequest {
    /// HQ's address, `http://` or `https://` and a host.
    #[schema(pattern = "^\\s*https?://[^/:]")]
    pub cloud_url: String,
    /// The branch key HQ issued (`kh_…`): letters, digits and symbols, no spaces inside.
    #[schema(pattern = "^\\s*[!-~]+\\s*$")]
    pub api_key: String,
    /// Needed when the key belongs to another branch than this PC's and entries of this PC's
    /// branch have not reached HQ: they then wait on the PC (see `held_count`).
    #[serde(default)]
    #[schema(required = false)]
    pub confirm_branch_change: bool,
}

/// A transaction as the branch API shows it: the shared fields plus its way to HQ.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct TransactionDto {
    #[serde(flatten)]
    core: TransactionCore,
    #[schema(schema_with = sync_state)]
    sync_state: &'static str,
    is_synced: bool,
    /// When HQ accepted it.
    #[schema(schema_with = openapi::date_time_or_null)]
    synced_at: Option<String>,
    /// HQ's `code: reason`, as one line for people.
    sync_error: Option<String>,
    /// HQ's code alone (`validation_failed`, `unknown_reference`, …), for a client to word.
    sync_error_code: Option<String>,
    /// HQ's reason alone.
    sync_error_reason: Option<String>,
}

/// The names `sync_state` takes, as the domain spells them.
fn sync_state() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(openapi::sync_states()))
        .build()
}

impl From<&Transaction> for TransactionDto {
    fn from(t: &Transaction) -> Self {
        let (synced_at, refusal) = match &t.sync {
            SyncState::Pending => (None, None),
            SyncState::Synced { at } => (Some(rfc3339(*at)), None),
            SyncState::Rejected { code, reason } => (None, Some((code.clone(), reason.clone()))),
        };
        let sync_error = refusal.as_ref().map(|(code, reason)| {
            if code.is_empty() {
                reason.clone()
            } else {
                format!("{code}: {reason}")
            }
        });
        let (sync_error_code, sync_error_reason) = match refusal {
            Some((code, reason)) => (Some(code).filter(|c| !c.is_empty()), Some(reason)),
            None => (None, None),
        };
        Self {
            core: TransactionCore::from(t),
            sync_state: t.sync.as_str(),
            is_synced: matches!(t.sync, SyncState::Synced { .. }),
            synced_at,
            sync_error,
            sync_error_code,
            sync_error_reason,
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
    channel_id: Option<String>,
}

impl RangeParams {
    pub(crate) fn range(&self) -> Result<DateRange, ApiError> {
        DateRange::parse(self.from.as_deref(), self.to.as_deref())
            .map_err(|e| ValidationErrors(e).into())
    }

    pub(crate) fn tx_type(&self) -> Result<Option<TxType>, ApiError> {
        self.tx_type
            .as_deref()
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

    /// The payment channel to narrow to, if given.
    pub(crate) fn channel(&self) -> Result<Option<ChannelId>, ApiError> {
        self.channel_id
            .as_deref()
            .map(|c| ChannelId::parse("channel_id", c))
            .transpose()
            .map_err(|e| ValidationErrors(vec![e]).into())
    }

    pub(crate) fn refuse_channel(&self) -> Result<(), ApiError> {
        match self.channel_id {
            Some(_) => Err(ApiError::invalid(
                "channel_id",
                "is not a parameter of this endpoint",
            )),
            None => Ok(()),
        }
    }
}

/// `from`, `to` and `channel_id` (`GET /dashboard/summary`, `GET /dashboard/daily`), for the
/// document.
pub(crate) struct ChannelRangeQuery;

impl IntoParams for ChannelRangeQuery {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        let mut params = range_params();
        params.push(kh_http_common::query_param(
            "channel_id",
            "Only entries through this payment channel.",
            openapi::uuid(),
        ));
        params
    }
}

/// One payment channel's totals over a period (`GET /dashboard/channels`).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ChannelTotalDto {
    #[schema(schema_with = openapi::uuid)]
    channel_id: String,
    /// Its name in the lists now (its id when the lists lack it).
    channel_name: String,
    /// `cash` or `non_cash`; null when the lists lack it.
    #[schema(nullable)]
    kind: Option<&'static str>,
    total_in: i64,
    total_out: i64,
    count_in: i64,
    count_out: i64,
}

impl From<&ChannelTotal> for ChannelTotalDto {
    fn from(c: &ChannelTotal) -> Self {
        Self {
            channel_id: c.id.to_string(),
            channel_name: c.name.clone(),
            kind: c.kind.map(ChannelKind::as_str),
            total_in: c.totals.total_in,
            total_out: c.totals.total_out,
            count_in: c.totals.count_in,
            count_out: c.totals.count_out,
        }
    }
}

/// A category of HQ's list, as this PC holds it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ListCategoryDto {
    #[schema(schema_with = openapi::uuid)]
    id: String,
    #[schema(schema_with = openapi::category)]
    name: String,
    /// `IN`, `OUT` or `BOTH`: which entries it is offered for.
    #[serde(rename = "type")]
    usage: &'static str,
    /// Offered for new entries.
    active: bool,
}

/// A payment channel of HQ's list, as this PC holds it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ListChannelDto {
    #[schema(schema_with = openapi::uuid)]
    id: String,
    #[schema(schema_with = openapi::channel_name)]
    name: String,
    /// `cash` or `non_cash`.
    kind: &'static str,
    /// Offered for new entries.
    active: bool,
}

/// `GET /lists`: HQ's lists as this PC last received them (the defaults before it ever did).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ListsDto {
    /// HQ's version of the lists held; 0 when this PC has never received them.
    version: i64,
    /// Whether a category outside the list is accepted.
    allow_new_categories: bool,
    /// The channel a new entry takes when none is chosen; null when none is active.
    #[schema(schema_with = openapi::uuid_or_null)]
    cash_channel_id: Option<String>,
    /// Categories by name, active or not.
    categories: Vec<ListCategoryDto>,
    /// Payment channels, cash first, active or not.
    channels: Vec<ListChannelDto>,
}

impl From<&Lists> for ListsDto {
    fn from(l: &Lists) -> Self {
        Self {
            version: l.version,
            allow_new_categories: l.allow_new_categories,
            cash_channel_id: l.default_channel().map(|c| c.id.to_string()),
            categories: l
                .categories
                .iter()
                .map(|c| ListCategoryDto {
                    id: c.id.to_string(),
                    name: c.name.as_str().to_owned(),
                    usage: c.usage.as_str(),
                    active: c.active,
                })
                .collect(),
            channels: l
                .channels
                .iter()
                .map(|c| ListChannelDto {
                    id: c.id.to_string(),
                    name: c.name.as_str().to_owned(),
                    kind: c.kind.as_str(),
                    active: c.active,
                })
                .collect(),
        }
    }
}

/// `from` and `to` (`GET /dashboard/summary`, `GET /dashboard/daily`), for the document.
pub(crate) struct RangeQuery;

impl IntoParams for RangeQuery {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        range_params()
    }
}

/// `from`, `to` and `type` (`GET /dashboard/categories`), for the document.
pub(crate) struct CategoryQuery;

impl IntoParams for CategoryQuery {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        let mut params = range_params();
        params.push(kh_http_common::query_param(
            "type",
            "Only IN or only OUT entries.",
            openapi::tx_type(),
        ));
        params
    }
}

/// `GET /dashboard/summary`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SummaryDto {
    total_in: i64,
    total_out: i64,
    balance: i64,
    transaction_count: i64,
    count_in: i64,
    count_out: i64,
    /// Rows cancelled by a void, left out of every figure above: each voided entry and each
    /// void (one voided entry makes 2).
    voided_count: i64,
    /// Sum of those rows' amounts (a Rp 20.000 entry and its void: Rp 40.000).
    voided_total: i64,
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
            voided_count: t.voided_count().map_err(overflow)?,
            voided_total: t.voided_total().map_err(overflow)?,
        })
    }
}

/// One row of `GET /dashboard/categories`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CategoryTotalDto {
    #[schema(schema_with = openapi::category)]
    category: String,
    #[serde(rename = "type")]
    #[schema(schema_with = openapi::tx_type)]
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
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SuggestionDto {
    #[schema(schema_with = openapi::category)]
    name: String,
    #[serde(rename = "type")]
    #[schema(schema_with = openapi::tx_type)]
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
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct BranchDto {
    #[schema(schema_with = openapi::uuid)]
    id: String,
    code: String,
    name: String,
}

/// `GET /system/status`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct StatusDto {
    /// What HQ last said, or `unconfigured` before the PC is activated.
    #[schema(schema_with = link_status)]
    status: &'static str,
    unsynced_count: u64,
    rejected_count: u64,
    /// Entries of a branch this PC was activated for before, not yet at HQ: sent once the PC
    /// is activated again with that branch's key.
    held_count: u64,
    /// Shift reports (an opening or a close) HQ refused: kept with the reason, not sent again.
    refused_shift_count: u64,
    /// The last time HQ answered.
    #[schema(schema_with = openapi::date_time_or_null)]
    last_sync_at: Option<String>,
    #[schema(schema_with = openapi::date_time_or_null)]
    last_attempt_at: Option<String>,
    last_error: Option<String>,
    branch: Option<BranchDto>,
    cloud_url: Option<String>,
    /// A drain in progress: `sent` of `total` rows.
    sending: Option<SendingDto>,
    /// While `status` is `restoring`: rows of the branch's history taken from HQ so far, of
    /// `total` (null until HQ has said).
    restoring: Option<RestoringDto>,
    /// Rows from HQ this PC could not take (invalid here, or contradicting an entry it holds):
    /// kept apart with their reason, never dropped; the rest went in.
    pull_rejected_count: u64,
}

/// Progress of a restore from HQ.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RestoringDto {
    restored: u64,
    total: Option<u64>,
}

/// `status` as the system service names it.
fn link_status() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(SyncStatus::ALL.map(SyncStatus::as_str)))
        .build()
}

/// `POST /system/sync/retry-rejected`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RequeuedDto {
    /// How many quarantined entries went back to the outbox.
    pub requeued: u64,
}

/// Progress of a drain.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SendingDto {
    sent: u64,
    total: u64,
}

impl From<&SystemStatus> for StatusDto {
    fn from(s: &SystemStatus) -> Self {
        Self {
            status: s.status.as_str(),
            unsynced_count: s.counts.pending,
            rejected_count: s.counts.rejected,
            held_count: s.counts.held,
            refused_shift_count: s.counts.refused_shifts,
            last_sync_at: s.activity.last_sync_at.map(rfc3339),
            last_attempt_at: s.activity.last_attempt_at.map(rfc3339),
            last_error: s.activity.last_error.clone(),
            branch: s.identity.as_ref().map(|i| BranchDto {
                id: i.id.to_string(),
                code: i.code.clone(),
                name: i.name.clone(),
            }),
            cloud_url: s.cloud_url.clone(),
            sending: s.sending.map(|p| SendingDto {
                sent: p.sent,
                total: p.total,
            }),
            restoring: s.restoring.map(|r| RestoringDto {
                restored: r.restored,
                total: r.total,
            }),
            pull_rejected_count: s.pull_rejected,
        }
    }
}
