//! One sync attempt: learn who we are if needed, push batch after batch until the outbox is
//! empty or HQ cannot take more, then pull the branch's feed until caught up (DESIGN 8.3).

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use kh_domain::{BranchId, HqEpoch};
use kh_domain::{RejectionCode, TransactionId};
use kh_ports::services::{CurrentBranch, SyncProgress, cash_channels, view_of};
use kh_ports::{
    BranchLists, Clock, EpochSeen, GatewayError, Inbox, LedgerError, LinkStatus, Outbox,
    PushOutcome, Refusal, ShiftMark, ShiftPart, ShiftStore, SyncActivity, SyncCredentials,
    SyncGateway, SyncSettings,
};

/// Rows asked for per pull (HQ's largest page: a restore goes at network speed).
pub const PULL_PAGE: u32 = 1_000;

/// Shifts reported to HQ per request.
pub const SHIFT_BATCH: u32 = 50;

/// How pulling the feed ended.
enum PullEnd {
    /// Caught up with HQ.
    CaughtUp,
    /// Asked to stop between pages.
    Stopped,
    /// The PC was activated again meanwhile.
    Superseded,
    /// HQ could not be reached or refused.
    Failed(GatewayError),
}

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
    inbox: Arc<dyn Inbox>,
    lists: Arc<dyn BranchLists>,
    shifts: Arc<dyn ShiftStore>,
    settings: Arc<dyn SyncSettings>,
    gateway: Arc<dyn SyncGateway>,
    clock: Arc<dyn Clock>,
    branch: CurrentBranch,
    progress: SyncProgress,
    batch_size: u32,
}

