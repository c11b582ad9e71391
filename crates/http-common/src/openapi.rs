//! What both servers' OpenAPI documents (`GET /api/v1/openapi.json`) share: schemas of the
//! values the domain limits, built from the domain's own constants (never a number typed
//! twice), the error body with every stable code and rule, and the answers that the common
//! layers give to any request, added to every operation of a document.
//!
//! The domain knows nothing of OpenAPI: its types are described here, at the HTTP edge.

use std::collections::BTreeMap;

use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use kh_domain::chrono::{DateTime, Utc};
use kh_domain::{Amount, Category, Description, Rule, SyncState, VoidReason};
use utoipa::openapi::path::{Operation, PathItem};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{KnownFormat, Object, ObjectBuilder, SchemaFormat, SchemaType, Type};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};

use crate::error::{ErrorBody, ErrorCode};

/// A canonical UUID as every id travels: lower case, with hyphens.
pub const UUID_PATTERN: &str = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";
/// A canonical version-4 UUID: what a branch makes for a new entry.
pub const UUID_V4_PATTERN: &str = "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$";

/// Text without control characters (Unicode category Cc, what `char::is_control` finds).
pub const NO_CONTROL_CHARACTERS: &str = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$";

fn string() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String)
}

/// `schema` that may also be `null` (an absent optional value in an answer or a body).
pub fn nullable(schema: impl Into<Object>) -> Object {
    let mut schema = schema.into();
    let mut types = match &schema.schema_type {
        SchemaType::Type(t) => vec![t.clone()],
        SchemaType::Array(ts) => ts.clone(),
        SchemaType::AnyValue => return schema,
    };
    if !types.contains(&Type::Null) {
        types.push(Type::Null);
    }
    schema.schema_type = SchemaType::from_iter(types);
    if let Some(values) = schema.enum_values.as_mut()
        && !values.contains(&serde_json::Value::Null)
    {
        values.push(serde_json::Value::Null);
    }
    schema
}

/// `IN` or `OUT` (`TxType`).
pub fn tx_type() -> Object {
    string()
        .enum_values(Some(["IN", "OUT"]))
        .description(Some(
            "Which way the money moved: IN (received) or OUT (paid).",
        ))
        .build()
}

/// A whole number of rupiah within [`Amount::MIN`]..=[`Amount::MAX`].
pub fn amount() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
        .minimum(Some(Amount::MIN))
        .maximum(Some(Amount::MAX))
        .description(Some("Whole rupiah."))
        .build()
}

/// A category: 1..=[`Category::MAX_CHARS`] characters, no control characters.
pub fn category() -> Object {
    string()
        .min_length(Some(1))
        .max_length(Some(Category::MAX_CHARS))
        .description(Some(
            "What the money was for (trimmed; not blank; no control characters).",
        ))
        .build()
}

/// A payment channel's name: 1..=[`kh_domain::ChannelName::MAX_CHARS`] characters.
pub fn channel_name() -> Object {
    string()
        .min_length(Some(1))
        .max_length(Some(kh_domain::ChannelName::MAX_CHARS))
        .description(Some(
            "A payment channel's name, e.g. QRIS (trimmed; not blank; no control characters).",
        ))
        .build()
}

/// A branch staff member's name as a row keeps it, or null (a row made without a signed-in
/// member).
pub fn staff_name_or_null() -> Object {
    nullable(
        string()
            .min_length(Some(1))
            .max_length(Some(kh_domain::StaffName::MAX_CHARS))
            .description(Some("The member's name when the entry was made."))
            .build(),
    )
}

/// A description: 0..=[`Description::MAX_CHARS`] characters; line breaks allowed.
pub fn description() -> Object {
    string()
        .max_length(Some(Description::MAX_CHARS))
        .description(Some(
            "Free text (trimmed; line breaks and tabs allowed, other control characters not).",
        ))
        .build()
}

/// A void's reason: 1..=[`VoidReason::MAX_CHARS`] characters.
pub fn void_reason() -> Object {
    string()
        .min_length(Some(1))
        .max_length(Some(VoidReason::MAX_CHARS))
        .description(Some(
            "Why the entry is voided (trimmed; not blank; no control characters).",
        ))
        .build()
}

