//! HQ use cases: authenticating branches and taking their pushes, managing branches, reports.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use kh_domain::chrono::Duration;
use kh_domain::chrono::{DateTime, Utc};
use kh_domain::{
    ApiKey, Branch, BranchCode, BranchId, BranchName, DailyBalance, DateRange, DeviceId,
    FieldError, HqEpoch, NewTransaction, RejectionCode, Rule, SyncedInput, Totals,
    ValidationErrors,
};

use crate::services::ServiceError;
use crate::services::ledger::{check_daily_span, daily_balances};
use crate::{
    BranchDirectory, Clock, Device, FeedPage, HqLedger, HqShifts, IngestOutcome, ListQuery,
    NewBranch, Page, Refusals, RowRejection, ShiftTotals,
};

/// How old `last_seen_at` (of a branch or a device) may get before a push or pull refreshes it.
const SEEN_REFRESH_SECS: i64 = 30;

/// Rows per pull page unless the branch asks for another number.
pub const PULL_DEFAULT_LIMIT: u32 = 500;
/// The most rows one pull page may hold.
pub const PULL_MAX_LIMIT: u32 = 1_000;

/// One row of a push, as the HTTP layer could read it. Its text borrows from the request body
/// where it can (a JSON string without escapes), so reading a push copies no field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingRow<'a> {
    /// The branch-made id.
    pub id: Cow<'a, str>,
    /// The branch the row claims, if any; must be the pushing branch.
    pub branch_id: Option<Cow<'a, str>>,
    /// `IN` or `OUT`.
    pub tx_type: Cow<'a, str>,
    /// Whole rupiah.
    pub amount: i64,
    /// What for.
    pub category: Cow<'a, str>,
    /// Free text.
    pub description: Option<Cow<'a, str>>,
    /// RFC 3339.
    pub occurred_at: Cow<'a, str>,
    /// RFC 3339.
    pub created_at: Cow<'a, str>,
    /// On a void: the original's id.
    pub reverses_id: Option<Cow<'a, str>>,
    /// The payment channel's id (absent from a branch older than channels: cash).
    pub channel_id: Option<Cow<'a, str>>,
    /// The channel's name when the entry was made.
    pub channel_name: Option<Cow<'a, str>>,
    /// The member who recorded it (with the name), when one was signed in.
    pub recorded_by: Option<Cow<'a, str>>,
    /// The recorder's name then.
    pub recorded_by_name: Option<Cow<'a, str>>,
    /// The supervisor who approved it (with the name), when it needed approval.
    pub approved_by: Option<Cow<'a, str>>,
    /// The approver's name then.
    pub approved_by_name: Option<Cow<'a, str>>,
}

/// An element of a push body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushItem<'a> {
    /// A row with every field of the right type (boxed: a row is large, a refusal small).
    Row(Box<IncomingRow<'a>>),
    /// An element that is not a readable row; `id` is whatever id it carried.
    Unreadable {
        /// The id as sent, or empty.
        id: String,
        /// What is wrong with it.
        reason: String,
    },
}

/// The answer to a push: every id of the request in exactly one list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PushResult {
    /// Stored now.
    pub accepted: Vec<String>,
    /// Already stored, identical.
    pub duplicates: Vec<String>,
    /// Refused, each with a code and a reason.
    pub rejected: Vec<RowRejection>,
    /// HQ's epoch when it answered.
    pub epoch: Option<HqEpoch>,
}

/// Why a pull's `after` was refused: it is a feed position, from 0.
pub fn pull_after_refused() -> FieldError {
    FieldError::new(
        "after",
        "must be a feed position, a whole number from 0 (the start)",
    )
    .rule(Rule::Range {
        min: 0,
        max: i64::MAX,
    })
}

/// Why a pull's `limit` was refused.
pub fn pull_limit_refused() -> FieldError {
    FieldError::new(
        "limit",
        format!("must be a number of rows from 1 to {PULL_MAX_LIMIT}"),
    )
    .rule(Rule::Range {
        min: 1,
        max: i64::from(PULL_MAX_LIMIT),
    })
}

/// Devices heard from lately, so a draining device does not write its `last_seen_at` per push.
type SeenDevices = HashMap<(BranchId, DeviceId), DateTime<Utc>>;
/// Entries kept at most; when full the map starts over (a few extra writes, nothing lost).
const MAX_SEEN_DEVICES: usize = 4_096;
/// What each device last said it holds apart, so an unchanged figure is not written again.
type HeldReports = HashMap<(BranchId, DeviceId), u64>;

/// Authenticating branches, taking their pushes and serving their pulls.
#[derive(Clone)]
pub struct HqSyncService {
    directory: Arc<dyn BranchDirectory>,
    ledger: Arc<dyn HqLedger>,
    clock: Arc<dyn Clock>,
    seen_devices: Arc<Mutex<SeenDevices>>,
    held_reports: Arc<Mutex<HeldReports>>,
}

