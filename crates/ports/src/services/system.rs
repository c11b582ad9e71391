use std::sync::{Arc, Mutex, PoisonError};

use kh_domain::{FieldError, ValidationErrors};

use crate::services::{CurrentBranch, ServiceError};
use crate::{
    BranchIdentity, Clock, GatewayError, Inbox, LinkStatus, Outbox, OutboxCounts, SyncActivity,
    SyncCredentials, SyncGateway, SyncSettings,
};

/// Wakes the sync worker. Implemented by whatever runs the worker; cheap and non-blocking.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait SyncTrigger: Send + Sync + 'static {
    /// Asks for a sync as soon as possible; repeated calls before it runs collapse into one.
    fn trigger(&self);
}

/// How far the worker's drain has come: rows HQ answered about since this sync attempt
/// began. Live state shared by the worker and the status, not stored: a restart starts a
/// new attempt.
#[derive(Debug, Clone, Default)]
pub struct SyncProgress(Arc<Mutex<Option<u64>>>);

/// Marks a sync attempt in progress; the attempt ends when this is dropped.
#[derive(Debug)]
pub struct SyncAttempt(SyncProgress);

impl SyncProgress {
    /// Starts counting a new attempt from 0.
    pub fn start(&self) -> SyncAttempt {
        *self.lock() = Some(0);
        SyncAttempt(self.clone())
    }

    /// Counts `rows` more answered by HQ.
    pub fn add(&self, rows: u64) {
        if let Some(sent) = self.lock().as_mut() {
            *sent = sent.saturating_add(rows);
        }
    }

    /// Rows answered in the attempt in progress, if one is.
    pub fn sent(&self) -> Option<u64> {
        *self.lock()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<u64>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for SyncAttempt {
    fn drop(&mut self) {
        *self.0.lock() = None;
    }
}

/// A drain in progress: `sent` of `total` rows (`total` = sent + still pending).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sending {
    /// Rows HQ has answered about in this attempt.
    pub sent: u64,
    /// `sent` plus the rows still waiting.
    pub total: u64,
}

/// What [`SystemService::preconfigure`] did with the credentials from the settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preconfigured {
    /// The PC had none: stored.
    Stored,
    /// They replaced stored ones HQ had never accepted.
    Replaced,
    /// The same as the stored ones.
    Unchanged,
    /// Different from stored ones HQ accepted: those stay.
    Kept,
}

/// How this PC stands with HQ, as `GET /system/status` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncStatus {
    /// Not activated: no HQ address and key yet.
    Unconfigured,
    /// HQ answered the last attempt.
    Online,
    /// HQ could not be reached (or has not been tried yet).
    Offline,
    /// HQ refused the key; pushing stops until the key changes.
    Unauthorized,
    /// HQ answers, and the book is taking the branch's history from HQ for the first time
    /// (a new or reinstalled PC, or one moved to another branch): its figures are not whole yet.
    Restoring,
}

impl SyncStatus {
    /// Every status, in the order the API documents them.
    pub const ALL: [Self; 5] = [
        Self::Online,
        Self::Restoring,
        Self::Offline,
        Self::Unauthorized,
        Self::Unconfigured,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unconfigured => "unconfigured",
            Self::Online => "online",
            Self::Offline => "offline",
            Self::Unauthorized => "unauthorized",
            Self::Restoring => "restoring",
        }
    }
}

/// A restore in progress: rows taken from HQ so far, of HQ's count of the branch's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Restoring {
    /// Rows taken from the branch's feed so far.
    pub restored: u64,
    /// The branch's rows at HQ, once HQ has said.
    pub total: Option<u64>,
}

impl From<LinkStatus> for SyncStatus {
    fn from(link: LinkStatus) -> Self {
        match link {
            LinkStatus::Online => Self::Online,
            LinkStatus::Offline => Self::Offline,
            LinkStatus::Unauthorized => Self::Unauthorized,
        }
    }
}

/// What `GET /system/status` reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemStatus {
    /// The link to HQ.
    pub status: SyncStatus,
    /// Outbox counts.
    pub counts: OutboxCounts,
    /// The worker's last activity.
    pub activity: SyncActivity,
    /// The branch, once HQ has confirmed the key.
    pub identity: Option<BranchIdentity>,
    /// HQ's address, once activated.
    pub cloud_url: Option<String>,
    /// The drain in progress, while rows are still waiting.
    pub sending: Option<Sending>,
    /// The restore in progress, while the status is [`SyncStatus::Restoring`].
    pub restoring: Option<Restoring>,
    /// Rows from HQ this book could not take (kept apart with their reason).
    pub pull_rejected: u64,
}

