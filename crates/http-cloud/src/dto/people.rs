//! Branch staff (DESIGN 10.2): what the staff endpoints answer, the bodies that change them,
//! and the staff part of `GET /sync/config` (the only answer that carries PIN hashes, and only
//! to the member's own branch).

use kh_domain::{Lists, Pin, StaffMember};
use kh_http_common::openapi;
use kh_ports::services::StaffEdit;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa::openapi::schema::{Object, ObjectBuilder, Type};

use crate::dto::ListsDto;

fn role() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(["cashier", "supervisor"]))
        .description(Some(
            "A supervisor also approves voids, back-dated entries and large differences.",
        ))
        .build()
}

fn name() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(1))
        .max_length(Some(60))
        .description(Some("As the lock screen lists it; unique in the branch."))
        .build()
}

fn pin() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some("^[0-9]{6}$"))
        .description(Some(
            "Six digits, not one digit repeated nor digits in a row; left out, HQ makes one.",
        ))
        .build()
}

fn role_or_null() -> Object {
    openapi::nullable(role())
}

fn name_or_null() -> Object {
    openapi::nullable(name())
}

fn pin_or_null() -> Object {
    openapi::nullable(pin())
}

/// A branch staff member as HQ users see them (never the PIN's hash).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct StaffDto {
    #[schema(schema_with = openapi::uuid)]
    id: String,
    /// The member's branch.
    #[schema(schema_with = openapi::uuid)]
    branch_id: String,
    #[schema(schema_with = name)]
    name: String,
    #[schema(schema_with = role)]
    role: &'static str,
    /// May sign in at the branch.
    active: bool,
}

impl StaffDto {
    pub(crate) fn new(branch: kh_domain::BranchId, m: &StaffMember) -> Self {
        Self {
            id: m.id.to_string(),
            branch_id: branch.to_string(),
            name: m.name.as_str().to_owned(),
            role: m.role.as_str(),
            active: m.active,
        }
    }
}

/// A member just added, or whose PIN was just set: the only time HQ shows the PIN.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct StaffWithPinDto {
    #[serde(flatten)]
    member: StaffDto,
    /// The PIN, shown this once; give it to the member.
    #[schema(schema_with = pin)]
    pin: String,
}

impl StaffWithPinDto {
    pub(crate) fn new(branch: kh_domain::BranchId, m: &StaffMember, pin: &Pin) -> Self {
        Self {
            member: StaffDto::new(branch, m),
            pin: pin.expose().to_owned(),
        }
    }
}

/// `POST /staff`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateStaff {
    #[schema(schema_with = openapi::uuid)]
    pub branch_id: String,
    #[schema(schema_with = name)]
    pub name: String,
    #[schema(schema_with = role)]
    pub role: String,
    #[serde(default)]
    #[schema(schema_with = pin_or_null, required = false)]
    pub pin: Option<String>,
}

/// `PATCH /staff/{id}`: the fields to change (absent or null: unchanged).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct UpdateStaff {
    #[serde(default)]
    #[schema(schema_with = name_or_null, required = false)]
    name: Option<String>,
    #[serde(default)]
    #[schema(schema_with = role_or_null, required = false)]
    role: Option<String>,
    #[serde(default)]
    #[schema(required = false, nullable)]
    active: Option<bool>,
}

impl UpdateStaff {
    pub(crate) fn edit(&self) -> StaffEdit<'_> {
        StaffEdit {
            name: self.name.as_deref(),
            role: self.role.as_deref(),
            active: self.active,
        }
    }
}

/// `POST /staff/{id}/pin`.
#[derive(Debug, Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct ResetPin {
    #[serde(default)]
    #[schema(schema_with = pin_or_null, required = false)]
    pub pin: Option<String>,
}

/// A staff member as their own branch receives them, with the PIN's hash for the offline
/// check at the lock screen.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct BranchStaffDto {
    #[schema(schema_with = openapi::uuid)]
    id: String,
    #[schema(schema_with = name)]
    name: String,
    #[schema(schema_with = role)]
    role: &'static str,
    active: bool,
    /// The PIN's argon2id hash (PHC string).
    pin_hash: String,
}

/// `GET /sync/config`: HQ's lists, and the branch's own staff, changed after `since`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ConfigDto {
    #[serde(flatten)]
    lists: ListsDto,
    /// The branch's staff changed after `since` (all of them for 0), active or not.
    staff: Vec<BranchStaffDto>,
    /// The settings every branch follows, always whole.
    settings: BranchSettingsDto,
}

/// The settings every branch follows (DESIGN 9).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct BranchSettingsDto {
    /// A closing difference beyond this (rupiah, either way) needs a supervisor.
    cash_difference_threshold: i64,
    /// The cashier counts the drawer without seeing the expected amount.
    blind_close: bool,
    /// When the business day starts, `HH:MM` (entries before it belong to the day before).
    business_day_starts_at: String,
}

impl From<&kh_domain::BranchSettings> for BranchSettingsDto {
    fn from(s: &kh_domain::BranchSettings) -> Self {
        Self {
            cash_difference_threshold: s.cash_difference_threshold,
            blind_close: s.blind_close,
            business_day_starts_at: s.day_start_text(),
        }
    }
}

impl From<&Lists> for ConfigDto {
    fn from(l: &Lists) -> Self {
        Self {
            settings: BranchSettingsDto::from(&l.settings),
            lists: ListsDto::from(l),
            staff: l
                .staff
                .iter()
                .map(|m| BranchStaffDto {
                    id: m.id.to_string(),
                    name: m.name.as_str().to_owned(),
                    role: m.role.as_str(),
                    active: m.active,
                    pin_hash: m.pin_hash.as_str().to_owned(),
                })
                .collect(),
        }
    }
}
