//! Cash shifts at the branch PC (DESIGN 11): open with a float, close by counting the drawer
//! against the book. The difference is recorded, never forced to zero: any difference needs a
//! note, one over the threshold a supervisor.

use std::sync::Arc;

use kh_domain::{
    BranchSettings, CashCount, ChannelId, ChannelKind, FieldError, Rule, Shift, ShiftClose,
    ShiftId, ShiftNote, StaffMember, StaffRef, ValidationErrors, close_needs, opening_float,
};

use crate::services::ServiceError;
use crate::services::ledger::approval;
use crate::{BranchLists, Clock, LedgerError, Page, ShiftStore, ShiftView};

/// The channels whose entries move the drawer.
pub async fn cash_channels(lists: &dyn BranchLists) -> Result<Vec<ChannelId>, LedgerError> {
    Ok(lists
        .lists()
        .await?
        .channels
        .iter()
        .filter(|c| c.kind == ChannelKind::Cash)
        .map(|c| c.id)
        .collect())
}

/// A shift with the cash its entries moved through `cash_channels`.
pub async fn view_of(
    shifts: &dyn ShiftStore,
    cash_channels: &[ChannelId],
    shift: Shift,
) -> Result<ShiftView, LedgerError> {
    let cash = shifts.shift_cash(shift.id, cash_channels).await?;
    Ok(ShiftView::new(shift, cash))
}

/// Opening, closing and listing the PC's shifts.
#[derive(Clone)]
pub struct ShiftService {
    shifts: Arc<dyn ShiftStore>,
    lists: Arc<dyn BranchLists>,
    clock: Arc<dyn Clock>,
}

fn not_found(id: ShiftId) -> ServiceError {
    ServiceError::ItemNotFound(format!("No shift with id {id} on this PC"))
}

