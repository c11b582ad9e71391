//! [`SyncGateway`] over HTTP(S) with reqwest.

use std::time::Duration;

use async_trait::async_trait;
use kh_domain::chrono::{DateTime, SecondsFormat, Utc};
use kh_domain::{
    BranchId, Category, CategoryId, CategoryUse, ChannelId, ChannelKind, ChannelName, DeviceId,
    HqEpoch, ListCategory, Lists, NewTransaction, PaymentChannel, PinHash, StaffId, StaffMember,
    StaffName, StaffRole, SyncedInput, Transaction, TransactionId,
};
use kh_ports::{
    BranchIdentity, GatewayError, PulledPage, PulledRow, PushReply, Refusal, ShiftPushReply,
    ShiftView, SyncCredentials, SyncGateway, UnreadableRow,
};
use reqwest::StatusCode;
use serde::{Deserialize, Serialize};

/// The most bytes one push may carry; HQ accepts 2 MiB, this leaves room.
pub const MAX_PUSH_BYTES: usize = 1536 * 1024;

/// The header naming the branch database on every push and pull (DESIGN 8.2).
const DEVICE_HEADER: &str = "X-KH-Device";
/// The header saying, on every pull, how many rows from HQ this book holds apart.
const HELD_HEADER: &str = "X-KH-Quarantined";

/// Talks to HQ's `/api/v1/sync/*` endpoints on behalf of one branch database (`device`).
#[derive(Debug, Clone)]
pub struct HttpGateway {
    client: reqwest::Client,
    device: String,
}

impl HttpGateway {
    /// A gateway with a connect timeout and a whole-request timeout, so a dead link never
    /// holds the worker (or a shutdown) for long.
    pub fn new(
        connect_timeout: Duration,
        request_timeout: Duration,
        device: DeviceId,
    ) -> Result<Self, GatewayError> {
        let client = reqwest::Client::builder()
            .connect_timeout(connect_timeout)
            .timeout(request_timeout)
            .user_agent(concat!("kh-local/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| GatewayError::Protocol(format!("cannot build the HTTP client: {e}")))?;
        Ok(Self {
            client,
            device: device.to_string(),
        })
    }
}

/// A row of the feed as HQ sends it; anything else in it is ignored.
#[derive(Debug, Deserialize)]
struct FeedRowData {
    seq: i64,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    branch_id: Option<String>,
    #[serde(rename = "type", default)]
    tx_type: Option<String>,
    #[serde(default)]
    amount: Option<i64>,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    occurred_at: Option<String>,
    #[serde(default)]
    created_at: Option<String>,
    #[serde(default)]
    reverses_id: Option<String>,
    #[serde(default)]
    channel_id: Option<String>,
    #[serde(default)]
    channel_name: Option<String>,
    #[serde(default)]
    recorded_by: Option<String>,
    #[serde(default)]
    recorded_by_name: Option<String>,
    #[serde(default)]
    approved_by: Option<String>,
    #[serde(default)]
    approved_by_name: Option<String>,
    received_at: String,
}

#[derive(Debug, Deserialize)]
struct FeedData {
    items: Vec<Box<serde_json::value::RawValue>>,
    next_after: i64,
    more: bool,
    #[serde(default)]
    total: Option<u64>,
    #[serde(default)]
    epoch: Option<String>,
}

/// Reads one feed row: its position and time must be readable (or the whole answer is not
/// HQ's); the entry itself is checked as HQ checks a pushed row, and one that fails is handed
/// over unreadable with its reason.
fn read_feed_row(raw: &serde_json::value::RawValue) -> Result<PulledRow, GatewayError> {
    let data: FeedRowData = serde_json::from_str(raw.get())
        .map_err(|e| GatewayError::Protocol(format!("a pulled row is not what HQ sends: {e}")))?;
    let received_at = DateTime::parse_from_rfc3339(&data.received_at)
        .map_err(|e| GatewayError::Protocol(format!("a pulled row's received_at: {e}")))?
        .with_timezone(&Utc);
    let id = data.id.clone().unwrap_or_default();
    let unreadable = |reason: String| UnreadableRow {
        id: id.clone(),
        reason,
        raw: raw.get().to_owned(),
    };
    let row = match (
        data.branch_id.as_deref().map(|b| BranchId::parse("branch_id", b)),
        &data.tx_type,
        data.amount,
        &data.category,
        &data.occurred_at,
        &data.created_at,
    ) {
        (Some(Ok(branch)), Some(tx_type), Some(amount), Some(category), Some(occurred), Some(created)) => {
            let input = SyncedInput {
                id: &id,
                tx_type,
                amount,
                category,
                description: data.description.as_deref(),
                occurred_at: occurred,
                created_at: created,
                reverses_id: data.reverses_id.as_deref(),
                channel_id: data.channel_id.as_deref(),
                channel_name: data.channel_name.as_deref(),
                recorded_by: data.recorded_by.as_deref(),
                recorded_by_name: data.recorded_by_name.as_deref(),
                approved_by: data.approved_by.as_deref(),
                approved_by_name: data.approved_by_name.as_deref(),
            };
            NewTransaction::from_synced(&input, branch).map_err(|e| unreadable(e.to_string()))
        }
        (Some(Err(e)), ..) => Err(unreadable(e.to_string())),
        _ => Err(unreadable(
            "a field of the entry is missing (branch_id, type, amount, category, occurred_at or created_at)".into(),
        )),
    };
    Ok(PulledRow {
        seq: data.seq,
        row,
        received_at,
    })
}

/// A row as HQ takes it (DESIGN 3 without the branch-only columns).
#[derive(Debug, Serialize)]
struct PushRow<'a> {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    branch_id: Option<String>,
    #[serde(rename = "type")]
    tx_type: &'static str,
    amount: i64,
    category: &'a str,
    description: &'a str,
    occurred_at: String,
    created_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    reverses_id: Option<String>,
    channel_id: String,
    channel_name: &'a str,
    // Sent only when somebody was signed in: an HQ older than staff takes the rest as before.
    #[serde(skip_serializing_if = "Option::is_none")]
    recorded_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    recorded_by_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    approved_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    approved_by_name: Option<&'a str>,
}

impl<'a> From<&'a Transaction> for PushRow<'a> {
    fn from(t: &'a Transaction) -> Self {
        Self {
            id: t.id.to_string(),
            branch_id: t.branch_id.map(|b| b.to_string()),
            tx_type: t.tx_type.as_str(),
            amount: t.amount.rupiah(),
            category: t.category.as_str(),
            description: t.description.as_str(),
            occurred_at: t.occurred_at.to_rfc3339_opts(SecondsFormat::Millis, true),
            created_at: t.created_at.to_rfc3339_opts(SecondsFormat::Millis, true),
            reverses_id: t.reverses_id.map(|r| r.to_string()),
            channel_id: t.channel.id.to_string(),
            channel_name: t.channel.name.as_str(),
            recorded_by: t.recorded_by.as_ref().map(|w| w.id.to_string()),
            recorded_by_name: t.recorded_by.as_ref().map(|w| w.name.as_str()),
            approved_by: t.approved_by.as_ref().map(|w| w.id.to_string()),
            approved_by_name: t.approved_by.as_ref().map(|w| w.name.as_str()),
        }
    }
}

