//! `POST /sync/push`: the whole body must be a JSON array within the batch size; each element
//! is then read on its own, so one bad row is refused alone and the others still go in.

use std::borrow::Cow;

use kh_domain::RejectionCode;
use kh_http_common::ErrorCode;
use kh_http_common::describe;
use kh_http_common::openapi;
use kh_ports::RowRejection;
use kh_ports::services::{IncomingRow, PushItem, PushResult};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;
use utoipa::ToSchema;
use utoipa::openapi::schema::{
    AnyOfBuilder, ArrayBuilder, Object, ObjectBuilder, Schema, SchemaType, Type,
};
use utoipa::openapi::{Ref, RefOr};

use crate::ApiError;

/// One pushed row: the business columns of DESIGN 3, without the branch-only ones.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PushRow<'a> {
    /// The branch-made id.
    #[schema(schema_with = openapi::uuid_v4)]
    #[serde(borrow)]
    id: Cow<'a, str>,
    /// The key's branch, if given (another branch's is rejected `branch_mismatch`).
    #[serde(default)]
    #[schema(schema_with = openapi::uuid_or_null, required = false)]
    #[serde(borrow)]
    branch_id: Option<Cow<'a, str>>,
    #[serde(rename = "type")]
    #[schema(schema_with = openapi::tx_type)]
    #[serde(borrow)]
    tx_type: Cow<'a, str>,
    #[schema(schema_with = openapi::amount)]
    amount: i64,
    #[schema(schema_with = openapi::category)]
    #[serde(borrow)]
    category: Cow<'a, str>,
    #[serde(default)]
    #[schema(schema_with = description_or_null, required = false)]
    #[serde(borrow)]
    description: Option<Cow<'a, str>>,
    /// When the money moved; not more than a few minutes after `created_at`.
    #[schema(schema_with = openapi::date_time)]
    #[serde(borrow)]
    occurred_at: Cow<'a, str>,
    /// When the branch recorded it; not before 2000.
    #[schema(schema_with = openapi::date_time)]
    #[serde(borrow)]
    created_at: Cow<'a, str>,
    /// On a void: the entry it cancels, which this branch delivered before.
    #[serde(default)]
    #[schema(schema_with = openapi::uuid_or_null, required = false)]
    #[serde(borrow)]
    reverses_id: Option<Cow<'a, str>>,
    /// The payment channel (an id of HQ's list); with `channel_name`, or neither (a branch
    /// older than channels: cash). A void carries its original's.
    #[serde(default)]
    #[schema(schema_with = openapi::uuid_or_null, required = false)]
    #[serde(borrow)]
    channel_id: Option<Cow<'a, str>>,
    /// The channel's name when the entry was made.
    #[serde(default)]
    #[schema(schema_with = channel_name_or_null, required = false)]
    #[serde(borrow)]
    channel_name: Option<Cow<'a, str>>,
    /// The staff member who recorded it, with `recorded_by_name`, or neither (nobody was
    /// signed in: a branch without staff, or older than staff).
    #[serde(default)]
    #[schema(schema_with = openapi::uuid_or_null, required = false)]
    #[serde(borrow)]
    recorded_by: Option<Cow<'a, str>>,
    #[serde(default)]
    #[schema(schema_with = openapi::staff_name_or_null, required = false)]
    #[serde(borrow)]
    recorded_by_name: Option<Cow<'a, str>>,
    /// The supervisor who approved it, with `approved_by_name`, or neither.
    #[serde(default)]
    #[schema(schema_with = openapi::uuid_or_null, required = false)]
    #[serde(borrow)]
    approved_by: Option<Cow<'a, str>>,
    #[serde(default)]
    #[schema(schema_with = openapi::staff_name_or_null, required = false)]
    #[serde(borrow)]
    approved_by_name: Option<Cow<'a, str>>,
}

fn channel_name_or_null() -> Object {
    openapi::nullable(openapi::channel_name())
}

fn description_or_null() -> Object {
    openapi::nullable(openapi::description())
}

/// The body of `POST /sync/push`: an array of at most `max_batch` elements. Each element is
/// judged on its own: one that is not a valid [`PushRow`] is answered in `rejected` (the
/// request still succeeds), so an element may be any JSON value.
pub(crate) fn push_body(max_batch: usize) -> RefOr<Schema> {
    let row = AnyOfBuilder::new()
        .item(Ref::from_schema_name("PushRow"))
        .item(ObjectBuilder::new().schema_type(SchemaType::AnyValue))
        .description(Some(
            "A transaction as PushRow describes it. Anything else is refused on its own, in \
             `rejected` with code `validation_failed`, and the other rows still go in.",
        ));
    ArrayBuilder::new()
        .items(row)
        .max_items(Some(max_batch))
        .description(Some(format!(
            "At most {max_batch} rows (KH_MAX_BATCH; more is a 413) and 2 MiB."
        )))
        .build()
        .into()
}

impl<'a> From<PushRow<'a>> for IncomingRow<'a> {
    fn from(r: PushRow<'a>) -> Self {
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
            channel_id: r.channel_id,
            channel_name: r.channel_name,
            recorded_by: r.recorded_by,
            recorded_by_name: r.recorded_by_name,
            approved_by: r.approved_by,
            approved_by_name: r.approved_by_name,
        }
    }
}