impl SyncWorker {
    /// A worker pushing at most `batch_size` rows per request.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        outbox: Arc<dyn Outbox>,
        inbox: Arc<dyn Inbox>,
        lists: Arc<dyn BranchLists>,
        shifts: Arc<dyn ShiftStore>,
        settings: Arc<dyn SyncSettings>,
        gateway: Arc<dyn SyncGateway>,
        clock: Arc<dyn Clock>,
        branch: CurrentBranch,
        progress: SyncProgress,
        batch_size: u32,
    ) -> Self {
        Self {
            outbox,
            inbox,
            lists,
            shifts,
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
        let branch = match self.settings.identity().await? {
            Some(identity) => identity.id,
            None => {
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
                        identity.id
                    }
                    Err(e) => return self.failed(&credentials, activity, e, 0).await,
                }
            }
        };
        let mut batch_size = self.batch_size;
        let mut pushed = 0_u64;
        let _sending = self.progress.start();
        loop {
            if stop.load(Ordering::SeqCst) {
                return Ok(TickOutcome::Stopped);
            }
            let rows = self.outbox.pending(batch_size).await?;
            let now = self.clock.now();
            activity.last_attempt_at = Some(now);
            if rows.is_empty() {
                // Then the shifts (after their entries, so HQ never shows a close before the
                // entries it counted).
                if let Err(e) = self.push_shifts(&credentials).await? {
                    return self.failed(&credentials, activity, e, pushed).await;
                }
                // Then the branch's feed, which is also how an empty outbox asks HQ: online is
                // what HQ says, not what an empty outbox suggests (and a key HQ stopped taking
                // is noticed here).
                match self.pull(&credentials, branch, &mut activity, stop).await? {
                    PullEnd::CaughtUp => {}
                    PullEnd::Stopped => return Ok(TickOutcome::Stopped),
                    PullEnd::Superseded => return Ok(TickOutcome::Superseded),
                    PullEnd::Failed(e) => {
                        return self.failed(&credentials, activity, e, pushed).await;
                    }
                }
                if let Err(e) = self.refresh_lists(&credentials).await? {
                    return self.failed(&credentials, activity, e, pushed).await;
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
                    let epoch = reply.epoch;
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
                    self.note_epoch(epoch).await?;
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

    /// Pulls the feed page after page until HQ says there is no more, recording each page's
    /// progress (a restore shows `restored` of `total`).
    /// Reports to HQ every shift it has not had as it stands: opened ones, and closes.
    async fn push_shifts(
        &self,
        credentials: &SyncCredentials,
    ) -> Result<Result<(), GatewayError>, LedgerError> {
        let mut cash: Option<Vec<kh_domain::ChannelId>> = None;
        loop {
            let shifts = self.shifts.unsent_shifts(SHIFT_BATCH).await?;
            if shifts.is_empty() {
                return Ok(Ok(()));
            }
            let cash = match &cash {
                Some(c) => c,
                None => cash.insert(cash_channels(self.lists.as_ref()).await?),
            };
            let mut views = Vec::with_capacity(shifts.len());
            for shift in shifts {
                views.push(view_of(self.shifts.as_ref(), cash, shift).await?);
            }
            let reply = match self.gateway.push_shifts(credentials, &views).await {
                Ok(reply) => reply,
                Err(e) => return Ok(Err(e)),
            };
            let mut marks = Vec::new();
            for view in &views {
                let id = view.shift.id;
                let refusal = match reply.rejected.iter().find(|(r, _)| *r == id) {
                    Some((_, refusal)) => Some(refusal.clone()),
                    None if reply.held.contains(&id) => None,
                    None => continue,
                };
                if let Some(r) = &refusal {
                    tracing::warn!(shift.id = %id, code = r.code, "HQ refused a shift; it is kept with HQ's reason");
                }
                marks.push(ShiftMark {
                    id,
                    part: ShiftPart::Open,
                    refusal: refusal.clone(),
                });
                if view.shift.close.is_some() {
                    marks.push(ShiftMark {
                        id,
                        part: ShiftPart::Close,
                        refusal,
                    });
                }
            }
            if marks.is_empty() {
                return Ok(Err(GatewayError::Protocol(
                    "HQ's answer named none of the shifts sent".into(),
                )));
            }
            self.shifts.mark_shifts(&marks, self.clock.now()).await?;
            tracing::info!(shifts = views.len(), "shifts reported to HQ");
        }
    }

    async fn pull(
        &self,
        credentials: &SyncCredentials,
        branch: BranchId,
        activity: &mut SyncActivity,
        stop: &AtomicBool,
    ) -> Result<PullEnd, LedgerError> {
        let state = self.inbox.pull_state().await?;
        let (mut from, mut held) = (state.after, state.quarantined);
        activity.last_attempt_at = Some(self.clock.now());
        let mut next = self.gateway.pull(credentials, from, PULL_PAGE, held).await;
        loop {
            if stop.load(Ordering::SeqCst) {
                return Ok(PullEnd::Stopped);
            }
            let page = match next {
                Ok(page) => page,
                Err(e) => return Ok(PullEnd::Failed(e)),
            };
            if self.note_epoch(page.epoch).await? {
                // HQ was restored: its feed is read again from the start, and the entries it
                // may lack are pushed again in the next tick.
                let state = self.inbox.pull_state().await?;
                (from, held) = (state.after, state.quarantined);
                next = self.gateway.pull(credentials, from, PULL_PAGE, held).await;
                continue;
            }
            // While this page goes into the book, the next one is already on its way: a
            // restore moves at the pace of the slower of the two, not of their sum.
            let (taken, prefetched) = if page.more {
                let (taken, prefetched) = tokio::join!(
                    self.inbox.take_pulled(branch, from, &page),
                    self.gateway
                        .pull(credentials, page.next_after, PULL_PAGE, held)
                );
                (taken, Some(prefetched))
            } else {
                (self.inbox.take_pulled(branch, from, &page).await, None)
            };
            let Some(taken) = taken? else {
                tracing::info!("activated meanwhile; this pull ends");
                return Ok(PullEnd::Superseded);
            };
            if taken.stored > 0 || taken.quarantined > 0 {
                tracing::info!(
                    stored = taken.stored,
                    skipped = taken.skipped,
                    quarantined = taken.quarantined,
                    more = page.more,
                    "pulled from HQ"
                );
            }
            held = held.saturating_add(taken.quarantined);
            if taken.quarantined > 0 {
                tracing::warn!(
                    count = taken.quarantined,
                    "rows from HQ this book cannot take are kept apart with the reason"
                );
            }
            activity.link = LinkStatus::Online;
            activity.last_sync_at = Some(self.clock.now());
            activity.last_attempt_at = Some(self.clock.now());
            activity.last_error = None;
            if !self
                .settings
                .record_activity_for(credentials, activity)
                .await?
            {
                return Ok(PullEnd::Superseded);
            }
            let Some(prefetched) = prefetched else {
                return Ok(PullEnd::CaughtUp);
            };
            from = page.next_after;
            next = prefetched;
        }
    }

    /// Takes what changed in HQ's lists since the version held. Lists HQ has at a lower
    /// version than this PC's (HQ restored from a backup) are taken whole. Only a refused key
    /// fails the tick: the lists are refreshed again next tick, and until then the PC works
    /// with the ones it has.
    async fn refresh_lists(
        &self,
        credentials: &SyncCredentials,
    ) -> Result<Result<(), GatewayError>, LedgerError> {
        let held_lists = self.lists.lists().await?;
        let held = held_lists.version;
        let answer = match self.gateway.lists(credentials, held).await {
            Ok(answer) if answer.version < held => {
                tracing::warn!(
                    held,
                    hq = answer.version,
                    "HQ's lists are older than this PC's; taking them whole"
                );
                self.gateway
                    .lists(credentials, 0)
                    .await
                    .map(|all| (all, true))
            }
            Ok(answer) => Ok((answer, false)),
            Err(e) => Err(e),
        };
        match answer {
            Ok((lists, complete)) => {
                if complete || lists.version > held || lists.settings != held_lists.settings {
                    self.lists.apply_lists(&lists, complete).await?;
                    tracing::info!(version = lists.version, "lists from HQ taken");
                }
                Ok(Ok(()))
            }
            Err(e @ GatewayError::Unauthorized(_)) => Ok(Err(e)),
            Err(e) => {
                tracing::warn!(error = %e, "HQ's lists could not be read; keeping the ones held");
                Ok(Ok(()))
            }
        }
    }

    /// Notes HQ's epoch; true when it changed (HQ was restored from a backup or replaced:
    /// the book's confirmed entries went back to the outbox and the feed starts over).
    async fn note_epoch(&self, epoch: Option<HqEpoch>) -> Result<bool, LedgerError> {
        let Some(epoch) = epoch else {
            return Ok(false);
        };
        match self.inbox.note_epoch(epoch).await? {
            EpochSeen::Known => Ok(false),
            EpochSeen::Changed { requeued } => {
                tracing::warn!(
                    %epoch,
                    requeued,
                    "HQ's epoch changed (HQ was restored): sending every entry again"
                );
                Ok(true)
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
