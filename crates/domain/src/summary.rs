use chrono::{Days, NaiveDate};

use crate::{Category, TxType};

/// Totals no longer fit in 64 bits (over 9.2 quintillion rupiah): a corrupt ledger, not a user error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("totals overflow a 64-bit rupiah amount")]
pub struct TotalsOverflow;

/// Sums of money in and out, with counts. Arithmetic is checked: it never wraps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Totals {
    /// Sum of `IN` amounts.
    pub total_in: i64,
    /// Sum of `OUT` amounts.
    pub total_out: i64,
    /// Number of `IN` entries.
    pub count_in: i64,
    /// Number of `OUT` entries.
    pub count_out: i64,
}

impl Totals {
    /// Adds one entry.
    pub fn add(&mut self, tx_type: TxType, amount: i64) -> Result<(), TotalsOverflow> {
        let (total, count) = match tx_type {
            TxType::In => (&mut self.total_in, &mut self.count_in),
            TxType::Out => (&mut self.total_out, &mut self.count_out),
        };
        *total = total.checked_add(amount).ok_or(TotalsOverflow)?;
        *count = count.checked_add(1).ok_or(TotalsOverflow)?;
        Ok(())
    }

    /// Adds another set of totals.
    pub fn merge(&mut self, other: &Totals) -> Result<(), TotalsOverflow> {
        self.total_in = self
            .total_in
            .checked_add(other.total_in)
            .ok_or(TotalsOverflow)?;
        self.total_out = self
            .total_out
            .checked_add(other.total_out)
            .ok_or(TotalsOverflow)?;
        self.count_in = self
            .count_in
            .checked_add(other.count_in)
            .ok_or(TotalsOverflow)?;
        self.count_out = self
            .count_out
            .checked_add(other.count_out)
            .ok_or(TotalsOverflow)?;
        Ok(())
    }

    /// Money in minus money out.
    pub fn balance(&self) -> Result<i64, TotalsOverflow> {
        self.total_in
            .checked_sub(self.total_out)
            .ok_or(TotalsOverflow)
    }

    /// Number of entries, both ways.
    pub fn transaction_count(&self) -> Result<i64, TotalsOverflow> {
        self.count_in
            .checked_add(self.count_out)
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
    fn running_balance_fills_quiet_days_and_starts_from_the_opening() {
        let days = [
            DayTotals {
                date: d("2025-01-01"),
                totals: Totals {
                    total_in: 100,
                    total_out: 30,
                    count_in: 1,
                    count_out: 1,
                },
            },
            DayTotals {
                date: d("2025-01-03"),
                totals: Totals {
                    total_in: 0,
                    total_out: 50,
                    count_in: 0,
                    count_out: 1,
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
