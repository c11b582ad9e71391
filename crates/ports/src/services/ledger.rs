use std::collections::HashSet;
use std::sync::{Arc, PoisonError, RwLock};

use kh_domain::chrono::{Days, NaiveDate};
use kh_domain::{
    BranchId, Category, CategoryTotal, CategoryUse, ChannelId, ChannelKind, DailyBalance,
    DateRange, DayTotals, FieldError, Lists, NewTransaction, NewTransactionInput, Rule,
    StaffMember, StaffRef, Totals, Transaction, TransactionId, TxType, ValidationErrors, VoidError,
    VoidReason,
};

use crate::services::ServiceError;
use crate::{BranchLists, Clock, Ledger, LedgerError, ListCursor, ListQuery, Page, Recorded};

/// The longest span the daily report fills day by day.
pub const MAX_DAILY_SPAN_DAYS: u64 = 3_660;

/// Refuses a daily report over more than [`MAX_DAILY_SPAN_DAYS`] days.
pub(crate) fn check_daily_span(
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
) -> Result<(), ServiceError> {
    match (first, last) {
        (Some(f), Some(l))
            if f.checked_add_days(Days::new(MAX_DAILY_SPAN_DAYS))
                .is_some_and(|end| l > end) =>
        {
            Err(ServiceError::invalid(
                "to",
                format!(
                    "the daily report covers at most {MAX_DAILY_SPAN_DAYS} days; narrow from/to"
                ),
            ))
        }
        _ => Ok(()),
    }
}

/// The daily report of both APIs: every date from `range.from` (or the first date with entries)
/// to `range.to` (or the last), with the closing balance from `opening` on.
pub(crate) fn daily_balances(
    range: DateRange,
    opening: i64,
    days: &[DayTotals],
) -> Result<Vec<DailyBalance>, ServiceError> {
    let first = range.from.or(days.first().map(|d| d.date));
    let last = range.to.or(days.last().map(|d| d.date));
    check_daily_span(first, last)?;
    DailyBalance::running(opening, days, first, last)
        .map_err(|e| ServiceError::Internal(e.to_string()))
}

/// The branch this PC belongs to, once activated; stamped on new entries.
#[derive(Debug, Clone, Default)]
pub struct CurrentBranch(Arc<RwLock<Option<BranchId>>>);

impl CurrentBranch {
    /// The branch, if known.
    pub fn get(&self) -> Option<BranchId> {
        *self.0.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// Sets the branch after activation.
    pub fn set(&self, branch: Option<BranchId>) {
        *self.0.write().unwrap_or_else(PoisonError::into_inner) = branch;
    }
}

/// A category to offer in the entry form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategorySuggestion {
    /// The category.
    pub category: Category,
    /// The direction it is usually used with.
    pub tx_type: TxType,
    /// How often this branch used it (0 for a default not used yet).
    pub count: i64,
}

/// One payment channel's totals over a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelTotal {
    /// The channel.
    pub id: ChannelId,
    /// Its name in the branch's lists now (its id when the lists lack it).
    pub name: String,
    /// Cash or not (`None` when the lists lack it).
    pub kind: Option<ChannelKind>,
    /// Its totals; voided entries apart.
    pub totals: Totals,
}

/// Recording, voiding and reporting on the branch cash book.
#[derive(Clone)]
pub struct LedgerService {
    ledger: Arc<dyn Ledger>,
    lists: Arc<dyn BranchLists>,
    clock: Arc<dyn Clock>,
    branch: CurrentBranch,
}

/// The longest date range an export takes: five years and a day or two.
pub const MAX_EXPORT_DAYS: i64 = 1_830;

/// An export of `total` entries into a file that holds at most `max` rows: refused, naming
/// `format` with both counts, when it would not fit.
pub fn check_export_rows(total: u64, max: u64) -> Result<(), ServiceError> {
    if total > max {
        return Err(FieldError::new(
            "format",
            format!(
                "this export holds {total} entries and a spreadsheet takes at most {max} rows; \
                 narrow the dates or choose CSV"
            ),
        )
        .rule(Rule::Range {
            min: 0,
            max: i64::try_from(max).unwrap_or(i64::MAX),
        })
        .into());
    }
    Ok(())
}