/// A shift as HQ takes it (`POST /sync/shifts`): as opened, and with its close once closed.
#[derive(Debug, Serialize)]
struct ShiftRow<'a> {
    id: String,
    opened_at: String,
    opened_by: Option<String>,
    opened_by_name: Option<&'a str>,
    opening_float: i64,
    suggested_float: Option<i64>,
    opening_note: Option<&'a str>,
    cash_in: i64,
    cash_out: i64,
    entries: u64,
    close: Option<ShiftCloseRow<'a>>,
}

#[derive(Debug, Serialize)]
struct ShiftCloseRow<'a> {
    closed_at: String,
    closed_by: Option<String>,
    closed_by_name: Option<&'a str>,
    counts: std::collections::BTreeMap<&'static str, i64>,
    expected: i64,
    counted: i64,
    note: Option<&'a str>,
    approved_by: Option<String>,
    approved_by_name: Option<&'a str>,
}

impl<'a> From<&'a ShiftView> for ShiftRow<'a> {
    fn from(v: &'a ShiftView) -> Self {
        let s = &v.shift;
        let at = |t: DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Millis, true);
        Self {
            id: s.id.to_string(),
            opened_at: at(s.opened_at),
            opened_by: s.opened_by.as_ref().map(|w| w.id.to_string()),
            opened_by_name: s.opened_by.as_ref().map(|w| w.name.as_str()),
            opening_float: s.opening_float,
            suggested_float: s.suggested_float,
            opening_note: s.opening_note.as_ref().map(|n| n.as_str()),
            cash_in: v.cash.cash_in,
            cash_out: v.cash.cash_out,
            entries: v.cash.entries,
            close: s.close.as_ref().map(|c| ShiftCloseRow {
                closed_at: at(c.closed_at),
                closed_by: c.closed_by.as_ref().map(|w| w.id.to_string()),
                closed_by_name: c.closed_by.as_ref().map(|w| w.name.as_str()),
                counts: c.counts.pieces().map(|(d, n)| (d.key, n)).collect(),
                expected: c.expected,
                counted: c.counted,
                note: c.note.as_ref().map(|n| n.as_str()),
                approved_by: c.approved_by.as_ref().map(|w| w.id.to_string()),
                approved_by_name: c.approved_by.as_ref().map(|w| w.name.as_str()),
            }),
        }
    }
}

