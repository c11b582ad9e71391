//! The one HTTP client the whole-server tests talk to both APIs with.

use reqwest::{Method, RequestBuilder, Response};
use serde::Serialize;
use serde_json::Value;

/// A client bound to one API's base URL (`http://host:port/api/v1`), optionally with a bearer
/// token (a branch key or the admin token). Every answer is read as the envelope of DESIGN 4,
/// and a body that is not one fails the test.
#[derive(Debug, Clone)]
pub struct Api {
    /// The base URL, ending in `/api/v1`.
    pub base: String,
    /// The underlying client, for requests the helpers do not cover.
    pub client: reqwest::Client,
    bearer: Option<String>,
}

impl Api {
    /// A client for the API at `base`.
    pub fn new(base: impl Into<String>) -> Self {
        Self {
            base: base.into(),
            client: reqwest::Client::new(),
            bearer: None,
        }
    }

    /// The same API, sending `token` as `Authorization: Bearer`.
    pub fn with_bearer(&self, token: &str) -> Self {
        Self {
            bearer: Some(token.to_owned()),
            ..self.clone()
        }
    }

    /// `base` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A request to `path`, with the bearer token if any.
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        let request = self.client.request(method, self.url(path));
        match &self.bearer {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    /// `GET path`: the status and the envelope.
    pub async fn get(&self, path: &str) -> (u16, Value) {
        send(self.request(Method::GET, path)).await
    }

    /// `GET path`, which must answer 200: the envelope's `data`.
    pub async fn data(&self, path: &str) -> Value {
        let (status, body) = self.get(path).await;
        assert_eq!(status, 200, "GET {path}: {body}");
        body["data"].clone()
    }

    /// `POST path` with a JSON body: the status and the envelope.
    pub async fn post(&self, path: &str, body: impl Serialize) -> (u16, Value) {
        send(self.request(Method::POST, path).json(&body)).await
    }

    /// `POST path` with raw bytes and an optional content type (for malformed bodies).
    pub async fn post_raw(
        &self,
        path: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> (u16, Value) {
        let mut request = self.request(Method::POST, path).body(body);
        if let Some(ct) = content_type {
            request = request.header("content-type", ct);
        }
        send(request).await
    }
}

/// Sends `request` and reads the answer as the envelope.
pub async fn send(request: RequestBuilder) -> (u16, Value) {
    let response = request
        .send()
        .await
        .unwrap_or_else(|e| panic!("the request failed: {e}"));
    read_envelope(response).await
}

/// The status and the envelope of `response`; fails the test when the body is not one.
pub async fn read_envelope(response: Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let bytes = response
        .bytes()
        .await
        .unwrap_or_else(|e| panic!("the answer was cut off: {e}"));
    let body: Value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| panic!("not a JSON envelope: {}", String::from_utf8_lossy(&bytes)));
    assert!(
        body.get("success").is_some() && body.get("message").is_some(),
        "not an envelope: {body}"
    );
    (status, body)
}
