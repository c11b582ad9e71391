use chrono::{Days, NaiveDate};

use crate::{Category, TxType};

/// Totals no longer fit in 64 bits (over 9.2 quintillion rupiah): a corrupt ledger, not a user error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("totals overflow a 64-bit rupiah amount")]
pub struct TotalsOverflow;

/// Sums of money in and out, with counts. Arithmetic is checked: it never wraps.
///
/// An entry and the void that cancels it are a *cancelled pair*: neither is in the effective
/// sums and counts (`total_*`, `count_*`), as if the mistake had never been made, so the balance
/// is the same as if both had counted; both are in the `voided_*` figures, shown apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Totals {
    /// Sum of live `IN` amounts.
    pub total_in: i64,
    /// Sum of live `OUT` amounts.
    pub total_out: i64,
    /// Number of live `IN` entries.
    pub count_in: i64,
    /// Number of live `OUT` entries.
    pub count_out: i64,
    /// Sum of cancelled `IN` amounts (voided entries and voids alike).
    pub voided_in: i64,
    /// Sum of cancelled `OUT` amounts.
    pub voided_out: i64,
    /// Number of cancelled `IN` rows.
    pub voided_count_in: i64,
    /// Number of cancelled `OUT` rows.
    pub voided_count_out: i64,
}

fn bump(total: &mut i64, count: &mut i64, amount: i64, rows: i64) -> Result<(), TotalsOverflow> {
    *total = total.checked_add(amount).ok_or(TotalsOverflow)?;
    *count = count.checked_add(rows).ok_or(TotalsOverflow)?;
    Ok(())
}

impl Totals {
    /// Adds one live entry.
    pub fn add(&mut self, tx_type: TxType, amount: i64) -> Result<(), TotalsOverflow> {
        let (total, count) = match tx_type {
            TxType::In => (&mut self.total_in, &mut self.count_in),
            TxType::Out => (&mut self.total_out, &mut self.count_out),
        };
        bump(total, count, amount, 1)
    }

    /// Adds one cancelled row: a void, or an entry known to be voided.
    pub fn add_cancelled(&mut self, tx_type: TxType, amount: i64) -> Result<(), TotalsOverflow> {
        let (total, count) = match tx_type {
            TxType::In => (&mut self.voided_in, &mut self.voided_count_in),
            TxType::Out => (&mut self.voided_out, &mut self.voided_count_out),
        };
        bump(total, count, amount, 1)
    }

    /// Moves one entry already counted live to the cancelled figures (its void has arrived).
    /// On a set of changes this leaves negative live figures, to be added to stored ones.
    pub fn cancel(&mut self, tx_type: TxType, amount: i64) -> Result<(), TotalsOverflow> {
        let (total, count) = match tx_type {
            TxType::In => (&mut self.total_in, &mut self.count_in),
            TxType::Out => (&mut self.total_out, &mut self.count_out),
        };
        let negative = amount.checked_neg().ok_or(TotalsOverflow)?;
        bump(total, count, negative, -1)?;
        self.add_cancelled(tx_type, amount)
    }

    /// Adds another set of totals.
    pub fn merge(&mut self, other: &Totals) -> Result<(), TotalsOverflow> {
        let pairs = [
            (&mut self.total_in, other.total_in),
            (&mut self.total_out, other.total_out),
            (&mut self.count_in, other.count_in),
            (&mut self.count_out, other.count_out),
            (&mut self.voided_in, other.voided_in),
            (&mut self.voided_out, other.voided_out),
            (&mut self.voided_count_in, other.voided_count_in),
            (&mut self.voided_count_out, other.voided_count_out),
        ];
        for (mine, theirs) in pairs {
            *mine = mine.checked_add(theirs).ok_or(TotalsOverflow)?;
        }
        Ok(())
    }

    /// Money in minus money out (cancelled pairs add nothing to it).
    pub fn balance(&self) -> Result<i64, TotalsOverflow> {
        self.total_in
            .checked_sub(self.total_out)
            .ok_or(TotalsOverflow)
    }