/// An export's range: open, or at most [`MAX_EXPORT_DAYS`] long.
pub fn check_export_range(range: &kh_domain::DateRange) -> Result<(), ServiceError> {
    if let (Some(from), Some(to)) = (range.from, range.to)
        && (to - from).num_days() + 1 > MAX_EXPORT_DAYS
    {
        return Err(FieldError::new(
            "to",
            format!(
                "an export covers at most {MAX_EXPORT_DAYS} days; leave both dates out for all time"
            ),
        )
        .rule(Rule::Range {
            min: 1,
            max: MAX_EXPORT_DAYS,
        })
        .into());
    }
    Ok(())
}

/// How far back an entry may be dated without a supervisor's approval.
pub const BACKDATED_HOURS: i64 = 24;

/// The approval of something that needs a supervisor: none needed on a PC without staff (`by`
/// none); a supervisor approves their own; a cashier needs `approver`, a supervisor whose PIN
/// the caller checked.
pub(crate) fn approval(
    by: Option<&StaffMember>,
    approver: Option<&StaffMember>,
    what: &str,
) -> Result<Option<StaffRef>, ServiceError> {
    let Some(by) = by else {
        return Ok(None);
    };
    if by.role.approves() {
        return Ok(Some(StaffRef::from(by)));
    }
    match approver {
        Some(a) if a.role.approves() => Ok(Some(StaffRef::from(a))),
        Some(a) => Err(ServiceError::Forbidden(format!(
            "{} is not a supervisor; a supervisor must approve this",
            a.name.as_str()
        ))),
        None => Err(ServiceError::ApprovalRequired(format!(
            "{what} needs a supervisor's approval: their name and PIN"
        ))),
    }
}

impl LedgerService {
    /// A service over `ledger`, checking new entries against HQ's `lists` and stamping them
    /// with `branch` once it is known.
    pub fn new(
        ledger: Arc<dyn Ledger>,
        lists: Arc<dyn BranchLists>,
        clock: Arc<dyn Clock>,
        branch: CurrentBranch,
    ) -> Self {
        Self {
            ledger,
            lists,
            clock,
            branch,
        }
    }

    /// HQ's lists as this PC last received them (the defaults before it ever did).
    pub async fn lists(&self) -> Result<Lists, ServiceError> {
        Ok(self.lists.lists().await?)
    }

    /// Whether the cash book can be read (`GET /health`; the desktop window waits on it).
    pub async fn health(&self) -> Result<(), ServiceError> {
        match self.ledger.ping().await {
            Ok(()) => Ok(()),
            Err(LedgerError::Unavailable(why) | LedgerError::Internal(why)) => {
                Err(ServiceError::Unavailable(why))
            }
            Err(other) => Err(other.into()),
        }
    }

    /// Validates and posts a new entry. A replay of a stored entry (same id and content) returns
    /// it unchanged; the same id with other content is a conflict.
    ///
    /// `by` is the signed-in member (none on a PC whose branch has no staff). An entry dated
    /// more than [`BACKDATED_HOURS`] back needs a supervisor (DESIGN 10.2): `by` when they are
    /// one, else `approver`, whose PIN the caller checked; without either it is refused.
    pub async fn record(
        &self,
        input: &NewTransactionInput<'_>,
        by: Option<&StaffMember>,
        approver: Option<&StaffMember>,
    ) -> Result<Recorded, ServiceError> {
        let lists = self.lists.lists().await?;
        let now = self.clock.now();
        let mut tx = NewTransaction::from_input(input, now, &lists)?;
        tx.branch_id = self.branch.get();
        tx.recorded_by = by.map(StaffRef::from);
        if now - tx.occurred_at > kh_domain::chrono::Duration::hours(BACKDATED_HOURS) {
            tx.approved_by = approval(by, approver, "An entry dated more than 24 hours back")?;
        }
        Ok(self.ledger.record(tx).await?)
    }

    /// One entry, with the id of its void if it has one.
    pub async fn get(&self, id: TransactionId) -> Result<Transaction, ServiceError> {
        self.ledger.get(id).await?.ok_or(ServiceError::NotFound(id))
    }

