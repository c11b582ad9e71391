use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::{Extension, Router};
use kh_http_common::openapi::{OpenApiJson, add_common_errors, add_errors};
use kh_http_common::{BodyLimit, ErrorCode, with_common_layers};
use utoipa::openapi::{InfoBuilder, OpenApi, OpenApiBuilder};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::guard::{SecurityPolicy, enforce};
use crate::handlers::{self, dashboard, exports, people, shifts, system, transactions};

/// The largest request body accepted (DESIGN 5.1).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The `/api/v1` routes, each registered with its OpenAPI operation: the router and the
/// document cannot disagree on what exists.
fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(handlers::health))
        .routes(routes!(handlers::openapi))
        .routes(routes!(transactions::create, transactions::list))
        .routes(routes!(transactions::totals))
        .routes(routes!(transactions::export))
        .routes(routes!(transactions::get))
        .routes(routes!(transactions::void))
        .routes(routes!(dashboard::summary))
        .routes(routes!(dashboard::daily))
        .routes(routes!(exports::daily))
        .routes(routes!(dashboard::categories))
        .routes(routes!(exports::categories))
        .routes(routes!(dashboard::suggestions))
        .routes(routes!(dashboard::channels))
        .routes(routes!(dashboard::lists))
        .routes(routes!(system::settings))
        .routes(routes!(system::status))
        .routes(routes!(system::sync))
        .routes(routes!(system::retry_rejected))
        .routes(routes!(system::activate))
        .routes(routes!(people::roster))
        .routes(routes!(people::sign_in, people::current, people::sign_out))
        .routes(routes!(shifts::current_shift))
        .routes(routes!(exports::shifts))
        .routes(routes!(exports::shift_report))
        .routes(routes!(shifts::open_shift, shifts::list_shifts))
        .routes(routes!(shifts::get_shift))
        .routes(routes!(shifts::close_shift))
}

/// The document `GET /api/v1/openapi.json` serves, with the answers of every layer.
pub fn openapi() -> OpenApi {
    let (_, api) = api().split_for_parts();
    document(api)
}

fn document(api: OpenApi) -> OpenApi {
    let mut doc = OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("Haramain Finance branch API (kh-local)")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(format!(
                    "The cash book of one branch PC, on 127.0.0.1. Every answer is the envelope \
                     {{success, message, data}}; errors add {{error: {{code, details}}}} and \
                     have data null. Requests must be addressed to 127.0.0.1, localhost or \
                     [::1] on the server's port and carry no foreign Origin (403 otherwise). \
                     Bodies are JSON objects of at most {} KiB. See docs/api.md.",
                    MAX_BODY_BYTES / 1024
                ))),
        )
        .build()
        .nest("/api/v1", api);
    add_common_errors(&mut doc);
    // The loopback guard (crate::guard) answers any request before its handler.
    add_errors(&mut doc, &[ErrorCode::Forbidden], |_| true);
    doc
}

/// The `/api/v1` router with its protections. `ui`, if given, serves every other path.
pub fn router(state: AppState, policy: SecurityPolicy, ui: Option<Router>) -> Router {
    let (api, doc) = api().split_for_parts();
    let doc = match OpenApiJson::new(&document(doc)) {
        Ok(doc) => doc,
        // The document is made of types only; a failure is a bug every router test finds.
        Err(e) => panic!("the OpenAPI document cannot be written: {e}"),
    };
    let api = api
        .fallback(handlers::not_found)
        .method_not_allowed_fallback(handlers::method_not_allowed)
        .with_state(state);

    let outer = Router::new().nest("/api/v1", api);
    let outer = match ui {
        Some(ui) => outer.merge(ui),
        None => outer.fallback(handlers::not_found),
    };
    let outer = outer
        .layer(Extension(doc))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(Extension(BodyLimit(MAX_BODY_BYTES)))
        .layer(middleware::from_fn_with_state(Arc::new(policy), enforce));
    with_common_layers(outer)
}
