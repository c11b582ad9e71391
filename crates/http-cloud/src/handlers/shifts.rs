//! Cash shifts at HQ (DESIGN 11, 12): the PCs report them (`POST /sync/shifts`), the console
//! shows them per branch and day and what needs a look.

use std::collections::BTreeMap;

use axum::extract::State;
use kh_domain::chrono::{DateTime, Utc};
use kh_domain::{
    CashCount, DateRange, FieldError, Shift, ShiftClose, ShiftId, ShiftNote, StaffRef,
    ValidationErrors, parse_instant,
};
use kh_http_common::{
    Envelope, ErrorBody, JsonBytes, MAX_LIMIT, MAX_PAGE, PageDto, QueryParams, Success, number,
    openapi, query_param, range_params, rfc3339, whole_number,
};
use kh_ports::services::{MAX_SHIFTS_PER_PUSH, OPEN_SHIFT_HOURS, ShiftAttention, ShiftItem};
use kh_ports::{HqShift, ShiftCash, ShiftView};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use utoipa::openapi::path::{Parameter, ParameterIn};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{AuthedBranch, OptionalDevice};
use crate::dto::RejectedDto;
use crate::handlers::branches::BranchIdParam;
use kh_http_common::ErrorCode;

use crate::{ApiError, CloudState};

/// A shift as a PC reports it: as opened, and with its close once closed.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ShiftRow {
    #[schema(schema_with = openapi::uuid)]
    id: String,
    #[schema(schema_with = openapi::date_time)]
    opened_at: String,
    #[schema(schema_with = openapi::uuid_or_null)]
    opened_by: Option<String>,
    #[schema(schema_with = openapi::staff_name_or_null)]
    opened_by_name: Option<String>,
    opening_float: i64,
    suggested_float: Option<i64>,
    opening_note: Option<String>,
    /// Cash in and out of the shift's entries so far (cash channels only).
    cash_in: i64,
    cash_out: i64,
    /// The shift's entries so far, any channel.
    entries: i64,
    close: Option<ShiftCloseRow>,
}

/// A shift's close as reported.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ShiftCloseRow {
    #[schema(schema_with = openapi::date_time)]
    closed_at: String,
    #[schema(schema_with = openapi::uuid_or_null)]
    closed_by: Option<String>,
    #[schema(schema_with = openapi::staff_name_or_null)]
    closed_by_name: Option<String>,
    /// Pieces per denomination (`note_100000` … `coin_100`).
    counts: BTreeMap<String, i64>,
    expected: i64,
    counted: i64,
    note: Option<String>,
    #[schema(schema_with = openapi::uuid_or_null)]
    approved_by: Option<String>,
    #[schema(schema_with = openapi::staff_name_or_null)]
    approved_by_name: Option<String>,
}

fn who(
    id: Option<&str>,
    name: Option<&str>,
    id_field: &'static str,
    name_field: &'static str,
    errors: &mut ValidationErrors,
) -> Option<StaffRef> {
    match StaffRef::from_parts(id, name, id_field, name_field) {
        Ok(who) => who,
        Err(e) => {
            errors.0.extend(e);
            None
        }
    }
}

fn note(
    raw: Option<&str>,
    field: &'static str,
    errors: &mut ValidationErrors,
) -> Option<ShiftNote> {
    raw.and_then(|n| {
        errors.collect(ShiftNote::parse(n).map_err(|mut e| {
            e.field = field;
            e
        }))
    })
}

