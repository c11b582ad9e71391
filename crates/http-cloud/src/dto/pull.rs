//! `GET /sync/pull`: a page of the key's branch's feed (DESIGN 8.1).

use kh_domain::{HqEpoch, ValidationErrors};
use kh_http_common::{digits, openapi, query_param};
use kh_ports::services::{
    PULL_DEFAULT_LIMIT, PULL_MAX_LIMIT, pull_after_refused, pull_limit_refused,
};
use kh_ports::{FeedPage, FeedRow};
use serde::{Deserialize, Serialize};
use utoipa::openapi::path::{Parameter, ParameterIn};
use utoipa::openapi::schema::{Object, ObjectBuilder, Type};
use utoipa::{IntoParams, ToSchema};

use super::rfc3339;
use crate::ApiError;

/// `after` and `limit`, for the document.
pub(crate) struct PullQuery;

fn whole(min: i64, max: i64) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(min))
        .maximum(Some(max))
        .build()
}

impl IntoParams for PullQuery {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![
            query_param(
                "after",
                "The `next_after` of the previous page; 0 (the default) for the start of the feed.",
                whole(0, i64::MAX),
            ),
            query_param(
                "limit",
                &format!("Rows per page, 1 to {PULL_MAX_LIMIT}; {PULL_DEFAULT_LIMIT} by default."),
                whole(1, i64::from(PULL_MAX_LIMIT)),
            ),
        ]
    }
}

/// Query of `GET /sync/pull`, read as text so a wrong value is named with its rule.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct PullParams {
    after: Option<String>,
    limit: Option<String>,
}

impl PullParams {
    /// `(after, limit)`; the service checks their ranges. Each, when given, is digits only
    /// (as the lists' `page` and `limit`): an empty or blank value is refused, not read as
    /// absent, and `+5` is not how a number is sent.
    pub(crate) fn read(&self) -> Result<(i64, u32), ApiError> {
        let mut errors = Vec::new();
        let after = match self.after.as_deref() {
            None => 0,
            Some(text) => digits::<i64>(text).unwrap_or_else(|| {
                errors.push(pull_after_refused());
                0
            }),
        };
        let limit = match self.limit.as_deref() {
            None => PULL_DEFAULT_LIMIT,
            Some(text) => digits::<u32>(text).unwrap_or_else(|| {
                errors.push(pull_limit_refused());
                PULL_DEFAULT_LIMIT
            }),
        };
        if errors.is_empty() {
            Ok((after, limit))
        } else {
            Err(ValidationErrors(errors).into())
        }
    }
}

/// One row of the feed: the row as its branch made it, with its place in the feed.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct FeedRowDto {
    /// Its place in the feed; `next_after` of a page is its last row's.
    seq: i64,
    /// The device that pushed it; null for rows pushed before devices were recorded.
    #[schema(schema_with = openapi::uuid_or_null)]
    device_id: Option<String>,
    #[schema(schema_with = openapi::uuid)]
    id: String,
    #[schema(schema_with = openapi::uuid)]
    branch_id: String,
    #[serde(rename = "type")]
    #[schema(schema_with = openapi::tx_type)]
    tx_type: String,
    #[schema(schema_with = openapi::amount)]
    amount: i64,
    #[schema(schema_with = openapi::category)]
    category: String,
    #[schema(schema_with = openapi::description)]
    description: String,
    #[schema(schema_with = openapi::date_time)]
    occurred_at: String,
    #[schema(schema_with = openapi::date_time)]
    created_at: String,
    /// On a void: the entry it cancels (always earlier in the feed).
    #[schema(schema_with = openapi::uuid_or_null)]
    reverses_id: Option<String>,
    /// The payment channel (cash for rows from before channels).
    #[schema(schema_with = openapi::uuid)]
    channel_id: String,
    /// The channel's name when the entry was made.
    #[schema(schema_with = openapi::channel_name)]
    channel_name: String,
    /// The staff member who recorded it (null: nobody was signed in).
    #[schema(schema_with = openapi::uuid_or_null)]
    recorded_by: Option<String>,
    #[schema(schema_with = openapi::staff_name_or_null)]
    recorded_by_name: Option<String>,
    /// The supervisor who approved it (null: it needed no approval).
    #[schema(schema_with = openapi::uuid_or_null)]
    approved_by: Option<String>,
    #[schema(schema_with = openapi::staff_name_or_null)]
    approved_by_name: Option<String>,
    /// When HQ stored it.
    #[schema(schema_with = openapi::date_time)]
    received_at: String,
}

impl From<&FeedRow> for FeedRowDto {
    fn from(r: &FeedRow) -> Self {
        let tx = &r.tx;
        Self {
            seq: r.seq,
            device_id: r.device.map(|d| d.to_string()),
            id: tx.id.to_string(),
            branch_id: tx.branch_id.map(|b| b.to_string()).unwrap_or_default(),
            tx_type: tx.tx_type.as_str().to_owned(),
            amount: tx.amount.rupiah(),
            category: tx.category.as_str().to_owned(),
            description: tx.description.as_str().to_owned(),
            occurred_at: rfc3339(tx.occurred_at),
            created_at: rfc3339(tx.created_at),
            reverses_id: tx.reverses_id.map(|r| r.to_string()),
            channel_id: tx.channel.id.to_string(),
            channel_name: tx.channel.name.as_str().to_owned(),
            recorded_by: tx.recorded_by.as_ref().map(|w| w.id.to_string()),
            recorded_by_name: tx.recorded_by.as_ref().map(|w| w.name.as_str().to_owned()),
            approved_by: tx.approved_by.as_ref().map(|w| w.id.to_string()),
            approved_by_name: tx.approved_by.as_ref().map(|w| w.name.as_str().to_owned()),
            received_at: rfc3339(r.received_at),
        }
    }
}

/// A page of the feed.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct FeedPageDto {
    /// Rows after `after`, in `seq` order.
    items: Vec<FeedRowDto>,
    /// Where the next page starts: the last row's `seq`, or `after` when the page is empty.
    next_after: i64,
    /// Whether more rows wait after this page.
    more: bool,
    /// The branch's rows at HQ in all, when `more` (for a restore's progress); otherwise null.
    #[schema(nullable)]
    total: Option<u64>,
    /// HQ's epoch: a branch that sees it change sends all its rows again and reads the feed
    /// from its start (DESIGN 8.4).
    #[schema(schema_with = openapi::uuid)]
    epoch: String,
}

impl FeedPageDto {
    pub(crate) fn new(page: &FeedPage, after: i64, epoch: HqEpoch) -> Self {
        Self {
            epoch: epoch.to_string(),
            items: page.items.iter().map(FeedRowDto::from).collect(),
            next_after: page.items.last().map_or(after, |r| r.seq),
            more: page.more,
            total: page.total,
        }
    }
}
