//! DESIGN 5.1: the local server answers only requests addressed to loopback (DNS rebinding) and
//! refuses requests that another web page in the cashier's browser makes (foreign `Origin`).

use kh_http_common::ErrorCode;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header::{HOST, ORIGIN};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::ApiError;

/// Which `Host` and `Origin` values the server accepts.
#[derive(Debug, Clone)]
pub struct SecurityPolicy {
    hosts: Vec<String>,
    origins: Vec<String>,
}

impl SecurityPolicy {
    /// Accepts `127.0.0.1`, `localhost` and `[::1]` on `port`, and the app's own origins on it.
    /// Nothing else: the desktop window loads its page from this server, so it has these
    /// origins too (docs/desktop.md).
    pub fn loopback(port: u16) -> Self {
        let names = ["127.0.0.1", "localhost", "[::1]"];
        let mut hosts: Vec<String> = names.iter().map(|n| format!("{n}:{port}")).collect();
        if port == 80 {
            hosts.extend(names.iter().map(|n| (*n).to_owned()));
        }
        let mut origins: Vec<String> = names.iter().map(|n| format!("http://{n}:{port}")).collect();
        if port == 80 {
            origins.extend(names.iter().map(|n| format!("http://{n}")));
        }
        Self { hosts, origins }
    }

    fn host_allowed(&self, host: &str) -> bool {
        let host = host.trim().to_ascii_lowercase();
        self.hosts.contains(&host)
    }

    fn origin_allowed(&self, origin: &str) -> bool {
        let origin = origin.trim().trim_end_matches('/').to_ascii_lowercase();
        self.origins.contains(&origin)
    }
}

/// Middleware enforcing [`SecurityPolicy`] before any handler runs.
pub(crate) async fn enforce(
    State(policy): State<Arc<SecurityPolicy>>,
    request: Request,
    next: Next,
) -> Response {
    let host = request.headers().get(HOST).and_then(|h| h.to_str().ok());
    if !host.is_some_and(|h| policy.host_allowed(h)) {
        tracing::warn!(
            host = host.unwrap_or("<none>"),
            "refused a request for a foreign host"
        );
        return ApiError::new(
            ErrorCode::Forbidden,
            "This server only answers requests addressed to 127.0.0.1 or localhost on its own port",
        )
        .into_response();
    }
    if let Some(origin) = request.headers().get(ORIGIN) {
        let allowed = origin.to_str().is_ok_and(|o| policy.origin_allowed(o));
        if !allowed {
            tracing::warn!(origin = ?origin, "refused a request from another web page");
            return ApiError::new(
                ErrorCode::Forbidden,
                "Requests from other web pages are refused; open the cash book app itself",
            )
            .into_response();
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_only_loopback_names_on_the_bound_port() {
        let p = SecurityPolicy::loopback(8080);
        assert!(p.host_allowed("127.0.0.1:8080"));
        assert!(p.host_allowed("LOCALHOST:8080"));
        assert!(p.host_allowed("[::1]:8080"));
        assert!(!p.host_allowed("127.0.0.1:9090"));
        assert!(!p.host_allowed("evil.example:8080"));
        assert!(!p.host_allowed("127.0.0.1"));
        assert!(p.origin_allowed("http://localhost:8080"));
        assert!(p.origin_allowed("http://127.0.0.1:8080/"));
        assert!(!p.origin_allowed("tauri://localhost"));
        assert!(!p.origin_allowed("http://tauri.localhost"));
        assert!(!p.origin_allowed("http://evil.example"));
        assert!(!p.origin_allowed("null"));
        assert!(!p.origin_allowed("https://127.0.0.1:8080"));
    }
}
