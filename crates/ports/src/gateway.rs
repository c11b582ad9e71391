use async_trait::async_trait;
use kh_domain::{HqEpoch, Lists, ShiftId, Transaction, TransactionId};

use crate::{BranchIdentity, PulledPage, Refusal, ShiftView, SyncCredentials};

/// Why talking to HQ failed, sorted by what the branch should do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GatewayError {
    /// HQ could not be reached, timed out, or answered 5xx/429. Nothing changed at HQ that the
    /// branch needs to know about: retry later with backoff.
    #[error("HQ could not be reached: {0}")]
    Unreachable(String),
    /// HQ refused the key (401) or the branch (403): stop until the key changes.
    #[error("HQ refused this branch's key: {0}")]
    Unauthorized(String),
    /// The request was too large for HQ (413, or over the byte cap): send fewer rows.
    #[error("the push was too large for HQ: {0}")]
    TooLarge(String),
    /// HQ answered something the branch does not understand (a 4xx for the whole request, or a
    /// body of the wrong shape): likely a wrong address or version mismatch; retry later.
    #[error("unexpected answer from HQ: {0}")]
    Protocol(String),
}

/// HQ's answer to a push, per row.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PushReply {
    /// Stored now.
    pub accepted: Vec<TransactionId>,
    /// Stored before (a re-send after a lost answer).
    pub duplicates: Vec<TransactionId>,
    /// Refused, with HQ's code and reason.
    pub rejected: Vec<(TransactionId, Refusal)>,
    /// HQ's epoch when it answered.
    pub epoch: Option<HqEpoch>,
}

/// HQ's answer to a push of shifts, per shift.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ShiftPushReply {
    /// Held at HQ as sent: stored now or before.
    pub held: Vec<ShiftId>,
    /// Refused, with HQ's code and reason.
    pub rejected: Vec<(ShiftId, Refusal)>,
}

/// The branch's way to HQ.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait SyncGateway: Send + Sync + 'static {
    /// Asks HQ which branch the key belongs to.
    async fn whoami(&self, credentials: &SyncCredentials) -> Result<BranchIdentity, GatewayError>;

    /// Pushes `rows` in one request. `Ok` means HQ committed them before answering.
    async fn push(
        &self,
        credentials: &SyncCredentials,
        rows: &[Transaction],
    ) -> Result<PushReply, GatewayError>;

    /// Reports `shifts` as they stand (opened, or closed with their count) in one request.
    async fn push_shifts(
        &self,
        credentials: &SyncCredentials,
        shifts: &[ShiftView],
    ) -> Result<ShiftPushReply, GatewayError>;

    /// Reads at most `limit` rows of the branch's feed after `after` (DESIGN 8.1). Each row is
    /// checked as HQ checks a pushed one; a row that fails is handed over unreadable, with its
    /// reason, never dropped. `held` (rows from HQ this book holds apart because it could not
    /// take them) goes along, so HQ staff can see which PC needs a look.
    async fn pull(
        &self,
        credentials: &SyncCredentials,
        after: i64,
        limit: u32,
        held: u64,
    ) -> Result<PulledPage, GatewayError>;

    /// Reads what changed in HQ's lists after version `since` (DESIGN 9). An item HQ sends
    /// that this PC cannot read is left out (and said in the log); the rest still count.
    async fn lists(&self, credentials: &SyncCredentials, since: i64)
    -> Result<Lists, GatewayError>;
}
