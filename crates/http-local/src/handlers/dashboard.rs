use axum::extract::State;

use crate::dto::{
    CategoryQuery, CategoryTotalDto, ChannelRangeQuery, ChannelTotalDto, ListsDto, RangeParams,
    RangeQuery, SuggestionDto, SummaryDto,
};
use crate::{ApiError, AppState};
use kh_http_common::{DailyDto, Envelope, ErrorBody, QueryParams, Success};

/// `GET /dashboard/summary`.
#[utoipa::path(get, path = "/dashboard/summary", tag = "dashboard",
    params(ChannelRangeQuery),
    responses(
        (status = 200, description = "Totals of the range by type; voided entries and their voids are left out and counted apart (`voided_count`, `voided_total`)", body = Envelope<SummaryDto>),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn summary(
    State(state): State<AppState>,
    QueryParams(params): QueryParams<RangeParams>,
) -> Result<Success<SummaryDto>, ApiError> {
    params.refuse_type()?;
    let totals = state
        .ledger
        .summary(params.range()?, params.channel()?)
        .await?;
    Ok(Success::ok("OK", SummaryDto::try_from(totals)?))
}

/// `GET /dashboard/daily`.
#[utoipa::path(get, path = "/dashboard/daily", tag = "dashboard",
    params(ChannelRangeQuery),
    responses(
        (status = 200, description = "One row per business date with its closing balance", body = Envelope<Vec<DailyDto>>),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn daily(
    State(state): State<AppState>,
    QueryParams(params): QueryParams<RangeParams>,
) -> Result<Success<Vec<DailyDto>>, ApiError> {
    params.refuse_type()?;
    let rows = state
        .ledger
        .daily(params.range()?, params.channel()?)
        .await?;
    Ok(Success::ok("OK", rows.iter().map(DailyDto::from).collect()))
}

/// `GET /dashboard/categories`.
#[utoipa::path(get, path = "/dashboard/categories", tag = "dashboard",
    params(CategoryQuery),
    responses(
        (status = 200, description = "Totals per category and type, largest first", body = Envelope<Vec<CategoryTotalDto>>),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn categories(
    State(state): State<AppState>,
    QueryParams(params): QueryParams<RangeParams>,
) -> Result<Success<Vec<CategoryTotalDto>>, ApiError> {
    params.refuse_channel()?;
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
#[utoipa::path(get, path = "/categories", tag = "dashboard",
    responses(
        (status = 200, description = "Categories used so far plus the defaults", body = Envelope<Vec<SuggestionDto>>),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn suggestions(
    State(state): State<AppState>,
) -> Result<Success<Vec<SuggestionDto>>, ApiError> {
    let rows = state.ledger.category_suggestions().await?;
    Ok(Success::ok(
        "OK",
        rows.iter().map(SuggestionDto::from).collect(),
    ))
}

/// `GET /dashboard/channels`.
#[utoipa::path(get, path = "/dashboard/channels", tag = "dashboard",
    params(RangeQuery),
    responses(
        (status = 200, description = "Totals per payment channel with entries in the range, cash first; voided entries left out as in the summary", body = Envelope<Vec<ChannelTotalDto>>),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn channels(
    State(state): State<AppState>,
    QueryParams(params): QueryParams<RangeParams>,
) -> Result<Success<Vec<ChannelTotalDto>>, ApiError> {
    params.refuse_type()?;
    params.refuse_channel()?;
    let rows = state.ledger.channels(params.range()?).await?;
    Ok(Success::ok(
        "OK",
        rows.iter().map(ChannelTotalDto::from).collect(),
    ))
}

/// `GET /lists`.
#[utoipa::path(get, path = "/lists", tag = "dashboard",
    responses(
        (status = 200, description = "HQ's categories and payment channels as this PC last received them (the defaults before it ever did); kept while offline", body = Envelope<ListsDto>),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn lists(State(state): State<AppState>) -> Result<Success<ListsDto>, ApiError> {
    let lists = state.ledger.lists().await?;
    Ok(Success::ok("OK", ListsDto::from(&lists)))
}