/// Reads a push body into one item per element, refusing the whole request only when the body
/// is not JSON (400 `malformed_json`), not an array (400 `validation_failed`) or holds more than
/// `max_batch` elements (413). Each element is read straight from its own text into the row
/// (no intermediate JSON tree, and no field copied unless it holds an escape), so a row that
/// names a field twice is refused on its own (`amount: appears more than once`) rather than read
/// as its last value.
pub(crate) fn read_push(bytes: &[u8], max_batch: usize) -> Result<Vec<PushItem<'_>>, ApiError> {
    let elements: Vec<&RawValue> = serde_json::from_slice(bytes).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => ApiError::invalid(
            "body",
            "must be a JSON array of transactions, e.g. [{\"id\": \"...\", \"type\": \"IN\", ...}]",
        ),
        _ => ApiError::new(ErrorCode::MalformedJson, format!("The request body is not valid JSON ({e}); check quotes, commas and brackets"),
        ),
    })?;
    if elements.len() > max_batch {
        return Err(ApiError::new(
            ErrorCode::PayloadTooLarge,
            format!(
                "The push holds {} rows; send at most {max_batch} rows per request",
                elements.len()
            ),
        ));
    }
    Ok(elements.into_iter().map(read_row).collect())
}

/// The id of an element that could not be read as a row, if it has a readable one.
fn id_of(raw: &RawValue) -> String {
    serde_json::from_str::<Value>(raw.get())
        .ok()
        .as_ref()
        .and_then(|v| v.get("id"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

fn read_row(raw: &RawValue) -> PushItem<'_> {
    // serde would fill a struct from an array by position; a row must be an object.
    if !raw.get().starts_with('{') {
        return PushItem::Unreadable {
            id: id_of(raw),
            reason: "row: must be a JSON object with the transaction's fields".into(),
        };
    }
    // Nearly every row is readable: read it plainly, and only a row that is not pays for a
    // second reading that tracks where the problem is.
    if let Ok(row) = serde_json::from_str::<PushRow<'_>>(raw.get()) {
        return PushItem::Row(Box::new(row.into()));
    }
    let mut de = serde_json::Deserializer::from_str(raw.get());
    match serde_path_to_error::deserialize::<_, PushRow<'_>>(&mut de) {
        Ok(row) => PushItem::Row(Box::new(row.into())),
        Err(err) => {
            let path = err.path().to_string();
            let detail = describe(&path, &err.into_inner().to_string());
            let field = if detail.field == "body" {
                "row"
            } else {
                detail.field.as_str()
            };
            PushItem::Unreadable {
                id: id_of(raw),
                reason: format!("{field}: {}", detail.issue),
            }
        }
    }
}

/// A rejected row in the answer.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RejectedDto {
    /// The row's id as sent (empty when the row had no readable id).
    id: String,
    #[schema(schema_with = rejection_code)]
    code: &'static str,
    /// `field: issue`, in English.
    reason: String,
}

impl From<RowRejection> for RejectedDto {
    fn from(x: RowRejection) -> Self {
        Self {
            id: x.id,
            code: x.code.as_str(),
            reason: x.reason,
        }
    }
}

/// Why a row was refused: the domain's [`RejectionCode`]s.
fn rejection_code() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(RejectionCode::ALL.map(RejectionCode::as_str)))
        .build()
}

/// The answer to a push: every id of the request in exactly one list.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PushResultDto {
    accepted: Vec<String>,
    duplicates: Vec<String>,
    rejected: Vec<RejectedDto>,
    /// HQ's epoch: a branch that sees it change sends all its rows again (DESIGN 8.4).
    #[schema(schema_with = openapi::uuid)]
    epoch: String,
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
                    code: x.code.as_str(),
                    reason: x.reason,
                })
                .collect(),
            epoch: r.epoch.map(|e| e.to_string()).unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(json: &str) -> Vec<PushItem<'_>> {
        read_push(json.as_bytes(), 10).unwrap()
    }

    fn reason<'a>(item: &'a PushItem<'_>) -> (&'a str, &'a str) {
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
                assert_eq!((row.id.as_ref(), row.amount), ("a", 5));
                assert_eq!(row.description, None);
                assert_eq!(row.branch_id, None);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn text_with_escapes_is_read_as_meant_and_plain_text_is_not_copied() {
        let body = r#"[{"id":"a","type":"IN","amount":5,"category":"Kopi \"Gayo\"",
            "description":"baris 1\nbaris 2 \u00e9","occurred_at":"2025-12-08T10:00:00.000Z",
            "created_at":"2025-12-08T10:00:00.000Z"}]"#;
        match &items(body)[0] {
            PushItem::Row(row) => {
                assert_eq!(row.category, "Kopi \"Gayo\"");
                assert_eq!(row.description.as_deref(), Some("baris 1\nbaris 2 \u{e9}"));
                assert!(matches!(row.id, Cow::Borrowed("a")), "{:?}", row.id);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_field_named_twice_is_refused_with_its_name() {
        let body = r#"[{"id":"a","type":"IN","amount":5,"amount":7,"category":"x",
            "occurred_at":"2025-12-08T10:00:00.000Z","created_at":"2025-12-08T10:00:00.000Z"}]"#;
        let list = items(body);
        let (id, why) = reason(&list[0]);
        assert_eq!(id, "a");
        assert!(why.starts_with("amount: appears more than once"), "{why}");
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