/// Any id: a canonical UUID.
pub fn uuid() -> Object {
    string()
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid)))
        .pattern(Some(UUID_PATTERN))
        .build()
}

/// A new entry's id: a canonical version-4 UUID.
pub fn uuid_v4() -> Object {
    string()
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid)))
        .pattern(Some(UUID_V4_PATTERN))
        .description(Some("A version-4 UUID in lower case with hyphens."))
        .build()
}

/// An id that may be null.
pub fn uuid_or_null() -> Object {
    nullable(uuid())
}

/// An instant: RFC 3339 (the servers answer in UTC with milliseconds and `Z`).
pub fn date_time() -> Object {
    string()
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
        .build()
}

/// An instant that may be null.
pub fn date_time_or_null() -> Object {
    nullable(date_time())
}

/// A business date, `YYYY-MM-DD`.
pub fn date() -> Object {
    string()
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
        .build()
}

/// The names of the steps of an entry's way to HQ (`sync_state`), as the domain spells them.
pub fn sync_states() -> [&'static str; 3] {
    [
        SyncState::Pending,
        SyncState::Synced {
            at: DateTime::<Utc>::UNIX_EPOCH,
        },
        SyncState::Rejected {
            code: String::new(),
            reason: String::new(),
        },
    ]
    .map(|s| s.as_str())
}

/// The JSON `null` (the `data` of an error).
pub fn null() -> Object {
    ObjectBuilder::new().schema_type(Type::Null).build()
}

/// Every rule a validation detail can name, one of each (the numbers are placeholders).
const RULES: [Rule; 17] = [
    Rule::Required,
    Rule::MaxLength(0),
    Rule::Range { min: 0, max: 0 },
    Rule::OneOf,
    Rule::Format,
    Rule::NoControlCharacters,
    Rule::NotInFuture(0),
    Rule::MinYear(0),
    Rule::Clock,
    Rule::NoLeapSecond,
    Rule::Order,
    Rule::Type,
    Rule::UnknownField,
    Rule::Duplicate,
    Rule::Confirm,
    Rule::Weak,
    Rule::Invalid,
];

/// The `rule` of a validation detail: one of the domain's rule names.
pub fn rule() -> Object {
    string()
        .enum_values(Some(RULES.map(Rule::name)))
        .description(Some(
            "Which rule the field broke, for a client to word in its user's language.",
        ))
        .build()
}

impl PartialSchema for ErrorCode {
    fn schema() -> RefOr<Schema> {
        string()
            .enum_values(Some(ErrorCode::ALL.map(ErrorCode::as_str)))
            .description(Some(
                "The stable error code; each is always answered with the same status.",
            ))
            .into()
    }
}

impl ToSchema for ErrorCode {}

/// The description of an error answer: which codes it carries.
fn error_description(codes: &[ErrorCode]) -> String {
    let names: Vec<String> = codes.iter().map(|c| format!("`{}`", c.as_str())).collect();
    format!("The error envelope, with code {}.", names.join(" or "))
}

/// The error answer with `codes` (all of one status).
fn error_response(codes: &[ErrorCode]) -> RefOr<utoipa::openapi::Response> {
    ResponseBuilder::new()
        .description(error_description(codes))
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorBody")))
                .build(),
        )
        .into()
}

/// Every operation of a path.
pub fn operations_mut(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.options,
        &mut item.head,
        &mut item.patch,
        &mut item.trace,
    ]
    .into_iter()
    .filter_map(Option::as_mut)
}

/// Adds to each operation of `api` for which `applies` holds the error answers of `codes`, and
/// to the operations that already answer a code's status, that code (so the description lists
/// every code a status can carry).
pub fn add_errors(api: &mut OpenApi, codes: &[ErrorCode], applies: impl Fn(&Operation) -> bool) {
    for item in api.paths.paths.values_mut() {
        for operation in operations_mut(item) {
            if applies(operation) {
                add_to(operation, codes);
            }
        }
    }
}

