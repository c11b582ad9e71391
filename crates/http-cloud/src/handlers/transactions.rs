use axum::extract::State;
use kh_http_common::{
    Envelope, ErrorBody, HqListQuery, ListParams, ListScope, PageDto, QueryParams, Success,
};

use crate::dto::TransactionDto;
use crate::{ApiError, CloudState};

/// `GET /transactions`: every branch's entries, newest first.
#[utoipa::path(get, path = "/transactions", tag = "reports", operation_id = "list_transactions",
    params(HqListQuery),
    responses(
        (status = 200, description = "One page, newest `occurred_at` first", body = Envelope<PageDto<TransactionDto>>),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn list(
    State(state): State<CloudState>,
    QueryParams(params): QueryParams<ListParams>,
) -> Result<Success<PageDto<TransactionDto>>, ApiError> {
    let query = params.into_query(ListScope::Hq)?;
    let page = state.reports.transactions(&query).await?;
    Ok(Success::ok(
        "OK",
        PageDto::<TransactionDto>::from_page(&page),
    ))
}
