//! The branch's background sync (DESIGN 7): a worker that drains the outbox to HQ batch after
//! batch, and the reqwest gateway it talks through. Tests drive one [`SyncWorker::tick`] at a
//! time without timers; [`spawn`] runs it on the interval, on wake-ups and with backoff.
#![forbid(unsafe_code)]

mod backoff;
mod gateway;
mod runner;
mod wake;
mod worker;

pub use backoff::Backoff;
pub use gateway::{HttpGateway, MAX_PUSH_BYTES};
pub use runner::{WorkerHandle, spawn};
pub use wake::WakeSignal;
pub use worker::{SyncWorker, TickOutcome};
