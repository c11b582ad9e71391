use kh_domain::{FieldError, ValidationErrors};

use crate::services::{CurrentBranch, ServiceError};
use crate::{
    BranchIdentity, LinkStatus, Outbox, OutboxCounts, SyncActivity, SyncCredentials, SyncSettings,
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
pub struct SystemService<O, S, T> {
    outbox: O,
    settings: S,
    trigger: T,
    branch: CurrentBranch,
}

impl<O: Outbox, S: SyncSettings, T: SyncTrigger> SystemService<O, S, T> {
    /// A service over the outbox and the stored settings.
    pub fn new(outbox: O, settings: S, trigger: T, branch: CurrentBranch) -> Self {
        Self {
            outbox,
            settings,
            trigger,
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

    /// Stores HQ's address and the branch key (with the identity HQ confirmed for it, if known),
    /// stamps the branch on entries made before activation, and wakes the worker.
    pub async fn activate(
        &self,
        cloud_url: &str,
        api_key: &str,
        identity: Option<&BranchIdentity>,
    ) -> Result<SystemStatus, ServiceError> {
        let credentials = validate_credentials(cloud_url, api_key)?;
        self.settings
            .activate(&credentials, identity.cloned())
            .await?;
        if let Some(identity) = identity {
            self.outbox.assign_branch(identity.id).await?;
            self.branch.set(Some(identity.id));
        }
        self.settings
            .record_activity(&SyncActivity {
                link: LinkStatus::Offline,
                ..SyncActivity::default()
            })
            .await?;
        self.trigger.trigger();
        self.status().await
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
    use super::*;
    use crate::{MockOutbox, MockSyncSettings};

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
            CurrentBranch::default(),
        );
        let status = service.status().await.unwrap();
        assert_eq!(status.status, "unconfigured");
        assert_eq!(status.counts.pending, 3);
    }

    #[tokio::test]
    async fn activation_stores_credentials_stamps_the_branch_and_wakes_the_worker() {
        let identity = BranchIdentity {
            id: kh_domain::BranchId::new_v4(),
            code: "JKT-01".into(),
            name: "Jakarta".into(),
        };
        let branch_id = identity.id;
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
        settings.expect_activate().times(1).returning(|_, _| Ok(()));
        settings.expect_record_activity().returning(|_| Ok(()));
        settings.expect_credentials().returning(|| {
            Ok(Some(SyncCredentials {
                cloud_url: "http://hq".into(),
                api_key: "k".into(),
            }))
        });
        settings
            .expect_activity()
            .returning(|| Ok(SyncActivity::default()));
        let stored = identity.clone();
        settings
            .expect_identity()
            .returning(move || Ok(Some(stored.clone())));
        let mut trigger = MockSyncTrigger::new();
        trigger.expect_trigger().times(1).return_const(());
        let current = CurrentBranch::default();
        let service = SystemService::new(outbox, settings, trigger, current.clone());
        let status = service
            .activate("http://hq", "k", Some(&identity))
            .await
            .unwrap();
        assert_eq!(status.status, "offline");
        assert_eq!(current.get(), Some(branch_id));
    }
}
