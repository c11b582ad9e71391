//! Cash shifts (DESIGN 11, *tutup kasir*): open with a float, the shift so far, close with the
//! drawer's count, and the shift reports. Opening and closing need the lock screen's session
//! once the branch has staff, like entries.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use kh_domain::ValidationErrors;
use kh_http_common::{
    Envelope, ErrorBody, JsonBody, MAX_LIMIT, MAX_PAGE, PageDto, QueryParams, Success, number,
    openapi, query_param, rfc3339, whole_number,
};
use kh_ports::services::ShiftView;
use serde::{Deserialize, Serialize};
use utoipa::openapi::path::{Parameter, ParameterIn};
use utoipa::{IntoParams, ToSchema};

use crate::dto::Approval;
use crate::handlers::people::{AtThePc, approver};
use crate::{ApiError, AppState};

/// `POST /shifts`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct OpenShift {
    /// The cash put in the drawer, in rupiah (0 or more); `suggested_float` of
    /// `GET /shifts/current` is the last close's count.
    #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
    opening_float: i64,
    /// Why the float differs from the suggestion, if it does.
    #[serde(default)]
    #[schema(required = false, nullable, max_length = 200)]
    note: Option<String>,
}

/// `POST /shifts/{id}/close`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CloseShift {
    /// Pieces counted per denomination: `note_100000`, `note_50000`, `note_20000`,
    /// `note_10000`, `note_5000`, `note_2000`, `note_1000`, `coin_1000`, `coin_500`,
    /// `coin_200`, `coin_100` (0..=100000 each; one left out is 0).
    counts: BTreeMap<String, i64>,
    /// Why the count differs from the book: required when it does.
    #[serde(default)]
    #[schema(required = false, nullable, max_length = 200)]
    note: Option<String>,
    /// A supervisor's approval, for a cashier's difference over the branch's threshold.
    #[serde(default)]
    #[schema(required = false, nullable)]
    approval: Option<Approval>,
}

/// A shift with its figures: the drawer so far while open, the count and *selisih* once closed.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ShiftDto {
    #[schema(schema_with = openapi::uuid)]
    id: String,
    /// `open` or `closed`.
    status: &'static str,
    #[schema(schema_with = openapi::date_time)]
    opened_at: String,
    #[schema(schema_with = openapi::staff_name_or_null)]
    opened_by_name: Option<String>,
    opening_float: i64,
    /// The last close's count when the shift opened (null: the PC's first shift).
    suggested_float: Option<i64>,
    /// Float minus the suggestion (0 when none).
    opening_difference: i64,
    opening_note: Option<String>,
    /// Cash in and out of the shift's entries (cash channels only; voids included); null
    /// while the shift is open under a blind close.
    cash_in: Option<i64>,
    cash_out: Option<i64>,
    /// Entries of the shift, any channel.
    entries: u64,
    /// What the drawer should hold: float + cash in − cash out; null while the shift is open
    /// under a blind close (the cashier counts without knowing it).
    expected: Option<i64>,
    #[schema(schema_with = openapi::date_time_or_null)]
    closed_at: Option<String>,
    #[schema(schema_with = openapi::staff_name_or_null)]
    closed_by_name: Option<String>,
    /// Pieces counted per denomination (null while open).
    counts: Option<BTreeMap<String, i64>>,
    counted: Option<i64>,
    /// *Selisih*: counted − expected (negative: short).
    difference: Option<i64>,
    close_note: Option<String>,
    #[schema(schema_with = openapi::staff_name_or_null)]
    approved_by_name: Option<String>,
}

impl From<&ShiftView> for ShiftDto {
    fn from(v: &ShiftView) -> Self {
        let s = &v.shift;
        let close = s.close.as_ref();
        Self {
            id: s.id.to_string(),
            status: if close.is_some() { "closed" } else { "open" },
            opened_at: rfc3339(s.opened_at),
            opened_by_name: s.opened_by.as_ref().map(|w| w.name.as_str().to_owned()),
            opening_float: s.opening_float,
            suggested_float: s.suggested_float,
            opening_difference: s.opening_difference(),
            opening_note: s.opening_note.as_ref().map(|n| n.as_str().to_owned()),
            cash_in: (!v.blind).then_some(v.cash.cash_in),
            cash_out: (!v.blind).then_some(v.cash.cash_out),
            entries: v.cash.entries,
            expected: (!v.blind).then_some(v.expected),
            closed_at: close.map(|c| rfc3339(c.closed_at)),
            closed_by_name: close
                .and_then(|c| c.closed_by.as_ref())
                .map(|w| w.name.as_str().to_owned()),
            counts: close.map(|c| {
                c.counts
                    .pieces()
                    .map(|(d, n)| (d.key.to_owned(), n))
                    .collect()
            }),
            counted: close.map(|c| c.counted),
            difference: close.map(kh_domain::ShiftClose::difference),
            close_note: close
                .and_then(|c| c.note.as_ref())
                .map(|n| n.as_str().to_owned()),
            approved_by_name: close
                .and_then(|c| c.approved_by.as_ref())
                .map(|w| w.name.as_str().to_owned()),
        }
    }
}

/// `GET /shifts/current`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CurrentShiftDto {
    /// The open shift, or null.
    shift: Option<ShiftDto>,
    /// The float to suggest for the next shift: the last close's count (null: none yet).
    suggested_float: Option<i64>,
}

/// Query of `GET /shifts`, read as text so a bad value is named with its rule.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct ShiftsParams {
    page: Option<String>,
    limit: Option<String>,
}