impl HqSyncService {
    /// A service over the directory and the ledger.
    pub fn new(
        directory: Arc<dyn BranchDirectory>,
        ledger: Arc<dyn HqLedger>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            directory,
            ledger,
            clock,
            seen_devices: Arc::default(),
            held_reports: Arc::default(),
        }
    }

    /// Records what a device says it holds apart (its pull quarantine) when that changed.
    async fn held_by(
        &self,
        branch: BranchId,
        device: DeviceId,
        held: u64,
    ) -> Result<(), ServiceError> {
        let changed = {
            let mut reports = self
                .held_reports
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if reports.get(&(branch, device)) == Some(&held) {
                false
            } else {
                if reports.len() >= MAX_SEEN_DEVICES {
                    reports.clear();
                }
                reports.insert((branch, device), held);
                true
            }
        };
        if changed {
            let result = self
                .directory
                .note_held(branch, device, held, self.clock.now())
                .await;
            if result.is_err() {
                // Not written: the next pull tries again.
                self.held_reports
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .remove(&(branch, device));
            }
            result?;
        }
        Ok(())
    }

    /// Records a device's contact unless it was recorded less than [`SEEN_REFRESH_SECS`] ago.
    async fn heard_from(&self, branch: BranchId, device: DeviceId) -> Result<(), ServiceError> {
        let now = self.clock.now();
        let fresh = {
            let mut seen = self
                .seen_devices
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let fresh = seen
                .get(&(branch, device))
                .is_some_and(|at| now - *at <= Duration::seconds(SEEN_REFRESH_SECS));
            if !fresh {
                if seen.len() >= MAX_SEEN_DEVICES {
                    seen.clear();
                }
                seen.insert((branch, device), now);
            }
            fresh
        };
        if !fresh {
            self.directory.touch_device(branch, device, now).await?;
        }
        Ok(())
    }

    /// Rows of `branch` after `after` in its feed, at most `limit` (1..=[`PULL_MAX_LIMIT`]).
    /// `held` is what the device says it holds apart from earlier pulls (recorded for HQ
    /// staff when it changed).
    pub async fn pull(
        &self,
        branch: &Branch,
        device: DeviceId,
        held: Option<u64>,
        after: i64,
        limit: u32,
    ) -> Result<(FeedPage, HqEpoch), ServiceError> {
        let mut errors = ValidationErrors::default();
        if after < 0 {
            errors.0.push(pull_after_refused());
        }
        if !(1..=PULL_MAX_LIMIT).contains(&limit) {
            errors.0.push(pull_limit_refused());
        }
        if !errors.0.is_empty() {
            return Err(ServiceError::Invalid(errors));
        }
        if let Err(e) = self.heard_from(branch.id, device).await {
            tracing::warn!(error = %e, "could not record the device's contact");
        }
        if let Some(held) = held
            && let Err(e) = self.held_by(branch.id, device, held).await
        {
            tracing::warn!(error = %e, "could not record what the device holds apart");
        }
        let page = self.ledger.feed(branch.id, after, limit).await?;
        Ok((page, self.ledger.epoch().await?))
    }

    /// Makes a new HQ epoch (after a restore from a backup): every branch then sends all its
    /// rows again.
    pub async fn reset_epoch(&self) -> Result<HqEpoch, ServiceError> {
        Ok(self.ledger.reset_epoch().await?)
    }

    /// Every device HQ has heard from.
    pub async fn devices(&self) -> Result<Vec<Device>, ServiceError> {
        Ok(self.directory.devices().await?)
    }

    /// The branch a bearer key belongs to. Unknown, rotated-away or missing keys are
    /// `Unauthorized`; a disabled branch's key is `Forbidden`.
    pub async fn authenticate(&self, key: Option<&str>) -> Result<Branch, ServiceError> {
        let unauthorized = || {
            ServiceError::Unauthorized(
                "Send the branch key as 'Authorization: Bearer <key>'; this key is unknown or was replaced".into(),
            )
        };
        let key = key.and_then(ApiKey::presented).ok_or_else(unauthorized)?;
        let presented = key.hash();
        let (branch, stored) = self
            .directory
            .find_by_key(&presented)
            .await?
            .ok_or_else(unauthorized)?;
        if !stored.matches(&presented) {
            return Err(unauthorized());
        }
        if branch.disabled_at.is_some() {
            return Err(ServiceError::Forbidden(format!(
                "Branch {} is disabled at HQ; ask HQ to enable it or issue a new branch",
                branch.code.as_str()
            )));
        }
        Ok(branch)
    }

    /// Records that `branch` asked who it is, and returns it with HQ's epoch.
    pub async fn whoami(&self, branch: Branch) -> Result<(Branch, HqEpoch), ServiceError> {
        self.directory.touch(branch.id, self.clock.now()).await?;
        Ok((branch, self.ledger.epoch().await?))
    }

    /// Validates every row, refuses each bad one with its reason, and stores the rest in one
    /// database transaction. Every id of `items` appears in exactly one list of the answer.
    pub async fn push(
        &self,
        branch: &Branch,
        device: Option<DeviceId>,
        items: Vec<PushItem<'_>>,
    ) -> Result<PushResult, ServiceError> {
        let mut result = PushResult::default();
        let mut candidates: Vec<(Cow<'_, str>, Result<NewTransaction, RowRejection>)> =
            Vec::with_capacity(items.len());
        for item in items {
            match item {
                // An unreadable element is refused on its own, whatever id it carried (often
                // none), so two of them are never mistaken for one id sent twice.
                PushItem::Unreadable { id, reason } => {
                    result
                        .rejected
                        .push(reject(&id, RejectionCode::ValidationFailed, reason));
                }
                PushItem::Row(row) => {
                    let checked = check_row(&row, branch.id);
                    candidates.push((row.id, checked));
                }
            }
        }
        // One verdict per id: a repeated id is stored once if every copy is the same row,
        // and refused as a conflict otherwise.
        let mut order: Vec<Cow<'_, str>> = Vec::with_capacity(candidates.len());
        let mut by_id: HashMap<Cow<'_, str>, Result<NewTransaction, RowRejection>> =
            HashMap::with_capacity(candidates.len());
        for (id, verdict) in candidates {
            match by_id.get(&id) {
                None => {
                    order.push(id.clone());
                    by_id.insert(id, verdict);
                }
                Some(Ok(first)) if matches!(&verdict, Ok(v) if v == first) => {}
                Some(_) => {
                    let conflict = reject(
                        &id,
                        RejectionCode::Conflict,
                        "the push holds this id more than once with different content",
                    );
                    by_id.insert(id, Err(conflict));
                }
            }
        }
        let mut rows = Vec::new();
        for id in order {
            match by_id.remove(&id) {
                Some(Ok(tx)) => rows.push(tx),
                Some(Err(rejection)) => result.rejected.push(rejection),
                None => {}
            }
        }
        let now = self.clock.now();
        let outcome: IngestOutcome = if rows.is_empty() {
            IngestOutcome::default()
        } else {
            self.ledger.ingest(branch.id, device, rows, now).await?
        };
        // The rows are committed: from here on nothing may turn the answer into an error
        // (a branch told 503 would push them again, which is harmless, but a person reading
        // "failed" would not be). Contact times are for people, so a failure is only logged.
        if let Some(device) = device
            && let Err(e) = self.heard_from(branch.id, device).await
        {
            tracing::warn!(error = %e, "could not record the device's contact");
        }
        // `last_seen_at` is for people ("heard from a minute ago"): refreshing it once every
        // 30 s spares a backlog drain one write and one commit per push.
        let stale = branch
            .last_seen_at
            .is_none_or(|seen| now - seen > Duration::seconds(SEEN_REFRESH_SECS));
        if stale && let Err(e) = self.directory.touch(branch.id, now).await {
            tracing::warn!(error = %e, "could not record the branch's contact");
        }
        result.accepted = outcome.accepted.iter().map(ToString::to_string).collect();
        result.duplicates = outcome.duplicates.iter().map(ToString::to_string).collect();
        result.rejected.extend(outcome.rejected);
        if !result.rejected.is_empty() {
            let refused = u64::try_from(result.rejected.len()).unwrap_or(u64::MAX);
            if let Err(e) = self.directory.note_refusals(branch.id, refused, now).await {
                tracing::warn!(error = %e, "could not count the rows HQ refused");
            }
        }
        result.epoch = Some(self.ledger.epoch().await?);
        Ok(result)
    }
}

