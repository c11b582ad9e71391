use std::fmt;
use std::sync::Arc;

use kh_domain::BusinessCalendar;

use kh_ports::services::{
    AuthService, BranchAdminService, HqReportService, HqShiftService, HqSyncService, ListsService,
    StaffService,
};
use kh_ports::{BranchDirectory, Clock, HqBranchStaff, HqLedger, HqLists, HqShifts, HqStaff};

use crate::auth::AdminToken;
use crate::limit::FailedAuthLimiter;
use crate::proxies::TrustedProxy;

/// The most rows one push may hold unless configured otherwise (`KH_MAX_BATCH`).
pub const DEFAULT_MAX_BATCH: usize = 500;

/// The settings the HQ router needs; the app reads them (`KH_ADMIN_TOKEN`, `KH_MAX_BATCH`).
#[derive(Clone)]
pub struct CloudConfig {
    /// The admin token; `None` or blank turns every admin endpoint into a 401.
    pub admin_token: Option<String>,
    /// The most rows one push may hold (at least 1; [`DEFAULT_MAX_BATCH`] by default).
    pub max_batch: usize,
    /// Reverse proxies whose `X-Forwarded-For` names the real client (`KH_TRUSTED_PROXIES`).
    pub trusted_proxies: Vec<TrustedProxy>,
    /// HQ's business time zone (`KH_TIMEZONE`), which the console shows times in.
    pub calendar: BusinessCalendar,
    /// Hours without contact after which the console flags a branch or PC (`KH_STALE_HOURS`).
    pub stale_hours: u32,
    /// The branches' settings HQ sends down with its lists (DESIGN 9).
    pub branch_settings: kh_domain::BranchSettings,
}

/// The HQ stores the services run over (one adapter usually implements them all).
#[derive(Clone)]
pub struct HqPorts {
    /// Branches, their keys and devices.
    pub directory: Arc<dyn BranchDirectory>,
    /// Every branch's entries.
    pub ledger: Arc<dyn HqLedger>,
    /// Categories and channels.
    pub lists: Arc<dyn HqLists>,
    /// HQ staff, their sessions and the audit.
    pub staff: Arc<dyn HqStaff>,
    /// Branch staff.
    pub people: Arc<dyn HqBranchStaff>,
    /// The branches' cash shifts.
    pub shifts: Arc<dyn HqShifts>,
}

impl Default for CloudConfig {
    fn default() -> Self {
        Self {
            admin_token: None,
            max_batch: DEFAULT_MAX_BATCH,
            trusted_proxies: Vec::new(),
            calendar: BusinessCalendar::default(),
            stale_hours: 24,
            branch_settings: kh_domain::BranchSettings::default(),
        }
    }
}

impl fmt::Debug for CloudConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CloudConfig")
            .field(
                "admin_token",
                &self.admin_token.as_ref().map(|_| "[redacted]"),
            )
            .field("max_batch", &self.max_batch)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("calendar", &self.calendar.name())
            .field("stale_hours", &self.stale_hours)
            .field("branch_settings", &self.branch_settings)
            .finish()
    }
}

/// What every HQ handler can reach: the services (never storage), plus the ledger's health
/// check, the admin token and the failed-authentication counts.
#[derive(Clone)]
pub struct CloudState {
    pub(crate) sync: Arc<HqSyncService>,
    pub(crate) branches: Arc<BranchAdminService>,
    pub(crate) reports: Arc<HqReportService>,
    pub(crate) lists: Arc<ListsService>,
    pub(crate) staff: Arc<StaffService>,
    pub(crate) shifts: Arc<HqShiftService>,
    pub(crate) auth: Arc<AuthService>,
    /// Used by `GET /health` only.
    pub(crate) ledger: Arc<dyn HqLedger>,
    pub(crate) admin: Arc<AdminToken>,
    pub(crate) max_batch: usize,
    pub(crate) limiter: Arc<FailedAuthLimiter>,
    pub(crate) trusted_proxies: Arc<Vec<TrustedProxy>>,
    pub(crate) calendar: BusinessCalendar,
    pub(crate) stale_hours: u32,
    pub(crate) branch_settings: kh_domain::BranchSettings,
}

impl CloudState {
    /// Builds the HQ services over the adapters; the same ledger answers `GET /health`.
    pub fn new(ports: HqPorts, clock: Arc<dyn Clock>, config: CloudConfig) -> Self {
        let HqPorts {
            directory,
            ledger,
            lists,
            staff,
            people,
            shifts,
        } = ports;
        Self {
            shifts: Arc::new(HqShiftService::new(
                shifts.clone(),
                directory.clone(),
                clock.clone(),
                config.branch_settings.cash_difference_threshold,
            )),
            sync: Arc::new(HqSyncService::new(
                directory.clone(),
                ledger.clone(),
                clock.clone(),
            )),
            branches: Arc::new(BranchAdminService::new(directory.clone(), clock.clone())),
            staff: Arc::new(StaffService::new(
                directory.clone(),
                people,
                lists.clone(),
                clock.clone(),
            )),
            lists: Arc::new(ListsService::new(lists, clock.clone())),
            auth: Arc::new(AuthService::new(staff, clock)),
            reports: Arc::new(HqReportService::new(directory, ledger.clone(), shifts)),
            ledger,
            admin: Arc::new(AdminToken::new(config.admin_token.as_deref())),
            max_batch: config.max_batch.max(1),
            limiter: Arc::new(FailedAuthLimiter::default()),
            trusted_proxies: Arc::new(config.trusted_proxies),
            calendar: config.calendar,
            stale_hours: config.stale_hours.max(1),
            branch_settings: config.branch_settings,
        }
    }
}
