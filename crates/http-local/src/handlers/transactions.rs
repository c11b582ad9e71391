use axum::extract::State;
use kh_ports::Recorded;

use crate::dto::{CreateTransaction, TransactionDto, VoidRequest};
use crate::{ApiError, AppState};
use kh_http_common::Success;
use kh_http_common::{IdParam, JsonBody, ListParams, ListScope, PageDto, QueryParams};

/// `POST /transactions`: 201 when new, 200 when the same id and content were already stored.
pub(crate) async fn create(
    State(state): State<AppState>,
    JsonBody(body): JsonBody<CreateTransaction>,
) -> Result<Success<TransactionDto>, ApiError> {
    match state.ledger.record(&body.as_input()).await? {
        Recorded::Created(tx) => {
            tracing::info!(transaction.id = %tx.id, "transaction recorded");
            state.on_recorded.trigger();
            Ok(Success::created(
                "Transaction recorded",
                TransactionDto::from(&tx),
            ))
        }
        Recorded::Replayed(tx) => {
            tracing::info!(transaction.id = %tx.id, "transaction replayed");
            Ok(Success::ok(
                "Transaction was already recorded; nothing changed",
                TransactionDto::from(&tx),
            ))
        }
    }
}

/// `GET /transactions`.
pub(crate) async fn list(
    State(state): State<AppState>,
    QueryParams(params): QueryParams<ListParams>,
) -> Result<Success<PageDto<TransactionDto>>, ApiError> {
    let query = params.into_query(ListScope::Branch)?;
    let page = state.ledger.list(&query).await?;
    Ok(Success::ok(
        "OK",
        PageDto::<TransactionDto>::from_page(&page),
    ))
}

/// `GET /transactions/{id}`.
pub(crate) async fn get(
    State(state): State<AppState>,
    IdParam(id): IdParam,
) -> Result<Success<TransactionDto>, ApiError> {
    let tx = state.ledger.get(id).await?;
    Ok(Success::ok("OK", TransactionDto::from(&tx)))
}

/// `POST /transactions/{id}/void`.
pub(crate) async fn void(
    State(state): State<AppState>,
    IdParam(id): IdParam,
    JsonBody(body): JsonBody<VoidRequest>,
) -> Result<Success<TransactionDto>, ApiError> {
    let void = state.ledger.void(id, &body.reason).await?;
    tracing::info!(transaction.id = %id, void.id = %void.id, "transaction voided");
    state.on_recorded.trigger();
    Ok(Success::created(
        "Transaction voided",
        TransactionDto::from(&void),
    ))
}