/// HQ's answer to a push of shifts.
#[derive(Debug, Deserialize)]
struct ShiftPushData {
    accepted: Vec<String>,
    duplicates: Vec<String>,
    rejected: Vec<RejectedData>,
}

/// HQ's lists as `GET /sync/config` sends them; items are read one by one.
#[derive(Debug, Deserialize)]
struct ListsData {
    version: i64,
    allow_new_categories: bool,
    categories: Vec<serde_json::Value>,
    channels: Vec<serde_json::Value>,
    /// The branch's staff (an HQ older than staff sends none).
    #[serde(default)]
    staff: Vec<serde_json::Value>,
    /// The settings every branch follows (an HQ older than them sends none: the defaults).
    #[serde(default)]
    settings: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
struct SettingsData {
    cash_difference_threshold: i64,
    blind_close: bool,
    business_day_starts_at: String,
}

/// HQ's settings as sent; ones this PC cannot read leave the defaults (and say so in the log).
fn read_settings(raw: Option<serde_json::Value>) -> kh_domain::BranchSettings {
    let defaults = kh_domain::BranchSettings::default();
    let Some(raw) = raw else {
        return defaults;
    };
    let read = serde_json::from_value::<SettingsData>(raw)
        .map_err(|e| e.to_string())
        .and_then(|d| {
            Ok(kh_domain::BranchSettings {
                cash_difference_threshold: kh_domain::BranchSettings::threshold(
                    d.cash_difference_threshold,
                )
                .map_err(|e| e.to_string())?,
                blind_close: d.blind_close,
                day_starts_at_minutes: kh_domain::BranchSettings::day_start(
                    &d.business_day_starts_at,
                )
                .map_err(|e| e.to_string())?,
            })
        });
    read.unwrap_or_else(|why| {
        tracing::warn!(
            why,
            "HQ's branch settings could not be read; keeping the defaults"
        );
        defaults
    })
}

#[derive(Debug, Deserialize)]
struct StaffData {
    id: String,
    name: String,
    role: String,
    active: bool,
    pin_hash: String,
}

fn read_staff(raw: serde_json::Value) -> Result<StaffMember, String> {
    let item: StaffData = serde_json::from_value(raw).map_err(|e| e.to_string())?;
    if !item.pin_hash.starts_with("$argon2id$") {
        return Err("pin_hash: not an argon2id hash".into());
    }
    Ok(StaffMember {
        id: StaffId::parse("id", &item.id).map_err(|e| e.to_string())?,
        name: StaffName::parse(&item.name).map_err(|e| e.to_string())?,
        role: StaffRole::parse("role", &item.role).map_err(|e| e.to_string())?,
        active: item.active,
        pin_hash: PinHash::new(item.pin_hash),
        // Set to the answer's version below.
        version: 0,
    })
}

#[derive(Debug, Deserialize)]
struct ItemData {
    id: String,
    name: String,
    #[serde(rename = "type", default)]
    usage: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    active: bool,
}

fn read_category(raw: serde_json::Value) -> Result<ListCategory, String> {
    let item: ItemData = serde_json::from_value(raw).map_err(|e| e.to_string())?;
    Ok(ListCategory {
        id: CategoryId::parse("id", &item.id).map_err(|e| e.to_string())?,
        name: Category::parse(&item.name).map_err(|e| e.to_string())?,
        usage: CategoryUse::parse("type", item.usage.as_deref().unwrap_or_default())
            .map_err(|e| e.to_string())?,
        active: item.active,
    })
}

fn read_channel(raw: serde_json::Value) -> Result<PaymentChannel, String> {
    let item: ItemData = serde_json::from_value(raw).map_err(|e| e.to_string())?;
    Ok(PaymentChannel {
        id: ChannelId::parse("id", &item.id).map_err(|e| e.to_string())?,
        name: ChannelName::parse("name", &item.name).map_err(|e| e.to_string())?,
        kind: ChannelKind::parse("kind", item.kind.as_deref().unwrap_or_default())
            .map_err(|e| e.to_string())?,
        active: item.active,
    })
}

/// Keeps the items that read, saying in the log which did not.
fn readable<T>(
    items: Vec<serde_json::Value>,
    read: fn(serde_json::Value) -> Result<T, String>,
) -> Vec<T> {
    items
        .into_iter()
        .filter_map(|raw| match read(raw) {
            Ok(item) => Some(item),
            Err(why) => {
                tracing::warn!(reason = %why, "an item of HQ's lists could not be read; left out");
                None
            }
        })
        .collect()
}

#[derive(Debug, Deserialize)]
struct Envelope<T> {
    #[serde(default)]
    message: String,
    data: Option<T>,
}

#[derive(Debug, Deserialize)]
struct WhoamiData {
    branch: BranchData,
}

#[derive(Debug, Deserialize)]
struct BranchData {
    id: String,
    code: String,
    name: String,
}

#[derive(Debug, Deserialize)]
struct PushData {
    accepted: Vec<String>,
    duplicates: Vec<String>,
    rejected: Vec<RejectedData>,
    #[serde(default)]
    epoch: Option<String>,
}

/// HQ's epoch as sent; an HQ too old to send one, or a garbled one, is no epoch at all.
fn epoch(raw: Option<&str>) -> Option<HqEpoch> {
    raw.and_then(|e| HqEpoch::parse("epoch", e).ok())
}

#[derive(Debug, Deserialize)]
struct RejectedData {
    id: String,
    code: String,
    reason: String,
}

fn url(credentials: &SyncCredentials, path: &str) -> String {
    format!(
        "{}/api/v1{path}",
        credentials.cloud_url.trim_end_matches('/')
    )
}

/// Sorts a transport failure or a non-200 answer into what the worker should do.
async fn failure(
    response: Result<reqwest::Response, reqwest::Error>,
) -> Result<reqwest::Response, GatewayError> {
    let response = response.map_err(|e| {
        let kind = if e.is_timeout() {
            "timed out"
        } else if e.is_connect() {
            "connection failed"
        } else {
            "request failed"
        };
        GatewayError::Unreachable(format!("{kind}: {e}"))
    })?;
    let status = response.status();
    if status == StatusCode::OK {
        return Ok(response);
    }
    let message = response
        .json::<Envelope<serde_json::Value>>()
        .await
        .map(|e| e.message)
        .unwrap_or_default();
    let said = if message.is_empty() {
        status.to_string()
    } else {
        format!("{status}: {message}")
    };
    Err(match status {
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => GatewayError::Unauthorized(said),
        StatusCode::PAYLOAD_TOO_LARGE => GatewayError::TooLarge(said),
        StatusCode::TOO_MANY_REQUESTS | StatusCode::REQUEST_TIMEOUT => {
            GatewayError::Unreachable(said)
        }
        s if s.is_server_error() => GatewayError::Unreachable(said),
        _ => GatewayError::Protocol(said),
    })
}

async fn data<T: for<'de> Deserialize<'de>>(
    response: reqwest::Response,
) -> Result<T, GatewayError> {
    let envelope: Envelope<T> = response
        .json()
        .await
        .map_err(|e| GatewayError::Protocol(format!("the answer is not what HQ sends: {e}")))?;
    envelope
        .data
        .ok_or_else(|| GatewayError::Protocol("the answer has no data".into()))
}

fn parse_id(raw: &str) -> Option<TransactionId> {
    TransactionId::parse("id", raw).ok()
}

#[async_trait]
impl SyncGateway for HttpGateway {
    async fn whoami(&self, credentials: &SyncCredentials) -> Result<BranchIdentity, GatewayError> {
        let response = self
            .client
            .get(url(credentials, "/sync/whoami"))
            .bearer_auth(&credentials.api_key)
            .send()
            .await;
        let who: WhoamiData = data(failure(response).await?).await?;
        let id = BranchId::parse("id", &who.branch.id)
            .map_err(|e| GatewayError::Protocol(e.to_string()))?;
        Ok(BranchIdentity {
            id,
            code: who.branch.code,
            name: who.branch.name,
        })
    }

