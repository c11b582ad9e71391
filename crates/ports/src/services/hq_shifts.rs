//! Shifts at HQ (DESIGN 11, 12): taking what the PCs report, and showing it per branch and
//! where it needs a look.

use std::collections::HashMap;
use std::sync::Arc;

use kh_domain::chrono::{DateTime, Duration, Utc};
use kh_domain::{BranchId, DateRange, DeviceId, RejectionCode, check_reported};

use crate::services::ServiceError;
use crate::{
    BranchDirectory, Clock, HqShift, HqShifts, Page, RowRejection, ShiftTotals, ShiftVerdict,
    ShiftView,
};

/// A shift still open after this long needs a look (DESIGN 12).
pub const OPEN_SHIFT_HOURS: i64 = 24;
/// Large differences closed within this many days need a look.
pub const RECENT_DIFFERENCE_DAYS: i64 = 7;
/// The most shifts of each kind the attention list holds.
const ATTENTION_LIMIT: u32 = 200;
/// The most shifts one push may report.
pub const MAX_SHIFTS_PER_PUSH: usize = 100;

/// One element of a push of shifts, as the HTTP layer read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShiftItem {
    /// A shift with every field valid on its own (boxed: a shift is large, a refusal small).
    Shift(Box<ShiftView>),
    /// An element that is not a readable shift; `id` is whatever id it carried.
    Unreadable {
        /// The id as sent, or empty.
        id: String,
        /// What is wrong with it.
        reason: String,
    },
}

/// The answer to a push of shifts: every id in exactly one list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ShiftPushResult {
    /// Stored now (a new shift, or the close of one HQ held open).
    pub accepted: Vec<String>,
    /// HQ already held them as sent.
    pub duplicates: Vec<String>,
    /// Refused, each with a code and a reason.
    pub rejected: Vec<RowRejection>,
}

/// What needs a look among the shifts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ShiftAttention {
    /// The difference beyond which a close counts as large.
    pub threshold: i64,
    /// Still open after [`OPEN_SHIFT_HOURS`], oldest first.
    pub open_long: Vec<HqShift>,
    /// Closed in the last [`RECENT_DIFFERENCE_DAYS`] with a difference beyond the threshold,
    /// newest first.
    pub large_differences: Vec<HqShift>,
}

/// The branches' shifts at HQ.
#[derive(Clone)]
pub struct HqShiftService {
    shifts: Arc<dyn HqShifts>,
    directory: Arc<dyn BranchDirectory>,
    clock: Arc<dyn Clock>,
    threshold: i64,
}

fn refuse(id: String, code: RejectionCode, reason: impl Into<String>) -> RowRejection {
    RowRejection {
        id,
        code,
        reason: reason.into(),
    }
}

impl HqShiftService {
    /// A service over HQ's shifts; `threshold` is the business's cash difference threshold.
    pub fn new(
        shifts: Arc<dyn HqShifts>,
        directory: Arc<dyn BranchDirectory>,
        clock: Arc<dyn Clock>,
        threshold: i64,
    ) -> Self {
        Self {
            shifts,
            directory,
            clock,
            threshold,
        }
    }

    /// Checks each reported shift on its own, refuses the bad ones with their reason, and
    /// stores the rest in one database transaction.
    pub async fn push(
        &self,
        branch: BranchId,
        device: Option<DeviceId>,
        items: Vec<ShiftItem>,
    ) -> Result<ShiftPushResult, ServiceError> {
        let mut result = ShiftPushResult::default();
        let mut order: Vec<String> = Vec::new();
        let mut by_id: HashMap<String, ShiftView> = HashMap::new();
        let mut repeated: Vec<String> = Vec::new();
        for item in items {
            let view = match item {
                ShiftItem::Unreadable { id, reason } => {
                    result
                        .rejected
                        .push(refuse(id, RejectionCode::ValidationFailed, reason));
                    continue;
                }
                ShiftItem::Shift(view) => *view,
            };
            let id = view.shift.id.to_string();
            let entries = i64::try_from(view.cash.entries).unwrap_or(i64::MAX);
            if let Err(e) =
                check_reported(&view.shift, view.cash.cash_in, view.cash.cash_out, entries)
            {
                result.rejected.push(refuse(
                    id,
                    RejectionCode::ValidationFailed,
                    format!("{}: {}", e.field, e.issue),
                ));
                continue;
            }
            match by_id.get(&id) {
                None => {
                    order.push(id.clone());
                    by_id.insert(id, view);
                }
                Some(first) if *first == view => {}
                Some(_) => repeated.push(id),
            }
        }
        for id in repeated {
            if by_id.remove(&id).is_some() {
                order.retain(|x| *x != id);
                result.rejected.push(refuse(
                    id,
                    RejectionCode::Conflict,
                    "the push holds this shift more than once with different content",
                ));
            }
        }
        let shifts: Vec<ShiftView> = order.iter().filter_map(|id| by_id.remove(id)).collect();
        if shifts.is_empty() {
            return Ok(result);
        }
        let verdicts = self
            .shifts
            .put_shifts(branch, device, shifts, self.clock.now())
            .await?;
        for (id, verdict) in verdicts {
            let id = id.to_string();
            match verdict {
                ShiftVerdict::Stored => result.accepted.push(id),
                ShiftVerdict::Duplicate => result.duplicates.push(id),
                ShiftVerdict::Refused(code, reason) => {
                    result.rejected.push(refuse(id, code, reason))
                }
            }
        }
        Ok(result)
    }

