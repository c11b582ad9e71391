use axum::extract::State;
use kh_http_common::{Envelope, ErrorBody, JsonBytes, QueryParams, Success};

use crate::auth::{AuthedBranch, HeldRows, OptionalDevice, RequiredDevice};
use crate::dto::{FeedPageDto, PullParams, PullQuery, PushResultDto, WhoamiDto, read_push};
use crate::{ApiError, CloudState};

/// `GET /sync/whoami`: the branch this key belongs to.
#[utoipa::path(get, path = "/sync/whoami", tag = "sync",
    responses(
        (status = 200, description = "The key's branch", body = Envelope<WhoamiDto>),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn whoami(
    State(state): State<CloudState>,
    AuthedBranch(branch): AuthedBranch,
) -> Result<Success<WhoamiDto>, ApiError> {
    let (branch, epoch) = state.sync.whoami(branch).await?;
    tracing::info!(
        branch.code = branch.code.as_str(),
        "branch identified itself"
    );
    Ok(Success::ok("OK", WhoamiDto::new(&branch, epoch)))
}

/// `POST /sync/push`: stores what it can, and says for every id what happened.
#[utoipa::path(post, path = "/sync/push", tag = "sync",
    // The router puts the batch size in (crate::dto::push_body); PushRow describes one row.
    request_body(content = Vec<crate::dto::PushRow>, description = "The rows; each is judged on its own"),
    params(("X-KH-Device" = Option<String>, Header, format = Uuid,
        description = "The pushing branch database's id (a version-4 UUID), stored with each row")),
    responses(
        (status = 200, description = "Every id of the request in exactly one list; the batch is committed", body = Envelope<PushResultDto>),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn push(
    State(state): State<CloudState>,
    AuthedBranch(branch): AuthedBranch,
    OptionalDevice(device): OptionalDevice,
    JsonBytes(bytes): JsonBytes,
) -> Result<Success<PushResultDto>, ApiError> {
    let items = read_push(&bytes, state.max_batch)?;
    let result = state.sync.push(&branch, device, items).await?;
    let (accepted, duplicates, rejected) = (
        result.accepted.len(),
        result.duplicates.len(),
        result.rejected.len(),
    );
    tracing::info!(
        branch.code = branch.code.as_str(),
        accepted,
        duplicates,
        rejected,
        "push received"
    );
    Ok(Success::ok(
        format!("{accepted} accepted, {duplicates} already stored, {rejected} rejected"),
        PushResultDto::from(result),
    ))
}

/// `GET /sync/pull`: the key's branch's rows after `after`, in feed order (DESIGN 8.1).
#[utoipa::path(get, path = "/sync/pull", tag = "sync",
    params(PullQuery,
        ("X-KH-Device" = String, Header, format = Uuid,
            description = "The pulling branch database's id (a version-4 UUID)"),
        ("X-KH-Quarantined" = Option<i64>, Header, minimum = 0,
            description = "Rows from HQ this book holds apart because it could not take them (shown to HQ staff)")),
    responses(
        (status = 200, description = "Rows after `after`, in `seq` order; none is ever skipped", body = Envelope<FeedPageDto>),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn pull(
    State(state): State<CloudState>,
    AuthedBranch(branch): AuthedBranch,
    RequiredDevice(device): RequiredDevice,
    HeldRows(held): HeldRows,
    QueryParams(params): QueryParams<PullParams>,
) -> Result<Success<FeedPageDto>, ApiError> {
    let (after, limit) = params.read()?;
    let (page, epoch) = state.sync.pull(&branch, device, held, after, limit).await?;
    tracing::debug!(
        branch.code = branch.code.as_str(),
        rows = page.items.len(),
        more = page.more,
        "pull served"
    );
    Ok(Success::ok("OK", FeedPageDto::new(&page, after, epoch)))
}