/// Adds the error answers of `codes` to one operation.
pub fn add_to(operation: &mut Operation, codes: &[ErrorCode]) {
    let mut by_status: BTreeMap<u16, Vec<ErrorCode>> = BTreeMap::new();
    for code in codes {
        by_status
            .entry(code.status().as_u16())
            .or_default()
            .push(*code);
    }
    for (status, mut codes) in by_status {
        let key = status.to_string();
        let responses = &mut operation.responses.responses;
        // Keep the codes the handler documented for this status, and add the layer's.
        if let Some(RefOr::T(existing)) = responses.get(&key) {
            let documented = ErrorCode::ALL.into_iter().filter(|known| {
                existing
                    .description
                    .contains(&format!("`{}`", known.as_str()))
            });
            for known in documented.collect::<Vec<_>>() {
                if !codes.contains(&known) {
                    codes.insert(0, known);
                }
            }
        }
        responses.insert(key, error_response(&codes));
    }
}

/// The answers the common layers (`with_common_layers`, the JSON and query extractors) can give
/// to any request, added to every operation: 500 (a panic), 431 (headers over
/// [`crate::MAX_HEADER_BYTES`]), and for an operation with a body 400, 408, 413 and 415, with query or
/// path parameters 400.
pub fn add_common_errors(api: &mut OpenApi) {
    let components = api
        .components
        .get_or_insert_with(utoipa::openapi::Components::new);
    let mut schemas = vec![(ErrorBody::name().into_owned(), ErrorBody::schema())];
    ErrorBody::schemas(&mut schemas);
    components.schemas.extend(schemas);
    add_errors(
        api,
        &[ErrorCode::Internal, ErrorCode::HeadersTooLarge],
        |_| true,
    );
    add_errors(
        api,
        &[
            ErrorCode::ValidationFailed,
            ErrorCode::MalformedJson,
            ErrorCode::RequestTimeout,
            ErrorCode::PayloadTooLarge,
            ErrorCode::UnsupportedMediaType,
        ],
        |op| op.request_body.is_some(),
    );
    add_errors(api, &[ErrorCode::ValidationFailed], |op| {
        op.parameters.as_ref().is_some_and(|p| !p.is_empty())
    });
}

/// The document as served: JSON, generated once when the router is built.
#[derive(Debug, Clone)]
pub struct OpenApiJson(pub std::sync::Arc<String>);

impl OpenApiJson {
    /// Serializes `api`; a document that cannot be written is a bug found at start-up.
    pub fn new(api: &OpenApi) -> Result<Self, serde_json::Error> {
        api.to_json().map(|json| Self(std::sync::Arc::new(json)))
    }
}

impl IntoResponse for OpenApiJson {
    fn into_response(self) -> Response {
        (
            [(CONTENT_TYPE, "application/json")],
            self.0.as_str().to_owned(),
        )
            .into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The place of `rule` in [`RULES`]. Exhaustive on purpose: a new rule in the domain does not
    /// compile here until it is listed, and the test below checks the list.
    fn rule_index(rule: Rule) -> usize {
        match rule {
            Rule::Required => 0,
            Rule::MaxLength(_) => 1,
            Rule::Range { .. } => 2,
            Rule::OneOf => 3,
            Rule::Format => 4,
            Rule::NoControlCharacters => 5,
            Rule::NotInFuture(_) => 6,
            Rule::MinYear(_) => 7,
            Rule::Clock => 8,
            Rule::NoLeapSecond => 9,
            Rule::Order => 10,
            Rule::Type => 11,
            Rule::UnknownField => 12,
            Rule::Duplicate => 13,
            Rule::Confirm => 14,
            Rule::Weak => 15,
            Rule::Invalid => 16,
        }
    }

    #[test]
    fn every_rule_is_listed_once_in_order() {
        for (i, rule) in RULES.iter().enumerate() {
            assert_eq!(rule_index(*rule), i, "{rule:?}");
        }
        let names: std::collections::HashSet<_> = RULES.iter().map(|r| r.name()).collect();
        assert_eq!(names.len(), RULES.len());
    }

    #[test]
    fn nullable_adds_null_to_the_type_and_the_enum() {
        let json = serde_json::to_value(nullable(tx_type())).unwrap();
        assert_eq!(json["type"], serde_json::json!(["string", "null"]));
        assert_eq!(json["enum"], serde_json::json!(["IN", "OUT", null]));
    }
}