    async fn push(
        &self,
        credentials: &SyncCredentials,
        rows: &[Transaction],
    ) -> Result<PushReply, GatewayError> {
        let body: Vec<PushRow<'_>> = rows.iter().map(PushRow::from).collect();
        let bytes = serde_json::to_vec(&body).map_err(|e| GatewayError::Protocol(e.to_string()))?;
        if bytes.len() > MAX_PUSH_BYTES {
            return Err(GatewayError::TooLarge(format!(
                "{} bytes is over the {MAX_PUSH_BYTES}-byte cap",
                bytes.len()
            )));
        }
        let response = self
            .client
            .post(url(credentials, "/sync/push"))
            .bearer_auth(&credentials.api_key)
            .header(DEVICE_HEADER, &self.device)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(bytes)
            .send()
            .await;
        let answer: PushData = data(failure(response).await?).await?;
        Ok(PushReply {
            accepted: answer.accepted.iter().filter_map(|i| parse_id(i)).collect(),
            duplicates: answer
                .duplicates
                .iter()
                .filter_map(|i| parse_id(i))
                .collect(),
            rejected: answer
                .rejected
                .iter()
                .filter_map(|r| parse_id(&r.id).map(|id| (id, Refusal::new(&r.code, &r.reason))))
                .collect(),
            epoch: epoch(answer.epoch.as_deref()),
        })
    }