/// `page` and `limit`, for the document.
pub(crate) struct ShiftsQuery;

impl IntoParams for ShiftsQuery {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![
            query_param("page", "The page, from 1.", whole_number(1, MAX_PAGE)),
            query_param(
                "limit",
                "Shifts per page (default 20).",
                whole_number(1, MAX_LIMIT),
            ),
        ]
    }
}

/// A shift id from the path, as sent; the service names a malformed one.
#[derive(Debug)]
pub(crate) struct ShiftIdParam(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ShiftIdParam {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::invalid("id", "must be a shift id (a UUID)"))?;
        Ok(Self(raw))
    }
}

/// `GET /shifts/current`: the open shift with the drawer so far.
#[utoipa::path(get, path = "/shifts/current", tag = "shifts",
    responses(
        (status = 200, description = "The open shift (or null) and the next float's suggestion", body = Envelope<CurrentShiftDto>),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn current_shift(
    State(state): State<AppState>,
) -> Result<Success<CurrentShiftDto>, ApiError> {
    let shift = state.shifts.current().await?;
    let suggested_float = state.shifts.suggested_float().await?;
    Ok(Success::ok(
        "OK",
        CurrentShiftDto {
            shift: shift.as_ref().map(ShiftDto::from),
            suggested_float,
        },
    ))
}

/// `POST /shifts`: opens a shift on this PC.
#[utoipa::path(post, path = "/shifts", tag = "shifts", request_body = OpenShift,
    params(("X-KH-Session" = Option<String>, Header, description = "The lock screen's session; required once the branch has staff")),
    responses(
        (status = 201, description = "The open shift", body = Envelope<ShiftDto>),
        (status = 401, description = "`unauthorized`: nobody signed in", body = ErrorBody),
        (status = 409, description = "`conflict`: a shift is already open on this PC", body = ErrorBody),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn open_shift(
    State(state): State<AppState>,
    AtThePc(actor): AtThePc,
    JsonBody(body): JsonBody<OpenShift>,
) -> Result<Success<ShiftDto>, ApiError> {
    let view = state
        .shifts
        .open(actor.member(), body.opening_float, body.note.as_deref())
        .await?;
    tracing::info!(shift.id = %view.shift.id, "shift opened");
    Ok(Success::created("Shift opened", ShiftDto::from(&view)))
}

/// `POST /shifts/{id}/close`: the drawer's count against the book; written once.
#[utoipa::path(post, path = "/shifts/{id}/close", tag = "shifts", request_body = CloseShift,
    params(("id" = String, Path, description = "The shift's id", format = Uuid),
        ("X-KH-Session" = Option<String>, Header, description = "The lock screen's session; required once the branch has staff")),
    responses(
        (status = 200, description = "The closed shift with its count and difference", body = Envelope<ShiftDto>),
        (status = 401, description = "`unauthorized`: nobody signed in", body = ErrorBody),
        (status = 403, description = "`approval_required`: the difference is over the threshold and needs a supervisor", body = ErrorBody),
        (status = 404, description = "`not_found`: no such shift on this PC", body = ErrorBody),
        (status = 409, description = "`conflict`: the shift is already closed", body = ErrorBody),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn close_shift(
    State(state): State<AppState>,
    AtThePc(actor): AtThePc,
    ShiftIdParam(id): ShiftIdParam,
    JsonBody(body): JsonBody<CloseShift>,
) -> Result<Success<ShiftDto>, ApiError> {
    let approver = approver(&state, body.approval.as_ref()).await?;
    let counts: Vec<(String, i64)> = body.counts.into_iter().collect();
    let view = state
        .shifts
        .close(
            &id,
            actor.member(),
            &counts,
            body.note.as_deref(),
            approver.as_ref(),
        )
        .await?;
    tracing::info!(shift.id = %view.shift.id, "shift closed");
    Ok(Success::ok("Shift closed", ShiftDto::from(&view)))
}

/// `GET /shifts`: the PC's shifts, newest first.
#[utoipa::path(get, path = "/shifts", tag = "shifts", params(ShiftsQuery),
    responses(
        (status = 200, description = "A page of shifts with their figures", body = Envelope<PageDto<ShiftDto>>),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn list_shifts(
    State(state): State<AppState>,
    QueryParams(q): QueryParams<ShiftsParams>,
) -> Result<Success<PageDto<ShiftDto>>, ApiError> {
    let mut errors = ValidationErrors::default();
    let page = errors.collect(number("page", q.page.as_deref(), 1, MAX_PAGE));
    let limit = errors.collect(number("limit", q.limit.as_deref(), 20, MAX_LIMIT));
    let (Some(page), Some(limit)) = (page, limit) else {
        return Err(errors.into());
    };
    let shifts = state.shifts.list(page, limit).await?;
    Ok(Success::ok(
        "OK",
        PageDto::map_page(&shifts, |v| ShiftDto::from(v)),
    ))
}

/// `GET /shifts/{id}`: one shift's report.
#[utoipa::path(get, path = "/shifts/{id}", tag = "shifts",
    params(("id" = String, Path, description = "The shift's id", format = Uuid)),
    responses(
        (status = 200, description = "The shift with its figures", body = Envelope<ShiftDto>),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn get_shift(
    State(state): State<AppState>,
    ShiftIdParam(id): ShiftIdParam,
) -> Result<Success<ShiftDto>, ApiError> {
    let view = state.shifts.get(&id).await?;
    Ok(Success::ok("OK", ShiftDto::from(&view)))
}
