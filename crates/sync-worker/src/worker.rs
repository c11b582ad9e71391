//! One sync attempt: learn who we are if needed, then push batch after batch until the outbox
//! is empty or HQ cannot take more.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};

use kh_domain::TransactionId;
use kh_ports::services::CurrentBranch;
use kh_ports::{
    Clock, GatewayError, LedgerError, LinkStatus, Outbox, PushOutcome, SyncActivity, SyncGateway,
    SyncSettings,
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
    /// The local database failed; retry with backoff.
    LocalError(String),
}

/// The sync worker's logic, free of timers so tests can drive it step by step.
#[derive(Debug)]
pub struct SyncWorker<O, S, G, C> {
    outbox: O,
    settings: S,
    gateway: G,
    clock: C,
    branch: CurrentBranch,
    batch_size: u32,
}

impl<O: Outbox, S: SyncSettings, G: SyncGateway, C: Clock> SyncWorker<O, S, G, C> {
    /// A worker pushing at most `batch_size` rows per request.
    pub fn new(
        outbox: O,
        settings: S,
        gateway: G,
        clock: C,
        branch: CurrentBranch,
        batch_size: u32,
    ) -> Self {
        Self {
            outbox,
            settings,
            gateway,
            clock,
            branch,
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
                    self.settings
                        .activate(&credentials, Some(identity.clone()))
                        .await?;
                    let stamped = self.outbox.assign_branch(identity.id).await?;
                    self.branch.set(Some(identity.id));
                    tracing::info!(branch.code = %identity.code, stamped, "branch identity confirmed by HQ");
                }
                Err(e) => return self.failed(activity, e, 0).await,
            }
        }
        let mut batch_size = self.batch_size;
        let mut pushed = 0_u64;
        loop {
            if stop.load(Ordering::SeqCst) {
                return Ok(TickOutcome::Stopped);
            }
            let rows = self.outbox.pending(batch_size).await?;
            let now = self.clock.now();
            activity.last_attempt_at = Some(now);
            if rows.is_empty() {
                activity.link = LinkStatus::Online;
                activity.last_sync_at = Some(now);
                activity.last_error = None;
                self.settings.record_activity(&activity).await?;
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
                        return self.failed(activity, e, pushed).await;
                    }
                    activity.link = LinkStatus::Online;
                    activity.last_error = None;
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
                            .map(|r| (r.id, format!("payload_too_large: {why}")))
                            .collect(),
                    };
                    self.outbox
                        .apply_outcome(&outcome, self.clock.now())
                        .await?;
                }
                Err(e) => return self.failed(activity, e, pushed).await,
            }
        }
    }

    async fn failed(
        &self,
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
        self.settings.record_activity(&activity).await?;
        if unauthorized {
            tracing::warn!(error = %error, "HQ refused the branch key; sync stops until the PC is activated again");
            Ok(TickOutcome::Unauthorized)
        } else {
            tracing::info!(error = %error, pushed, "HQ not reachable; will retry");
            Ok(TickOutcome::Offline { pushed })
        }
    }
}