    /// Now, by the service's clock (when a report is printed).
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// A page of one branch's shifts by business day, newest first.
    pub async fn of_branch(
        &self,
        branch: BranchId,
        range: DateRange,
        page: u32,
        limit: u32,
    ) -> Result<Page<HqShift>, ServiceError> {
        if self.directory.get(branch).await?.is_none() {
            return Err(ServiceError::BranchNotFound(format!(
                "No branch with id {branch}"
            )));
        }
        Ok(self
            .shifts
            .branch_shifts(branch, range, page, limit)
            .await?)
    }

    /// Shifts open too long and recent large differences.
    pub async fn attention(&self) -> Result<ShiftAttention, ServiceError> {
        let now = self.clock.now();
        let open_long = self
            .shifts
            .open_before(now - Duration::hours(OPEN_SHIFT_HOURS), ATTENTION_LIMIT)
            .await?;
        let large_differences = self
            .shifts
            .differences_over(
                self.threshold,
                now - Duration::days(RECENT_DIFFERENCE_DAYS),
                ATTENTION_LIMIT,
            )
            .await?;
        Ok(ShiftAttention {
            threshold: self.threshold,
            open_long,
            large_differences,
        })
    }

    /// Per branch: its closed shifts' totals over `range`.
    pub async fn totals(
        &self,
        range: DateRange,
    ) -> Result<HashMap<BranchId, ShiftTotals>, ServiceError> {
        Ok(self.shifts.shift_totals(range).await?.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use kh_domain::chrono::{TimeZone, Utc};
    use kh_domain::{CashCount, Shift, ShiftClose, ShiftId};

    use super::*;
    use crate::{MockBranchDirectory, MockClock, MockHqShifts, ShiftCash};

    fn closed(counted_50k: i64) -> ShiftView {
        let opened_at = Utc.with_ymd_and_hms(2026, 12, 6, 1, 0, 0).unwrap();
        let counts = CashCount::parse([("note_50000", counted_50k)]).unwrap();
        ShiftView::new(
            Shift {
                id: ShiftId::new_v4(),
                opened_at,
                opened_by: None,
                opening_float: 100_000,
                suggested_float: None,
                opening_note: None,
                close: Some(ShiftClose {
                    closed_at: opened_at + Duration::hours(8),
                    closed_by: None,
                    counted: counts.total(),
                    counts,
                    expected: 150_000,
                    note: None,
                    approved_by: None,
                }),
            },
            ShiftCash {
                cash_in: 50_000,
                cash_out: 0,
                entries: 1,
            },
        )
    }

    fn service(store: MockHqShifts) -> HqShiftService {
        let mut clock = MockClock::new();
        clock
            .expect_now()
            .returning(|| Utc.with_ymd_and_hms(2026, 12, 6, 12, 0, 0).unwrap());
        HqShiftService::new(
            Arc::new(store),
            Arc::new(MockBranchDirectory::new()),
            Arc::new(clock),
            10_000,
        )
    }

    #[tokio::test]
    async fn a_push_stores_the_good_shifts_and_names_each_bad_one() {
        let good = closed(3);
        let mut bad = closed(3);
        if let Some(close) = bad.shift.close.as_mut() {
            close.counted = 1;
        }
        let mut twice = closed(2);
        let twice_changed = {
            let mut t = twice.clone();
            t.cash.entries = 9;
            t
        };
        twice.cash.entries = 1;
        let good_id = good.shift.id;
        let mut store = MockHqShifts::new();
        store
            .expect_put_shifts()
            .withf(move |_, _, shifts, _| shifts.len() == 1 && shifts[0].shift.id == good_id)
            .times(1)
            .returning(move |_, _, _, _| Ok(vec![(good_id, ShiftVerdict::Stored)]));
        let result = service(store)
            .push(
                BranchId::new_v4(),
                None,
                vec![
                    ShiftItem::Shift(Box::new(good.clone())),
                    ShiftItem::Shift(Box::new(bad.clone())),
                    ShiftItem::Shift(Box::new(twice.clone())),
                    ShiftItem::Shift(Box::new(twice_changed)),
                    ShiftItem::Unreadable {
                        id: "x".into(),
                        reason: "counts: wrong".into(),
                    },
                ],
            )
            .await
            .unwrap();
        assert_eq!(result.accepted, [good.shift.id.to_string()]);
        let refused: Vec<(&str, RejectionCode)> = result
            .rejected
            .iter()
            .map(|r| (r.id.as_str(), r.code))
            .collect();
        let (bad_id, twice_id) = (bad.shift.id.to_string(), twice.shift.id.to_string());
        assert!(refused.contains(&(bad_id.as_str(), RejectionCode::ValidationFailed)));
        assert!(refused.contains(&(twice_id.as_str(), RejectionCode::Conflict)));
        assert!(refused.contains(&("x", RejectionCode::ValidationFailed)));
        assert!(
            result
                .rejected
                .iter()
                .any(|r| r.reason.starts_with("close.counted")),
            "the reason names the field: {:?}",
            result.rejected
        );
    }

    #[tokio::test]
    async fn attention_asks_for_shifts_open_a_day_and_a_week_of_large_differences() {
        let mut store = MockHqShifts::new();
        store
            .expect_open_before()
            .withf(|before, _| *before == Utc.with_ymd_and_hms(2026, 12, 5, 12, 0, 0).unwrap())
            .returning(|_, _| Ok(vec![]));
        store
            .expect_differences_over()
            .withf(|threshold, since, _| {
                *threshold == 10_000
                    && *since == Utc.with_ymd_and_hms(2026, 11, 29, 12, 0, 0).unwrap()
            })
            .returning(|_, _, _| Ok(vec![]));
        let attention = service(store).attention().await.unwrap();
        assert_eq!(attention.threshold, 10_000);
    }
}
