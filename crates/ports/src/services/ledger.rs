use std::collections::HashSet;
use std::sync::{Arc, PoisonError, RwLock};

use kh_domain::chrono::{Days, NaiveDate};
use kh_domain::{
    BranchId, Category, CategoryTotal, DailyBalance, DateRange, DayTotals, NewTransaction,
    NewTransactionInput, Totals, Transaction, TransactionId, TxType, ValidationErrors, VoidError,
    VoidReason,
};

use crate::services::ServiceError;
use crate::{Clock, Ledger, LedgerError, ListQuery, Page, Recorded};

/// The longest span the daily report fills day by day.
pub const MAX_DAILY_SPAN_DAYS: u64 = 3_660;

/// Categories a new branch is offered before it has used any, with their usual direction.
pub const DEFAULT_CATEGORIES: &[(&str, TxType)] = &[
    ("Penjualan", TxType::In),
    ("Pesanan Katering", TxType::In),
    ("Modal", TxType::In),
    ("Bahan Baku", TxType::Out),
    ("Operasional", TxType::Out),
    ("Gaji", TxType::Out),
    ("Sewa", TxType::Out),
    ("Listrik & Air", TxType::Out),
    ("Transportasi", TxType::Out),
    ("Peralatan", TxType::Out),
];

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

/// Recording, voiding and reporting on the branch cash book.
#[derive(Clone)]
pub struct LedgerService {
    ledger: Arc<dyn Ledger>,
    clock: Arc<dyn Clock>,
    branch: CurrentBranch,
}

impl LedgerService {
    /// A service over `ledger`, stamping entries with `branch` once it is known.
    pub fn new(ledger: Arc<dyn Ledger>, clock: Arc<dyn Clock>, branch: CurrentBranch) -> Self {
        Self {
            ledger,
            clock,
            branch,
        }
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
    pub async fn record(&self, input: &NewTransactionInput<'_>) -> Result<Recorded, ServiceError> {
        let mut tx = NewTransaction::from_input(input, self.clock.now())?;
        tx.branch_id = self.branch.get();
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

    /// In, out and cancelled totals of every entry a listing matches, over all its pages.
    pub async fn list_totals(&self, query: &ListQuery) -> Result<Totals, ServiceError> {
        Ok(self.ledger.list_totals(query).await?)
    }

    /// Cancels an entry with a new, opposite entry whose description is `reason`.
    pub async fn void(&self, id: TransactionId, reason: &str) -> Result<Transaction, ServiceError> {
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
        match self.ledger.record(void).await? {
            Recorded::Created(tx) | Recorded::Replayed(tx) => Ok(tx),
        }
    }

    /// Totals over a range of business dates.
    pub async fn summary(&self, range: DateRange) -> Result<Totals, ServiceError> {
        Ok(self.ledger.totals(range).await?)
    }

    /// One row per business date with the closing cash balance. With both ends given every date
    /// of the range is listed; an open end stops at the first or last date with entries.
    pub async fn daily(&self, range: DateRange) -> Result<Vec<DailyBalance>, ServiceError> {
        check_daily_span(range.from, range.to)?;
        let (opening, days) = self.ledger.daily(range).await?;
        daily_balances(range, opening, &days)
    }

    /// Totals by category over a range, largest first.
    pub async fn categories(
        &self,
        range: DateRange,
        tx_type: Option<TxType>,
    ) -> Result<Vec<CategoryTotal>, ServiceError> {
        Ok(self.ledger.category_totals(range, tx_type).await?)
    }

    /// Categories to suggest: those this branch uses, most used first, then the defaults it has
    /// not used yet.
    pub async fn category_suggestions(&self) -> Result<Vec<CategorySuggestion>, ServiceError> {
        let used = self.ledger.used_categories(200).await?;
        // Categories compare by key, so one spelling of each is suggested.
        let mut seen: HashSet<String> = HashSet::new();
        let mut out = Vec::with_capacity(used.len() + DEFAULT_CATEGORIES.len());
        for u in used {
            if seen.insert(u.category.key()) {
                out.push(CategorySuggestion {
                    category: u.category,
                    tx_type: u.tx_type,
                    count: u.count,
                });
            }
        }
        for (name, tx_type) in DEFAULT_CATEGORIES {
            if let Ok(category) = Category::parse(name)
                && seen.insert(category.key())
            {
                out.push(CategorySuggestion {
                    category,
                    tx_type: *tx_type,
                    count: 0,
                });
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
    use crate::{MockClock, MockLedger, UsedCategory};

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
        let service = LedgerService::new(Arc::new(ledger), Arc::new(fixed_clock()), branch);
        let recorded = service.record(&input()).await.unwrap();
        assert_eq!(recorded.transaction().branch_id, Some(b));
    }

    #[tokio::test]
    async fn invalid_input_never_reaches_the_ledger() {
        let mut ledger = MockLedger::new();
        ledger.expect_record().never();
        let service = LedgerService::new(
            Arc::new(ledger),
            Arc::new(fixed_clock()),
            CurrentBranch::default(),
        );
        let mut bad = input();
        bad.amount = -1;
        match service.record(&bad).await {
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
            Arc::new(fixed_clock()),
            CurrentBranch::default(),
        );
        match service.record(&input()).await {
            Err(ServiceError::Conflict(message)) => assert!(message.contains("new id")),
            other => panic!("expected a conflict, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn void_posts_the_mirror_entry_and_refuses_a_second_void() {
        let original =
            Transaction::posted(NewTransaction::from_input(&input(), fixed_clock().now()).unwrap());
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
            Arc::new(fixed_clock()),
            CurrentBranch::default(),
        );
        let void = service.void(id, "salah nominal").await.unwrap();
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
            Arc::new(fixed_clock()),
            CurrentBranch::default(),
        );
        assert!(matches!(
            service.void(id, "lagi").await,
            Err(ServiceError::AlreadyVoided { .. })
        ));
    }

    #[tokio::test]
    async fn void_of_unknown_entry_is_not_found_and_empty_reason_is_invalid() {
        let mut ledger = MockLedger::new();
        ledger.expect_get().returning(|_| Ok(None));
        let service = LedgerService::new(
            Arc::new(ledger),
            Arc::new(fixed_clock()),
            CurrentBranch::default(),
        );
        let id = TransactionId::new_v4();
        assert!(matches!(
            service.void(id, "x").await,
            Err(ServiceError::NotFound(_))
        ));
        assert!(matches!(
            service.void(id, "  ").await,
            Err(ServiceError::Invalid(_))
        ));
    }

    #[tokio::test]
    async fn daily_fills_the_asked_range_from_the_opening_balance() {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let mut ledger = MockLedger::new();
        ledger.expect_daily().returning(move |_| {
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
            Arc::new(fixed_clock()),
            CurrentBranch::default(),
        );
        let range = DateRange::parse(Some("2025-12-01"), Some("2025-12-03")).unwrap();
        let rows = service.daily(range).await.unwrap();
        let balances: Vec<i64> = rows.iter().map(|r| r.balance).collect();
        assert_eq!(balances, [500, 600, 600]);
    }

    #[tokio::test]
    async fn daily_refuses_a_range_of_decades() {
        let service = LedgerService::new(
            Arc::new(MockLedger::new()),
            Arc::new(fixed_clock()),
            CurrentBranch::default(),
        );
        let range = DateRange::parse(Some("2000-01-01"), Some("2025-01-01")).unwrap();
        assert!(matches!(
            service.daily(range).await,
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
}
