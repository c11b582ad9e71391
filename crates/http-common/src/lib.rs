//! What both HTTP APIs share: the response envelope, [`ApiError`] (the one place where errors
//! become HTTP), and extractors that turn every malformed request into a 4xx naming the field.
#![forbid(unsafe_code)]

mod dto;
mod envelope;
mod error;
mod extract;
mod serve;

pub use dto::{DailyDto, ListParams, ListScope, PageDto, TransactionCore, present, rfc3339};
pub use envelope::{Envelope, Success};
pub use error::{ApiError, Detail};
pub use extract::{BodyLimit, IdParam, JsonBody, JsonBytes, QueryParams, describe, parse_json};
pub use serve::{shutdown_signal, with_common_layers};