fn reject(id: &str, code: RejectionCode, reason: impl Into<String>) -> RowRejection {
    RowRejection {
        id: id.to_owned(),
        code,
        reason: reason.into(),
    }
}

fn check_row(row: &IncomingRow<'_>, branch: BranchId) -> Result<NewTransaction, RowRejection> {
    if let Some(claimed) = row.branch_id.as_deref() {
        match BranchId::parse("branch_id", claimed) {
            Ok(claimed) if claimed == branch => {}
            Ok(_) => {
                return Err(reject(
                    &row.id,
                    RejectionCode::BranchMismatch,
                    "the row belongs to another branch than this key's",
                ));
            }
            Err(e) => {
                return Err(reject(
                    &row.id,
                    RejectionCode::ValidationFailed,
                    e.to_string(),
                ));
            }
        }
    }
    let input = SyncedInput {
        id: &row.id,
        tx_type: &row.tx_type,
        amount: row.amount,
        category: &row.category,
        description: row.description.as_deref(),
        occurred_at: &row.occurred_at,
        created_at: &row.created_at,
        reverses_id: row.reverses_id.as_deref(),
        channel_id: row.channel_id.as_deref(),
        channel_name: row.channel_name.as_deref(),
        recorded_by: row.recorded_by.as_deref(),
        recorded_by_name: row.recorded_by_name.as_deref(),
        approved_by: row.approved_by.as_deref(),
        approved_by_name: row.approved_by_name.as_deref(),
    };
    NewTransaction::from_synced(&input, branch).map_err(|errors: ValidationErrors| {
        reject(&row.id, RejectionCode::ValidationFailed, errors.to_string())
    })
}