    /// Number of live entries, both ways.
    pub fn transaction_count(&self) -> Result<i64, TotalsOverflow> {
        self.count_in
            .checked_add(self.count_out)
            .ok_or(TotalsOverflow)
    }

    /// Number of cancelled rows, both ways (a voided entry and its void are two).
    pub fn voided_count(&self) -> Result<i64, TotalsOverflow> {
        self.voided_count_in
            .checked_add(self.voided_count_out)
            .ok_or(TotalsOverflow)
    }

    /// Sum of the cancelled rows' amounts, both ways.
    pub fn voided_total(&self) -> Result<i64, TotalsOverflow> {
        self.voided_in
            .checked_add(self.voided_out)
            .ok_or(TotalsOverflow)
    }

    /// Number of stored rows of one type, live or cancelled (what a listing pages through).
    pub fn rows_of(&self, tx_type: TxType) -> Result<i64, TotalsOverflow> {
        let (live, cancelled) = match tx_type {
            TxType::In => (self.count_in, self.voided_count_in),
            TxType::Out => (self.count_out, self.voided_count_out),
        };
        live.checked_add(cancelled).ok_or(TotalsOverflow)
    }

    /// Number of stored rows, live or cancelled, both ways.
    pub fn rows(&self) -> Result<i64, TotalsOverflow> {
        self.rows_of(TxType::In)?
            .checked_add(self.rows_of(TxType::Out)?)
            .ok_or(TotalsOverflow)
    }
}

/// The totals of one business date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayTotals {
    /// The business date.
    pub date: NaiveDate,
    /// What moved that day.
    pub totals: Totals,
}

/// One row of the daily report: what moved that day and the cash balance at its close.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DailyBalance {
    /// The business date.
    pub date: NaiveDate,
    /// Money in that day.
    pub total_in: i64,
    /// Money out that day.
    pub total_out: i64,
    /// The running balance at the end of the day, counting everything before it.
    pub balance: i64,
    /// Rows of that day cancelled by a void (voided entries and voids), left out of the sums.
    pub voided_count: i64,
    /// Sum of those rows' amounts.
    pub voided_total: i64,
}

impl DailyBalance {
    /// Turns per-day totals (sorted by date) into closing balances starting from `opening`,
    /// with a row for every date from `first` to `last` (quiet days carry the balance forward).
    pub fn running(
        opening: i64,
        days: &[DayTotals],
        first: Option<NaiveDate>,
        last: Option<NaiveDate>,
    ) -> Result<Vec<DailyBalance>, TotalsOverflow> {
        let (Some(first), Some(last)) = (
            first.or(days.first().map(|d| d.date)),
            last.or(days.last().map(|d| d.date)),
        ) else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        let mut balance = opening;
        let mut pending = days.iter().peekable();
        let mut date = first;
        while date <= last {
            let mut row = DailyBalance {
                date,
                total_in: 0,
                total_out: 0,
                balance,
                voided_count: 0,
                voided_total: 0,
            };
            while let Some(day) = pending.next_if(|d| d.date <= date) {
                if day.date == date {
                    row.total_in = row
                        .total_in
                        .checked_add(day.totals.total_in)
                        .ok_or(TotalsOverflow)?;
                    row.total_out = row
                        .total_out
                        .checked_add(day.totals.total_out)
                        .ok_or(TotalsOverflow)?;
                    row.voided_count = row
                        .voided_count
                        .checked_add(day.totals.voided_count()?)
                        .ok_or(TotalsOverflow)?;
                    row.voided_total = row
                        .voided_total
                        .checked_add(day.totals.voided_total()?)
                        .ok_or(TotalsOverflow)?;
                }
            }
            balance = balance
                .checked_add(row.total_in)
                .and_then(|b| b.checked_sub(row.total_out))
                .ok_or(TotalsOverflow)?;
            row.balance = balance;
            out.push(row);
            match date.checked_add_days(Days::new(1)) {
                Some(next) => date = next,
                None => break,
            }
        }
        Ok(out)
    }
}

