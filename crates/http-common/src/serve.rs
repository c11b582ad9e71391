//! What both servers put around their routers, and how they learn to stop.

use crate::ErrorCode;
use std::time::Duration;

use axum::Router;
use axum::http::Request;
use axum::response::IntoResponse;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;

use crate::ApiError;

/// Adds the outer layers: a panic becomes the 500 envelope (never a dropped connection), and
/// every request gets a span with its method, path and a request id, and a response log line.
/// Bodies, amounts and credentials are never logged.
pub fn with_common_layers(router: Router) -> Router {
    router
        .layer(CatchPanicLayer::custom(
            |_: Box<dyn std::any::Any + Send>| {
                tracing::error!("a request handler panicked");
                ApiError::internal().into_response()
            },
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request<_>| {
                    tracing::info_span!(
                        "request",
                        method = %req.method(),
                        path = %req.uri().path(),
                        request_id = %uuid::Uuid::new_v4().simple(),
                    )
                })
                .on_response(
                    |res: &axum::http::Response<_>, latency: Duration, _span: &tracing::Span| {
                        tracing::info!(
                            status = res.status().as_u16(),
                            latency_ms = u64::try_from(latency.as_millis()).unwrap_or(u64::MAX),
                            "response"
                        );
                    },
                ),
        )
}

/// Resolves on Ctrl+C, or on SIGTERM on Unix (service managers, `docker stop`).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

/// What one server lets a client hold: connections at once, and how long a request's headers
/// and body may take to arrive. Without these, half-sent requests and idle connections pile up
/// until the process runs out of file descriptors and nobody is served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServeLimits {
    /// Connections served at once; further ones wait in the listen backlog.
    pub max_connections: usize,
    /// How long the headers of a request may take (also how long an idle kept-alive
    /// connection is kept waiting for the next request).
    pub header_read_timeout: Duration,
}

impl ServeLimits {
    /// Reads `KH_MAX_CONNECTIONS` (1 to `most_connections`) and `KH_HEADER_TIMEOUT_SECS` (1 to
    /// 300) as both servers take them; `Err((setting, problem))` names the one that is wrong.
    pub fn parse(
        max_connections: &str,
        header_timeout_secs: &str,
        most_connections: usize,
    ) -> Result<Self, (&'static str, String)> {
        let max_connections = max_connections
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=most_connections).contains(n))
            .ok_or_else(|| {
                (
                    "KH_MAX_CONNECTIONS",
                    format!("must be a whole number from 1 to {most_connections}"),
                )
            })?;
        let seconds = header_timeout_secs
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|n| (1..=300).contains(n))
            .ok_or_else(|| {
                (
                    "KH_HEADER_TIMEOUT_SECS",
                    "must be a number of seconds from 1 to 300".to_owned(),
                )
            })?;
        Ok(Self {
            max_connections,
            header_read_timeout: Duration::from_secs(seconds),
        })
    }
}

/// How long a request body may take to arrive once its headers are in (408 after it).
pub const BODY_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// The most headers one request may carry; more is a 431 with the envelope.
pub const MAX_HEADERS: usize = 64;
/// The most bytes of headers one request may carry; more is a 431 with the envelope.
pub const MAX_HEADER_BYTES: usize = 16 * 1024;

/// Serves `app` on `listener` until `shutdown` resolves, then lets requests in flight finish.
/// Every connection knows its peer address (`ConnectInfo<SocketAddr>`).
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    limits: ServeLimits,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use std::sync::Arc;

    use axum::extract::ConnectInfo;
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::server::graceful::GracefulShutdown;
    use hyper_util::service::TowerToHyperService;
    use tower::ServiceExt;

    let app = app.layer(axum::middleware::from_fn(refuse_oversized_headers));
    let permits = Arc::new(tokio::sync::Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        // Past these hyper itself answers a bare 431; below them the middleware answers 431
        // with the envelope.
        .max_headers(MAX_HEADERS * 2)
        .max_buf_size(MAX_HEADER_BYTES * 8);
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors or a connection reset before it was accepted:
                    // wait a moment rather than spin, and go on serving.
                    tracing::warn!(%error, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = app.clone().map_request(
            move |mut request: axum::http::Request<hyper::body::Incoming>| {
                request.extensions_mut().insert(ConnectInfo(peer));
                request.map(axum::body::Body::new)
            },
        );
        let connection =
            http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A connection that ends badly (reset, header timeout) concerns that client only.
            let _ = connection.await;
            drop(permit);
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// A request with more headers than [`MAX_HEADERS`] or more than [`MAX_HEADER_BYTES`] of them
/// is answered 431 with the envelope.
async fn refuse_oversized_headers(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let headers = request.headers();
    let bytes: usize = headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum();
    if headers.len() > MAX_HEADERS || bytes > MAX_HEADER_BYTES {
        return ApiError::new(
            ErrorCode::HeadersTooLarge,
            format!(
                "The request headers are too large (at most {MAX_HEADERS} headers and {} KiB)",
                MAX_HEADER_BYTES / 1024
            ),
        )
        .into_response();
    }
    next.run(request).await
}