/// Creating, listing, re-keying and disabling branches.
#[derive(Clone)]
pub struct BranchAdminService {
    directory: Arc<dyn BranchDirectory>,
    clock: Arc<dyn Clock>,
}

impl BranchAdminService {
    /// A service over the directory.
    pub fn new(directory: Arc<dyn BranchDirectory>, clock: Arc<dyn Clock>) -> Self {
        Self { directory, clock }
    }

    /// Creates a branch and returns it with its key, which is shown this once.
    pub async fn create(&self, code: &str, name: &str) -> Result<(Branch, ApiKey), ServiceError> {
        let mut errors = ValidationErrors::default();
        let code = errors.collect(BranchCode::parse(code));
        let name = errors.collect(BranchName::parse(name));
        let (Some(code), Some(name)) = (code, name) else {
            return Err(ServiceError::Invalid(errors));
        };
        let key = ApiKey::generate()
            .map_err(|e| ServiceError::Internal(format!("no randomness: {e}")))?;
        let branch = self
            .directory
            .create(NewBranch {
                id: BranchId::new_v4(),
                code,
                name,
                key_hash: key.hash(),
                created_at: self.clock.now(),
            })
            .await?;
        Ok((branch, key))
    }

    /// Every branch.
    pub async fn list(&self) -> Result<Vec<Branch>, ServiceError> {
        Ok(self.directory.list().await?)
    }

    /// Every branch with the devices (branch databases) HQ has heard from for it.
    pub async fn list_with_devices(&self) -> Result<Vec<(Branch, Vec<Device>)>, ServiceError> {
        let branches = self.directory.list().await?;
        let mut devices: HashMap<BranchId, Vec<Device>> = HashMap::new();
        for device in self.directory.devices().await? {
            devices.entry(device.branch).or_default().push(device);
        }
        Ok(branches
            .into_iter()
            .map(|b| {
                let of_branch = devices.remove(&b.id).unwrap_or_default();
                (b, of_branch)
            })
            .collect())
    }

    /// The branch with this code.
    pub async fn by_code(&self, code: &str) -> Result<Branch, ServiceError> {
        let code = BranchCode::parse(code)?;
        self.directory.find_by_code(&code).await?.ok_or_else(|| {
            ServiceError::BranchNotFound(format!("No branch with code {}", code.as_str()))
        })
    }

    /// Gives the branch a new key; the old one stops working at once.
    pub async fn rotate_key(&self, id: BranchId) -> Result<(Branch, ApiKey), ServiceError> {
        let key = ApiKey::generate()
            .map_err(|e| ServiceError::Internal(format!("no randomness: {e}")))?;
        let branch = self.directory.replace_key(id, key.hash()).await?;
        Ok((branch, key))
    }

    /// Lets a disabled branch push again with its current key.
    pub async fn enable(&self, id: BranchId) -> Result<Branch, ServiceError> {
        Ok(self.directory.enable(id).await?)
    }

    /// Stops the branch from pushing; what it already pushed stays.
    pub async fn disable(&self, id: BranchId) -> Result<Branch, ServiceError> {
        Ok(self.directory.disable(id, self.clock.now()).await?)
    }
}

/// One branch's line of the HQ summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchSummary {
    /// The branch.
    pub branch: Branch,
    /// Its totals over the range.
    pub totals: Totals,
    /// Rows HQ refused from it (all time), if any: they wait quarantined on its PC.
    pub refusals: Option<Refusals>,
    /// Its closed shifts over the range and how their counts differed.
    pub shifts: ShiftTotals,
}

/// The HQ summary: every branch and the whole business.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportSummary {
    /// One line per branch, by code.
    pub branches: Vec<BranchSummary>,
    /// All branches together.
    pub total: Totals,
}

/// The daily report of one branch or of the whole business, as its file shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DailyReport {
    /// The branch, or `None` for the whole business.
    pub branch: Option<Branch>,
    /// Each business date's totals and closing balance.
    pub days: Vec<DailyBalance>,
    /// The period's totals.
    pub totals: Totals,
}

/// HQ's reports across branches.
#[derive(Clone)]
pub struct HqReportService {
    directory: Arc<dyn BranchDirectory>,
    ledger: Arc<dyn HqLedger>,
    shifts: Arc<dyn HqShifts>,
}

impl HqReportService {
    /// A service over the directory, the ledger and the shifts.
    pub fn new(
        directory: Arc<dyn BranchDirectory>,
        ledger: Arc<dyn HqLedger>,
        shifts: Arc<dyn HqShifts>,
    ) -> Self {
        Self {
            directory,
            ledger,
            shifts,
        }
    }

