//! Branch staff (DESIGN 10.2): HQ users add cashiers and supervisors to a branch, change them
//! and set their PINs; the branch receives them with `GET /sync/config`.

use axum::extract::State;
use kh_domain::{FieldError, Rule, ValidationErrors};
use kh_http_common::openapi;
use kh_http_common::{Envelope, ErrorBody, JsonBody, QueryParams, Success, query_param};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa::openapi::path::{Parameter, ParameterIn};

use crate::dto::{CreateStaff, ResetPin, StaffDto, StaffWithPinDto, UpdateStaff};
use crate::handlers::lists::ItemIdParam;
use crate::staff_auth::Principal;
use crate::{ApiError, CloudState};

/// Query of `GET /staff`.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct StaffParams {
    branch_id: Option<String>,
}

/// `branch_id`, for the document.
pub(crate) struct StaffQuery;

impl IntoParams for StaffQuery {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let mut param = query_param(
            "branch_id",
            "The branch whose staff to list.",
            openapi::uuid(),
        );
        param.required = utoipa::openapi::Required::True;
        vec![param]
    }
}

/// `GET /staff?branch_id=`: a branch's staff, active or not, by name.
#[utoipa::path(get, path = "/staff", tag = "staff", params(StaffQuery),
    responses(
        (status = 200, description = "The branch's staff", body = Envelope<Vec<StaffDto>>),
        (status = 404, description = "`branch_not_found`", body = ErrorBody),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn list_staff(
    State(state): State<CloudState>,
    QueryParams(params): QueryParams<StaffParams>,
) -> Result<Success<Vec<StaffDto>>, ApiError> {
    let Some(branch) = params.branch_id.as_deref() else {
        return Err(ValidationErrors(vec![
            FieldError::new("branch_id", "must name the branch whose staff to list")
                .rule(Rule::Required),
        ])
        .into());
    };
    let (branch, members) = state.staff.of_branch(branch).await?;
    Ok(Success::ok(
        "OK",
        members.iter().map(|m| StaffDto::new(branch, m)).collect(),
    ))
}

/// `POST /staff`: adds a cashier or supervisor to a branch; the PIN is shown this once.
#[utoipa::path(post, path = "/staff", tag = "staff", request_body = CreateStaff,
    responses(
        (status = 201, description = "The member and their PIN; the branch gets them with its next sync", body = Envelope<StaffWithPinDto>),
        (status = 404, description = "`branch_not_found`", body = ErrorBody),
        (status = 409, description = "`conflict`: the branch has a member of this name", body = ErrorBody),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn add_staff(
    State(state): State<CloudState>,
    principal: Principal,
    JsonBody(body): JsonBody<CreateStaff>,
) -> Result<Success<StaffWithPinDto>, ApiError> {
    let (branch, member, pin) = state
        .staff
        .add(&body.branch_id, &body.name, &body.role, body.pin.as_deref())
        .await?;
    tracing::info!(staff.id = %member.id, role = member.role.as_str(), "staff member added");
    state
        .auth
        .record(&principal.actor(), "staff.add", member.name.as_str())
        .await;
    Ok(Success::created(
        "Staff member added",
        StaffWithPinDto::new(branch, &member, &pin),
    ))
}

/// `PATCH /staff/{id}`: rename, change the role, deactivate or reactivate.
#[utoipa::path(patch, path = "/staff/{id}", tag = "staff", request_body = UpdateStaff,
    params(("id" = String, Path, description = "The member's id", format = Uuid)),
    responses(
        (status = 200, description = "The member as they are now", body = Envelope<StaffDto>),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`conflict`: the branch has a member of this name", body = ErrorBody),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn change_staff(
    State(state): State<CloudState>,
    principal: Principal,
    ItemIdParam(id): ItemIdParam,
    JsonBody(body): JsonBody<UpdateStaff>,
) -> Result<Success<StaffDto>, ApiError> {
    let (branch, member) = state.staff.change(&id, body.edit()).await?;
    tracing::info!(staff.id = %member.id, active = member.active, "staff member changed");
    state
        .auth
        .record(&principal.actor(), "staff.change", member.name.as_str())
        .await;
    Ok(Success::ok(
        "Staff member changed",
        StaffDto::new(branch, &member),
    ))
}

/// `POST /staff/{id}/pin`: a new PIN (the one sent, or one HQ makes), shown this once.
#[utoipa::path(post, path = "/staff/{id}/pin", tag = "staff", request_body = ResetPin,
    params(("id" = String, Path, description = "The member's id", format = Uuid)),
    responses(
        (status = 200, description = "The member and the new PIN; the old one stops working at the branch's next sync", body = Envelope<StaffWithPinDto>),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn reset_staff_pin(
    State(state): State<CloudState>,
    principal: Principal,
    ItemIdParam(id): ItemIdParam,
    JsonBody(body): JsonBody<ResetPin>,
) -> Result<Success<StaffWithPinDto>, ApiError> {
    let (branch, member, pin) = state.staff.reset_pin(&id, body.pin.as_deref()).await?;
    tracing::info!(staff.id = %member.id, "staff member's PIN set");
    state
        .auth
        .record(&principal.actor(), "staff.pin", member.name.as_str())
        .await;
    Ok(Success::ok(
        "PIN set",
        StaffWithPinDto::new(branch, &member, &pin),
    ))
}