/// Sync status, activation and manual sync requests on the branch.
#[derive(Clone)]
pub struct SystemService {
    outbox: Arc<dyn Outbox>,
    inbox: Arc<dyn Inbox>,
    settings: Arc<dyn SyncSettings>,
    trigger: Arc<dyn SyncTrigger>,
    gateway: Arc<dyn SyncGateway>,
    clock: Arc<dyn Clock>,
    branch: CurrentBranch,
    progress: SyncProgress,
}

impl SystemService {
    /// A service over the outbox and inbox, the stored settings and the way to HQ.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        outbox: Arc<dyn Outbox>,
        inbox: Arc<dyn Inbox>,
        settings: Arc<dyn SyncSettings>,
        trigger: Arc<dyn SyncTrigger>,
        gateway: Arc<dyn SyncGateway>,
        clock: Arc<dyn Clock>,
        branch: CurrentBranch,
        progress: SyncProgress,
    ) -> Self {
        Self {
            outbox,
            inbox,
            settings,
            trigger,
            gateway,
            clock,
            branch,
            progress,
        }
    }

    /// The branch's code once HQ confirmed the key (for naming files), if it has.
    pub async fn branch_code(&self) -> Result<Option<String>, ServiceError> {
        Ok(self.settings.identity().await?.map(|i| i.code))
    }

    /// The truth about sync right now, read from storage.
    pub async fn status(&self) -> Result<SystemStatus, ServiceError> {
        let counts = self.outbox.counts().await?;
        let credentials = self.settings.credentials().await?;
        let activity = self.settings.activity().await?;
        let identity = self.settings.identity().await?;
        let pull = self.inbox.pull_state().await?;
        let status = match (&credentials, activity.link) {
            (None, _) => SyncStatus::Unconfigured,
            (Some(_), LinkStatus::Online) if !pull.caught_up => SyncStatus::Restoring,
            (Some(_), link) => link.into(),
        };
        let restoring = (status == SyncStatus::Restoring).then_some(Restoring {
            restored: pull.restored,
            total: pull.total.map(|t| t.max(pull.restored)),
        });
        let sending = self
            .progress
            .sent()
            .filter(|_| counts.pending > 0)
            .map(|sent| Sending {
                sent,
                total: sent.saturating_add(counts.pending),
            });
        Ok(SystemStatus {
            status,
            counts,
            activity,
            identity,
            cloud_url: credentials.map(|c| c.cloud_url),
            sending,
            restoring,
            pull_rejected: pull.quarantined,
        })
    }

    /// Activates this PC: asks HQ whose key this is, then stores the address, the key and the
    /// branch identity, stamps the branch on entries made before activation, and wakes the
    /// worker. Nothing is stored when HQ is unreachable or refuses the key, nor when the key is
    /// another branch's while this branch's entries have not reached HQ, unless
    /// `confirm_branch_change`: those entries then wait on the PC for their own branch's key.
    pub async fn activate(
        &self,
        cloud_url: &str,
        api_key: &str,
        confirm_branch_change: bool,
    ) -> Result<SystemStatus, ServiceError> {
        let credentials = validate_credentials(cloud_url, api_key)?;
        let identity = self.gateway.whoami(&credentials).await.map_err(|e| match e {
            GatewayError::Unauthorized(_) => ServiceError::invalid(
                "api_key",
                "HQ does not accept this key (unknown, replaced, or the branch is disabled); ask HQ for the branch's current key",
            ),
            GatewayError::Protocol(why) => ServiceError::invalid(
                "cloud_url",
                format!("this address did not answer like a Haramain Finance HQ ({why}); check the address"),
            ),
            GatewayError::Unreachable(why) | GatewayError::TooLarge(why) => ServiceError::HqUnreachable(format!(
                "Cannot reach HQ at {}: {why}. Check the address and the internet connection, then try again; nothing was changed.",
                credentials.cloud_url
            )),
        })?;
        if let Some(current) = self.settings.identity().await?
            && current.id != identity.id
        {
            let unsent = self.outbox.counts().await?.unsent();
            if unsent > 0 && !confirm_branch_change {
                return Err(ServiceError::BranchChangeUnconfirmed {
                    from: current.code,
                    to: identity.code,
                    unsent,
                });
            }
        }
        self.settings
            .activate(&credentials, Some(identity.clone()))
            .await?;
        self.outbox.assign_branch(identity.id).await?;
        self.branch.set(Some(identity.id));
        let now = self.clock.now();
        self.settings
            .record_activity(&SyncActivity {
                link: LinkStatus::Online,
                last_attempt_at: Some(now),
                ..self.settings.activity().await?
            })
            .await?;
        self.trigger.trigger();
        self.status().await
    }

    /// Takes credentials given in the settings (`KH_CLOUD_URL`, `KH_BRANCH_API_KEY`) without
    /// asking HQ, which may be offline at start-up: the worker learns the branch identity on its
    /// first successful contact. They are stored when the PC has none, and replace stored ones
    /// HQ never accepted (a key mistyped at the first start must not stick); credentials HQ
    /// accepted are kept.
    pub async fn preconfigure(
        &self,
        cloud_url: &str,
        api_key: &str,
    ) -> Result<Preconfigured, ServiceError> {
        let credentials = validate_credentials(cloud_url, api_key)?;
        let outcome = match self.settings.credentials().await? {
            None => Preconfigured::Stored,
            Some(stored) if stored == credentials => return Ok(Preconfigured::Unchanged),
            Some(_) if self.settings.identity().await?.is_none() => Preconfigured::Replaced,
            Some(_) => return Ok(Preconfigured::Kept),
        };
        self.settings.activate(&credentials, None).await?;
        self.trigger.trigger();
        Ok(outcome)
    }

    /// Asks the worker to sync now.
    pub async fn request_sync(&self) -> Result<SystemStatus, ServiceError> {
        self.trigger.trigger();
        self.status().await
    }

    /// Returns quarantined entries to the outbox and wakes the worker; returns how many.
    pub async fn retry_rejected(&self) -> Result<u64, ServiceError> {
        let count = self.outbox.retry_rejected().await?;
        self.trigger.trigger();
        Ok(count)
    }
}

