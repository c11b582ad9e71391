//! Branch management and `GET /sync/whoami`.

use kh_domain::{ApiKey, Branch};
use serde::{Deserialize, Serialize};

use super::rfc3339;

/// `POST /branches`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateBranch {
    pub code: String,
    pub name: String,
}

/// A branch as the admin endpoints show it.
#[derive(Debug, Serialize)]
pub(crate) struct BranchDto {
    id: String,
    code: String,
    name: String,
    created_at: String,
    disabled_at: Option<String>,
    last_seen_at: Option<String>,
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
#[derive(Debug, Serialize)]
pub(crate) struct BranchWithKeyDto {
    #[serde(flatten)]
    branch: BranchDto,
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
#[derive(Debug, Serialize)]
struct BranchRefDto {
    id: String,
    code: String,
    name: String,
}

/// `GET /sync/whoami`.
#[derive(Debug, Serialize)]
pub(crate) struct WhoamiDto {
    branch: BranchRefDto,
}

impl From<&Branch> for WhoamiDto {
    fn from(b: &Branch) -> Self {
        Self {
            branch: BranchRefDto {
                id: b.id.to_string(),
                code: b.code.as_str().to_owned(),
                name: b.name.as_str().to_owned(),
            },
        }
    }
}
