//! HQ's lists: `GET /sync/config` for branches, and the admin's endpoints that manage them.

use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use kh_http_common::{Envelope, ErrorBody, JsonBody, QueryParams, Success};

use crate::auth::AuthedBranch;
use crate::dto::{
    CategoryDto, ChannelDto, ConfigDto, ConfigParams, ConfigQuery, CreateCategory, CreateChannel,
    ListSettings, ListsDto, ListsVersionDto, UpdateCategory, UpdateChannel,
};
use crate::staff_auth::Principal;
use crate::{ApiError, CloudState};

/// An item id from the path, as sent; the service names a malformed one.
#[derive(Debug)]
pub(crate) struct ItemIdParam(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ItemIdParam {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::invalid("id", "must be an item id (a UUID)"))?;
        Ok(Self(raw))
    }
}

/// `GET /sync/config`: what changed in HQ's lists after `since` (DESIGN 9).
#[utoipa::path(get, path = "/sync/config", tag = "sync", params(ConfigQuery),
    responses(
        (status = 200, description = "Items changed after `since`, with the current version, and the key's branch's staff changed after it", body = Envelope<ConfigDto>),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn config(
    State(state): State<CloudState>,
    AuthedBranch(branch): AuthedBranch,
    QueryParams(params): QueryParams<ConfigParams>,
) -> Result<Success<ConfigDto>, ApiError> {
    let mut lists = state.staff.config_for(branch.id, params.since()?).await?;
    lists.settings = state.branch_settings;
    Ok(Success::ok("OK", ConfigDto::from(&lists)))
}

/// `GET /lists`: HQ's whole lists.
#[utoipa::path(get, path = "/lists", tag = "lists",
    responses(
        (status = 200, description = "Every category and payment channel, active or not", body = Envelope<ListsDto>),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn all(State(state): State<CloudState>) -> Result<Success<ListsDto>, ApiError> {
    let lists = state.lists.since(0).await?;
    Ok(Success::ok("OK", ListsDto::from(&lists)))
}

/// `POST /lists/categories`.
#[utoipa::path(post, path = "/lists/categories", tag = "lists", request_body = CreateCategory,
    responses(
        (status = 201, description = "The new category; branches get it with their next sync", body = Envelope<CategoryDto>),
        (status = 409, description = "`conflict`: the list has this name", body = ErrorBody),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn add_category(
    State(state): State<CloudState>,
    principal: Principal,
    JsonBody(body): JsonBody<CreateCategory>,
) -> Result<Success<CategoryDto>, ApiError> {
    let item = state.lists.add_category(&body.name, &body.usage).await?;
    tracing::info!(category.id = %item.id, "category added");
    let actor = principal.actor();
    state
        .auth
        .record(&actor, "list.category.add", item.name.as_str())
        .await;
    Ok(Success::created("Category added", CategoryDto::from(&item)))
}

/// `PATCH /lists/categories/{id}`: rename, re-type, deactivate or reactivate.
#[utoipa::path(patch, path = "/lists/categories/{id}", tag = "lists", request_body = UpdateCategory,
    params(("id" = String, Path, description = "The category's id", format = Uuid)),
    responses(
        (status = 200, description = "The category as it is now", body = Envelope<CategoryDto>),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`conflict`: the list has this name", body = ErrorBody),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn change_category(
    State(state): State<CloudState>,
    principal: Principal,
    ItemIdParam(id): ItemIdParam,
    JsonBody(body): JsonBody<UpdateCategory>,
) -> Result<Success<CategoryDto>, ApiError> {
    let item = state.lists.change_category(&id, body.edit()).await?;
    tracing::info!(category.id = %item.id, active = item.active, "category changed");
    let actor = principal.actor();
    state
        .auth
        .record(&actor, "list.category.change", item.name.as_str())
        .await;
    Ok(Success::ok("Category changed", CategoryDto::from(&item)))
}

/// `POST /lists/channels`.
#[utoipa::path(post, path = "/lists/channels", tag = "lists", request_body = CreateChannel,
    responses(
        (status = 201, description = "The new payment channel", body = Envelope<ChannelDto>),
        (status = 409, description = "`conflict`: the list has this name", body = ErrorBody),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn add_channel(
    State(state): State<CloudState>,
    principal: Principal,
    JsonBody(body): JsonBody<CreateChannel>,
) -> Result<Success<ChannelDto>, ApiError> {
    let item = state.lists.add_channel(&body.name, &body.kind).await?;
    tracing::info!(channel.id = %item.id, "payment channel added");
    let actor = principal.actor();
    state
        .auth
        .record(&actor, "list.channel.add", item.name.as_str())
        .await;
    Ok(Success::created(
        "Payment channel added",
        ChannelDto::from(&item),
    ))
}

/// `PATCH /lists/channels/{id}`: rename, deactivate or reactivate.
#[utoipa::path(patch, path = "/lists/channels/{id}", tag = "lists", request_body = UpdateChannel,
    params(("id" = String, Path, description = "The payment channel's id", format = Uuid)),
    responses(
        (status = 200, description = "The payment channel as it is now", body = Envelope<ChannelDto>),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`conflict`: the list has this name", body = ErrorBody),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn change_channel(
    State(state): State<CloudState>,
    principal: Principal,
    ItemIdParam(id): ItemIdParam,
    JsonBody(body): JsonBody<UpdateChannel>,
) -> Result<Success<ChannelDto>, ApiError> {
    let item = state.lists.change_channel(&id, body.edit()).await?;
    tracing::info!(channel.id = %item.id, active = item.active, "payment channel changed");
    let actor = principal.actor();
    state
        .auth
        .record(&actor, "list.channel.change", item.name.as_str())
        .await;
    Ok(Success::ok(
        "Payment channel changed",
        ChannelDto::from(&item),
    ))
}

/// `PUT /lists/settings`: whether branches may take categories outside the list.
#[utoipa::path(put, path = "/lists/settings", tag = "lists", operation_id = "list_settings", request_body = ListSettings,
    responses(
        (status = 200, description = "The setting and the lists' new version", body = Envelope<ListsVersionDto>),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn settings(
    State(state): State<CloudState>,
    principal: Principal,
    JsonBody(body): JsonBody<ListSettings>,
) -> Result<Success<ListsVersionDto>, ApiError> {
    let version = state
        .lists
        .set_allow_new_categories(body.allow_new_categories)
        .await?;
    tracing::info!(allow = body.allow_new_categories, "list settings changed");
    let setting = format!("allow_new_categories={}", body.allow_new_categories);
    state
        .auth
        .record(&principal.actor(), "list.settings", &setting)
        .await;
    Ok(Success::ok(
        "Saved; branches follow with their next sync",
        ListsVersionDto {
            version,
            allow_new_categories: body.allow_new_categories,
        },
    ))
}
