//! Extractors that turn every malformed request into the envelope with a field-level message.

use crate::error::ErrorCode;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use kh_domain::{Rule, TransactionId};
use serde::de::DeserializeOwned;

use crate::error::{ApiError, Detail};

/// The body limit in force, put in the request extensions by the router so messages can say it.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

/// The raw bytes of a JSON request body: `Content-Type: application/json`, within the body
/// limit, not empty. Syntax and shape are checked by [`parse_json`] or by the handler.
#[derive(Debug)]
pub struct JsonBytes(pub Bytes);

/// A JSON request body of type `T`: a JSON object, well-formed, with every field of the right
/// type and no unknown fields.
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|mime| {
            let mime = mime.trim().to_ascii_lowercase();
            mime == "application/json"
                || (mime.starts_with("application/") && mime.ends_with("+json"))
        })
}

impl<S: Send + Sync> FromRequest<S> for JsonBytes {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            return Err(ApiError::new(
                ErrorCode::UnsupportedMediaType,
                "Send the body as JSON with the header Content-Type: application/json",
            ));
        }
        let limit = req.extensions().get::<BodyLimit>().map(|l| l.0);
        let read = tokio::time::timeout(crate::BODY_READ_TIMEOUT, Bytes::from_request(req, state));
        let Ok(read) = read.await else {
            return Err(ApiError::new(
                ErrorCode::RequestTimeout,
                format!(
                    "The request body did not arrive within {} seconds; send it again",
                    crate::BODY_READ_TIMEOUT.as_secs()
                ),
            ));
        };
        let bytes = read.map_err(|rejection| match rejection {
            BytesRejection::FailedToBufferBody(e)
                if e.body_text().contains("length limit")
                    || e.status() == StatusCode::PAYLOAD_TOO_LARGE =>
            {
                too_large(limit)
            }
            other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => too_large(limit),
            _ => ApiError::new(
                ErrorCode::MalformedJson,
                "The request body could not be read",
            ),
        })?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(ApiError::new(
                ErrorCode::MalformedJson,
                "The request body is empty; send JSON",
            ));
        }
        Ok(JsonBytes(bytes))
    }
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let JsonBytes(bytes) = JsonBytes::from_request(req, state).await?;
        parse_json(&bytes).map(JsonBody)
    }
}

fn too_large(limit: Option<usize>) -> ApiError {
    let message = match limit {
        Some(bytes) if bytes >= 1024 * 1024 => {
            format!(
                "The request body is larger than {} MiB",
                bytes / (1024 * 1024)
            )
        }
        Some(bytes) => format!("The request body is larger than {} KiB", bytes / 1024),
        None => "The request body is too large".to_owned(),
    };
    ApiError::new(ErrorCode::PayloadTooLarge, message)
}

/// Parses JSON, naming the offending field on a type or shape error.
/// Request bodies are JSON objects. Syntax is checked first, so broken JSON is always reported
/// as such; and serde would also fill a struct from an array by position (letting
/// `["IN", 5, "x"]` through), so anything but an object is refused before the fields are read.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    check_json(bytes)?;
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(ApiError::invalid(
            "body",
            "must be a JSON object, e.g. {\"type\": \"IN\", ...}",
        ));
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let path = err.path().to_string();
        json_error(&path, err.into_inner())
    })
}

/// Checks that `bytes` are well-formed JSON in which no object names a key twice, at any
/// depth. serde_json keeps the last of repeated keys, so `{"amount": 1, "amount": 1000000}`
/// would mean one thing to one reader and another to the next: it is refused.
pub fn check_json(bytes: &[u8]) -> Result<(), ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let outcome = serde_path_to_error::deserialize::<_, UniqueKeys>(&mut de)
        .map_err(|err| (err.path().to_string(), err.into_inner()))
        .and_then(|_| de.end().map_err(|e| (String::new(), e)));
    match outcome {
        Ok(()) => Ok(()),
        Err((path, inner)) => match inner.to_string().strip_prefix(REPEATED_KEY) {
            Some(rest) => {
                let key = rest.split('"').next().unwrap_or_default();
                let field = if path.is_empty() || path == "." {
                    key.to_owned()
                } else {
                    format!("{path}.{key}")
                };
                Err(ApiError::validation(vec![Detail::new(
                    field,
                    Rule::Duplicate,
                    "appears more than once; send each field once",
                )]))
            }
            None => Err(json_error("", inner)),
        },
    }
}

const REPEATED_KEY: &str = "repeated key \"";

/// Walks any JSON value, failing on the first object that repeats a key.
struct UniqueKeys;

impl<'de> serde::Deserialize<'de> for UniqueKeys {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(UniqueKeysVisitor)
    }
}

