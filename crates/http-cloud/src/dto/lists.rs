//! HQ's lists (DESIGN 9): what `GET /sync/config` and the admin's list endpoints answer, and
//! the bodies that change them.

use kh_domain::{FieldError, ListCategory, Lists, PaymentChannel, Rule, ValidationErrors};
use kh_http_common::openapi;
use kh_ports::services::{CategoryEdit, ChannelEdit};
use serde::{Deserialize, Serialize};
use utoipa::openapi::path::{Parameter, ParameterIn};
use utoipa::openapi::schema::{Object, ObjectBuilder, Type};
use utoipa::{IntoParams, ToSchema};

use kh_http_common::query_param;

use crate::ApiError;

fn usage() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(["IN", "OUT", "BOTH"]))
        .description(Some("Which entries it is offered for."))
        .build()
}

fn kind() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(["cash", "non_cash"]))
        .description(Some(
            "Whether its money passes the drawer; fixed when made.",
        ))
        .build()
}

/// A category of HQ's list.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CategoryDto {
    #[schema(schema_with = openapi::uuid)]
    id: String,
    #[schema(schema_with = openapi::category)]
    name: String,
    #[serde(rename = "type")]
    #[schema(schema_with = usage)]
    usage: &'static str,
    /// Offered for new entries; a deactivated one still names old entries.
    active: bool,
}

impl From<&ListCategory> for CategoryDto {
    fn from(c: &ListCategory) -> Self {
        Self {
            id: c.id.to_string(),
            name: c.name.as_str().to_owned(),
            usage: c.usage.as_str(),
            active: c.active,
        }
    }
}

/// A payment channel of HQ's list.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ChannelDto {
    #[schema(schema_with = openapi::uuid)]
    id: String,
    #[schema(schema_with = openapi::channel_name)]
    name: String,
    #[schema(schema_with = kind)]
    kind: &'static str,
    /// Offered for new entries; a deactivated one still names old entries.
    active: bool,
}

impl From<&PaymentChannel> for ChannelDto {
    fn from(c: &PaymentChannel) -> Self {
        Self {
            id: c.id.to_string(),
            name: c.name.as_str().to_owned(),
            kind: c.kind.as_str(),
            active: c.active,
        }
    }
}

/// HQ's lists, or what changed in them after a version.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ListsDto {
    /// The lists' version now; ask for `since` this next time.
    version: i64,
    /// Whether a branch may take a category that is not in the list.
    allow_new_categories: bool,
    /// Categories changed after `since` (all of them for 0), active or not.
    categories: Vec<CategoryDto>,
    /// Payment channels changed after `since`, active or not; cash first.
    channels: Vec<ChannelDto>,
}

impl From<&Lists> for ListsDto {
    fn from(l: &Lists) -> Self {
        Self {
            version: l.version,
            allow_new_categories: l.allow_new_categories,
            categories: l.categories.iter().map(CategoryDto::from).collect(),
            channels: l.channels.iter().map(ChannelDto::from).collect(),
        }
    }
}

/// `since`, for the document.
pub(crate) struct ConfigQuery;

impl IntoParams for ConfigQuery {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![query_param(
            "since",
            "The `version` last received; 0 (the default) for the whole lists.",
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(0))
                .build(),
        )]
    }
}

/// Query of `GET /sync/config`, read as text so a wrong value is named with its rule.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConfigParams {
    since: Option<String>,
}

impl ConfigParams {
    /// `since`: absent is 0; given, it must be written as digits (blank is not absent).
    pub(crate) fn since(&self) -> Result<i64, ApiError> {
        match self.since.as_deref() {
            None => Ok(0),
            Some(text) => Some(text)
                .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|t| t.parse::<i64>().ok())
                .ok_or_else(|| {
                    ValidationErrors(vec![
                        FieldError::new("since", "must be a version: a whole number, 0 or more")
                            .rule(Rule::Range {
                                min: 0,
                                max: i64::MAX,
                            }),
                    ])
                    .into()
                }),
        }
    }
}

/// `POST /lists/categories`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateCategory {
    #[schema(schema_with = openapi::category)]
    pub name: String,
    #[serde(rename = "type")]
    #[schema(schema_with = usage)]
    pub usage: String,
}

fn name_or_null() -> Object {
    openapi::nullable(openapi::category())
}

fn usage_or_null() -> Object {
    openapi::nullable(usage())
}

fn channel_name_or_null() -> Object {
    openapi::nullable(openapi::channel_name())
}

/// `PATCH /lists/categories/{id}`: the fields to change (absent or null: unchanged).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct UpdateCategory {
    #[serde(default)]
    #[schema(schema_with = name_or_null, required = false)]
    name: Option<String>,
    #[serde(default, rename = "type")]
    #[schema(schema_with = usage_or_null, required = false)]
    usage: Option<String>,
    #[serde(default)]
    #[schema(required = false, nullable)]
    active: Option<bool>,
}

impl UpdateCategory {
    pub(crate) fn edit(&self) -> CategoryEdit<'_> {
        CategoryEdit {
            name: self.name.as_deref(),
            usage: self.usage.as_deref(),
            active: self.active,
        }
    }
}

/// `POST /lists/channels`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateChannel {
    #[schema(schema_with = openapi::channel_name)]
    pub name: String,
    #[schema(schema_with = kind)]
    pub kind: String,
}

/// `PATCH /lists/channels/{id}`: the fields to change (absent or null: unchanged; a
/// channel's kind never changes).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct UpdateChannel {
    #[serde(default)]
    #[schema(schema_with = channel_name_or_null, required = false)]
    name: Option<String>,
    #[serde(default)]
    #[schema(required = false, nullable)]
    active: Option<bool>,
}

impl UpdateChannel {
    pub(crate) fn edit(&self) -> ChannelEdit<'_> {
        ChannelEdit {
            name: self.name.as_deref(),
            active: self.active,
        }
    }
}

/// `PUT /lists/settings`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListSettings {
    /// Whether branches may take a category that is not in the list.
    pub allow_new_categories: bool,
}

/// The lists' version after a settings change.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ListsVersionDto {
    pub version: i64,
    pub allow_new_categories: bool,
}
