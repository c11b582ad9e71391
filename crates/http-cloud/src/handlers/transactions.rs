use axum::extract::State;
use kh_http_common::{ListParams, ListScope, PageDto, QueryParams, Success};

use crate::dto::TransactionDto;
use crate::{ApiError, CloudState};

/// `GET /transactions`: every branch's entries, newest first.
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
