use axum::extract::State;
use kh_http_common::DailyDto;
use kh_http_common::{QueryParams, Success};

use crate::dto::{DailyParams, RangeParams, ReportSummaryDto};
use crate::{ApiError, CloudState};

/// `GET /reports/summary`: every branch's totals and the business's.
pub(crate) async fn summary(
    State(state): State<CloudState>,
    QueryParams(params): QueryParams<RangeParams>,
) -> Result<Success<ReportSummaryDto>, ApiError> {
    let summary = state.reports.summary(params.range()?).await?;
    Ok(Success::ok("OK", ReportSummaryDto::try_from(&summary)?))
}

/// `GET /reports/daily`: per business date, for one branch or all.
pub(crate) async fn daily(
    State(state): State<CloudState>,
    QueryParams(params): QueryParams<DailyParams>,
) -> Result<Success<Vec<DailyDto>>, ApiError> {
    let (branch, range) = params.parse()?;
    let rows = state.reports.daily(branch, range).await?;
    Ok(Success::ok("OK", rows.iter().map(DailyDto::from).collect()))
}
