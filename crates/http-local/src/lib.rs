//! The branch HTTP API (`/api/v1`) of `kh-local`: DTOs, handlers, the error envelope and the
//! loopback protections of DESIGN 5.1. Handlers parse, call a service and shape the answer;
//! they never touch storage.
#![forbid(unsafe_code)]

mod dto;
mod guard;
mod handlers;
mod router;
mod state;
mod ui;

pub use guard::SecurityPolicy;
pub use kh_http_common::{ApiError, Envelope};
pub use router::{MAX_BODY_BYTES, openapi, router};
pub use state::AppState;
pub use ui::ui_router;
