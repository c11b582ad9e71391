//! The HQ console (DESIGN 12): `ui/dist/console.html` and its assets compiled into the binary
//! (read from disk in debug builds), served at `/` and the console's own routes by
//! [`kh_http_common::web`].

use axum::Router;
use kh_http_common::web::{WebApp, app_router};
use rust_embed::RustEmbed;

/// `ui/dist`. A missing folder is allowed, so the server builds before the UI does.
#[derive(RustEmbed)]
#[folder = "../../ui/dist"]
#[allow_missing = true]
struct Assets;

const NOT_BUILT: &str = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>Haramain Finance HQ</title></head><body>\n\
<h1>Haramain Finance HQ</h1>\n\
<p>The server is running, but the HQ console (the web UI) was not built into it.</p>\n\
<p>Build it with <code>cd ui &amp;&amp; npm ci &amp;&amp; npm run build</code>, then build and \
start <code>kh-cloud</code> again.</p>\n\
<p>The API answers at <a href=\"/api/v1/health\">/api/v1</a>.</p>\n</body></html>\n";

static CONSOLE: WebApp = WebApp {
    page: "console.html",
    hidden: &["index.html"],
    not_built: NOT_BUILT,
};

/// Serves the built console.
pub(crate) fn console_router() -> Router {
    app_router::<Assets>(&CONSOLE)
}
