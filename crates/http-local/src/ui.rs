//! The cashier web app: `ui/dist` compiled into the binary (read from disk in debug builds
//! unless the `embed-ui` feature is on), served at `/` by [`kh_http_common::web`].

use axum::Router;
use kh_http_common::web::{WebApp, app_router};
use rust_embed::RustEmbed;

/// `ui/dist`. A missing folder is allowed, so the server builds before the UI does.
#[derive(RustEmbed)]
#[folder = "../../ui/dist"]
#[allow_missing = true]
struct Assets;

static CASHIER: WebApp = WebApp {
    page: "index.html",
    hidden: &["console.html"],
    not_built: NOT_BUILT,
};

const NOT_BUILT: &str = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>Haramain Finance</title></head><body>\n\
<h1>Haramain Finance</h1>\n\
<p>The server is running, but the cashier app (the web UI) was not built into it.</p>\n\
<p>Build it with <code>make run</code>, or by hand: <code>cd ui &amp;&amp; npm ci &amp;&amp; \
npm run build</code>, then build and start <code>kh-local</code> again.</p>\n\
<p>The API answers at <a href=\"/api/v1/health\">/api/v1</a>.</p>\n</body></html>\n";

/// Serves the built cashier app; merge it into the API router (`router(.., Some(ui_router()))`).
pub fn ui_router() -> Router {
    app_router::<Assets>(&CASHIER)
}