impl ShiftService {
    /// A service over the PC's shift store and lists (which channels are cash).
    pub fn new(
        shifts: Arc<dyn ShiftStore>,
        lists: Arc<dyn BranchLists>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            shifts,
            lists,
            clock,
        }
    }

    /// The shift with its figures; hidden from the cashier while open under a blind close.
    async fn view(&self, shift: Shift) -> Result<ShiftView, ServiceError> {
        let cash_channels = cash_channels(self.lists.as_ref()).await?;
        let blind = shift.close.is_none() && self.rules().await?.blind_close;
        let view = view_of(self.shifts.as_ref(), &cash_channels, shift).await?;
        Ok(ShiftView { blind, ..view })
    }

    /// The branch's settings as HQ last sent them: the difference threshold, the blind close,
    /// the business day's start.
    pub async fn rules(&self) -> Result<BranchSettings, ServiceError> {
        Ok(self.lists.lists().await?.settings)
    }

    /// The open shift with its drawer so far, if one is open.
    pub async fn current(&self) -> Result<Option<ShiftView>, ServiceError> {
        match self.shifts.open_shift_now().await? {
            Some(shift) => Ok(Some(self.view(shift).await?)),
            None => Ok(None),
        }
    }

    /// What the next float should be: the last close's count.
    pub async fn suggested_float(&self) -> Result<Option<i64>, ServiceError> {
        Ok(self.shifts.last_counted().await?)
    }

    /// Opens a shift with `float` in the drawer (409 when one is open). A float other than the
    /// last close's count is recorded as an opening difference, with the note if given.
    pub async fn open(
        &self,
        by: Option<&StaffMember>,
        float: i64,
        note: Option<&str>,
    ) -> Result<ShiftView, ServiceError> {
        let mut errors = ValidationErrors::default();
        let float = errors.collect(opening_float(float));
        let note = note
            .filter(|n| !n.trim().is_empty())
            .and_then(|n| errors.collect(ShiftNote::parse(n)));
        let Some(float) = float.filter(|_| errors.is_empty()) else {
            return Err(errors.into());
        };
        let shift = Shift {
            id: ShiftId::new_v4(),
            opened_at: self.clock.now(),
            opened_by: by.map(StaffRef::from),
            opening_float: float,
            suggested_float: self.shifts.last_counted().await?,
            opening_note: note,
            close: None,
        };
        let shift = self.shifts.open_shift(shift).await?;
        self.view(shift).await
    }

    /// Closes a shift with the drawer's count: the difference needs a note when there is one,
    /// and a supervisor (`by` when one, else `approver`) when it is over the threshold. A shift
    /// is closed once; a second close is 409.
    pub async fn close(
        &self,
        id: &str,
        by: Option<&StaffMember>,
        counts: &[(String, i64)],
        note: Option<&str>,
        approver: Option<&StaffMember>,
    ) -> Result<ShiftView, ServiceError> {
        let mut errors = ValidationErrors::default();
        let id = errors.collect(ShiftId::parse("id", id));
        let counts = match CashCount::parse(counts.iter().map(|(k, n)| (k.as_str(), *n))) {
            Ok(c) => Some(c),
            Err(problems) => {
                errors.0.extend(problems);
                None
            }
        };
        let note = note
            .filter(|n| !n.trim().is_empty())
            .and_then(|n| errors.collect(ShiftNote::parse(n)));
        let (Some(id), Some(counts)) = (id, counts) else {
            return Err(errors.into());
        };
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let shift = self.shifts.shift(id).await?.ok_or_else(|| not_found(id))?;
        if shift.close.is_some() {
            return Err(LedgerError::ShiftConflict(format!(
                "Shift {id} is already closed; a close is never changed"
            ))
            .into());
        }
        let cash_channels = cash_channels(self.lists.as_ref()).await?;
        let view = view_of(self.shifts.as_ref(), &cash_channels, shift).await?;
        let counted = counts.total();
        let difference = counted - view.expected;
        let threshold = self.rules().await?.cash_difference_threshold;
        let (needs_note, needs_supervisor) = close_needs(difference, threshold);
        if needs_note && note.is_none() {
            return Err(FieldError::new(
                "note",
                "must say why the count differs from the book (the difference is recorded as it is)",
            )
            .rule(Rule::Required)
            .into());
        }
        let approved_by = if needs_supervisor {
            approval(by, approver, "A difference over the branch's threshold")?
        } else {
            None
        };
        let close = ShiftClose {
            closed_at: self.clock.now(),
            closed_by: by.map(StaffRef::from),
            counts,
            expected: view.expected,
            counted,
            note,
            approved_by,
        };
        let shift = self.shifts.close_shift(id, close, &cash_channels).await?;
        Ok(ShiftView {
            shift,
            cash: view.cash,
            expected: view.expected,
            blind: false,
        })
    }

    /// One shift with its figures (its report).
    pub async fn get(&self, id: &str) -> Result<ShiftView, ServiceError> {
        let id = ShiftId::parse("id", id)?;
        let shift = self.shifts.shift(id).await?.ok_or_else(|| not_found(id))?;
        self.view(shift).await
    }

    /// The PC's shifts, newest first, with their figures.
    pub async fn list(&self, page: u32, limit: u32) -> Result<Page<ShiftView>, ServiceError> {
        let shifts = self.shifts.shifts(page, limit).await?;
        let mut items = Vec::with_capacity(shifts.items.len());
        for shift in shifts.items {
            items.push(self.view(shift).await?);
        }
        Ok(Page {
            items,
            page: shifts.page,
            limit: shifts.limit,
            total: shifts.total,
        })
    }
}

#[cfg(test)]
mod tests {
    use kh_domain::chrono::{TimeZone, Utc};
    use kh_domain::{Lists, PinHash, StaffId, StaffName, StaffRole};

    use super::*;
    use crate::{MockBranchLists, MockClock, MockShiftStore, ShiftCash};

    fn member(name: &str, role: StaffRole) -> StaffMember {
        StaffMember {
            id: StaffId::new_v4(),
            name: StaffName::parse(name).unwrap(),
            role,
            active: true,
            pin_hash: PinHash::new("$argon2id$x".into()),
            version: 1,
        }
    }

    fn open_shift() -> Shift {
        Shift {
            id: ShiftId::new_v4(),
            opened_at: Utc.with_ymd_and_hms(2025, 12, 8, 1, 0, 0).unwrap(),
            opened_by: None,
            opening_float: 100_000,
            suggested_float: Some(100_000),
            opening_note: None,
            close: None,
        }
    }

    /// A store holding one open shift whose cash moved +40.000 −10.000 (expected 130.000),
    /// taking any close once, under the default settings.
    fn service(shift: Shift) -> ShiftService {
        service_with(shift, kh_domain::BranchSettings::default())
    }

