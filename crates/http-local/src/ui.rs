//! The cashier web app: the files `npm run build` writes to `ui/dist`, compiled into the binary
//! (read from disk in debug builds), served at `/` with a fallback to `index.html` for the app's
//! own routes. The API stays under `/api/v1`; unknown `/api` paths keep the JSON 404.

use axum::Router;
use axum::body::Body;
use axum::extract::OriginalUri;
use axum::http::header::{
    ALLOW, CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use rust_embed::{EmbeddedFile, RustEmbed};

/// `ui/dist`. A missing folder is allowed, so the server builds before the UI does.
#[derive(RustEmbed)]
#[folder = "../../ui/dist"]
#[allow_missing = true]
struct Assets;

/// Vite names every file under `assets/` by its content hash, so a cached copy never goes stale.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// `index.html` names the current hashed files, so it is always revalidated.
const REVALIDATE: &str = "no-cache";

const NOT_BUILT: &str = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>Haramain Finance</title></head><body>\n\
<h1>Haramain Finance</h1>\n\
<p>The server is running, but the cashier app (the web UI) was not built into it.</p>\n\
<p>Build it with <code>make run</code>, or by hand: <code>cd ui &amp;&amp; npm ci &amp;&amp; \
npm run build</code>, then build and start <code>kh-local</code> again.</p>\n\
<p>The API answers at <a href=\"/api/v1/health\">/api/v1</a>.</p>\n</body></html>\n";

/// Serves the built cashier app; merge it into the API router (`router(.., Some(ui_router()))`).
pub fn ui_router() -> Router {
    router_for::<Assets>()
}

/// The app's routes over any set of built files (tests use a small fixture, so they run on a
/// clean checkout where `ui/dist` does not exist yet).
fn router_for<A: RustEmbed + Send + 'static>() -> Router {
    Router::new().fallback(serve::<A>)
}

async fn serve<A: RustEmbed>(method: Method, uri: OriginalUri, headers: HeaderMap) -> Response {
    let path = uri.path();
    if path == "/api" || path.starts_with("/api/") {
        return crate::handlers::not_found(method, uri)
            .await
            .into_response();
    }
    if method != Method::GET && method != Method::HEAD {
        let mut res = crate::handlers::method_not_allowed(method, uri)
            .await
            .into_response();
        res.headers_mut()
            .insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
        return res;
    }
    let name = path.trim_start_matches('/');
    if !name.is_empty()
        && name != "index.html"
        && let Some(file) = A::get(name)
    {
        return file_response::<A>(name, &file, &headers);
    }
    // A missing script or style must not be answered with the page: the browser would report a
    // confusing MIME error instead of a 404.
    if name.starts_with("assets/") || has_extension(name) {
        return plain(StatusCode::NOT_FOUND, "not found\n");
    }
    match A::get("index.html") {
        Some(index) => file_response::<A>("index.html", &index, &headers),
        None => not_built(),
    }
}