    /// Totals per branch (every branch, zero when quiet) and for the whole business.
    pub async fn summary(&self, range: DateRange) -> Result<ReportSummary, ServiceError> {
        let branches = self.directory.list().await?;
        let refusals: HashMap<BranchId, Refusals> = self
            .directory
            .refusals()
            .await?
            .into_iter()
            .map(|r| (r.branch, r))
            .collect();
        let totals: HashMap<BranchId, Totals> = self
            .ledger
            .branch_totals(range)
            .await?
            .into_iter()
            .collect();
        let shifts: HashMap<BranchId, ShiftTotals> =
            self.shifts.shift_totals(range).await?.into_iter().collect();
        let mut total = Totals::default();
        let mut lines = Vec::with_capacity(branches.len());
        for branch in branches {
            let t = totals.get(&branch.id).copied().unwrap_or_default();
            total
                .merge(&t)
                .map_err(|e| ServiceError::Internal(e.to_string()))?;
            lines.push(BranchSummary {
                refusals: refusals.get(&branch.id).copied(),
                shifts: shifts.get(&branch.id).copied().unwrap_or_default(),
                branch,
                totals: t,
            });
        }
        Ok(ReportSummary {
            branches: lines,
            total,
        })
    }

    /// Daily totals and closing balances for one branch or the whole business.
    pub async fn daily(
        &self,
        branch: Option<BranchId>,
        range: DateRange,
    ) -> Result<Vec<DailyBalance>, ServiceError> {
        self.known(branch).await?;
        self.days(branch, range).await
    }

    /// The daily report of `branch` (the whole business when `None`) with the period's totals.
    pub async fn daily_report(
        &self,
        branch: Option<BranchId>,
        range: DateRange,
    ) -> Result<DailyReport, ServiceError> {
        let found = self.known(branch).await?;
        let days = self.days(branch, range).await?;
        let mut totals = Totals::default();
        for (id, t) in self.ledger.branch_totals(range).await? {
            if branch.is_none_or(|b| b == id) {
                totals
                    .merge(&t)
                    .map_err(|e| ServiceError::Internal(e.to_string()))?;
            }
        }
        Ok(DailyReport {
            branch: found,
            days,
            totals,
        })
    }

    /// The branch `id` names (`None` for the whole business), or `BranchNotFound`.
    async fn known(&self, id: Option<BranchId>) -> Result<Option<Branch>, ServiceError> {
        let Some(id) = id else { return Ok(None) };
        match self.directory.get(id).await? {
            Some(branch) => Ok(Some(branch)),
            None => Err(ServiceError::BranchNotFound(format!(
                "No branch with id {id}"
            ))),
        }
    }

    /// Each business date's totals and closing balance in `range`.
    async fn days(
        &self,
        branch: Option<BranchId>,
        range: DateRange,
    ) -> Result<Vec<DailyBalance>, ServiceError> {
        check_daily_span(range.from, range.to)?;
        let (opening, days) = self.ledger.daily(branch, range).await?;
        daily_balances(range, opening, &days)
    }

    /// The month's summary for the accountant's pack, whose sheet per branch lists every stored
    /// row of the month: a branch with more than `max_rows` of them (a spreadsheet's limit) is
    /// refused up front, with the count, rather than cut short.
    pub async fn monthly_pack(
        &self,
        month: DateRange,
        max_rows: u64,
    ) -> Result<ReportSummary, ServiceError> {
        let summary = self.summary(month).await?;
        for line in &summary.branches {
            let rows = line
                .totals
                .rows()
                .map_err(|e| ServiceError::Internal(e.to_string()))?;
            super::check_export_rows(u64::try_from(rows).unwrap_or(u64::MAX), max_rows)?;
        }
        Ok(summary)
    }

    /// Checks what an export asks for before the file starts: a date range of at most
    /// [`super::MAX_EXPORT_DAYS`], and a branch that exists.
    ///
    /// With `max_rows` (a spreadsheet's limit), an export that would hold more entries is
    /// refused up front, with the count, rather than cut short.
    pub async fn check_export(
        &self,
        query: &ListQuery,
        max_rows: Option<u64>,
    ) -> Result<(), ServiceError> {
        super::check_export_range(&query.range)?;
        self.known(query.branch).await?;
        if let Some(max) = max_rows {
            let counted = ListQuery {
                page: 1,
                limit: 1,
                ..query.clone()
            };
            let total = self.ledger.list(&counted).await?.total;
            super::check_export_rows(total, max)?;
        }
        Ok(())
    }

    /// The next `limit` entries of an export after `after` (from the first when `None`).
    pub async fn export_page(
        &self,
        query: &ListQuery,
        after: Option<crate::ListCursor>,
        limit: u32,
    ) -> Result<Vec<kh_domain::Transaction>, ServiceError> {
        Ok(self.ledger.list_after(query, after, limit).await?)
    }

    /// Every branch, by code (for the names and codes in a file).
    pub async fn branches(&self) -> Result<Vec<Branch>, ServiceError> {
        Ok(self.directory.list().await?)
    }

    /// A page of entries across branches.
    pub async fn transactions(
        &self,
        query: &ListQuery,
    ) -> Result<Page<kh_domain::Transaction>, ServiceError> {
        Ok(self.ledger.list(query).await?)
    }
}

#[cfg(test)]
mod tests {
    use kh_domain::chrono::{DateTime, NaiveDate, Utc};
    use kh_domain::{KeyHash, TransactionId};

