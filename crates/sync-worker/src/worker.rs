//! One sync attempt: learn who we are if needed, then push batch after batch until the outbox
//! is empty or HQ cannot take more.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use kh_domain::{RejectionCode, TransactionId};
use kh_ports::services::{CurrentBranch, SyncProgress};
use kh_ports::{
    Clock, GatewayError, LedgerError, LinkStatus, Outbox, PushOutcome, Refusal, SyncActivity,
    SyncCredentials, SyncGateway, SyncSettings,
};

/// How one [`SyncWorker::tick`] ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TickOutcome {
    /// No HQ address or key yet.
    Unconfigured,
    /// HQ refused the key; nothing is pushed until the key changes.
    Unauthorized,
    /// The outbox is empty; `pushed` rows went out in this tick.
    Drained {
        /// Rows HQ confirmed in this tick.
        pushed: u64,
    },
    /// HQ could not be reached (or answered oddly); retry with backoff.
    Offline {
        /// Rows HQ confirmed in this tick before the failure.
        pushed: u64,
    },
    /// Asked to stop between batches.
    Stopped,
    /// The PC was activated (new key or address) while the attempt ran; its results were not
    /// recorded over the new settings, and the next tick uses them.
    Superseded,
    /// The local database failed; retry with backoff.
    LocalError(String),
}

/// The sync worker's logic, free of timers so tests can drive it step by step.
pub struct SyncWorker {
    outbox: Arc<dyn Outbox>,
    settings: Arc<dyn SyncSettings>,
    gateway: Arc<dyn SyncGateway>,
    clock: Arc<dyn Clock>,
    branch: CurrentBranch,
    progress: SyncProgress,
    batch_size: u32,
}

impl SyncWorker {
    /// A worker pushing at most `batch_size` rows per request.
    pub fn new(
        outbox: Arc<dyn Outbox>,
        settings: Arc<dyn SyncSettings>,
        gateway: Arc<dyn SyncGateway>,
        clock: Arc<dyn Clock>,
        branch: CurrentBranch,
        progress: SyncProgress,
        batch_size: u32,
    ) -> Self {
        Self {
            outbox,
            settings,
            gateway,
            clock,
            branch,
            progress,
            batch_size: batch_size.max(1),
        }
    }

    /// One attempt: drains the outbox batch after batch (a backlog goes at network speed), and
    /// stops at the first failure. `stop` is checked between batches, so a batch in flight is
    /// always finished and its answer recorded.
    #[tracing::instrument(name = "sync_tick", skip_all)]
    pub async fn tick(&self, stop: &AtomicBool) -> TickOutcome {
        match self.try_tick(stop).await {
            Ok(outcome) => outcome,
            Err(e) => {
                tracing::error!(error = %e, "sync stopped by a local database error");
                TickOutcome::LocalError(e.to_string())
            }
        }
    }