fn file_response<A: RustEmbed>(name: &str, file: &EmbeddedFile, request: &HeaderMap) -> Response {
    let etag = etag(file);
    let cache = if name.starts_with("assets/") {
        IMMUTABLE
    } else {
        REVALIDATE
    };
    let fresh = request
        .get(IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    let mut builder = Response::builder()
        .header(CACHE_CONTROL, cache)
        .header(ETAG, &etag)
        .header(X_CONTENT_TYPE_OPTIONS, "nosniff");
    if fresh {
        builder = builder.status(StatusCode::NOT_MODIFIED);
        return builder.body(Body::empty()).unwrap_or_else(|_| internal());
    }
    builder
        .status(StatusCode::OK)
        .header(CONTENT_TYPE, content_type::<A>(name))
        .body(Body::from(file.data.clone().into_owned()))
        .unwrap_or_else(|_| internal())
}

fn etag(file: &EmbeddedFile) -> String {
    let hash = file.metadata.sha256_hash();
    let hex: String = hash[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

/// Content types of what Vite emits; anything else is guessed from the extension.
fn content_type<A: RustEmbed>(name: &str) -> String {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    let known = match ext.as_deref() {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json" | "map") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        Some("txt") => "text/plain; charset=utf-8",
        Some("webmanifest") => "application/manifest+json",
        _ => "",
    };
    if known.is_empty() {
        mime_guess_for::<A>(name)
    } else {
        known.to_owned()
    }
}

fn mime_guess_for<A: RustEmbed>(name: &str) -> String {
    A::get(name).map_or_else(
        || "application/octet-stream".to_owned(),
        |f| f.metadata.mimetype().to_owned(),
    )
}

fn has_extension(name: &str) -> bool {
    name.rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'))
}

fn not_built() -> Response {
    Response::builder()
        .status(StatusCode::OK)
        .header(CONTENT_TYPE, "text/html; charset=utf-8")
        .header(CACHE_CONTROL, "no-store")
        .body(Body::from(NOT_BUILT))
        .unwrap_or_else(|_| internal())
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (
        status,
        [
            (CONTENT_TYPE, "text/plain; charset=utf-8"),
            (CACHE_CONTROL, "no-store"),
        ],
        text,
    )
        .into_response()
}

fn internal() -> Response {
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    /// A built app in miniature: `index.html` and one hashed script.
    #[derive(RustEmbed)]
    #[folder = "tests/fixtures/ui-dist"]
    struct Built;

    /// No build at all.
    #[derive(RustEmbed)]
    #[folder = "tests/fixtures/ui-dist-missing"]
    #[allow_missing = true]
    struct NotBuilt;

    async fn get_from(router: Router, path: &str, method: Method) -> Response {
        let req = Request::builder()
            .method(method)
            .uri(path)
            .body(Body::empty())
            .unwrap_or_default();
        match router.oneshot(req).await {
            Ok(res) => res,
            Err(never) => match never {},
        }
    }

    async fn get(path: &str, method: Method) -> Response {
        get_from(router_for::<Built>(), path, method).await
    }

    async fn text(res: Response) -> String {
        let bytes = res
            .into_body()
            .collect()
            .await
            .map(|b| b.to_bytes())
            .unwrap_or_default();
        String::from_utf8_lossy(&bytes).into_owned()
    }

    fn header(res: &Response, name: axum::http::HeaderName) -> &str {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    #[tokio::test]
    async fn root_answers_the_app_revalidated() {
        let res = get("/", Method::GET).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(header(&res, CONTENT_TYPE), "text/html; charset=utf-8");
        assert_eq!(header(&res, CACHE_CONTROL), REVALIDATE);
        let body = text(res).await;
        assert!(body.contains("<div id=\"root\">"), "{body}");
    }

    #[tokio::test]
    async fn without_a_build_the_page_says_how_to_build_it() {
        let res = get_from(router_for::<NotBuilt>(), "/", Method::GET).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(header(&res, CACHE_CONTROL), "no-store");
        assert!(text(res).await.contains("make run"));
    }

    #[tokio::test]
    async fn app_routes_fall_back_to_the_page() {
        let root = text(get("/", Method::GET).await).await;
        let res = get("/riwayat?page=2", Method::GET).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(text(res).await, root);
    }

    #[tokio::test]
    async fn api_paths_keep_the_json_404() {
        for path in ["/api", "/api/v2/transactions", "/api/nothing"] {
            let res = get(path, Method::GET).await;
            assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
            let body = text(res).await;
            assert!(body.contains("\"not_found\""), "{path}: {body}");
        }
    }

    #[tokio::test]
    async fn missing_files_are_404_not_the_page() {
        for path in ["/assets/index-deadbeef.js", "/favicon-missing.png"] {
            let res = get(path, Method::GET).await;
            assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
            assert_eq!(header(&res, CONTENT_TYPE), "text/plain; charset=utf-8");
        }
    }

    #[tokio::test]
    async fn only_get_and_head() {
        let res = get("/", Method::POST).await;
        assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(header(&res, ALLOW), "GET, HEAD");
        assert_eq!(get("/", Method::HEAD).await.status(), StatusCode::OK);
    }

    #[tokio::test]
    async fn hashed_assets_are_cached_for_good_and_revalidated_by_etag() {
        let name = "assets/index-3f2a9c1b.js";
        let res = get(&format!("/{name}"), Method::GET).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(header(&res, CACHE_CONTROL), IMMUTABLE);
        assert_eq!(header(&res, CONTENT_TYPE), "text/javascript; charset=utf-8");
        let etag = header(&res, ETAG).to_owned();
        assert!(etag.starts_with('"') && etag.len() == 34, "{etag}");
        let req = Request::builder()
            .uri(format!("/{name}"))
            .header(IF_NONE_MATCH, &etag)
            .body(Body::empty())
            .unwrap_or_default();
        let again = match router_for::<Built>().oneshot(req).await {
            Ok(res) => res,
            Err(never) => match never {},
        };
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(header(&again, CACHE_CONTROL), IMMUTABLE);
    }

    #[test]
    fn content_types_of_vite_output() {
        let of = content_type::<Built>;
        assert_eq!(of("assets/a-1.css"), "text/css; charset=utf-8");
        assert_eq!(of("index.html"), "text/html; charset=utf-8");
        assert_eq!(of("assets/x.svg"), "image/svg+xml");
        assert_eq!(of("assets/f.woff2"), "font/woff2");
    }
}