/// Checks HQ's address and the key before anything is stored.
pub fn validate_credentials(
    cloud_url: &str,
    api_key: &str,
) -> Result<SyncCredentials, ServiceError> {
    let mut errors = ValidationErrors::default();
    let url = cloud_url.trim().trim_end_matches('/');
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    let host_ok = rest.is_some_and(|r| {
        let host = r.split('/').next().unwrap_or("");
        !host.is_empty() && !host.starts_with(':')
    });
    if url.len() > 2048 || !host_ok || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        errors.0.push(FieldError::new(
            "cloud_url",
            "must be HQ's address starting with http:// or https://, e.g. https://hq.example.com",
        ));
    }
    let key = api_key.trim();
    if key.is_empty() || key.len() > 512 || !key.chars().all(|c| c.is_ascii_graphic()) {
        errors.0.push(FieldError::new(
            "api_key",
            "must be the branch key HQ issued (letters, digits and symbols, no spaces)",
        ));
    }
    if errors.is_empty() {
        Ok(SyncCredentials {
            cloud_url: url.to_owned(),
            api_key: key.to_owned(),
        })
    } else {
        Err(ServiceError::Invalid(errors))
    }
}

#[cfg(test)]
mod tests {
    use kh_domain::chrono::Utc;

    /// An inbox of a book that has caught up with its branch's feed.
    fn caught_up_inbox() -> Arc<crate::MockInbox> {
        let mut inbox = crate::MockInbox::new();
        inbox.expect_pull_state().returning(|| {
            Ok(crate::PullState {
                caught_up: true,
                ..Default::default()
            })
        });
        Arc::new(inbox)
    }

    use super::*;
    use crate::{MockClock, MockOutbox, MockSyncGateway, MockSyncSettings};

    fn clock() -> MockClock {
        let mut c = MockClock::new();
        c.expect_now().returning(Utc::now);
        c
    }

    #[test]
    fn credentials_are_checked_and_normalised() {
        let ok = validate_credentials(" https://hq.example.com/ ", " kh_abc ").unwrap();
        assert_eq!(ok.cloud_url, "https://hq.example.com");
        assert_eq!(ok.api_key, "kh_abc");
        assert!(format!("{ok:?}").contains("[redacted]"));
        assert!(!format!("{ok:?}").contains("kh_abc"));
        for bad in ["hq.example.com", "ftp://x", "https://", "http:// x", ""] {
            assert!(validate_credentials(bad, "k").is_err(), "{bad:?}");
        }
        assert!(validate_credentials("http://127.0.0.1:3000", "has space").is_err());
    }