impl ShiftRow {
    /// The shift in domain terms, or every field that is wrong.
    fn read(&self) -> Result<ShiftView, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let id = errors.collect(ShiftId::parse("id", &self.id));
        let opened_at = errors.collect(parse_instant("opened_at", &self.opened_at));
        let opened_by = who(
            self.opened_by.as_deref(),
            self.opened_by_name.as_deref(),
            "opened_by",
            "opened_by_name",
            &mut errors,
        );
        let opening_note = note(self.opening_note.as_deref(), "opening_note", &mut errors);
        let close = self.close.as_ref().and_then(|c| {
            let closed_at = errors.collect(parse_instant("close.closed_at", &c.closed_at));
            let closed_by = who(
                c.closed_by.as_deref(),
                c.closed_by_name.as_deref(),
                "close.closed_by",
                "close.closed_by_name",
                &mut errors,
            );
            let approved_by = who(
                c.approved_by.as_deref(),
                c.approved_by_name.as_deref(),
                "close.approved_by",
                "close.approved_by_name",
                &mut errors,
            );
            let note = note(c.note.as_deref(), "close.note", &mut errors);
            let counts = match CashCount::parse(c.counts.iter().map(|(k, n)| (k.as_str(), *n))) {
                Ok(counts) => Some(counts),
                Err(e) => {
                    errors.0.extend(e.into_iter().map(|mut f| {
                        f.field = "close.counts";
                        f
                    }));
                    None
                }
            };
            Some(ShiftClose {
                closed_at: closed_at?,
                closed_by,
                counts: counts?,
                expected: c.expected,
                counted: c.counted,
                note,
                approved_by,
            })
        });
        let entries = u64::try_from(self.entries).map_err(|_| {
            FieldError::new("entries", "must be a number of entries from 0").rule(
                kh_domain::Rule::Range {
                    min: 0,
                    max: i64::MAX,
                },
            )
        });
        let entries = errors.collect(entries);
        match (id, opened_at, entries) {
            (Some(id), Some(opened_at), Some(entries))
                if errors.is_empty() && (self.close.is_none() || close.is_some()) =>
            {
                Ok(ShiftView::new(
                    Shift {
                        id,
                        opened_at,
                        opened_by,
                        opening_float: self.opening_float,
                        suggested_float: self.suggested_float,
                        opening_note,
                        close,
                    },
                    ShiftCash {
                        cash_in: self.cash_in,
                        cash_out: self.cash_out,
                        entries,
                    },
                ))
            }
            _ => Err(errors),
        }
    }
}

/// The body of `POST /sync/shifts`: at most [`MAX_SHIFTS_PER_PUSH`] elements, each judged on
/// its own (one that is not a valid [`ShiftRow`] is answered in `rejected`), so an element may
/// be any JSON value.
pub(crate) fn shifts_body() -> utoipa::openapi::RefOr<utoipa::openapi::Schema> {
    use utoipa::openapi::schema::{AnyOfBuilder, ArrayBuilder, ObjectBuilder, SchemaType};
    let row = AnyOfBuilder::new()
        .item(utoipa::openapi::Ref::from_schema_name("ShiftRow"))
        .item(ObjectBuilder::new().schema_type(SchemaType::AnyValue))
        .description(Some(
            "A shift as ShiftRow describes it. Anything else is refused on its own, in \
             `rejected` with code `validation_failed`, and the other shifts still go in.",
        ));
    ArrayBuilder::new()
        .items(row)
        .max_items(Some(MAX_SHIFTS_PER_PUSH))
        .description(Some(format!(
            "At most {MAX_SHIFTS_PER_PUSH} shifts (more is a 413)."
        )))
        .build()
        .into()
}

/// Reads a push of shifts: a JSON array, each element judged on its own.
fn read_shifts(bytes: &[u8]) -> Result<Vec<ShiftItem>, ApiError> {
    let elements: Vec<&RawValue> = serde_json::from_slice(bytes).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => ApiError::invalid(
            "body",
            "must be a JSON array of shifts, e.g. [{\"id\": \"...\", \"opened_at\": \"...\", ...}]",
        ),
        _ => ApiError::new(
            ErrorCode::MalformedJson,
            format!("The request body is not valid JSON ({e}); check quotes, commas and brackets"),
        ),
    })?;
    if elements.len() > MAX_SHIFTS_PER_PUSH {
        return Err(ApiError::new(
            ErrorCode::PayloadTooLarge,
            format!(
                "The push holds {} shifts; send at most {MAX_SHIFTS_PER_PUSH} per request",
                elements.len()
            ),
        ));
    }
    Ok(elements.into_iter().map(read_shift).collect())
}

fn read_shift(raw: &RawValue) -> ShiftItem {
    let id = serde_json::from_str::<serde_json::Value>(raw.get())
        .ok()
        .as_ref()
        .and_then(|v| v.get("id"))
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if !raw.get().starts_with('{') {
        return ShiftItem::Unreadable {
            id,
            reason: "shift: must be a JSON object with the shift's fields".into(),
        };
    }
    let mut de = serde_json::Deserializer::from_str(raw.get());
    let row: ShiftRow = match serde_path_to_error::deserialize(&mut de) {
        Ok(row) => row,
        Err(err) => {
            let path = err.path().to_string();
            return ShiftItem::Unreadable {
                id,
                reason: format!("{path}: {}", err.into_inner()),
            };
        }
    };
    match row.read() {
        Ok(view) => ShiftItem::Shift(Box::new(view)),
        Err(errors) => ShiftItem::Unreadable {
            id,
            reason: errors
                .0
                .iter()
                .map(|e| format!("{}: {}", e.field, e.issue))
                .collect::<Vec<_>>()
                .join("; "),
        },
    }
}

