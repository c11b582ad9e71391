use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::{Extension, Router};
use kh_http_common::openapi::{OpenApiJson, add_common_errors, operations_mut};
use kh_http_common::{BodyLimit, with_common_layers};
use utoipa::openapi::request_body::RequestBody;
use utoipa::openapi::{InfoBuilder, OpenApi, OpenApiBuilder, RefOr, Schema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::CloudState;
use crate::auth::{self, require_branch};
use crate::dto::push_body;
use crate::handlers::{
    self, auth as sign_in, branches, exports, lists, people, reports, shifts, sync, transactions,
};
use crate::staff_auth::require_staff;

/// The largest request body accepted (a full push; DESIGN 6).
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// The `/api/v1` routes, each registered with its OpenAPI operation (so the router and the
/// document cannot disagree on what exists), with the authentication of each group.
fn api(state: &CloudState) -> OpenApiRouter<CloudState> {
    let mut branch_api = OpenApiRouter::new()
        .routes(routes!(sync::whoami))
        .routes(routes!(sync::push))
        .routes(routes!(sync::pull))
        .routes(routes!(shifts::push_shifts))
        .routes(routes!(lists::config))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            require_branch,
        ));
    auth::document_branch_key(branch_api.get_openapi_mut());
    let mut admin_api = OpenApiRouter::new()
        .routes(routes!(branches::list, branches::create))
        .routes(routes!(branches::rotate_key))
        .routes(routes!(branches::disable))
        .routes(routes!(branches::enable))
        .routes(routes!(transactions::list))
        .routes(routes!(exports::transactions))
        .routes(routes!(reports::summary))
        .routes(routes!(exports::summary))
        .routes(routes!(reports::daily))
        .routes(routes!(exports::daily))
        .routes(routes!(exports::monthly))
        .routes(routes!(shifts::branch_shifts))
        .routes(routes!(exports::branch_shifts))
        .routes(routes!(shifts::shift_attention))
        .routes(routes!(handlers::settings))
        .routes(routes!(lists::all))
        .routes(routes!(lists::add_category))
        .routes(routes!(lists::change_category))
        .routes(routes!(lists::add_channel))
        .routes(routes!(lists::change_channel))
        .routes(routes!(lists::settings))
        .routes(routes!(people::list_staff, people::add_staff))
        .routes(routes!(people::change_staff))
        .routes(routes!(people::reset_staff_pin))
        .routes(routes!(sign_in::list_users, sign_in::create_user))
        .routes(routes!(sign_in::disable_user))
        .routes(routes!(sign_in::enable_user))
        .routes(routes!(sign_in::reset_password))
        .routes(routes!(sign_in::audit))
        .route_layer(middleware::from_fn_with_state(state.clone(), require_staff));
    auth::document_admin_token(admin_api.get_openapi_mut());
    OpenApiRouter::new()
        .routes(routes!(handlers::health))
        .routes(routes!(handlers::openapi))
        .routes(routes!(sign_in::login))
        .routes(routes!(sign_in::me))
        .routes(routes!(sign_in::logout))
        .merge(branch_api)
        .merge(admin_api)
}

/// The document `GET /api/v1/openapi.json` serves for a server with `max_batch` rows per push.
pub fn openapi(state: &CloudState) -> OpenApi {
    let (_, api) = api(state).split_for_parts();
    document(api, state.max_batch)
}

fn document(api: OpenApi, max_batch: usize) -> OpenApi {
    let mut doc = OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("Haramain Finance HQ API (kh-cloud)")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(format!(
                    "HQ: branches push their cash books here; the admin manages branches and \
                     reads reports. Every answer is the envelope {{success, message, data}}; \
                     errors add {{error: {{code, details}}}} and have data null. Bodies are JSON \
                     of at most {} MiB. See docs/api.md.",
                    MAX_BODY_BYTES / (1024 * 1024)
                ))),
        )
        .build()
        .nest("/api/v1", api);
    // Each element of a push is judged on its own: the bodies say any element may come.
    for (path, schema) in [
        ("/api/v1/sync/push", push_body(max_batch)),
        (
            "/api/v1/sync/shifts",
            crate::handlers::shifts::shifts_body(),
        ),
    ] {
        if let Some(item) = doc.paths.paths.get_mut(path) {
            for operation in operations_mut(item) {
                let body = operation
                    .request_body
                    .take()
                    .unwrap_or_else(RequestBody::new);
                operation.request_body = Some(with_schema(body, schema.clone()));
            }
        }
    }
    add_common_errors(&mut doc);
    auth::add_security_schemes(&mut doc);
    doc
}

/// A push body's JSON content with `schema`.
fn with_schema(mut body: RequestBody, schema: RefOr<Schema>) -> RequestBody {
    let content = body.content.entry("application/json".into()).or_default();
    content.schema = Some(schema);
    body.required = Some(utoipa::openapi::Required::True);
    body
}

/// The HQ API under `/api/v1`. Serve it with `into_make_service_with_connect_info::<SocketAddr>`
/// so failed authentications are counted per client address (otherwise all clients share one
/// count).
pub fn router(state: CloudState) -> Router {
    let (api, doc) = api(&state).split_for_parts();
    let doc = match OpenApiJson::new(&document(doc, state.max_batch)) {
        Ok(doc) => doc,
        // The document is made of types only; a failure is a bug every router test finds.
        Err(e) => panic!("the OpenAPI document cannot be written: {e}"),
    };
    let api = api
        .fallback(handlers::not_found)
        .method_not_allowed_fallback(handlers::method_not_allowed)
        .with_state(state);

    let outer = Router::new()
        .nest("/api/v1", api)
        .merge(crate::console::console_router())
        .layer(Extension(doc))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(Extension(BodyLimit(MAX_BODY_BYTES)));
    with_common_layers(outer)
}
