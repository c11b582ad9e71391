//! The branches' settings HQ owns and sends down with its lists (DESIGN 9): the cash
//! difference threshold, the blind close, and when the business day starts.

use crate::shift::DEFAULT_DIFFERENCE_THRESHOLD;
use crate::{FieldError, Rule};

/// The largest cash difference threshold: Rp 10.000.000 (a drawer count off by more is never
/// "small").
pub const MAX_DIFFERENCE_THRESHOLD: i64 = 10_000_000;

/// The latest a business day may start: 11:59 (a cut-off is for the hours after midnight).
pub const MAX_DAY_START_MINUTES: u16 = 11 * 60 + 59;

/// The settings every branch follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BranchSettings {
    /// A closing difference beyond this (either way) needs a supervisor's approval.
    pub cash_difference_threshold: i64,
    /// The cashier counts the drawer without seeing what the book expects.
    pub blind_close: bool,
    /// Minutes after local midnight at which the business day starts: an entry before it
    /// belongs to the previous day.
    pub day_starts_at_minutes: u16,
}

impl Default for BranchSettings {
    /// Rp 10.000, no blind close, the day starting at 00:00 (DESIGN 9).
    fn default() -> Self {
        Self {
            cash_difference_threshold: DEFAULT_DIFFERENCE_THRESHOLD,
            blind_close: false,
            day_starts_at_minutes: 0,
        }
    }
}

impl BranchSettings {
    /// Checks a threshold (field `cash_difference_threshold`): 0..=[`MAX_DIFFERENCE_THRESHOLD`].
    pub fn threshold(raw: i64) -> Result<i64, FieldError> {
        if (0..=MAX_DIFFERENCE_THRESHOLD).contains(&raw) {
            Ok(raw)
        } else {
            Err(FieldError::new(
                "cash_difference_threshold",
                format!("must be an amount in rupiah from 0 to {MAX_DIFFERENCE_THRESHOLD}"),
            )
            .rule(Rule::Range {
                min: 0,
                max: MAX_DIFFERENCE_THRESHOLD,
            }))
        }
    }

    /// Reads a day start written `HH:MM` (00:00 to 11:59; field `business_day_starts_at`) as
    /// minutes after midnight.
    pub fn day_start(raw: &str) -> Result<u16, FieldError> {
        let bad = || {
            FieldError::new(
                "business_day_starts_at",
                "must be a time HH:MM from 00:00 to 11:59, e.g. 04:00",
            )
            .rule(Rule::Format)
        };
        let (h, m) = raw.split_once(':').ok_or_else(bad)?;
        if h.len() != 2 || m.len() != 2 {
            return Err(bad());
        }
        let h: u16 = h.parse().map_err(|_| bad())?;
        let m: u16 = m.parse().map_err(|_| bad())?;
        if m > 59 || h * 60 + m > MAX_DAY_START_MINUTES {
            return Err(bad());
        }
        Ok(h * 60 + m)
    }

    /// The day start written `HH:MM`.
    pub fn day_start_text(&self) -> String {
        format!(
            "{:02}:{:02}",
            self.day_starts_at_minutes / 60,
            self.day_starts_at_minutes % 60
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_start_is_a_morning_time_and_reads_back_as_written() {
        assert_eq!(BranchSettings::day_start("04:00"), Ok(240));
        assert_eq!(BranchSettings::day_start("00:00"), Ok(0));
        assert_eq!(BranchSettings::day_start("11:59"), Ok(719));
        for bad in ["12:00", "4:00", "04:60", "ab:cd", "", "04:00:00", "-1:00"] {
            assert!(BranchSettings::day_start(bad).is_err(), "{bad}");
        }
        let s = BranchSettings {
            day_starts_at_minutes: 270,
            ..BranchSettings::default()
        };
        assert_eq!(s.day_start_text(), "04:30");
        assert_eq!(
            BranchSettings::threshold(-1).unwrap_err().field,
            "cash_difference_threshold"
        );
        assert_eq!(BranchSettings::threshold(10_000), Ok(10_000));
    }
}