/// The answer to a push of shifts: every id in exactly one list.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ShiftPushResultDto {
    accepted: Vec<String>,
    duplicates: Vec<String>,
    rejected: Vec<RejectedDto>,
}

/// `POST /sync/shifts`: a PC reports its shifts as they stand.
#[utoipa::path(post, path = "/sync/shifts", tag = "sync", operation_id = "push_shifts",
    request_body(content = Vec<ShiftRow>, description = "At most 100 shifts; each is judged on its own"),
    params(("X-KH-Device" = Option<String>, Header, format = Uuid,
        description = "The reporting branch database's id (a version-4 UUID)")),
    responses(
        (status = 200, description = "Every id of the request in exactly one list; the batch is committed", body = Envelope<ShiftPushResultDto>),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn push_shifts(
    State(state): State<CloudState>,
    AuthedBranch(branch): AuthedBranch,
    OptionalDevice(device): OptionalDevice,
    JsonBytes(bytes): JsonBytes,
) -> Result<Success<ShiftPushResultDto>, ApiError> {
    let items = read_shifts(&bytes)?;
    let result = state.shifts.push(branch.id, device, items).await?;
    tracing::info!(
        branch.code = branch.code.as_str(),
        accepted = result.accepted.len(),
        duplicates = result.duplicates.len(),
        rejected = result.rejected.len(),
        "shifts received"
    );
    Ok(Success::ok(
        format!(
            "{} accepted, {} already held, {} rejected",
            result.accepted.len(),
            result.duplicates.len(),
            result.rejected.len()
        ),
        ShiftPushResultDto {
            accepted: result.accepted,
            duplicates: result.duplicates,
            rejected: result.rejected.into_iter().map(RejectedDto::from).collect(),
        },
    ))
}

/// A shift as the console shows it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct HqShiftDto {
    #[schema(schema_with = openapi::uuid)]
    id: String,
    #[schema(schema_with = openapi::uuid)]
    branch_id: String,
    /// The PC that ran it (null: a PC that did not say).
    #[schema(schema_with = openapi::uuid_or_null)]
    device_id: Option<String>,
    /// The business day it opened on.
    #[schema(schema_with = openapi::date)]
    business_date: String,
    /// `open` or `closed`.
    status: &'static str,
    #[schema(schema_with = openapi::date_time)]
    opened_at: String,
    #[schema(schema_with = openapi::uuid_or_null)]
    opened_by: Option<String>,
    #[schema(schema_with = openapi::staff_name_or_null)]
    opened_by_name: Option<String>,
    opening_float: i64,
    suggested_float: Option<i64>,
    opening_difference: i64,
    opening_note: Option<String>,
    /// While open: as of the PC's last report; final once closed.
    cash_in: i64,
    cash_out: i64,
    entries: u64,
    expected: i64,
    #[schema(schema_with = openapi::date_time_or_null)]
    closed_at: Option<String>,
    #[schema(schema_with = openapi::uuid_or_null)]
    closed_by: Option<String>,
    #[schema(schema_with = openapi::staff_name_or_null)]
    closed_by_name: Option<String>,
    /// Pieces counted per denomination (null while open).
    counts: Option<BTreeMap<String, i64>>,
    counted: Option<i64>,
    /// *Selisih*: counted − expected (negative: short).
    difference: Option<i64>,
    close_note: Option<String>,
    #[schema(schema_with = openapi::uuid_or_null)]
    approved_by: Option<String>,
    #[schema(schema_with = openapi::staff_name_or_null)]
    approved_by_name: Option<String>,
    /// When HQ last heard of it.
    #[schema(schema_with = openapi::date_time)]
    received_at: String,
}

fn at(t: DateTime<Utc>) -> String {
    rfc3339(t)
}

