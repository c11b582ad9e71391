use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use kh_domain::BranchId;
use kh_http_common::{Envelope, ErrorBody, JsonBody, Success};

use crate::dto::{BranchDto, BranchListItemDto, BranchWithKeyDto, CreateBranch};
use crate::staff_auth::Principal;
use crate::{ApiError, CloudState};

/// Notes a change to a branch in the audit log.
async fn audit(
    state: &CloudState,
    principal: &Principal,
    action: &str,
    branch: &kh_domain::Branch,
) {
    state
        .auth
        .record(&principal.actor(), action, branch.code.as_str())
        .await;
}

/// A branch id from the path; anything that is not a UUID is a 400 naming `id`.
#[derive(Debug)]
pub(crate) struct BranchIdParam(pub BranchId);

impl<S: Send + Sync> FromRequestParts<S> for BranchIdParam {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::invalid("id", "must be a branch id (a UUID)"))?;
        BranchId::parse("id", &raw)
            .map(BranchIdParam)
            .map_err(|e| ApiError::invalid(e.field, e.issue))
    }
}

/// `GET /branches`.
#[utoipa::path(get, path = "/branches", tag = "branches", operation_id = "list_branches",
    responses(
        (status = 200, description = "Every branch, with its devices", body = Envelope<Vec<BranchListItemDto>>),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn list(
    State(state): State<CloudState>,
) -> Result<Success<Vec<BranchListItemDto>>, ApiError> {
    let branches = state.branches.list_with_devices().await?;
    Ok(Success::ok(
        "OK",
        branches
            .iter()
            .map(|(b, devices)| BranchListItemDto::new(b, devices))
            .collect(),
    ))
}

/// `POST /branches`: 201 with the branch and its key, shown this once.
#[utoipa::path(post, path = "/branches", tag = "branches",
    request_body = CreateBranch,
    responses(
        (status = 201, description = "The branch with its key, shown this once", body = Envelope<BranchWithKeyDto>),
        (status = 409, description = "`conflict`: the code is taken", body = ErrorBody),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn create(
    State(state): State<CloudState>,
    principal: Principal,
    JsonBody(body): JsonBody<CreateBranch>,
) -> Result<Success<BranchWithKeyDto>, ApiError> {
    let (branch, key) = state.branches.create(&body.code, &body.name).await?;
    audit(&state, &principal, "branch.create", &branch).await;
    tracing::info!(branch.id = %branch.id, branch.code = branch.code.as_str(), "branch created");
    Ok(Success::created(
        "Branch created; copy its key now, it will not be shown again",
        BranchWithKeyDto::new(&branch, &key),
    ))
}

/// `POST /branches/{id}/rotate-key`: the old key stops working at once.
#[utoipa::path(post, path = "/branches/{id}/rotate-key", tag = "branches",
    params(("id" = String, Path, description = "The branch's id", format = Uuid)),
    responses(
        (status = 200, description = "The branch with its new key, shown this once", body = Envelope<BranchWithKeyDto>),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn rotate_key(
    State(state): State<CloudState>,
    principal: Principal,
    BranchIdParam(id): BranchIdParam,
) -> Result<Success<BranchWithKeyDto>, ApiError> {
    let (branch, key) = state.branches.rotate_key(id).await?;
    audit(&state, &principal, "branch.rotate_key", &branch).await;
    tracing::info!(branch.id = %branch.id, branch.code = branch.code.as_str(), "branch key rotated");
    Ok(Success::ok(
        "New key issued; the old one no longer works. Copy it now, it will not be shown again",
        BranchWithKeyDto::new(&branch, &key),
    ))
}

/// `POST /branches/{id}/disable`.
#[utoipa::path(post, path = "/branches/{id}/disable", tag = "branches",
    params(("id" = String, Path, description = "The branch's id", format = Uuid)),
    responses(
        (status = 200, description = "The branch; its key now gets 403", body = Envelope<BranchDto>),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn disable(
    State(state): State<CloudState>,
    principal: Principal,
    BranchIdParam(id): BranchIdParam,
) -> Result<Success<BranchDto>, ApiError> {
    let branch = state.branches.disable(id).await?;
    audit(&state, &principal, "branch.disable", &branch).await;
    tracing::info!(branch.id = %branch.id, branch.code = branch.code.as_str(), "branch disabled");
    Ok(Success::ok(
        "Branch disabled; its key can no longer push",
        BranchDto::from(&branch),
    ))
}

/// `POST /branches/{id}/enable`.
#[utoipa::path(post, path = "/branches/{id}/enable", tag = "branches",
    params(("id" = String, Path, description = "The branch's id", format = Uuid)),
    responses(
        (status = 200, description = "The branch; its current key works again", body = Envelope<BranchDto>),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn enable(
    State(state): State<CloudState>,
    principal: Principal,
    BranchIdParam(id): BranchIdParam,
) -> Result<Success<BranchDto>, ApiError> {
    let branch = state.branches.enable(id).await?;
    audit(&state, &principal, "branch.enable", &branch).await;
    tracing::info!(branch.id = %branch.id, branch.code = branch.code.as_str(), "branch enabled");
    Ok(Success::ok(
        "Branch enabled; its current key can push again (activate the branch PC again to resume at once)",
        BranchDto::from(&branch),
    ))
}