    #[tokio::test]
    async fn status_is_unconfigured_until_credentials_exist() {
        let mut outbox = MockOutbox::new();
        outbox.expect_counts().returning(|| {
            Ok(OutboxCounts {
                pending: 3,
                rejected: 1,
                held: 0,
                refused_shifts: 0,
            })
        });
        let mut settings = MockSyncSettings::new();
        settings.expect_credentials().returning(|| Ok(None));
        settings
            .expect_activity()
            .returning(|| Ok(SyncActivity::default()));
        settings.expect_identity().returning(|| Ok(None));
        let service = SystemService::new(
            Arc::new(outbox),
            caught_up_inbox(),
            Arc::new(settings),
            Arc::new(MockSyncTrigger::new()),
            Arc::new(MockSyncGateway::new()),
            Arc::new(clock()),
            CurrentBranch::default(),
            SyncProgress::default(),
        );
        let status = service.status().await.unwrap();
        assert_eq!(status.status, SyncStatus::Unconfigured);
        assert_eq!(status.counts.pending, 3);
    }

    #[tokio::test]
    async fn activation_asks_hq_then_stores_stamps_the_branch_and_wakes_the_worker() {
        let identity = BranchIdentity {
            id: kh_domain::BranchId::new_v4(),
            code: "JKT-01".into(),
            name: "Jakarta".into(),
        };
        let branch_id = identity.id;
        let mut gateway = MockSyncGateway::new();
        let answer = identity.clone();
        gateway
            .expect_whoami()
            .times(1)
            .returning(move |_| Ok(answer.clone()));
        let mut outbox = MockOutbox::new();
        outbox
            .expect_assign_branch()
            .withf(move |b| *b == branch_id)
            .times(1)
            .returning(|_| Ok(4));
        outbox
            .expect_counts()
            .returning(|| Ok(OutboxCounts::default()));
        let mut settings = MockSyncSettings::new();
        settings
            .expect_activate()
            .withf(move |_, i| i.as_ref().map(|i| i.id) == Some(branch_id))
            .times(1)
            .returning(|_, _| Ok(()));
        settings.expect_record_activity().returning(|_| Ok(()));
        settings.expect_credentials().returning(|| {
            Ok(Some(SyncCredentials {
                cloud_url: "http://hq".into(),
                api_key: "k".into(),
            }))
        });
        settings.expect_activity().returning(|| {
            Ok(SyncActivity {
                link: LinkStatus::Online,
                ..SyncActivity::default()
            })
        });
        let stored = identity.clone();
        settings
            .expect_identity()
            .returning(move || Ok(Some(stored.clone())));
        let mut trigger = MockSyncTrigger::new();
        trigger.expect_trigger().times(1).return_const(());
        let current = CurrentBranch::default();
        let service = SystemService::new(
            Arc::new(outbox),
            caught_up_inbox(),
            Arc::new(settings),
            Arc::new(trigger),
            Arc::new(gateway),
            Arc::new(clock()),
            current.clone(),
            SyncProgress::default(),
        );
        let status = service.activate("http://hq", "k", false).await.unwrap();
        assert_eq!(status.status, SyncStatus::Online);
        assert_eq!(current.get(), Some(branch_id));
    }

    #[tokio::test]
    async fn nothing_is_stored_when_hq_refuses_the_key_or_cannot_be_reached() {
        for (error, expect_field) in [
            (GatewayError::Unauthorized("401".into()), Some("api_key")),
            (GatewayError::Protocol("not JSON".into()), Some("cloud_url")),
            (GatewayError::Unreachable("connection refused".into()), None),
        ] {
            let mut gateway = MockSyncGateway::new();
            let e = error.clone();
            gateway.expect_whoami().returning(move |_| Err(e.clone()));
            let mut settings = MockSyncSettings::new();
            settings.expect_activate().never();
            let service = SystemService::new(
                Arc::new(MockOutbox::new()),
                caught_up_inbox(),
                Arc::new(settings),
                Arc::new(MockSyncTrigger::new()),
                Arc::new(gateway),
                Arc::new(clock()),
                CurrentBranch::default(),
                SyncProgress::default(),
            );
            match (
                service.activate("http://hq", "k", false).await,
                expect_field,
            ) {
                (Err(ServiceError::Invalid(errors)), Some(field)) => {
                    assert_eq!(errors.0[0].field, field)
                }
                (Err(ServiceError::HqUnreachable(message)), None) => {
                    assert!(message.contains("nothing was changed"))
                }
                (other, _) => panic!("{error:?} gave {other:?}"),
            }
        }
    }

