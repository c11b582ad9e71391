use axum::extract::State;
use kh_ports::Recorded;

use crate::dto::{CreateTransaction, SummaryDto, TransactionDto, VoidRequest};
use crate::handlers::people::{AtThePc, approver};
use crate::{ApiError, AppState};
use kh_http_common::{BranchListQuery, ErrorBody, Success};
use kh_http_common::{Envelope, IdParam, JsonBody, ListParams, ListScope, PageDto, QueryParams};

/// `POST /transactions`: 201 when new, 200 when the same id and content were already stored.
#[utoipa::path(post, path = "/transactions", tag = "transactions",
    request_body = CreateTransaction,
    params(("X-KH-Session" = Option<String>, Header, description = "The lock screen's session; required once the branch has staff")),
    responses(
        (status = 201, description = "Recorded; on disk", body = Envelope<TransactionDto>),
        (status = 401, description = "`unauthorized`: the branch has staff and nobody is signed in, or the approving supervisor's PIN is wrong", body = ErrorBody),
        (status = 403, description = "`approval_required`: a supervisor must approve (send `approval`); `forbidden`: the approver is not a supervisor", body = ErrorBody),
        (status = 200, description = "The same `id` and content were already recorded; nothing changed", body = Envelope<TransactionDto>),
        (status = 409, description = "`conflict`: the `id` is stored with other content", body = ErrorBody),
        (status = 503, description = "`unavailable`: the database is busy; nothing was saved", body = ErrorBody),
    ))]
pub(crate) async fn create(
    State(state): State<AppState>,
    AtThePc(actor): AtThePc,
    JsonBody(body): JsonBody<CreateTransaction>,
) -> Result<Success<TransactionDto>, ApiError> {
    let approver = approver(&state, body.approval.as_ref()).await?;
    match state
        .ledger
        .record(&body.as_input(), actor.member(), approver.as_ref())
        .await?
    {
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
#[utoipa::path(get, path = "/transactions", tag = "transactions",
    params(BranchListQuery),
    responses(
        (status = 200, description = "One page, newest `occurred_at` first", body = Envelope<PageDto<TransactionDto>>),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
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

/// `GET /transactions/totals`: what the list with the same filters adds up to, over all pages.
#[utoipa::path(get, path = "/transactions/totals", tag = "transactions",
    params(BranchListQuery),
    responses(
        (status = 200, description = "In, out and net (`balance`) of every entry the same filters list, on all pages (`page` and `limit` are ignored); voided entries and their voids are left out and counted apart (`voided_count`, `voided_total`)", body = Envelope<SummaryDto>),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn totals(
    State(state): State<AppState>,
    QueryParams(params): QueryParams<ListParams>,
) -> Result<Success<SummaryDto>, ApiError> {
    let query = params.into_query(ListScope::Branch)?;
    let totals = state.ledger.list_totals(&query).await?;
    Ok(Success::ok("OK", SummaryDto::try_from(totals)?))
}

/// `GET /transactions/{id}`.
#[utoipa::path(get, path = "/transactions/{id}", tag = "transactions",
    params(("id" = String, Path, description = "The transaction's id", format = Uuid)),
    responses(
        (status = 200, description = "The transaction, with `voided_by`", body = Envelope<TransactionDto>),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn get(
    State(state): State<AppState>,
    IdParam(id): IdParam,
) -> Result<Success<TransactionDto>, ApiError> {
    let tx = state.ledger.get(id).await?;
    Ok(Success::ok("OK", TransactionDto::from(&tx)))
}

/// `POST /transactions/{id}/void`.
#[utoipa::path(post, path = "/transactions/{id}/void", tag = "transactions",
    params(("id" = String, Path, description = "The id of the entry to void", format = Uuid),
        ("X-KH-Session" = Option<String>, Header, description = "The lock screen's session; required once the branch has staff")),
    request_body = VoidRequest,
    responses(
        (status = 201, description = "The void entry (opposite type, same amount and category)", body = Envelope<TransactionDto>),
        (status = 401, description = "`unauthorized`: the branch has staff and nobody is signed in, or the approving supervisor's PIN is wrong", body = ErrorBody),
        (status = 403, description = "`approval_required`: a supervisor must approve (send `approval`); `forbidden`: the approver is not a supervisor", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`already_voided`, or `conflict` for a void of a void", body = ErrorBody),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn void(
    State(state): State<AppState>,
    AtThePc(actor): AtThePc,
    IdParam(id): IdParam,
    JsonBody(body): JsonBody<VoidRequest>,
) -> Result<Success<TransactionDto>, ApiError> {
    let approver = approver(&state, body.approval.as_ref()).await?;
    let void = state
        .ledger
        .void(id, &body.reason, actor.member(), approver.as_ref())
        .await?;
    tracing::info!(transaction.id = %id, void.id = %void.id, "transaction voided");
    state.on_recorded.trigger();
    Ok(Success::created(
        "Transaction voided",
        TransactionDto::from(&void),
    ))
}

/// `GET /transactions/export`: every entry the history's filters match, as a CSV file or an
/// Excel workbook that streams from the book a page at a time (memory stays flat however many
/// rows).
#[utoipa::path(get, path = "/transactions/export", tag = "transactions", operation_id = "export_transactions",
    params(kh_http_common::BranchExportQuery),
    responses(
        (status = 200, description = "The file (`text/csv`, UTF-8 with a byte-order mark; or an XLSX workbook), named for what it holds", content((String = "text/csv"), (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn export(
    State(state): State<AppState>,
    QueryParams(params): QueryParams<ListParams>,
) -> Result<axum::response::Response, ApiError> {
    use kh_http_common::export::{
        EXPORT_PAGE, EntryPages, EntryRows, Sheet, SheetName, file_name, spawn_file,
    };

    let (query, options) = params.into_export(ListScope::Branch)?;
    // A workbook holds at most so many rows: more is refused now, with the count.
    let max_rows = (options.format == kh_http_common::export::ExportFormat::Xlsx)
        .then_some(u64::from(kh_http_common::export::MAX_XLSX_ROWS));
    state.ledger.check_export(&query, max_rows).await?;
    // The first page is read before the answer starts: a database that cannot answer is a
    // 503 envelope, not a cut file.
    let first = state.ledger.export_page(&query, None, EXPORT_PAGE).await?;
    let branch = state.system.branch_code().await?;
    let name = file_name(
        "riwayat",
        branch.as_deref(),
        &query.range,
        options.format.extension(),
    );
    let rows = EntryRows::branch(state.calendar, options.language);
    let columns = rows.columns();
    let ledger = state.ledger.clone();
    let pages = EntryPages::new(first, rows, move |after| {
        let (ledger, query) = (ledger.clone(), query.clone());
        Box::pin(async move {
            ledger
                .export_page(&query, after, EXPORT_PAGE)
                .await
                .map_err(|e| e.to_string())
        })
    });
    let sheet = Sheet {
        name: SheetName {
            id: "Riwayat".into(),
            en: "History".into(),
        },
        columns,
        pages: Box::new(pages),
        total_rows: 0,
    };
    spawn_file(options, vec![sheet], &name, "history")
}