    async fn try_tick(&self, stop: &AtomicBool) -> Result<TickOutcome, LedgerError> {
        let Some(credentials) = self.settings.credentials().await? else {
            return Ok(TickOutcome::Unconfigured);
        };
        let mut activity = self.settings.activity().await?;
        if activity.link == LinkStatus::Unauthorized {
            // Stays so until someone activates the PC again (a new or re-enabled key).
            return Ok(TickOutcome::Unauthorized);
        }
        if self.settings.identity().await?.is_none() {
            activity.last_attempt_at = Some(self.clock.now());
            match self.gateway.whoami(&credentials).await {
                Ok(identity) => {
                    if !self
                        .settings
                        .learn_identity(&credentials, &identity)
                        .await?
                    {
                        // The PC was activated while HQ was answering: that answer is about
                        // the old key. The next tick starts from the new settings.
                        tracing::info!("activated meanwhile; this sync attempt ends");
                        return Ok(TickOutcome::Superseded);
                    }
                    let stamped = self.outbox.assign_branch(identity.id).await?;
                    self.branch.set(Some(identity.id));
                    tracing::info!(branch.code = %identity.code, stamped, "branch identity confirmed by HQ");
                }
                Err(e) => return self.failed(&credentials, activity, e, 0).await,
            }
        }
        let mut batch_size = self.batch_size;
        let mut pushed = 0_u64;
        let mut answered_this_tick = false;
        let _sending = self.progress.start();
        loop {
            if stop.load(Ordering::SeqCst) {
                return Ok(TickOutcome::Stopped);
            }
            let rows = self.outbox.pending(batch_size).await?;
            let now = self.clock.now();
            activity.last_attempt_at = Some(now);
            if rows.is_empty() {
                if !answered_this_tick {
                    // Nothing to send still means asking HQ: online is what HQ says, not what
                    // an empty outbox suggests. whoami also notices a key HQ stopped taking.
                    if let Err(e) = self.gateway.whoami(&credentials).await {
                        return self.failed(&credentials, activity, e, pushed).await;
                    }
                }
                activity.link = LinkStatus::Online;
                activity.last_sync_at = Some(self.clock.now());
                activity.last_error = None;
                if !self
                    .settings
                    .record_activity_for(&credentials, &activity)
                    .await?
                {
                    return Ok(TickOutcome::Superseded);
                }
                return Ok(TickOutcome::Drained { pushed });
            }
            match self.gateway.push(&credentials, &rows).await {
                Ok(reply) => {
                    let sent: HashSet<TransactionId> = rows.iter().map(|r| r.id).collect();
                    let outcome = PushOutcome {
                        synced: reply
                            .accepted
                            .iter()
                            .chain(&reply.duplicates)
                            .copied()
                            .filter(|id| sent.contains(id))
                            .collect(),
                        rejected: reply
                            .rejected
                            .into_iter()
                            .filter(|(id, _)| sent.contains(id))
                            .collect(),
                    };
                    let answered = outcome.synced.len() + outcome.rejected.len();
                    self.outbox
                        .apply_outcome(&outcome, self.clock.now())
                        .await?;
                    pushed += u64::try_from(outcome.synced.len()).unwrap_or(u64::MAX);
                    tracing::info!(
                        rows = rows.len(),
                        synced = outcome.synced.len(),
                        rejected = outcome.rejected.len(),
                        "batch pushed"
                    );
                    if !outcome.rejected.is_empty() {
                        tracing::warn!(
                            count = outcome.rejected.len(),
                            "HQ refused rows; they are quarantined with HQ's reason"
                        );
                    }
                    if answered == 0 {
                        // HQ said nothing about any row sent: pushing again would loop forever.
                        let e = GatewayError::Protocol(
                            "HQ's answer named none of the rows sent".into(),
                        );
                        return self.failed(&credentials, activity, e, pushed).await;
                    }
                    // HQ answered: the status says so at once, and the screen follows the
                    // drain batch by batch.
                    answered_this_tick = true;
                    self.progress
                        .add(u64::try_from(answered).unwrap_or(u64::MAX));
                    activity.link = LinkStatus::Online;
                    activity.last_sync_at = Some(self.clock.now());
                    activity.last_error = None;
                    if !self
                        .settings
                        .record_activity_for(&credentials, &activity)
                        .await?
                    {
                        return Ok(TickOutcome::Superseded);
                    }
                    // A size HQ refused stays reduced for the rest of this tick.
                }
                Err(GatewayError::TooLarge(why)) if batch_size > 1 => {
                    batch_size = (batch_size / 2).max(1);
                    tracing::warn!(batch_size, why, "push too large for HQ; sending fewer rows");
                }
                Err(GatewayError::TooLarge(why)) => {
                    // A single row HQ will never take: quarantine it so the rows behind go on.
                    let outcome = PushOutcome {
                        synced: Vec::new(),
                        rejected: rows
                            .iter()
                            .map(|r| {
                                let code = RejectionCode::PayloadTooLarge.as_str();
                                (r.id, Refusal::new(code, why.clone()))
                            })
                            .collect(),
                    };
                    self.outbox
                        .apply_outcome(&outcome, self.clock.now())
                        .await?;
                }
                Err(e) => return self.failed(&credentials, activity, e, pushed).await,
            }
        }
    }

    async fn failed(
        &self,
        credentials: &SyncCredentials,
        mut activity: SyncActivity,
        error: GatewayError,
        pushed: u64,
    ) -> Result<TickOutcome, LedgerError> {
        let unauthorized = matches!(error, GatewayError::Unauthorized(_));
        activity.link = if unauthorized {
            LinkStatus::Unauthorized
        } else {
            LinkStatus::Offline
        };
        activity.last_error = Some(error.to_string());
        if !self
            .settings
            .record_activity_for(credentials, &activity)
            .await?
        {
            // The PC was activated while this attempt ran: its failure says nothing about
            // the new key, whose status activation has just set.
            return Ok(TickOutcome::Superseded);
        }
        if unauthorized {
            tracing::warn!(error = %error, "HQ refused the branch key; sync stops until the PC is activated again");
            Ok(TickOutcome::Unauthorized)
        } else {
            tracing::info!(error = %error, pushed, "HQ not reachable; will retry");
            Ok(TickOutcome::Offline { pushed })
        }
    }
}