    /// A page of entries.
    pub async fn list(&self, query: &ListQuery) -> Result<Page<Transaction>, ServiceError> {
        Ok(self.ledger.list(query).await?)
    }

    /// Now, by the service's clock (when a report is printed).
    pub fn now(&self) -> kh_domain::chrono::DateTime<kh_domain::chrono::Utc> {
        self.clock.now()
    }

    /// Checks what an export asks for before the file starts: a date range of at most
    /// [`MAX_EXPORT_DAYS`] (all time, with no dates, is allowed; twenty years is a typing
    /// mistake).
    ///
    /// With `max_rows` (a spreadsheet's limit), an export that would hold more entries is
    /// refused up front, with the count, rather than cut short.
    pub async fn check_export(
        &self,
        query: &ListQuery,
        max_rows: Option<u64>,
    ) -> Result<(), ServiceError> {
        check_export_range(&query.range)?;
        if let Some(max) = max_rows {
            let counted = ListQuery {
                page: 1,
                limit: 1,
                ..query.clone()
            };
            let total = self.ledger.list(&counted).await?.total;
            check_export_rows(total, max)?;
        }
        Ok(())
    }

    /// The next `limit` entries of an export after `after` (from the first when `None`).
    pub async fn export_page(
        &self,
        query: &ListQuery,
        after: Option<ListCursor>,
        limit: u32,
    ) -> Result<Vec<Transaction>, ServiceError> {
        Ok(self.ledger.list_after(query, after, limit).await?)
    }

    /// In, out and cancelled totals of every entry a listing matches, over all its pages.
    pub async fn list_totals(&self, query: &ListQuery) -> Result<Totals, ServiceError> {
        Ok(self.ledger.list_totals(query).await?)
    }

    /// Cancels an entry with a new, opposite entry whose description is `reason`, recorded by
    /// `by` (the signed-in member, if any).
    /// A void needs a supervisor as [`LedgerService::record`] says.
    pub async fn void(
        &self,
        id: TransactionId,
        reason: &str,
        by: Option<&StaffMember>,
        approver: Option<&StaffMember>,
    ) -> Result<Transaction, ServiceError> {
        let approved_by = approval(by, approver, "A void")?;
        let reason = VoidReason::parse(reason)?;
        let original = self.get(id).await?;
        let void = original
            .void(TransactionId::new_v4(), reason, self.clock.now())
            .map_err(|e| match e {
                VoidError::AlreadyVoided(void) => {
                    ServiceError::AlreadyVoided { original: id, void }
                }
                VoidError::IsAVoid => ServiceError::Conflict(e.to_string()),
                VoidError::ClockWrong(field) => {
                    ServiceError::Invalid(ValidationErrors(vec![field]))
                }
            })?;
        let mut void = void;
        void.recorded_by = by.map(StaffRef::from);
        void.approved_by = approved_by;
        match self.ledger.record(void).await? {
            Recorded::Created(tx) | Recorded::Replayed(tx) => Ok(tx),
        }
    }

    /// Totals over a range of business dates (of one payment channel's entries when given).
    pub async fn summary(
        &self,
        range: DateRange,
        channel: Option<ChannelId>,
    ) -> Result<Totals, ServiceError> {
        Ok(self.ledger.totals(range, channel).await?)
    }

    /// One row per business date with the closing balance (of one channel when given). With
    /// both ends given every date of the range is listed; an open end stops at the first or
    /// last date with entries.
    pub async fn daily(
        &self,
        range: DateRange,
        channel: Option<ChannelId>,
    ) -> Result<Vec<DailyBalance>, ServiceError> {
        check_daily_span(range.from, range.to)?;
        let (opening, days) = self.ledger.daily(range, channel).await?;
        daily_balances(range, opening, &days)
    }

    /// Totals per payment channel over a range, in the order of the branch's channel list
    /// (cash first), channels without entries left out.
    pub async fn channels(&self, range: DateRange) -> Result<Vec<ChannelTotal>, ServiceError> {
        let lists = self.lists.lists().await?;
        let mut rows: Vec<ChannelTotal> = self
            .ledger
            .channel_totals(range)
            .await?
            .into_iter()
            .map(|(id, totals)| {
                let listed = lists.channels.iter().find(|c| c.id == id);
                ChannelTotal {
                    id,
                    name: listed.map_or_else(|| id.to_string(), |c| c.name.as_str().to_owned()),
                    kind: listed.map(|c| c.kind),
                    totals,
                }
            })
            .collect();
        let position = |id: ChannelId| {
            lists
                .channels
                .iter()
                .position(|c| c.id == id)
                .unwrap_or(usize::MAX)
        };
        rows.sort_by_key(|r| (position(r.id), r.id));
        Ok(rows)
    }