    /// A mocked HQ ledger that also tells its epoch.
    fn with_epoch(mut ledger: MockHqLedger) -> MockHqLedger {
        ledger.expect_epoch().returning(|| {
            Ok(kh_domain::HqEpoch::parse("epoch", "0b6f8a52-3c1e-4c55-9d0a-6f1f0e0b7a11").unwrap())
        });
        ledger
    }

    use super::*;
    use crate::{MockBranchDirectory, MockClock, MockHqLedger};

    fn clock() -> MockClock {
        let mut c = MockClock::new();
        c.expect_now().returning(|| {
            DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
                .unwrap()
                .with_timezone(&Utc)
        });
        c
    }

    fn branch(disabled: bool) -> Branch {
        Branch {
            id: BranchId::new_v4(),
            code: BranchCode::parse("JKT-01").unwrap(),
            name: BranchName::parse("Jakarta").unwrap(),
            created_at: Utc::now(),
            disabled_at: disabled.then(Utc::now),
            last_seen_at: None,
        }
    }

    fn row(id: &str, amount: i64) -> IncomingRow<'static> {
        IncomingRow {
            id: id.to_owned().into(),
            branch_id: None,
            tx_type: "IN".into(),
            amount,
            category: "Penjualan".into(),
            description: None,
            occurred_at: "2025-12-08T10:00:00.000Z".into(),
            created_at: "2025-12-08T10:00:00.000Z".into(),
            reverses_id: None,
            channel_id: None,
            channel_name: None,
            recorded_by: None,
            recorded_by_name: None,
            approved_by: None,
            approved_by_name: None,
        }
    }

    #[tokio::test]
    async fn keys_are_checked_and_disabled_branches_refused() {
        let key = ApiKey::generate().unwrap();
        let active = branch(false);
        let disabled = branch(true);
        let stored = key.hash();
        let mut directory = MockBranchDirectory::new();
        let (a, s) = (active.clone(), stored.clone());
        directory
            .expect_find_by_key()
            .withf(move |h: &KeyHash| h.matches(&s))
            .returning(move |h| Ok(Some((a.clone(), h.clone()))));
        let service = HqSyncService::new(
            Arc::new(directory),
            Arc::new(MockHqLedger::new()),
            Arc::new(clock()),
        );
        assert_eq!(
            service.authenticate(Some(key.reveal())).await.unwrap().id,
            active.id
        );
        assert!(matches!(
            service.authenticate(None).await,
            Err(ServiceError::Unauthorized(_))
        ));
        assert!(matches!(
            service.authenticate(Some("bad key")).await,
            Err(ServiceError::Unauthorized(_))
        ));

        let mut directory = MockBranchDirectory::new();
        directory
            .expect_find_by_key()
            .returning(move |h| Ok(Some((disabled.clone(), h.clone()))));
        let service = HqSyncService::new(
            Arc::new(directory),
            Arc::new(MockHqLedger::new()),
            Arc::new(clock()),
        );
        assert!(matches!(
            service.authenticate(Some(key.reveal())).await,
            Err(ServiceError::Forbidden(_))
        ));

        let mut directory = MockBranchDirectory::new();
        directory.expect_find_by_key().returning(|_| Ok(None));
        let service = HqSyncService::new(
            Arc::new(directory),
            Arc::new(MockHqLedger::new()),
            Arc::new(clock()),
        );
        assert!(matches!(
            service.authenticate(Some(key.reveal())).await,
            Err(ServiceError::Unauthorized(_))
        ));
    }

    #[tokio::test]
    async fn push_sorts_every_row_into_exactly_one_list() {
        let me = branch(false);
        let good = TransactionId::new_v4().to_string();
        let dup = TransactionId::new_v4().to_string();
        let twice_same = TransactionId::new_v4().to_string();
        let twice_diff = TransactionId::new_v4().to_string();
        let foreign = TransactionId::new_v4().to_string();
        let bad_amount = TransactionId::new_v4().to_string();
        let mut foreign_row = row(&foreign, 5);
        foreign_row.branch_id = Some(BranchId::new_v4().to_string().into());
        let items = vec![
            PushItem::Row(Box::new(row(&good, 10))),
            PushItem::Row(Box::new(row(&dup, 20))),
            PushItem::Row(Box::new(row(&twice_same, 30))),
            PushItem::Row(Box::new(row(&twice_same, 30))),
            PushItem::Row(Box::new(row(&twice_diff, 40))),
            PushItem::Row(Box::new(row(&twice_diff, 41))),
            PushItem::Row(Box::new(foreign_row)),
            PushItem::Row(Box::new(row(&bad_amount, 0))),
            PushItem::Unreadable {
                id: "x".into(),
                reason: "amount: must be a whole number".into(),
            },
            // Two elements without an id are two rejections, not "one id sent twice".
            PushItem::Unreadable {
                id: String::new(),
                reason: "row: must be a JSON object".into(),
            },
            PushItem::Unreadable {
                id: String::new(),
                reason: "row: must be a JSON object".into(),
            },
        ];
        let (g, d, t) = (good.clone(), dup.clone(), twice_same.clone());
        let mut ledger = MockHqLedger::new();
        ledger
            .expect_ingest()
            .withf(move |_, _, rows, _| rows.len() == 3)
            .returning(move |_, _, rows, _| {
                let ids: Vec<TransactionId> = rows.iter().map(|r| r.id).collect();
                let find = |s: &str| *ids.iter().find(|i| i.to_string() == s).unwrap();
                Ok(IngestOutcome {
                    accepted: vec![find(&g), find(&t)],
                    duplicates: vec![find(&d)],
                    rejected: vec![],
                })
            });
        let mut directory = MockBranchDirectory::new();
        directory.expect_touch().times(1).returning(|_, _| Ok(()));
        // The six refused rows are counted for the console, once per push.
        let my_id = me.id;
        directory
            .expect_note_refusals()
            .withf(move |b, n, _| *b == my_id && *n == 6)
            .times(1)
            .returning(|_, _, _| Ok(()));
        let service = HqSyncService::new(
            Arc::new(directory),
            Arc::new(with_epoch(ledger)),
            Arc::new(clock()),
        );
        let result = service.push(&me, None, items).await.unwrap();
        assert_eq!(result.accepted, [good, twice_same]);
        assert_eq!(result.duplicates, [dup]);
        let codes: Vec<(&str, &str)> = result
            .rejected
            .iter()
            .map(|r| (r.id.as_str(), r.code.as_str()))
            .collect();
        assert_eq!(
            codes,
            [
                ("x", "validation_failed"),
                ("", "validation_failed"),
                ("", "validation_failed"),
                (twice_diff.as_str(), "conflict"),
                (foreign.as_str(), "branch_mismatch"),
                (bad_amount.as_str(), "validation_failed"),
            ]
        );
    }

    #[tokio::test]
    async fn last_seen_is_refreshed_only_when_it_is_stale() {
        let mut recent = branch(false);
        recent.last_seen_at = Some(clock().now() - Duration::seconds(5));
        let mut ledger = MockHqLedger::new();
        ledger.expect_ingest().returning(|_, _, rows, _| {
            Ok(IngestOutcome {
                accepted: rows.iter().map(|r| r.id).collect(),
                ..Default::default()
            })
        });
        let mut directory = MockBranchDirectory::new();
        directory.expect_touch().never();
        let service = HqSyncService::new(
            Arc::new(directory),
            Arc::new(with_epoch(ledger)),
            Arc::new(clock()),
        );
        let id = TransactionId::new_v4().to_string();
        let pushed = service
            .push(&recent, None, vec![PushItem::Row(Box::new(row(&id, 1)))])
            .await
            .unwrap();
        assert_eq!(pushed.accepted, std::slice::from_ref(&id));

        let mut old = recent.clone();
        old.last_seen_at = Some(clock().now() - Duration::minutes(5));
        let mut directory = MockBranchDirectory::new();
        directory.expect_touch().times(1).returning(|_, _| Ok(()));
        let service = HqSyncService::new(
            Arc::new(directory),
            Arc::new(with_epoch(MockHqLedger::new())),
            Arc::new(clock()),
        );
        service.push(&old, None, vec![]).await.unwrap();
    }

    /// A PC says at each pull how many rows from HQ it holds apart: HQ writes the figure down
    /// when it changes (so staff see it), not at every page of a restore.
    #[tokio::test]
    async fn what_a_pc_holds_apart_is_recorded_when_it_changes() {
        let me = branch(false);
        let pc = DeviceId::new_v4();
        let mut ledger = with_epoch(MockHqLedger::new());
        ledger.expect_feed().returning(|_, _, _| {
            Ok(FeedPage {
                items: vec![],
                more: false,
                total: None,
            })
        });
        let mut directory = MockBranchDirectory::new();
        directory
            .expect_touch_device()
            .times(1)
            .returning(|_, _, _| Ok(()));
        let my_id = me.id;
        let mut order = mockall::Sequence::new();
        for held in [3_u64, 0] {
            directory
                .expect_note_held()
                .withf(move |b, d, n, _| *b == my_id && *d == pc && *n == held)
                .times(1)
                .in_sequence(&mut order)
                .returning(|_, _, _, _| Ok(()));
        }
        let service = HqSyncService::new(Arc::new(directory), Arc::new(ledger), Arc::new(clock()));
        for held in [None, Some(3), Some(3), Some(3), None, Some(0), Some(0)] {
            service.pull(&me, pc, held, 0, 10).await.unwrap();
        }
    }

    #[tokio::test]
    async fn summary_lists_quiet_branches_with_zero_and_adds_up() {
        let (a, b) = (branch(false), branch(false));
        let a_id = a.id;
        let mut directory = MockBranchDirectory::new();
        let both = vec![a.clone(), b.clone()];
        directory.expect_list().returning(move || Ok(both.clone()));
        directory.expect_refusals().returning(|| Ok(vec![]));
        let mut ledger = MockHqLedger::new();
        ledger.expect_branch_totals().returning(move |_| {
            Ok(vec![(
                a_id,
                Totals {
                    total_in: 100,
                    total_out: 40,
                    count_in: 1,
                    count_out: 1,
                    ..Totals::default()
                },
            )])
        });
        let mut shifts = crate::MockHqShifts::new();
        shifts.expect_shift_totals().returning(move |_| {
            Ok(vec![(
                a_id,
                ShiftTotals {
                    closed: 2,
                    difference: -5_000,
                    short: -7_000,
                    over: 2_000,
                },
            )])
        });
        let service = HqReportService::new(Arc::new(directory), Arc::new(ledger), Arc::new(shifts));
        let summary = service.summary(DateRange::ALL).await.unwrap();
        assert_eq!(summary.branches.len(), 2);
        assert_eq!(summary.branches[0].shifts.difference, -5_000);
        assert_eq!(summary.branches[1].shifts, ShiftTotals::default());
        assert_eq!(summary.branches[1].totals, Totals::default());
        assert_eq!(summary.total.balance().unwrap(), 60);
    }

    /// A report service over two branches, the first with 3 entries (`total_in` 100, one
    /// cancelled) and the second with 2.
    fn two_branches() -> (HqReportService, Branch, Branch) {
        let (a, b) = (branch(false), branch(false));
        let (a_id, b_id) = (a.id, b.id);
        let mut directory = MockBranchDirectory::new();
        let both = vec![a.clone(), b.clone()];
        directory.expect_list().returning(move || Ok(both.clone()));
        let found = [a.clone(), b.clone()];
        directory
            .expect_get()
            .returning(move |id| Ok(found.iter().find(|x| x.id == id).cloned()));
        directory.expect_refusals().returning(|| Ok(vec![]));
        let mut ledger = MockHqLedger::new();
        ledger.expect_branch_totals().returning(move |_| {
            Ok(vec![
                (
                    a_id,
                    Totals {
                        total_in: 100,
                        count_in: 2,
                        voided_count_in: 1,
                        voided_in: 7,
                        ..Totals::default()
                    },
                ),
                (
                    b_id,
                    Totals {
                        total_out: 30,
                        count_out: 2,
                        ..Totals::default()
                    },
                ),
            ])
        });
        ledger.expect_daily().returning(|_, _| Ok((0, vec![])));
        let mut shifts = crate::MockHqShifts::new();
        shifts.expect_shift_totals().returning(|_| Ok(vec![]));
        let service = HqReportService::new(Arc::new(directory), Arc::new(ledger), Arc::new(shifts));
        (service, a, b)
    }

    fn november() -> DateRange {
        DateRange {
            from: NaiveDate::from_ymd_opt(2025, 11, 1),
            to: NaiveDate::from_ymd_opt(2025, 11, 30),
        }
    }

    #[tokio::test]
    async fn a_daily_report_totals_its_branch_or_the_whole_business() {
        let (service, a, b) = two_branches();
        let one = service.daily_report(Some(a.id), november()).await.unwrap();
        assert_eq!(one.branch.as_ref().map(|x| x.id), Some(a.id));
        assert_eq!((one.totals.total_in, one.totals.total_out), (100, 0));
        let other = service.daily_report(Some(b.id), november()).await.unwrap();
        assert_eq!(other.totals.balance().unwrap(), -30);
        let all = service.daily_report(None, november()).await.unwrap();
        assert_eq!(all.branch, None);
        assert_eq!(all.totals.balance().unwrap(), 70);
        let unknown = service
            .daily_report(Some(BranchId::new_v4()), november())
            .await;
        assert!(
            matches!(unknown, Err(ServiceError::BranchNotFound(_))),
            "{unknown:?}"
        );
    }

    #[tokio::test]
    async fn a_monthly_pack_with_a_branch_over_a_sheets_rows_is_refused_with_the_count() {
        let (service, ..) = two_branches();
        // The first branch stores 3 rows (one cancelled): a sheet of 3 holds it, of 2 does not.
        let summary = service.monthly_pack(november(), 3).await.unwrap();
        assert_eq!(summary.branches.len(), 2);
        match service.monthly_pack(november(), 2).await {
            Err(ServiceError::Invalid(errors)) => {
                assert!(errors.to_string().contains("holds 3 entries"), "{errors}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test]
    async fn create_validates_and_returns_a_key_once() {
        let mut directory = MockBranchDirectory::new();
        directory.expect_create().returning(|n| {
            Ok(Branch {
                id: n.id,
                code: n.code,
                name: n.name,
                created_at: n.created_at,
                disabled_at: None,
                last_seen_at: None,
            })
        });
        let service = BranchAdminService::new(Arc::new(directory), Arc::new(clock()));
        let (created, key) = service.create("bdg-02", "Bandung").await.unwrap();
        assert_eq!(created.code.as_str(), "BDG-02");
        assert!(key.reveal().starts_with("kh_"));
        assert!(
            matches!(service.create("", "").await, Err(ServiceError::Invalid(e)) if e.0.len() == 2)
        );
    }
}