    async fn push_shifts(
        &self,
        credentials: &SyncCredentials,
        shifts: &[ShiftView],
    ) -> Result<ShiftPushReply, GatewayError> {
        let body: Vec<ShiftRow<'_>> = shifts.iter().map(ShiftRow::from).collect();
        let response = self
            .client
            .post(url(credentials, "/sync/shifts"))
            .bearer_auth(&credentials.api_key)
            .header(DEVICE_HEADER, &self.device)
            .json(&body)
            .send()
            .await;
        let answer: ShiftPushData = data(failure(response).await?).await?;
        let shift_id = |raw: &str| kh_domain::ShiftId::parse("id", raw).ok();
        Ok(ShiftPushReply {
            held: answer
                .accepted
                .iter()
                .chain(&answer.duplicates)
                .filter_map(|i| shift_id(i))
                .collect(),
            rejected: answer
                .rejected
                .iter()
                .filter_map(|r| shift_id(&r.id).map(|id| (id, Refusal::new(&r.code, &r.reason))))
                .collect(),
        })
    }

    async fn pull(
        &self,
        credentials: &SyncCredentials,
        after: i64,
        limit: u32,
        held: u64,
    ) -> Result<PulledPage, GatewayError> {
        let response = self
            .client
            .get(url(
                credentials,
                &format!("/sync/pull?after={after}&limit={limit}"),
            ))
            .bearer_auth(&credentials.api_key)
            .header(DEVICE_HEADER, &self.device)
            .header(HELD_HEADER, held)
            .send()
            .await;
        let feed: FeedData = data(failure(response).await?).await?;
        let items = feed
            .items
            .iter()
            .map(|raw| read_feed_row(raw))
            .collect::<Result<Vec<_>, _>>()?;
        let mut last = after;
        for item in &items {
            if item.seq <= last {
                return Err(GatewayError::Protocol(format!(
                    "HQ's feed went backwards (seq {} after {last})",
                    item.seq
                )));
            }
            last = item.seq;
        }
        if feed.next_after < last || (items.is_empty() && feed.next_after != after) {
            return Err(GatewayError::Protocol(format!(
                "HQ's next_after {} does not follow its rows",
                feed.next_after
            )));
        }
        Ok(PulledPage {
            items,
            next_after: feed.next_after,
            more: feed.more,
            total: feed.total,
            epoch: epoch(feed.epoch.as_deref()),
        })
    }

    async fn lists(
        &self,
        credentials: &SyncCredentials,
        since: i64,
    ) -> Result<Lists, GatewayError> {
        let response = self
            .client
            .get(url(credentials, &format!("/sync/config?since={since}")))
            .bearer_auth(&credentials.api_key)
            .header(DEVICE_HEADER, &self.device)
            .send()
            .await;
        let answer: ListsData = data(failure(response).await?).await?;
        Ok(Lists {
            version: answer.version,
            allow_new_categories: answer.allow_new_categories,
            categories: readable(answer.categories, read_category),
            channels: readable(answer.channels, read_channel),
            staff: readable(answer.staff, read_staff)
                .into_iter()
                .map(|m| StaffMember {
                    version: answer.version,
                    ..m
                })
                .collect(),
            settings: read_settings(answer.settings),
        })
    }
}
