use axum::extract::State;

use crate::dto::{CategoryTotalDto, RangeParams, SuggestionDto, SummaryDto};
use crate::{ApiError, AppState};
use kh_http_common::Success;
use kh_http_common::{DailyDto, QueryParams};

/// `GET /dashboard/summary`.
pub(crate) async fn summary(
    State(state): State<AppState>,
    QueryParams(params): QueryParams<RangeParams>,
) -> Result<Success<SummaryDto>, ApiError> {
    params.refuse_type()?;
    let totals = state.ledger.summary(params.range()?).await?;
    Ok(Success::ok("OK", SummaryDto::try_from(totals)?))
}

/// `GET /dashboard/daily`.
pub(crate) async fn daily(
    State(state): State<AppState>,
    QueryParams(params): QueryParams<RangeParams>,
) -> Result<Success<Vec<DailyDto>>, ApiError> {
    params.refuse_type()?;
    let rows = state.ledger.daily(params.range()?).await?;
    Ok(Success::ok("OK", rows.iter().map(DailyDto::from).collect()))
}

/// `GET /dashboard/categories`.
pub(crate) async fn categories(
    State(state): State<AppState>,
    QueryParams(params): QueryParams<RangeParams>,
) -> Result<Success<Vec<CategoryTotalDto>>, ApiError> {
    let rows = state
        .ledger
        .categories(params.range()?, params.tx_type()?)
        .await?;
    Ok(Success::ok(
        "OK",
        rows.iter().map(CategoryTotalDto::from).collect(),
    ))
}

/// `GET /categories`.
pub(crate) async fn suggestions(
    State(state): State<AppState>,
) -> Result<Success<Vec<SuggestionDto>>, ApiError> {
    let rows = state.ledger.category_suggestions().await?;
    Ok(Success::ok(
        "OK",
        rows.iter().map(SuggestionDto::from).collect(),
    ))
}
