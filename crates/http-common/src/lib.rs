//! What both HTTP APIs share: the response envelope, [`ApiError`] (the one place where errors
//! become HTTP), and extractors that turn every malformed request into a 4xx naming the field.
#![forbid(unsafe_code)]

mod dto;
mod envelope;
mod error;
pub mod export;
mod extract;
pub mod openapi;
mod serve;
pub mod web;

pub use dto::{
    BranchExportQuery, BranchListQuery, DEFAULT_LIMIT, DailyDto, HealthDto, HqExportQuery,
    HqListQuery, ListParams, ListScope, MAX_LIMIT, MAX_PAGE, MAX_QUERY_CHARS, PageDto, SettingsDto,
    TransactionCore, digits, export_params, number, present, query_param, range_params, rfc3339,
    whole_number,
};
pub use envelope::{Envelope, Success};
pub use error::{ApiError, Detail, ErrorBody, ErrorCode, ErrorInfo};
pub use extract::{
    BodyLimit, ExportQuery, IdParam, JsonBody, JsonBytes, QueryParams, check_json, describe,
    parse_json,
};
pub use serve::{
    BODY_READ_TIMEOUT, MAX_HEADER_BYTES, MAX_HEADERS, ServeLimits, serve, shutdown_signal,
    with_common_layers,
};