struct UniqueKeysVisitor;

impl<'de> serde::de::Visitor<'de> for UniqueKeysVisitor {
    type Value = UniqueKeys;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }
    fn visit_i64<E>(self, _: i64) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }
    fn visit_u64<E>(self, _: u64) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }
    fn visit_f64<E>(self, _: f64) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }
    fn visit_str<E>(self, _: &str) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }
    fn visit_unit<E>(self) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<UniqueKeys, A::Error> {
        while seq.next_element::<UniqueKeys>()?.is_some() {}
        Ok(UniqueKeys)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<UniqueKeys, A::Error> {
        let mut seen = std::collections::HashSet::new();
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if seen.contains(&key) {
                return Err(serde::de::Error::custom(format!("{REPEATED_KEY}{key}\"")));
            }
            seen.insert(key);
            map.next_value::<UniqueKeys>()?;
        }
        Ok(UniqueKeys)
    }
}

#[cfg(test)]
mod unique_keys {
    use super::*;

    fn field_of(body: &str) -> Option<String> {
        check_json(body.as_bytes())
            .err()
            .map(|e| e.details()[0].field.clone())
    }

    #[test]
    fn a_key_named_twice_is_refused_at_any_depth() {
        assert!(check_json(br#"{"a": 1, "b": [1, {"c": 2}]}"#).is_ok());
        assert_eq!(
            field_of(r#"{"amount": 1, "amount": 1000000}"#).as_deref(),
            Some("amount")
        );
        assert_eq!(
            field_of(r#"[{"id": "x"}, {"id": "y", "amount": 1, "amount": 2}]"#).as_deref(),
            Some("[1].amount")
        );
        // Broken JSON is still reported as such.
        let broken = check_json(b"{\"a\": ").unwrap_err();
        assert_eq!(broken.code(), "malformed_json");
        let trailing = check_json(b"{} {}").unwrap_err();
        assert_eq!(trailing.code(), "malformed_json");
    }
}

pub(crate) fn json_error(path: &str, inner: serde_json::Error) -> ApiError {
    match inner.classify() {
        serde_json::error::Category::Data => {
            let message = strip_position(&inner.to_string());
            ApiError::validation(vec![describe(path, &message)])
        }
        _ => ApiError::new(
            ErrorCode::MalformedJson,
            format!(
                "The request body is not valid JSON ({inner}); check quotes, commas and brackets"
            ),
        ),
    }
}

/// serde_json appends " at line L column C"; the field name is more useful to a person.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

fn between_backticks(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(&message[start..start + len])
}

/// Turns a serde data error at `path` into a field and an instruction.
pub fn describe(path: &str, message: &str) -> Detail {
    let at_root = path.is_empty() || path == ".";
    let field = if at_root {
        "body".to_owned()
    } else {
        path.to_owned()
    };
    if let Some(rest) = message.strip_prefix("missing field ") {
        let name = between_backticks(rest).unwrap_or(rest);
        return Detail::new(name, Rule::Required, "is required");
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let name = between_backticks(rest).unwrap_or(rest).to_owned();
        let expected = rest
            .split_once("expected ")
            .map(|(_, e)| e.replace('`', ""))
            .unwrap_or_default();
        let issue = if expected.is_empty() {
            "is not a field of this request".to_owned()
        } else {
            format!("is not a field of this request (expected {expected})")
        };
        return Detail::new(name, Rule::UnknownField, issue);
    }
    if let Some(rest) = message.strip_prefix("duplicate field ") {
        let name = between_backticks(rest).unwrap_or(rest);
        return Detail::new(name, Rule::Duplicate, "appears more than once");
    }
    let typed = at_root && message.contains("expected struct")
        || message.contains("expected i64")
        || message.contains("expected u32")
        || message.contains("expected u64")
        || message.contains("expected a string")
        || message.contains("expected a boolean");
    let issue = if at_root && message.contains("expected struct") {
        "must be a JSON object".to_owned()
    } else if message.contains("expected i64")
        || message.contains("expected u32")
        || message.contains("expected u64")
    {
        "must be a whole number without quotes, dots or decimals".to_owned()
    } else if message.contains("expected a string") {
        "must be text in double quotes".to_owned()
    } else if message.contains("expected a boolean") {
        "must be true or false".to_owned()
    } else {
        message.to_owned()
    };
    Detail::new(field, if typed { Rule::Type } else { Rule::Invalid }, issue)
}

/// Query parameters of type `T` (whose fields are all optional text), refusing unknown or
/// repeated parameters by name.
#[derive(Debug)]
pub struct QueryParams<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for QueryParams<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        serde_urlencoded::from_str::<T>(query)
            .map(QueryParams)
            .map_err(|e| query_refused(&e))
    }
}

/// A query string that does not read as the endpoint's parameters: the field it names (or
/// `query`).
fn query_refused(e: &dyn std::fmt::Display) -> ApiError {
    let mut detail = describe("", &e.to_string());
    if detail.field == "body" {
        detail.field = "query".into();
    }
    ApiError::validation(vec![detail])
}

/// An export's query: the list's or report's own parameters (`T`, refusing what it does not
/// know) and how the file is written (`format`, `sep`, `lang`), read from one query string.
#[derive(Debug)]
pub struct ExportQuery<T> {
    /// The list's own parameters.
    pub params: T,
    format: Option<String>,
    sep: Option<String>,
    lang: Option<String>,
}

impl<T> ExportQuery<T> {
    /// How the file is written, when `format` is one of `allowed` and `sep` and `lang` are
    /// known (each named when not).
    pub fn options(
        &self,
        allowed: &[crate::export::ExportFormat],
    ) -> Result<crate::export::ExportOptions, ApiError> {
        crate::export::ExportOptions::parse(
            self.format.as_deref(),
            self.sep.as_deref(),
            self.lang.as_deref(),
            allowed,
        )
        .map_err(|errors| ApiError::validation(errors.into_iter().map(Detail::from).collect()))
    }
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ExportQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(query).map_err(|e| query_refused(&e))?;
        let (mut format, mut sep, mut lang) = (None, None, None);
        let mut rest = Vec::with_capacity(pairs.len());
        for (key, value) in pairs {
            let slot = match key.as_str() {
                "format" => &mut format,
                "sep" => &mut sep,
                "lang" => &mut lang,
                _ => {
                    rest.push((key, value));
                    continue;
                }
            };
            if slot.replace(value).is_some() {
                return Err(ApiError::invalid(
                    match key.as_str() {
                        "format" => "format",
                        "sep" => "sep",
                        _ => "lang",
                    },
                    "is given more than once",
                ));
            }
        }
        let rest = serde_urlencoded::to_string(&rest).map_err(|e| query_refused(&e))?;
        let params = serde_urlencoded::from_str::<T>(&rest).map_err(|e| query_refused(&e))?;
        Ok(Self {
            params,
            format,
            sep,
            lang,
        })
    }
}

/// A transaction id from the path; anything that is not a UUID is a 400 naming `id`.
#[derive(Debug)]
pub struct IdParam(pub TransactionId);

impl<S: Send + Sync> FromRequestParts<S> for IdParam {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::invalid("id", "must be a transaction id (a UUID)"))?;
        TransactionId::parse("id", &raw)
            .map(IdParam)
            .map_err(|e| ApiError::invalid(e.field, e.issue))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        amount: i64,
        category: String,
    }

    fn field_and_issue(json: &str) -> (u16, String, String) {
        let err = parse_json::<Body>(json.as_bytes()).unwrap_err();
        let resp = axum::response::IntoResponse::into_response(err.clone());
        let _ = resp;
        (
            err.status().as_u16(),
            err.code().to_owned(),
            format!("{err:?}"),
        )
    }

    #[test]
    fn shape_errors_name_the_field() {
        let (status, code, dbg) = field_and_issue(r#"{"amount":"100","category":"x"}"#);
        assert_eq!((status, code.as_str()), (400, "validation_failed"));
        assert!(
            dbg.contains("field: \"amount\"") && dbg.contains("whole number"),
            "{dbg}"
        );

        let (_, _, dbg) = field_and_issue(r#"{"amount":1.5,"category":"x"}"#);
        assert!(dbg.contains("field: \"amount\""), "{dbg}");
        let (_, _, dbg) = field_and_issue(r#"{"amount":99999999999999999999999,"category":"x"}"#);
        assert!(dbg.contains("field: \"amount\""), "{dbg}");
        let (_, _, dbg) = field_and_issue(r#"{"amount":1}"#);
        assert!(
            dbg.contains("field: \"category\"") && dbg.contains("is required"),
            "{dbg}"
        );
        let (_, _, dbg) = field_and_issue(r#"{"amount":1,"category":"x","hack":true}"#);
        assert!(dbg.contains("field: \"hack\""), "{dbg}");
        let (_, _, dbg) = field_and_issue(r#"[1,2]"#);
        assert!(dbg.contains("field: \"body\""), "{dbg}");
    }

    #[test]
    fn syntax_errors_are_malformed_json() {
        for bad in [
            r#"{"amount":1,"#,
            r#"{amount:1}"#,
            r#"{"amount":1,"category":"x"} trailing"#,
        ] {
            let (status, code, _) = field_and_issue(bad);
            assert_eq!((status, code.as_str()), (400, "malformed_json"), "{bad}");
        }
    }
}