    /// Totals by category over a range, largest first.
    pub async fn categories(
        &self,
        range: DateRange,
        tx_type: Option<TxType>,
    ) -> Result<Vec<CategoryTotal>, ServiceError> {
        Ok(self.ledger.category_totals(range, tx_type).await?)
    }

    /// Categories to suggest: those this branch uses, most used first (only HQ's active ones
    /// when HQ allows no new categories), then HQ's active categories it has not used yet.
    pub async fn category_suggestions(&self) -> Result<Vec<CategorySuggestion>, ServiceError> {
        let used = self.ledger.used_categories(200).await?;
        let lists = self.lists.lists().await?;
        // Categories compare by key, so one spelling of each is suggested per direction.
        let mut seen: HashSet<(String, TxType)> = HashSet::new();
        let mut out = Vec::with_capacity(used.len() + lists.categories.len());
        for u in used {
            if lists.check_category(u.tx_type, &u.category).is_ok()
                && seen.insert((u.category.key(), u.tx_type))
            {
                out.push(CategorySuggestion {
                    category: u.category,
                    tx_type: u.tx_type,
                    count: u.count,
                });
            }
        }
        for c in lists.categories.iter().filter(|c| c.active) {
            let directions: &[TxType] = match c.usage {
                CategoryUse::In => &[TxType::In],
                CategoryUse::Out => &[TxType::Out],
                CategoryUse::Both => &[TxType::In, TxType::Out],
            };
            for &tx_type in directions {
                if seen.insert((c.name.key(), tx_type)) {
                    out.push(CategorySuggestion {
                        category: c.name.clone(),
                        tx_type,
                        count: 0,
                    });
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use kh_domain::chrono::{DateTime, NaiveDate, Utc};
    use kh_domain::{DayTotals, Totals};

    use super::*;
    use crate::{MockBranchLists, MockClock, MockLedger, UsedCategory};

    /// A branch that never heard from HQ: the default lists.
    fn defaults() -> Arc<dyn BranchLists> {
        with_lists(Lists::defaults())
    }

    fn with_lists(lists: Lists) -> Arc<dyn BranchLists> {
        let mut mock = MockBranchLists::new();
        mock.expect_lists().returning(move || Ok(lists.clone()));
        Arc::new(mock)
    }

    fn fixed_clock() -> MockClock {
        let mut clock = MockClock::new();
        clock.expect_now().returning(|| {
            DateTime::parse_from_rfc3339("2025-12-08T03:00:00Z")
                .unwrap()
                .with_timezone(&Utc)
        });
        clock
    }

    fn input() -> NewTransactionInput<'static> {
        NewTransactionInput {
            tx_type: "OUT",
            amount: 75_000,
            category: "Gaji",
            ..Default::default()
        }
    }

    fn member(name: &str, role: kh_domain::StaffRole) -> StaffMember {
        StaffMember {
            id: kh_domain::StaffId::new_v4(),
            name: kh_domain::StaffName::parse(name).unwrap(),
            role,
            active: true,
            pin_hash: kh_domain::PinHash::new("$argon2id$x".into()),
            version: 1,
        }
    }

    /// Who is signed in goes on the entry and on a void, with their name then; a void and an
    /// entry dated more than a day back need a supervisor, who may approve their own.
    #[tokio::test]
    async fn entries_carry_who_recorded_and_who_approved_them() {
        let siti = member("Siti", kh_domain::StaffRole::Cashier);
        let budi = member("Budi", kh_domain::StaffRole::Supervisor);
        let stored = Arc::new(std::sync::Mutex::new(None::<Transaction>));
        let mut ledger = MockLedger::new();
        let keep = stored.clone();
        ledger.expect_record().returning(move |tx| {
            let posted = Transaction::posted(tx);
            if posted.reverses_id.is_none() {
                *keep.lock().unwrap() = Some(posted.clone());
            }
            Ok(Recorded::Created(posted))
        });
        let read = stored.clone();
        ledger
            .expect_get()
            .returning(move |_| Ok(read.lock().unwrap().clone()));
        let service = LedgerService::new(
            Arc::new(ledger),
            defaults(),
            Arc::new(fixed_clock()),
            CurrentBranch::default(),
        );
        let entry = service.record(&input(), Some(&siti), None).await.unwrap();
        let entry = entry.transaction().clone();
        assert_eq!(entry.recorded_by, Some(StaffRef::from(&siti)));
        assert_eq!(entry.approved_by, None, "today's entry needs nobody");

        assert!(matches!(
            service.void(entry.id, "salah", Some(&siti), None).await,
            Err(ServiceError::ApprovalRequired(_))
        ));
        assert!(matches!(
            service
                .void(entry.id, "salah", Some(&siti), Some(&siti))
                .await,
            Err(ServiceError::Forbidden(_))
        ));
        let void = service
            .void(entry.id, "salah", Some(&siti), Some(&budi))
            .await
            .unwrap();
        assert_eq!(void.recorded_by, Some(StaffRef::from(&siti)));
        assert_eq!(void.approved_by, Some(StaffRef::from(&budi)));
        let own = service
            .void(entry.id, "salah", Some(&budi), None)
            .await
            .unwrap();
        assert_eq!(
            own.approved_by,
            Some(StaffRef::from(&budi)),
            "a supervisor's own"
        );

        // Dated two days back: Siti needs Budi.
        let old = NewTransactionInput {
            occurred_at: Some("2025-12-06T03:00:00Z"),
            ..input()
        };
        assert!(matches!(
            service.record(&old, Some(&siti), None).await,
            Err(ServiceError::ApprovalRequired(_))
        ));
        let approved = service
            .record(&old, Some(&siti), Some(&budi))
            .await
            .unwrap();
        assert_eq!(
            approved.transaction().approved_by,
            Some(StaffRef::from(&budi))
        );
        // A PC without staff: as before.
        let nobody = service.record(&old, None, None).await.unwrap();
        assert_eq!(
            (
                nobody.transaction().recorded_by.clone(),
                nobody.transaction().approved_by.clone()
            ),
            (None, None)
        );
        assert!(service.void(entry.id, "x", None, None).await.is_ok());
    }

    #[tokio::test]
    async fn record_stamps_the_branch_and_posts_once() {
        let branch = CurrentBranch::default();
        let b = BranchId::new_v4();
        branch.set(Some(b));
        let mut ledger = MockLedger::new();
        ledger
            .expect_record()
            .withf(move |tx| tx.branch_id == Some(b) && tx.amount.rupiah() == 75_000)
            .times(1)
            .returning(|tx| Ok(Recorded::Created(Transaction::posted(tx))));
        let service = LedgerService::new(
            Arc::new(ledger),
            defaults(),
            Arc::new(fixed_clock()),
            branch,
        );
        let recorded = service.record(&input(), None, None).await.unwrap();
        assert_eq!(recorded.transaction().branch_id, Some(b));
    }

    #[tokio::test]
    async fn invalid_input_never_reaches_the_ledger() {
        let mut ledger = MockLedger::new();
        ledger.expect_record().never();
        let service = LedgerService::new(
            Arc::new(ledger),
            defaults(),
            Arc::new(fixed_clock()),
            CurrentBranch::default(),
        );
        let mut bad = input();
        bad.amount = -1;
        match service.record(&bad, None, None).await {
            Err(ServiceError::Invalid(errors)) => assert_eq!(errors.0[0].field, "amount"),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn ledger_conflict_becomes_a_conflict_with_advice() {
        let mut ledger = MockLedger::new();
        ledger
            .expect_record()
            .returning(|tx| Err(LedgerError::Conflict(tx.id)));
        let service = LedgerService::new(
            Arc::new(ledger),
            defaults(),
            Arc::new(fixed_clock()),
            CurrentBranch::default(),
        );
        match service.record(&input(), None, None).await {
            Err(ServiceError::Conflict(message)) => assert!(message.contains("new id")),
            other => panic!("expected a conflict, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn void_posts_the_mirror_entry_and_refuses_a_second_void() {
        let original = Transaction::posted(
            NewTransaction::from_input(&input(), fixed_clock().now(), &Lists::defaults()).unwrap(),
        );
        let id = original.id;
        let stored = original.clone();
        let mut ledger = MockLedger::new();
        ledger
            .expect_get()
            .returning(move |_| Ok(Some(stored.clone())));
        ledger
            .expect_record()
            .withf(move |tx| tx.reverses_id == Some(id) && tx.tx_type == TxType::In)
            .returning(|tx| Ok(Recorded::Created(Transaction::posted(tx))));
        let service = LedgerService::new(
            Arc::new(ledger),
            defaults(),
            Arc::new(fixed_clock()),
            CurrentBranch::default(),
        );
        let void = service.void(id, "salah nominal", None, None).await.unwrap();
        assert_eq!(void.description.as_str(), "salah nominal");

        let mut already = original.clone();
        already.voided_by = Some(void.id);
        let mut ledger = MockLedger::new();
        ledger
            .expect_get()
            .returning(move |_| Ok(Some(already.clone())));
        ledger.expect_record().never();
        let service = LedgerService::new(
            Arc::new(ledger),
            defaults(),
            Arc::new(fixed_clock()),
            CurrentBranch::default(),
        );
        assert!(matches!(
            service.void(id, "lagi", None, None).await,
            Err(ServiceError::AlreadyVoided { .. })
        ));
    }

    #[tokio::test]
    async fn void_of_unknown_entry_is_not_found_and_empty_reason_is_invalid() {
        let mut ledger = MockLedger::new();
        ledger.expect_get().returning(|_| Ok(None));
        let service = LedgerService::new(
            Arc::new(ledger),
            defaults(),
            Arc::new(fixed_clock()),
            CurrentBranch::default(),
        );
        let id = TransactionId::new_v4();
        assert!(matches!(
            service.void(id, "x", None, None).await,
            Err(ServiceError::NotFound(_))
        ));
        assert!(matches!(
            service.void(id, "  ", None, None).await,
            Err(ServiceError::Invalid(_))
        ));
    }

    #[tokio::test]
    async fn daily_fills_the_asked_range_from_the_opening_balance() {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let mut ledger = MockLedger::new();
        ledger.expect_daily().returning(move |_, _| {
            Ok((
                500,
                vec![DayTotals {
                    date: day("2025-12-02"),
                    totals: Totals {
                        total_in: 100,
                        total_out: 0,
                        count_in: 1,
                        count_out: 0,
                        ..Totals::default()
                    },
                }],
            ))
        });
        let service = LedgerService::new(
            Arc::new(ledger),
            defaults(),
            Arc::new(fixed_clock()),
            CurrentBranch::default(),
        );
        let range = DateRange::parse(Some("2025-12-01"), Some("2025-12-03")).unwrap();
        let rows = service.daily(range, None).await.unwrap();
        let balances: Vec<i64> = rows.iter().map(|r| r.balance).collect();
        assert_eq!(balances, [500, 600, 600]);
    }

    #[tokio::test]
    async fn daily_refuses_a_range_of_decades() {
        let service = LedgerService::new(
            Arc::new(MockLedger::new()),
            defaults(),
            Arc::new(fixed_clock()),
            CurrentBranch::default(),
        );
        let range = DateRange::parse(Some("2000-01-01"), Some("2025-01-01")).unwrap();
        assert!(matches!(
            service.daily(range, None).await,
            Err(ServiceError::Invalid(_))
        ));
    }

    #[tokio::test]
    async fn suggestions_put_used_categories_first_and_skip_used_defaults() {
        let mut ledger = MockLedger::new();
        ledger.expect_used_categories().returning(|_| {
            Ok(vec![
                UsedCategory {
                    category: Category::parse("gaji").unwrap(),
                    tx_type: TxType::Out,
                    count: 7,
                },
                UsedCategory {
                    category: Category::parse("BAHAN  baku").unwrap(),
                    tx_type: TxType::Out,
                    count: 2,
                },
            ])
        });
        let service = LedgerService::new(
            Arc::new(ledger),
            defaults(),
            Arc::new(fixed_clock()),
            CurrentBranch::default(),
        );
        let names: Vec<String> = service
            .category_suggestions()
            .await
            .unwrap()
            .into_iter()
            .map(|s| s.category.as_str().to_owned())
            .collect();
        assert_eq!(names[0], "gaji");
        assert!(
            !names.iter().any(|n| n == "Gaji"),
            "default Gaji duplicates the used gaji"
        );
        assert!(
            !names.iter().any(|n| n == "Bahan Baku"),
            "spaces and case do not make another category: {names:?}"
        );
        assert!(names.iter().any(|n| n == "Penjualan"));
    }

    #[tokio::test]
    async fn an_entry_takes_a_channel_from_hqs_lists_and_cash_by_default() {
        let mut ledger = MockLedger::new();
        ledger
            .expect_record()
            .times(2)
            .returning(|tx| Ok(Recorded::Created(Transaction::posted(tx))));
        let mut lists = Lists::defaults();
        lists.channels[2].active = false;
        let transfer = lists.channels[2].id.to_string();
        let qris = lists.channels[1].id.to_string();
        let service = LedgerService::new(
            Arc::new(ledger),
            with_lists(lists),
            Arc::new(fixed_clock()),
            CurrentBranch::default(),
        );
        let cash = service.record(&input(), None, None).await.unwrap();
        assert_eq!(cash.transaction().channel.name.as_str(), "Tunai");
        let by_qris = NewTransactionInput {
            channel_id: Some(&qris),
            ..input()
        };
        let qris_row = service.record(&by_qris, None, None).await.unwrap();
        assert_eq!(qris_row.transaction().channel.name.as_str(), "QRIS");
        let deactivated = NewTransactionInput {
            channel_id: Some(&transfer),
            ..input()
        };
        match service.record(&deactivated, None, None).await {
            Err(ServiceError::Invalid(e)) => assert_eq!(e.0[0].field, "channel_id"),
            other => panic!("a deactivated channel must be refused, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn channel_totals_follow_the_list_order_with_current_names() {
        let lists = Lists::defaults();
        let (cash, qris) = (lists.channels[0].id, lists.channels[1].id);
        let stray = ChannelId::new_v4();
        let mut ledger = MockLedger::new();
        ledger.expect_channel_totals().returning(move |_| {
            let mut t = Totals::default();
            t.add(TxType::In, 5).unwrap();
            Ok(vec![(stray, t), (qris, t), (cash, t)])
        });
        let service = LedgerService::new(
            Arc::new(ledger),
            with_lists(lists),
            Arc::new(fixed_clock()),
            CurrentBranch::default(),
        );
        let rows = service.channels(DateRange::ALL).await.unwrap();
        let names: Vec<_> = rows.iter().map(|r| r.name.clone()).collect();
        assert_eq!(names, ["Tunai", "QRIS", stray.to_string().as_str()]);
        assert_eq!(rows[0].kind, Some(ChannelKind::Cash));
        assert_eq!(rows[2].kind, None);
        assert_eq!(rows[1].totals.total_in, 5);
    }

    #[tokio::test]
    async fn where_hq_allows_no_new_categories_only_its_list_is_suggested() {
        let mut ledger = MockLedger::new();
        ledger.expect_used_categories().returning(|_| {
            Ok(vec![UsedCategory {
                category: Category::parse("Parkir").unwrap(),
                tx_type: TxType::Out,
                count: 9,
            }])
        });
        let mut lists = Lists::defaults();
        lists.allow_new_categories = false;
        lists.categories[0].active = false;
        let service = LedgerService::new(
            Arc::new(ledger),
            with_lists(lists),
            Arc::new(fixed_clock()),
            CurrentBranch::default(),
        );
        let names: Vec<String> = service
            .category_suggestions()
            .await
            .unwrap()
            .into_iter()
            .map(|s| s.category.as_str().to_owned())
            .collect();
        assert!(!names.iter().any(|n| n == "Parkir"), "{names:?}");
        assert!(
            !names.iter().any(|n| n == "Penjualan"),
            "inactive: {names:?}"
        );
        assert!(names.iter().any(|n| n == "Gaji"));
    }
}
