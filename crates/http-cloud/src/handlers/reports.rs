use axum::extract::State;
use kh_http_common::{DailyDto, Envelope, ErrorBody, QueryParams, Success};

use crate::dto::{DailyParams, DailyQuery, RangeParams, RangeQuery, ReportSummaryDto};
use crate::{ApiError, CloudState};

/// `GET /reports/summary`: every branch's totals and the business's.
#[utoipa::path(get, path = "/reports/summary", tag = "reports",
    params(RangeQuery),
    responses(
        (status = 200, description = "Totals per branch and of the business", body = Envelope<ReportSummaryDto>),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn summary(
    State(state): State<CloudState>,
    QueryParams(params): QueryParams<RangeParams>,
) -> Result<Success<ReportSummaryDto>, ApiError> {
    let summary = state.reports.summary(params.range()?).await?;
    Ok(Success::ok("OK", ReportSummaryDto::try_from(&summary)?))
}

/// `GET /reports/daily`: per business date, for one branch or all.
#[utoipa::path(get, path = "/reports/daily", tag = "reports",
    params(DailyQuery),
    responses(
        (status = 200, description = "One row per business date with its closing balance", body = Envelope<Vec<DailyDto>>),
        (status = 404, description = "`not_found`: no such branch", body = ErrorBody),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn daily(
    State(state): State<CloudState>,
    QueryParams(params): QueryParams<DailyParams>,
) -> Result<Success<Vec<DailyDto>>, ApiError> {
    let (branch, range) = params.parse()?;
    let rows = state.reports.daily(branch, range).await?;
    Ok(Success::ok("OK", rows.iter().map(DailyDto::from).collect()))
}