    fn branch(code: &str) -> BranchIdentity {
        BranchIdentity {
            id: kh_domain::BranchId::new_v4(),
            code: code.into(),
            name: code.into(),
        }
    }

    /// A service whose PC is activated for `current`, with `unsent` entries not yet at HQ,
    /// given a key HQ says belongs to `keyed`; `stores` says whether activation may store.
    fn moving(
        current: BranchIdentity,
        keyed: BranchIdentity,
        unsent: u64,
        stores: bool,
    ) -> SystemService {
        let mut gateway = MockSyncGateway::new();
        gateway
            .expect_whoami()
            .returning(move |_| Ok(keyed.clone()));
        let mut outbox = MockOutbox::new();
        outbox.expect_counts().returning(move || {
            Ok(OutboxCounts {
                pending: unsent,
                rejected: 0,
                held: 0,
                refused_shifts: 0,
            })
        });
        outbox.expect_assign_branch().returning(|_| Ok(0));
        let mut settings = MockSyncSettings::new();
        settings
            .expect_identity()
            .returning(move || Ok(Some(current.clone())));
        settings
            .expect_activate()
            .times(usize::from(stores))
            .returning(|_, _| Ok(()));
        settings.expect_record_activity().returning(|_| Ok(()));
        settings
            .expect_activity()
            .returning(|| Ok(SyncActivity::default()));
        settings.expect_credentials().returning(|| Ok(None));
        let mut trigger = MockSyncTrigger::new();
        trigger.expect_trigger().return_const(());
        SystemService::new(
            Arc::new(outbox),
            caught_up_inbox(),
            Arc::new(settings),
            Arc::new(trigger),
            Arc::new(gateway),
            Arc::new(clock()),
            CurrentBranch::default(),
            SyncProgress::default(),
        )
    }

    #[tokio::test]
    async fn moving_a_pc_with_unsent_entries_to_another_branch_needs_confirmation() {
        let (jkt, sby) = (branch("JKT-01"), branch("SBY-02"));
        let refused = moving(jkt.clone(), sby.clone(), 2, false)
            .activate("http://hq", "k", false)
            .await;
        match refused {
            Err(ServiceError::BranchChangeUnconfirmed { from, to, unsent }) => {
                assert_eq!(
                    (from.as_str(), to.as_str(), unsent),
                    ("JKT-01", "SBY-02", 2)
                );
            }
            other => panic!("expected a request for confirmation, got {other:?}"),
        }
        // Confirmed, or nothing waiting, or the same branch's new key: activated.
        for (keyed, unsent, confirm) in [
            (sby.clone(), 2, true),
            (sby.clone(), 0, false),
            (jkt.clone(), 5, false),
        ] {
            moving(jkt.clone(), keyed, unsent, true)
                .activate("http://hq", "k", confirm)
                .await
                .unwrap();
        }
    }

    #[tokio::test]
    async fn credentials_from_the_settings_replace_only_ones_hq_never_accepted() {
        let stored = SyncCredentials {
            cloud_url: "http://hq".into(),
            api_key: "kh_typo".into(),
        };
        for (have, identity, given, expect) in [
            (None, None, "kh_right", Preconfigured::Stored),
            (
                Some(stored.clone()),
                None,
                "kh_right",
                Preconfigured::Replaced,
            ),
            (
                Some(stored.clone()),
                None,
                "kh_typo",
                Preconfigured::Unchanged,
            ),
            (
                Some(stored.clone()),
                Some(branch("JKT-01")),
                "kh_right",
                Preconfigured::Kept,
            ),
        ] {
            let mut settings = MockSyncSettings::new();
            settings
                .expect_credentials()
                .returning(move || Ok(have.clone()));
            settings
                .expect_identity()
                .returning(move || Ok(identity.clone()));
            let stores = matches!(expect, Preconfigured::Stored | Preconfigured::Replaced);
            settings
                .expect_activate()
                .withf(|c, i| c.api_key == "kh_right" && i.is_none())
                .times(usize::from(stores))
                .returning(|_, _| Ok(()));
            let mut trigger = MockSyncTrigger::new();
            trigger.expect_trigger().return_const(());
            let service = SystemService::new(
                Arc::new(MockOutbox::new()),
                caught_up_inbox(),
                Arc::new(settings),
                Arc::new(trigger),
                Arc::new(MockSyncGateway::new()),
                Arc::new(clock()),
                CurrentBranch::default(),
                SyncProgress::default(),
            );
            assert_eq!(
                service.preconfigure("http://hq", given).await.unwrap(),
                expect
            );
        }
    }
}
