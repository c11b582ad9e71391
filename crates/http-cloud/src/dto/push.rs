//! `POST /sync/push`: the whole body must be a JSON array within the batch size; each element
//! is then read on its own, so one bad row is refused alone and the others still go in.

use axum::http::StatusCode;
use kh_http_common::describe;
use kh_ports::services::{IncomingRow, PushItem, PushResult};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::ApiError;

/// One pushed row: the business columns of DESIGN 3, without the branch-only ones.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PushRow {
    id: String,
    #[serde(default)]
    branch_id: Option<String>,
    #[serde(rename = "type")]
    tx_type: String,
    amount: i64,
    category: String,
    #[serde(default)]
    description: Option<String>,
    occurred_at: String,
    created_at: String,
    #[serde(default)]
    reverses_id: Option<String>,
}

impl From<PushRow> for IncomingRow {
    fn from(r: PushRow) -> Self {
        Self {
            id: r.id,
            branch_id: r.branch_id,
            tx_type: r.tx_type,
            amount: r.amount,
            category: r.category,
            description: r.description,
            occurred_at: r.occurred_at,
            created_at: r.created_at,
            reverses_id: r.reverses_id,
        }
    }
}

/// Reads a push body into one item per element, refusing the whole request only when the body
/// is not JSON (400 `malformed_json`), not an array (400 `validation_failed`) or holds more than
/// `max_batch` elements (413).
pub(crate) fn read_push(bytes: &[u8], max_batch: usize) -> Result<Vec<PushItem>, ApiError> {
    let body: Value = serde_json::from_slice(bytes).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "malformed_json",
            format!("The request body is not valid JSON ({e}); check quotes, commas and brackets"),
        )
    })?;
    let Value::Array(elements) = body else {
        return Err(ApiError::invalid(
            "body",
            "must be a JSON array of transactions, e.g. [{\"id\": \"...\", \"type\": \"IN\", ...}]",
        ));
    };
    if elements.len() > max_batch {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!(
                "The push holds {} rows; send at most {max_batch} rows per request",
                elements.len()
            ),
        ));
    }
    Ok(elements.into_iter().map(read_row).collect())
}

fn read_row(element: Value) -> PushItem {
    let id = element
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    // serde would fill a struct from an array by position; a row must be an object.
    if !element.is_object() {
        return PushItem::Unreadable {
            id,
            reason: "row: must be a JSON object with the transaction's fields".into(),
        };
    }
    match serde_path_to_error::deserialize::<_, PushRow>(element) {
        Ok(row) => PushItem::Row(row.into()),
        Err(err) => {
            let path = err.path().to_string();
            let detail = describe(&path, &err.into_inner().to_string());
            let field = if detail.field == "body" {
                "row"
            } else {
                detail.field.as_str()
            };
            PushItem::Unreadable {
                id,
                reason: format!("{field}: {}", detail.issue),
            }
        }
    }
}

/// A rejected row in the answer.
#[derive(Debug, Serialize)]
struct RejectedDto {
    id: String,
    code: &'static str,
    reason: String,
}

/// The answer to a push: every id of the request in exactly one list.
#[derive(Debug, Serialize)]
pub(crate) struct PushResultDto {
    accepted: Vec<String>,
    duplicates: Vec<String>,
    rejected: Vec<RejectedDto>,
}

impl From<PushResult> for PushResultDto {
    fn from(r: PushResult) -> Self {
        Self {
            accepted: r.accepted,
            duplicates: r.duplicates,
            rejected: r
                .rejected
                .into_iter()
                .map(|x| RejectedDto {
                    id: x.id,
                    code: x.code,
                    reason: x.reason,
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(json: &str) -> Vec<PushItem> {
        read_push(json.as_bytes(), 10).unwrap()
    }

    fn reason(item: &PushItem) -> (&str, &str) {
        match item {
            PushItem::Unreadable { id, reason } => (id, reason),
            PushItem::Row(row) => panic!("read {row:?}"),
        }
    }

    const ROW: &str = r#"{"id":"a","type":"IN","amount":5,"category":"x",
        "occurred_at":"2025-12-08T10:00:00.000Z","created_at":"2025-12-08T10:00:00.000Z"}"#;

    #[test]
    fn a_complete_row_is_read_with_optional_fields_absent() {
        match &items(&format!("[{ROW}]"))[0] {
            PushItem::Row(row) => {
                assert_eq!((row.id.as_str(), row.amount), ("a", 5));
                assert_eq!(row.description, None);
                assert_eq!(row.branch_id, None);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn each_bad_element_names_its_problem_and_keeps_its_id() {
        let list = items(
            r#"[{"id":"a","type":"IN","amount":"5","category":"x","occurred_at":"t","created_at":"t"},
                {"id":"b","type":"IN","amount":5,"category":"x","occurred_at":"t","created_at":"t","is_synced":true},
                {"id":"c","type":"IN","amount":5,"occurred_at":"t","created_at":"t"},
                {"id":7},
                ["d","IN",5,"x","t","t"],
                42]"#,
        );
        let reasons: Vec<(&str, &str)> = list.iter().map(reason).collect();
        assert_eq!(reasons[0].0, "a");
        assert!(
            reasons[0].1.starts_with("amount: must be a whole number"),
            "{reasons:?}"
        );
        assert_eq!(reasons[1].0, "b");
        assert!(
            reasons[1].1.starts_with("is_synced: is not a field"),
            "{reasons:?}"
        );
        assert_eq!(reasons[2], ("c", "category: is required"));
        assert_eq!(reasons[3].0, "");
        assert!(reasons[3].1.starts_with("id: must be text"), "{reasons:?}");
        assert_eq!(reasons[4].0, "");
        assert!(reasons[4].1.starts_with("row: must be a JSON object"));
        assert!(reasons[5].1.starts_with("row: must be a JSON object"));
    }

    #[test]
    fn whole_request_problems_refuse_the_whole_request() {
        let code = |json: &str, max| read_push(json.as_bytes(), max).unwrap_err().code();
        assert_eq!(code("[{", 10), "malformed_json");
        assert_eq!(code(ROW, 10), "validation_failed");
        assert_eq!(code("[1,2,3]", 2), "payload_too_large");
        assert!(read_push(b"[]", 10).unwrap().is_empty());
    }
}