/// Money moved under one category in one direction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryTotal {
    /// The category.
    pub category: Category,
    /// The direction.
    pub tx_type: TxType,
    /// Sum of amounts.
    pub total: i64,
    /// Number of entries.
    pub count: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn totals_are_exact_and_refuse_to_wrap() {
        let mut t = Totals::default();
        t.add(TxType::In, 1_500_000).unwrap();
        t.add(TxType::Out, 20_000).unwrap();
        assert_eq!(t.balance(), Ok(1_480_000));
        assert_eq!(t.transaction_count(), Ok(2));
        let mut huge = Totals {
            total_in: i64::MAX,
            ..Totals::default()
        };
        assert_eq!(huge.add(TxType::In, 1), Err(TotalsOverflow));
        let negative = Totals {
            total_out: i64::MAX,
            total_in: -2,
            ..Totals::default()
        };
        assert_eq!(negative.balance(), Err(TotalsOverflow));
    }

    #[test]
    fn a_cancelled_pair_leaves_the_sums_and_counts_but_not_the_rows() {
        // A Rp 20.000 expense, then its void (Rp 20.000 in), beside a live Rp 5.000 sale.
        let mut t = Totals::default();
        t.add(TxType::Out, 20_000).unwrap();
        t.add(TxType::In, 5_000).unwrap();
        t.cancel(TxType::Out, 20_000).unwrap();
        t.add_cancelled(TxType::In, 20_000).unwrap();
        assert_eq!((t.total_in, t.total_out), (5_000, 0));
        assert_eq!((t.count_in, t.count_out), (1, 0));
        assert_eq!(t.transaction_count(), Ok(1));
        assert_eq!(t.voided_count(), Ok(2));
        assert_eq!(t.voided_total(), Ok(40_000));
        assert_eq!(t.balance(), Ok(5_000));
        assert_eq!(t.rows(), Ok(3));
        assert_eq!(t.rows_of(TxType::Out), Ok(1));

        // The same as changes to stored totals: a cancel alone is negative live figures.
        let mut change = Totals::default();
        change.cancel(TxType::Out, 20_000).unwrap();
        assert_eq!((change.total_out, change.count_out), (-20_000, -1));
        let mut stored = Totals::default();
        stored.add(TxType::Out, 20_000).unwrap();
        stored.merge(&change).unwrap();
        assert_eq!((stored.total_out, stored.count_out), (0, 0));
        assert_eq!((stored.voided_out, stored.voided_count_out), (20_000, 1));
    }

    #[test]
    fn running_balance_fills_quiet_days_and_starts_from_the_opening() {
        let days = [
            DayTotals {
                date: d("2025-01-01"),
                totals: Totals {
                    total_in: 100,
                    total_out: 30,
                    count_in: 1,
                    count_out: 1,
                    ..Totals::default()
                },
            },
            DayTotals {
                date: d("2025-01-03"),
                totals: Totals {
                    total_in: 0,
                    total_out: 50,
                    count_in: 0,
                    count_out: 1,
                    ..Totals::default()
                },
            },
        ];
        let rows = DailyBalance::running(1_000, &days, None, None).unwrap();
        let balances: Vec<_> = rows
            .iter()
            .map(|r| (r.date.to_string(), r.balance))
            .collect();
        assert_eq!(
            balances,
            [
                ("2025-01-01".into(), 1_070),
                ("2025-01-02".into(), 1_070),
                ("2025-01-03".into(), 1_020)
            ]
        );
        let empty = DailyBalance::running(0, &[], None, None).unwrap();
        assert!(empty.is_empty());
        let framed =
            DailyBalance::running(5, &[], Some(d("2025-02-01")), Some(d("2025-02-02"))).unwrap();
        assert_eq!(framed.len(), 2);
        assert_eq!(framed[1].balance, 5);
    }
}
