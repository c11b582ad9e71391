//! Branch management and `GET /sync/whoami`.

use kh_domain::{ApiKey, Branch, BranchCode, BranchName, HqEpoch};
use kh_http_common::openapi;
use kh_ports::Device;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa::openapi::schema::{Object, ObjectBuilder, Type};

use super::rfc3339;

/// `POST /branches`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateBranch {
    /// A short unique code such as `JKT-01` (kept upper case).
    #[schema(schema_with = code_in)]
    pub code: String,
    /// The display name (trimmed; not blank; no control characters).
    #[schema(schema_with = name)]
    pub name: String,
}

/// A code as a client may send it: the characters `BranchCode` takes, in any case, with spaces
/// around it (trimmed and upper-cased).
fn code_in() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(format!(
            "^\\s*[A-Za-z0-9_-]{{1,{}}}\\s*$",
            BranchCode::MAX_CHARS
        )))
        .build()
}

/// A code as HQ stores it (`BranchCode`).
fn code() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(1))
        .max_length(Some(BranchCode::MAX_CHARS))
        .build()
}

/// A display name (`BranchName`).
fn name() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(1))
        .max_length(Some(BranchName::MAX_CHARS))
        .build()
}

/// A branch as the admin endpoints show it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct BranchDto {
    #[schema(schema_with = openapi::uuid)]
    id: String,
    #[schema(schema_with = code)]
    code: String,
    #[schema(schema_with = name)]
    name: String,
    #[schema(schema_with = openapi::date_time)]
    created_at: String,
    /// When it was disabled; its key then gets 403.
    #[schema(schema_with = openapi::date_time_or_null)]
    disabled_at: Option<String>,
    /// When it last pushed or asked who it is.
    #[schema(schema_with = openapi::date_time_or_null)]
    last_seen_at: Option<String>,
}

/// One branch database (PC) HQ has heard from.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct DeviceDto {
    /// Its `X-KH-Device`.
    #[schema(schema_with = openapi::uuid)]
    id: String,
    /// Its first push or pull.
    #[schema(schema_with = openapi::date_time)]
    first_seen_at: String,
    /// Its latest push or pull (refreshed at most every 30 s).
    #[schema(schema_with = openapi::date_time)]
    last_seen_at: String,
    /// Rows from HQ this PC holds apart because its book could not take them (its pull
    /// quarantine), as it said at its latest pull; more than 0 needs a look.
    #[schema(minimum = 0)]
    pull_quarantined: u64,
}

impl From<&Device> for DeviceDto {
    fn from(d: &Device) -> Self {
        Self {
            id: d.id.to_string(),
            first_seen_at: rfc3339(d.first_seen_at),
            last_seen_at: rfc3339(d.last_seen_at),
            pull_quarantined: d.pull_quarantined,
        }
    }
}

/// A branch in `GET /branches`: the branch and its devices.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct BranchListItemDto {
    #[serde(flatten)]
    branch: BranchDto,
    /// The branch databases (PCs) that pushed or pulled with its key, first contact first.
    devices: Vec<DeviceDto>,
}

impl BranchListItemDto {
    pub(crate) fn new(branch: &Branch, devices: &[Device]) -> Self {
        Self {
            branch: BranchDto::from(branch),
            devices: devices.iter().map(DeviceDto::from).collect(),
        }
    }
}

impl From<&Branch> for BranchDto {
    fn from(b: &Branch) -> Self {
        Self {
            id: b.id.to_string(),
            code: b.code.as_str().to_owned(),
            name: b.name.as_str().to_owned(),
            created_at: rfc3339(b.created_at),
            disabled_at: b.disabled_at.map(rfc3339),
            last_seen_at: b.last_seen_at.map(rfc3339),
        }
    }
}

/// A branch with its new key: the only answer that ever shows a key.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct BranchWithKeyDto {
    #[serde(flatten)]
    branch: BranchDto,
    /// The branch key (`kh_…`), shown this once.
    api_key: String,
}

impl BranchWithKeyDto {
    pub(crate) fn new(branch: &Branch, key: &ApiKey) -> Self {
        Self {
            branch: BranchDto::from(branch),
            api_key: key.reveal().to_owned(),
        }
    }
}

/// The branch a key belongs to.
#[derive(Debug, Serialize, ToSchema)]
struct BranchRefDto {
    #[schema(schema_with = openapi::uuid)]
    id: String,
    #[schema(schema_with = code)]
    code: String,
    #[schema(schema_with = name)]
    name: String,
}

/// `GET /sync/whoami`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct WhoamiDto {
    branch: BranchRefDto,
    /// HQ's epoch: a branch that sees it change sends all its rows again (DESIGN 8.4).
    #[schema(schema_with = openapi::uuid)]
    epoch: String,
}

impl WhoamiDto {
    pub(crate) fn new(b: &Branch, epoch: HqEpoch) -> Self {
        Self {
            epoch: epoch.to_string(),
            branch: BranchRefDto {
                id: b.id.to_string(),
                code: b.code.as_str().to_owned(),
                name: b.name.as_str().to_owned(),
            },
        }
    }
}
