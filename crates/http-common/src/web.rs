//! Serving a built web app (the files `npm run build` writes to `ui/dist`, compiled into the
//! binary by each server's own `RustEmbed`): its page at `/` and for the app's own routes,
//! hashed assets cached for good, other pages of the build hidden. The API stays under
//! `/api/v1`; unknown `/api` paths keep the JSON 404. kh-local serves the cashier app
//! (`index.html`), kh-cloud the HQ console (`console.html`).

use axum::Router;
use axum::body::Body;
use axum::extract::OriginalUri;
use axum::http::header::{
    ALLOW, CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use rust_embed::{EmbeddedFile, RustEmbed};

use crate::{ApiError, ErrorCode};

/// Vite names every file under `assets/` by its content hash, so a cached copy never goes stale.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// `index.html` names the current hashed files, so it is always revalidated.
const REVALIDATE: &str = "no-cache";

/// One app of the build: its page, the other pages it must not answer, and what to say when
/// the build was not compiled in.
#[derive(Debug)]
pub struct WebApp {
    /// The page of the app, e.g. `index.html`.
    pub page: &'static str,
    /// Pages of the build that belong to another app (answered 404 here).
    pub hidden: &'static [&'static str],
    /// The page shown when the server was built without the app.
    pub not_built: &'static str,
}

/// The app's routes over a set of built files; merge it into the API router.
pub fn app_router<A: RustEmbed + Send + 'static>(app: &'static WebApp) -> Router {
    Router::new().fallback(
        move |method: Method, uri: OriginalUri, headers: HeaderMap| {
            serve::<A>(app, method, uri, headers)
        },
    )
}

/// Any path the API does not have.
pub async fn not_found(method: Method, OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::new(
        ErrorCode::NotFound,
        format!(
            "There is no {method} {} in this API; see docs/api.md",
            uri.path()
        ),
    )
}

/// A known path with the wrong method.
pub async fn method_not_allowed(method: Method, OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::new(
        ErrorCode::MethodNotAllowed,
        format!("{method} is not allowed on {}", uri.path()),
    )
}

async fn serve<A: RustEmbed>(
    app: &'static WebApp,
    method: Method,
    uri: OriginalUri,
    headers: HeaderMap,
) -> Response {
    let path = uri.path();
    if path == "/api" || path.starts_with("/api/") {
        return not_found(method, uri).await.into_response();
    }
    if method != Method::GET && method != Method::HEAD {
        let mut res = method_not_allowed(method, uri).await.into_response();
        res.headers_mut()
            .insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
        return res;
    }
    let name = path.trim_start_matches('/');
    if app.hidden.contains(&name) {
        return plain(StatusCode::NOT_FOUND, "not found\n");
    }
    if !name.is_empty()
        && name != app.page
        && let Some(file) = A::get(name)
    {
        return file_response::<A>(name, &file, &headers);
    }
    // A missing script or style must not be answered with the page: the browser would report a
    // confusing MIME error instead of a 404.
    if name.starts_with("assets/") || has_extension(name) {
        return plain(StatusCode::NOT_FOUND, "not found\n");
    }
    match A::get(app.page) {
        Some(page) => file_response::<A>(app.page, &page, &headers),
        None => not_built(app.not_built),
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

fn not_built(page: &'static str) -> Response {
    Response::builder()
        .status(StatusCode::OK)
        .header(CONTENT_TYPE, "text/html; charset=utf-8")
        .header(CACHE_CONTROL, "no-store")
        .body(Body::from(page))
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

    static CASHIER: WebApp = WebApp {
        page: "index.html",
        hidden: &["console.html"],
        not_built: "<p>not built: make run</p>",
    };

    async fn get(path: &str, method: Method) -> Response {
        get_from(app_router::<Built>(&CASHIER), path, method).await
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
        let res = get_from(app_router::<NotBuilt>(&CASHIER), "/", Method::GET).await;
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
    async fn another_apps_page_is_not_answered() {
        let res = get("/console.html", Method::GET).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
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
        let again = match app_router::<Built>(&CASHIER).oneshot(req).await {
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