    fn service_with(shift: Shift, settings: kh_domain::BranchSettings) -> ShiftService {
        let mut store = MockShiftStore::new();
        let held = shift.clone();
        store
            .expect_shift()
            .returning(move |_| Ok(Some(held.clone())));
        store.expect_shift_cash().returning(|_, _| {
            Ok(ShiftCash {
                cash_in: 40_000,
                cash_out: 10_000,
                entries: 2,
            })
        });
        store.expect_close_shift().returning(move |_, close, _| {
            let mut closed = shift.clone();
            closed.close = Some(close);
            Ok(closed)
        });
        let mut lists = MockBranchLists::new();
        lists.expect_lists().returning(move || {
            Ok(Lists {
                settings,
                ..Lists::defaults()
            })
        });
        let mut clock = MockClock::new();
        clock
            .expect_now()
            .returning(|| Utc.with_ymd_and_hms(2025, 12, 8, 9, 0, 0).unwrap());
        ShiftService::new(Arc::new(store), Arc::new(lists), Arc::new(clock))
    }

    #[tokio::test]
    async fn hqs_threshold_rules_the_close_and_a_blind_close_hides_the_drawer_until_counted() {
        let shift = open_shift();
        let id = shift.id.to_string();
        let strict = kh_domain::BranchSettings {
            cash_difference_threshold: 2_000,
            blind_close: true,
            day_starts_at_minutes: 0,
        };
        let service = service_with(shift, strict);
        let view = service.get(&id).await.unwrap();
        assert!(
            view.blind,
            "an open shift under a blind close hides its figures"
        );
        // Rp 5.000 short is over HQ's Rp 2.000: a cashier alone is refused.
        let siti = member("Siti", StaffRole::Cashier);
        let refused = service
            .close(&id, Some(&siti), &counted(1, 2, 1), Some("kurang"), None)
            .await
            .unwrap_err();
        assert!(
            matches!(refused, ServiceError::ApprovalRequired(_)),
            "{refused:?}"
        );
        let budi = member("Budi", StaffRole::Supervisor);
        let closed = service
            .close(
                &id,
                Some(&siti),
                &counted(1, 2, 1),
                Some("kurang"),
                Some(&budi),
            )
            .await
            .unwrap();
        assert!(!closed.blind, "the close shows every figure");
        assert_eq!(closed.shift.close.unwrap().difference(), -5_000);
    }

    fn counted(rupiah_100k: i64, rupiah_10k: i64, rupiah_5k: i64) -> Vec<(String, i64)> {
        vec![
            ("note_100000".into(), rupiah_100k),
            ("note_10000".into(), rupiah_10k),
            ("note_5000".into(), rupiah_5k),
        ]
    }

    #[tokio::test]
    async fn a_close_records_the_difference_with_a_note_and_a_large_one_with_a_supervisor() {
        let shift = open_shift();
        let id = shift.id.to_string();
        let service = service(shift);
        let siti = member("Siti", StaffRole::Cashier);
        let budi = member("Budi", StaffRole::Supervisor);

        // Exact: no note needed.
        let exact = service
            .close(&id, Some(&siti), &counted(1, 3, 0), None, None)
            .await
            .unwrap();
        let close = exact.shift.close.unwrap();
        assert_eq!(
            (close.expected, close.counted, close.difference()),
            (130_000, 130_000, 0)
        );

        // Rp 5.000 short: a note is required, no supervisor.
        match service
            .close(&id, Some(&siti), &counted(1, 2, 1), None, None)
            .await
        {
            Err(ServiceError::Invalid(e)) => assert_eq!(e.0[0].field, "note"),
            other => panic!("{other:?}"),
        }
        let short = service
            .close(&id, Some(&siti), &counted(1, 2, 1), Some("kurang"), None)
            .await
            .unwrap();
        assert_eq!(short.shift.close.unwrap().difference(), -5_000);

        // Rp 30.000 short: over the threshold, a supervisor approves.
        assert!(matches!(
            service
                .close(&id, Some(&siti), &counted(1, 0, 0), Some("hilang"), None)
                .await,
            Err(ServiceError::ApprovalRequired(_))
        ));
        let approved = service
            .close(
                &id,
                Some(&siti),
                &counted(1, 0, 0),
                Some("hilang"),
                Some(&budi),
            )
            .await
            .unwrap();
        assert_eq!(
            approved.shift.close.unwrap().approved_by.map(|w| w.name),
            Some(budi.name.clone())
        );
    }

    #[tokio::test]
    async fn a_closed_shift_is_not_closed_again() {
        let mut shift = open_shift();
        shift.close = Some(ShiftClose {
            closed_at: shift.opened_at,
            closed_by: None,
            counts: CashCount::default(),
            expected: 0,
            counted: 0,
            note: None,
            approved_by: None,
        });
        let id = shift.id.to_string();
        let service = service(shift);
        assert!(matches!(
            service.close(&id, None, &[], None, None).await,
            Err(ServiceError::Conflict(_))
        ));
    }
}
