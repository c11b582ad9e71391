//! The HQ HTTP API (`/api/v1`) of `kh-cloud` (DESIGN 6): branch-key and admin-token
//! authentication with a failed-attempt limit, the sync push, branch management and reports.
//! Handlers parse, call a service and shape the answer; they never touch storage.
#![forbid(unsafe_code)]

mod auth;
mod console;
mod dto;
mod handlers;
mod limit;
mod proxies;
mod router;
mod staff_auth;
mod state;

pub use kh_http_common::{ApiError, Envelope};
pub use proxies::TrustedProxy;
pub use router::{MAX_BODY_BYTES, openapi, router};
pub use state::{CloudConfig, CloudState, DEFAULT_MAX_BATCH, HqPorts};
