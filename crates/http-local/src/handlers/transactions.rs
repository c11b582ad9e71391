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

/// Where an export's bytes go.
type Sink = tokio::sync::mpsc::Sender<Result<Vec<u8>, std::io::Error>>;

/// Writes the CSV a page at a time after `first`, as the book is read.
async fn csv_export(
    ledger: std::sync::Arc<kh_ports::services::LedgerService>,
    query: kh_ports::ListQuery,
    first: Vec<kh_domain::Transaction>,
    csv: kh_http_common::export::EntryCsv,
    tx: Sink,
) {
    use kh_ports::ListCursor;
    let mut chunk = csv.header();
    chunk.extend(csv.rows(&first));
    let mut rows = u64::try_from(first.len()).unwrap_or(u64::MAX);
    let mut cursor = first.last().map(ListCursor::after);
    if tx.send(Ok(chunk)).await.is_err() {
        return;
    }
    while let Some(after) = cursor {
        match ledger
            .export_page(&query, Some(after), kh_http_common::export::EXPORT_PAGE)
            .await
        {
            Ok(page) if page.is_empty() => break,
            Ok(page) => {
                cursor = page.last().map(ListCursor::after);
                rows += u64::try_from(page.len()).unwrap_or(u64::MAX);
                if tx.send(Ok(csv.rows(&page))).await.is_err() {
                    // The client went away.
                    return;
                }
            }
            Err(e) => {
                tracing::error!(error = %e, rows, "export stopped by a database error");
                // Ends the body with an error: the client sees a broken download, never a
                // file that looks complete.
                let _ = tx.send(Err(std::io::Error::other(e.to_string()))).await;
                return;
            }
        }
    }
    tracing::info!(rows, "history exported as CSV");
}

/// Writes the workbook (its rows go to a temporary file as they come), then sends the file.
/// Runs on a blocking thread: the workbook is built by synchronous code.
fn xlsx_export(
    handle: &tokio::runtime::Handle,
    ledger: &kh_ports::services::LedgerService,
    query: &kh_ports::ListQuery,
    first: Vec<kh_domain::Transaction>,
    calendar: kh_domain::BusinessCalendar,
    language: kh_http_common::export::Language,
    tx: &Sink,
) {
    use std::io::{Read, Seek};

    use kh_http_common::export::{EXPORT_PAGE, EntryXlsx};
    use kh_ports::ListCursor;

    let written = (|| -> Result<u64, String> {
        let mut book = EntryXlsx::new(calendar, language).map_err(|e| e.to_string())?;
        book.rows(&first).map_err(|e| e.to_string())?;
        let mut rows = u64::try_from(first.len()).unwrap_or(u64::MAX);
        let mut cursor = first.last().map(ListCursor::after);
        while let Some(after) = cursor {
            let page = handle
                .block_on(ledger.export_page(query, Some(after), EXPORT_PAGE))
                .map_err(|e| e.to_string())?;
            if page.is_empty() {
                break;
            }
            cursor = page.last().map(ListCursor::after);
            rows += u64::try_from(page.len()).unwrap_or(u64::MAX);
            book.rows(&page).map_err(|e| e.to_string())?;
        }
        let mut file = tempfile::tempfile().map_err(|e| e.to_string())?;
        book.finish(&mut file).map_err(|e| e.to_string())?;
        file.rewind().map_err(|e| e.to_string())?;
        let mut buf = vec![0_u8; 64 * 1024];
        loop {
            let n = file.read(&mut buf).map_err(|e| e.to_string())?;
            if n == 0 {
                return Ok(rows);
            }
            if tx.blocking_send(Ok(buf[..n].to_vec())).is_err() {
                // The client went away.
                return Ok(rows);
            }
        }
    })();
    match written {
        Ok(rows) => tracing::info!(rows, "history exported as XLSX"),
        Err(why) => {
            tracing::error!(why, "XLSX export stopped");
            let _ = tx.blocking_send(Err(std::io::Error::other(why)));
        }
    }
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
    use axum::http::header;
    use kh_http_common::export::{EXPORT_PAGE, EntryCsv, ExportFormat, file_name, streamed};

    let (query, options) = params.into_export(ListScope::Branch)?;
    state.ledger.check_export(&query)?;
    // The first page is read before the answer starts: a database that cannot answer is a
    // 503 envelope, not a cut file.
    let first = state.ledger.export_page(&query, None, EXPORT_PAGE).await?;
    let branch = state.system.branch_code().await?;
    let format = options.format;
    let name = file_name(
        "riwayat",
        branch.as_deref(),
        &query.range,
        format.extension(),
    );
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    let ledger = state.ledger.clone();
    match format {
        ExportFormat::Csv => {
            let csv = EntryCsv::new(state.calendar, options);
            tokio::spawn(csv_export(ledger, query, first, csv, tx));
        }
        ExportFormat::Xlsx => {
            let handle = tokio::runtime::Handle::current();
            let (calendar, language) = (state.calendar, options.language);
            tokio::task::spawn_blocking(move || {
                xlsx_export(&handle, &ledger, &query, first, calendar, language, &tx);
            });
        }
    }
    let body = streamed(rx);
    axum::response::Response::builder()
        .header(header::CONTENT_TYPE, format.content_type())
        .header(
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        )
        .header(header::CACHE_CONTROL, "no-store")
        .body(body)
        .map_err(|e| ApiError::new(kh_http_common::ErrorCode::Internal, e.to_string()))
}
