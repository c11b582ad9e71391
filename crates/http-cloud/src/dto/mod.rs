//! Request and response bodies. JSON keys are snake_case; times are RFC 3339 UTC with
//! milliseconds and `Z`; money is an integer number of rupiah.

mod auth;
mod branches;
mod lists;
mod people;
mod pull;
mod push;
mod reports;
mod transactions;

pub(crate) use auth::{AuditDto, CreateUser, ResetPassword, SessionDto, SignIn, UserDto};
pub(crate) use branches::{
    BranchDto, BranchListItemDto, BranchWithKeyDto, CreateBranch, WhoamiDto,
};
pub(crate) use lists::{
    CategoryDto, ChannelDto, ConfigParams, ConfigQuery, CreateCategory, CreateChannel,
    ListSettings, ListsDto, ListsVersionDto, UpdateCategory, UpdateChannel,
};
pub(crate) use people::{ConfigDto, CreateStaff, ResetPin, StaffDto, StaffWithPinDto, UpdateStaff};
pub(crate) use pull::{FeedPageDto, PullParams, PullQuery};
pub(crate) use push::{PushResultDto, PushRow, RejectedDto, push_body, read_push};
pub(crate) use reports::{
    DailyParams, DailyQuery, HqSettingsDto, RangeParams, RangeQuery, ReportSummaryDto,
};
pub(crate) use transactions::TransactionDto;

pub(crate) use kh_http_common::rfc3339;