impl From<&HqShift> for HqShiftDto {
    fn from(h: &HqShift) -> Self {
        let v = &h.view;
        let s = &v.shift;
        let close = s.close.as_ref();
        let id_of = |w: Option<&StaffRef>| w.map(|w| w.id.to_string());
        let name_of = |w: Option<&StaffRef>| w.map(|w| w.name.as_str().to_owned());
        Self {
            id: s.id.to_string(),
            branch_id: h.branch.to_string(),
            device_id: h.device.map(|d| d.to_string()),
            business_date: h.business_date.to_string(),
            status: if close.is_some() { "closed" } else { "open" },
            opened_at: at(s.opened_at),
            opened_by: id_of(s.opened_by.as_ref()),
            opened_by_name: name_of(s.opened_by.as_ref()),
            opening_float: s.opening_float,
            suggested_float: s.suggested_float,
            opening_difference: s.opening_difference(),
            opening_note: s.opening_note.as_ref().map(|n| n.as_str().to_owned()),
            cash_in: v.cash.cash_in,
            cash_out: v.cash.cash_out,
            entries: v.cash.entries,
            expected: v.expected,
            closed_at: close.map(|c| at(c.closed_at)),
            closed_by: id_of(close.and_then(|c| c.closed_by.as_ref())),
            closed_by_name: name_of(close.and_then(|c| c.closed_by.as_ref())),
            counts: close.map(|c| {
                c.counts
                    .pieces()
                    .map(|(d, n)| (d.key.to_owned(), n))
                    .collect()
            }),
            counted: close.map(|c| c.counted),
            difference: close.map(ShiftClose::difference),
            close_note: close
                .and_then(|c| c.note.as_ref())
                .map(|n| n.as_str().to_owned()),
            approved_by: id_of(close.and_then(|c| c.approved_by.as_ref())),
            approved_by_name: name_of(close.and_then(|c| c.approved_by.as_ref())),
            received_at: at(h.received_at),
        }
    }
}

/// Query of `GET /branches/{id}/shifts`, read as text so a bad value is named with its rule.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct BranchShiftsParams {
    from: Option<String>,
    to: Option<String>,
    page: Option<String>,
    limit: Option<String>,
}

/// `from`, `to`, `page` and `limit`, for the document.
pub(crate) struct BranchShiftsQuery;

impl IntoParams for BranchShiftsQuery {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let mut params = range_params();
        params.push(query_param(
            "page",
            "The page, from 1.",
            whole_number(1, MAX_PAGE),
        ));
        params.push(query_param(
            "limit",
            "Shifts per page (default 50).",
            whole_number(1, MAX_LIMIT),
        ));
        params
    }
}

/// `GET /branches/{id}/shifts`: one branch's shifts by business day, newest first.
#[utoipa::path(get, path = "/branches/{id}/shifts", tag = "reports", operation_id = "branch_shifts",
    params(("id" = String, Path, description = "The branch's id", format = Uuid), BranchShiftsQuery),
    responses(
        (status = 200, description = "A page of the branch's shifts", body = Envelope<PageDto<HqShiftDto>>),
        (status = 404, description = "`not_found`: no such branch", body = ErrorBody),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn branch_shifts(
    State(state): State<CloudState>,
    BranchIdParam(branch): BranchIdParam,
    QueryParams(q): QueryParams<BranchShiftsParams>,
) -> Result<Success<PageDto<HqShiftDto>>, ApiError> {
    let mut errors = ValidationErrors::default();
    let range = match DateRange::parse(q.from.as_deref(), q.to.as_deref()) {
        Ok(r) => Some(r),
        Err(e) => {
            errors.0.extend(e);
            None
        }
    };
    let page = errors.collect(number("page", q.page.as_deref(), 1, MAX_PAGE));
    let limit = errors.collect(number("limit", q.limit.as_deref(), 50, MAX_LIMIT));
    let (Some(range), Some(page), Some(limit)) = (range, page, limit) else {
        return Err(errors.into());
    };
    let shifts = state.shifts.of_branch(branch, range, page, limit).await?;
    Ok(Success::ok(
        "OK",
        PageDto::map_page(&shifts, |s| HqShiftDto::from(s)),
    ))
}

/// What needs a look among the shifts.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ShiftAttentionDto {
    /// The difference beyond which a close counts as large (rupiah).
    threshold: i64,
    /// Hours after which an open shift needs a look.
    open_hours: i64,
    /// Shifts open longer than that, oldest first.
    open_long: Vec<HqShiftDto>,
    /// Closes of the last 7 days with a difference beyond the threshold, newest first.
    large_differences: Vec<HqShiftDto>,
}

impl From<&ShiftAttention> for ShiftAttentionDto {
    fn from(a: &ShiftAttention) -> Self {
        Self {
            threshold: a.threshold,
            open_hours: OPEN_SHIFT_HOURS,
            open_long: a.open_long.iter().map(HqShiftDto::from).collect(),
            large_differences: a.large_differences.iter().map(HqShiftDto::from).collect(),
        }
    }
}

/// `GET /shifts/attention`: shifts open too long, and recent large differences.
#[utoipa::path(get, path = "/shifts/attention", tag = "reports", operation_id = "shift_attention",
    responses(
        (status = 200, description = "Shifts that need a look", body = Envelope<ShiftAttentionDto>),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn shift_attention(
    State(state): State<CloudState>,
) -> Result<Success<ShiftAttentionDto>, ApiError> {
    let attention = state.shifts.attention().await?;
    Ok(Success::ok("OK", ShiftAttentionDto::from(&attention)))
}
