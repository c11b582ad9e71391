use kh_domain::{FieldError, ValidationErrors};

use crate::services::{CurrentBranch, ServiceError};
use crate::{
    BranchIdentity, Clock, GatewayError, LinkStatus, Outbox, OutboxCounts, SyncActivity,
    SyncCredentials, SyncGateway, SyncSettings,
};

/// Wakes the sync worker. Implemented by whatever runs the worker; cheap and non-blocking.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait SyncTrigger: Send + Sync + 'static {
    /// Asks for a sync as soon as possible; repeated calls before it runs collapse into one.
    fn trigger(&self);
}

/// What `GET /system/status` reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemStatus {
    /// `online`, `offline`, `unauthorized` or `unconfigured`.
    pub status: &'static str,
    /// Outbox counts.
    pub counts: OutboxCounts,
    /// The worker's last activity.
    pub activity: SyncActivity,
    /// The branch, once HQ has confirmed the key.
    pub identity: Option<BranchIdentity>,
    /// HQ's address, once activated.
    pub cloud_url: Option<String>,
}

/// Sync status, activation and manual sync requests on the branch.
#[derive(Debug, Clone)]
pub struct SystemService<O, S, T, G, C> {
    outbox: O,
    settings: S,
    trigger: T,
    gateway: G,
    clock: C,
    branch: CurrentBranch,
}

impl<O: Outbox, S: SyncSettings, T: SyncTrigger, G: SyncGateway, C: Clock>
    SystemService<O, S, T, G, C>
{
    /// A service over the outbox, the stored settings and the way to HQ.
    pub fn new(
        outbox: O,
        settings: S,
        trigger: T,
        gateway: G,
        clock: C,
        branch: CurrentBranch,
    ) -> Self {
        Self {
            outbox,
            settings,
            trigger,
            gateway,
            clock,
            branch,
        }
    }

    /// The truth about sync right now, read from storage.
    pub async fn status(&self) -> Result<SystemStatus, ServiceError> {
        let counts = self.outbox.counts().await?;
        let credentials = self.settings.credentials().await?;
        let activity = self.settings.activity().await?;
        let identity = self.settings.identity().await?;
        let status = match (&credentials, activity.link) {
            (None, _) => "unconfigured",
            (Some(_), link) => link.as_str(),
        };
        Ok(SystemStatus {
            status,
            counts,
            activity,
            identity,
            cloud_url: credentials.map(|c| c.cloud_url),
        })
    }

    /// Activates this PC: asks HQ whose key this is, then stores the address, the key and the
    /// branch identity, stamps the branch on entries made before activation, and wakes the
    /// worker. Nothing is stored when HQ is unreachable or refuses the key.
    pub async fn activate(
        &self,
        cloud_url: &str,
        api_key: &str,
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

    /// Stores credentials given in the settings (`KH_CLOUD_URL`, `KH_BRANCH_API_KEY`) without
    /// asking HQ, which may be offline at start-up: the worker learns the branch identity on its
    /// first successful contact.
    pub async fn preconfigure(&self, cloud_url: &str, api_key: &str) -> Result<(), ServiceError> {
        let credentials = validate_credentials(cloud_url, api_key)?;
        self.settings.activate(&credentials, None).await?;
        self.trigger.trigger();
        Ok(())
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
            })
        });
        let mut settings = MockSyncSettings::new();
        settings.expect_credentials().returning(|| Ok(None));
        settings
            .expect_activity()
            .returning(|| Ok(SyncActivity::default()));
        settings.expect_identity().returning(|| Ok(None));
        let service = SystemService::new(
            outbox,
            settings,
            MockSyncTrigger::new(),
            MockSyncGateway::new(),
            clock(),
            CurrentBranch::default(),
        );
        let status = service.status().await.unwrap();
        assert_eq!(status.status, "unconfigured");
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
        let service =
            SystemService::new(outbox, settings, trigger, gateway, clock(), current.clone());
        let status = service.activate("http://hq", "k").await.unwrap();
        assert_eq!(status.status, "online");
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
                MockOutbox::new(),
                settings,
                MockSyncTrigger::new(),
                gateway,
                clock(),
                CurrentBranch::default(),
            );
            match (service.activate("http://hq", "k").await, expect_field) {
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
}
