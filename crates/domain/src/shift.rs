//! Cash shifts (DESIGN 11, *tutup kasir*): a cashier opens a shift on one PC with a float,
//! records entries, and closes it by counting the drawer; the difference between the count and
//! the book (*selisih*) is written down, never forced to zero.

use std::fmt;

use uuid::Uuid;

use crate::ids::{CANONICAL, parse_canonical};
use crate::text::clean;
use crate::{Amount, FieldError, Rule, StaffRef};

/// The id of a shift, made on the PC that opens it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ShiftId(Uuid);

impl ShiftId {
    /// A fresh random id.
    pub fn new_v4() -> Self {
        Self(Uuid::new_v4())
    }

    /// Parses an id in its one spelling.
    pub fn parse(field: &'static str, text: &str) -> Result<Self, FieldError> {
        parse_canonical(text).map(Self).ok_or_else(|| {
            FieldError::new(field, format!("must be a shift id (a UUID {CANONICAL})"))
                .rule(Rule::Format)
        })
    }

    /// Wraps an id read back from storage.
    pub fn from_uuid(uuid: Uuid) -> Self {
        Self(uuid)
    }

    /// The underlying UUID.
    pub fn as_uuid(&self) -> Uuid {
        self.0
    }
}

impl fmt::Display for ShiftId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A note or a coin of the rupiah, as the drawer is counted by (DESIGN 11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Denomination {
    /// Its wire name: `note_100000`, `coin_500`, ….
    pub key: &'static str,
    /// Its value in rupiah.
    pub value: i64,
}

/// Every denomination a drawer is counted by: notes from Rp 100.000 down, then coins.
pub const DENOMINATIONS: [Denomination; 11] = [
    Denomination {
        key: "note_100000",
        value: 100_000,
    },
    Denomination {
        key: "note_50000",
        value: 50_000,
    },
    Denomination {
        key: "note_20000",
        value: 20_000,
    },
    Denomination {
        key: "note_10000",
        value: 10_000,
    },
    Denomination {
        key: "note_5000",
        value: 5_000,
    },
    Denomination {
        key: "note_2000",
        value: 2_000,
    },
    Denomination {
        key: "note_1000",
        value: 1_000,
    },
    Denomination {
        key: "coin_1000",
        value: 1_000,
    },
    Denomination {
        key: "coin_500",
        value: 500,
    },
    Denomination {
        key: "coin_200",
        value: 200,
    },
    Denomination {
        key: "coin_100",
        value: 100,
    },
];

/// The most pieces of one denomination a count takes (a drawer holds far fewer; more is a
/// typing mistake).
pub const MAX_PIECES: i64 = 100_000;

/// A count of the drawer: pieces per denomination, in [`DENOMINATIONS`] order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CashCount([i64; 11]);

impl CashCount {
    /// Reads pieces by denomination key; a key not given is 0. An unknown key, a negative or
    /// an absurd number is refused, each named.
    pub fn parse<'a>(
        given: impl IntoIterator<Item = (&'a str, i64)>,
    ) -> Result<Self, Vec<FieldError>> {
        let mut pieces = [0_i64; 11];
        let mut errors = Vec::new();
        for (key, n) in given {
            match DENOMINATIONS.iter().position(|d| d.key == key) {
                None => errors.push(
                    FieldError::new(
                        "counts",
                        format!("{key:?} is not a denomination (note_100000 … coin_100)"),
                    )
                    .rule(Rule::OneOf),
                ),
                Some(i) if !(0..=MAX_PIECES).contains(&n) => {
                    let field = DENOMINATIONS[i].key;
                    errors.push(
                        FieldError::new(
                            "counts",
                            format!("{field}: must be a number of pieces from 0 to {MAX_PIECES}"),
                        )
                        .rule(Rule::Range {
                            min: 0,
                            max: MAX_PIECES,
                        }),
                    );
                }
                Some(i) => pieces[i] = n,
            }
        }
        if errors.is_empty() {
            Ok(Self(pieces))
        } else {
            Err(errors)
        }
    }

    /// A count read back from storage (pieces in [`DENOMINATIONS`] order); `None` when it is
    /// not one a count could be.
    pub fn from_pieces(pieces: &[i64]) -> Option<Self> {
        let pieces: [i64; 11] = pieces.try_into().ok()?;
        pieces
            .iter()
            .all(|n| (0..=MAX_PIECES).contains(n))
            .then_some(Self(pieces))
    }

    /// Pieces per denomination, in [`DENOMINATIONS`] order.
    pub fn pieces(&self) -> impl Iterator<Item = (Denomination, i64)> + '_ {
        DENOMINATIONS.iter().copied().zip(self.0.iter().copied())
    }

    /// The money counted (at most 11 × 100.000 × 100.000 rupiah: no overflow).
    pub fn total(&self) -> i64 {
        self.pieces().map(|(d, n)| d.value * n).sum()
    }
}

/// A note on a shift's opening or closing difference: 1..=200 characters, one line or more.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShiftNote(String);

impl ShiftNote {
    /// The longest note, in characters.
    pub const MAX_CHARS: usize = 200;

    /// Validates a note (field `note`).
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        clean("note", raw, 1, Self::MAX_CHARS, true).map(Self)
    }

    /// The note.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How a shift was closed: the count against the book. Immutable once written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShiftClose {
    /// When the drawer was counted.
    pub closed_at: chrono::DateTime<chrono::Utc>,
    /// Who counted it.
    pub closed_by: Option<StaffRef>,
    /// The pieces counted.
    pub counts: CashCount,
    /// What the book says the drawer holds: the float plus cash in minus cash out.
    pub expected: i64,
    /// What was counted.
    pub counted: i64,
    /// Why the count differs from the book (required when it does).
    pub note: Option<ShiftNote>,
    /// The supervisor who approved a difference over the branch's threshold.
    pub approved_by: Option<StaffRef>,
}

impl ShiftClose {
    /// *Selisih*: counted minus expected (negative: the drawer is short).
    pub fn difference(&self) -> i64 {
        self.counted - self.expected
    }
}

/// A cash shift on one PC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shift {
    /// Made on the PC that opened it.
    pub id: ShiftId,
    /// When it opened.
    pub opened_at: chrono::DateTime<chrono::Utc>,
    /// Who opened it.
    pub opened_by: Option<StaffRef>,
    /// The cash put in the drawer at the start.
    pub opening_float: i64,
    /// What the last close counted, when there was one: a different float is an opening
    /// difference.
    pub suggested_float: Option<i64>,
    /// Why the float differs from the last close, when it does.
    pub opening_note: Option<ShiftNote>,
    /// The close, once counted.
    pub close: Option<ShiftClose>,
}

impl Shift {
    /// Float minus the last close's count (0 when there was none or they agree).
    pub fn opening_difference(&self) -> i64 {
        self.suggested_float.map_or(0, |s| self.opening_float - s)
    }
}

/// What the drawer should hold (DESIGN 11): the opening float plus cash in minus cash out.
pub fn expected_drawer(opening_float: i64, cash_in: i64, cash_out: i64) -> i64 {
    opening_float
        .saturating_add(cash_in)
        .saturating_sub(cash_out)
}

/// Checks an opening float: 0 or a valid amount.
pub fn opening_float(raw: i64) -> Result<i64, FieldError> {
    if raw == 0 {
        return Ok(0);
    }
    Amount::new(raw).map(|a| a.rupiah()).map_err(|mut e| {
        e.field = "opening_float";
        e
    })
}

/// The branch's rule on a closing difference (DESIGN 11): any difference needs a note; one
/// larger than `threshold` (either way) also needs a supervisor.
pub fn close_needs(difference: i64, threshold: i64) -> (bool, bool) {
    (difference != 0, difference.abs() > threshold)
}

/// The branch's default threshold before a difference needs a supervisor: Rp 10.000.
pub const DEFAULT_DIFFERENCE_THRESHOLD: i64 = 10_000;

/// The most a shift's figures may reach (cash in, cash out, expected): far beyond any drawer,
/// and far from `i64`'s limits so sums across shifts never overflow.
pub const MAX_SHIFT_FIGURE: i64 = 1_000_000_000_000_000;

/// Checks a shift a PC reports to HQ as a whole: the float a valid amount, the close after the
/// opening, the counted money the sum of its pieces, the expected drawer the float plus cash
/// in minus cash out (a selisih HQ shows must follow from the figures beside it), every figure
/// within [`MAX_SHIFT_FIGURE`]. The first problem found, with its field.
pub fn check_reported(
    shift: &Shift,
    cash_in: i64,
    cash_out: i64,
    entries: i64,
) -> Result<(), FieldError> {
    let figure = |field: &'static str, value: i64| {
        if (0..=MAX_SHIFT_FIGURE).contains(&value) {
            Ok(())
        } else {
            Err(FieldError::new(
                field,
                format!("must be a number from 0 to {MAX_SHIFT_FIGURE}"),
            )
            .rule(Rule::Range {
                min: 0,
                max: MAX_SHIFT_FIGURE,
            }))
        }
    };
    opening_float(shift.opening_float)?;
    if let Some(s) = shift.suggested_float {
        figure("suggested_float", s)?;
    }
    figure("cash_in", cash_in)?;
    figure("cash_out", cash_out)?;
    figure("entries", entries)?;
    if let Some(close) = &shift.close {
        if close.closed_at < shift.opened_at {
            return Err(FieldError::new(
                "close.closed_at",
                "must not be before the shift's opened_at",
            )
            .rule(Rule::Format));
        }
        if close.counted != close.counts.total() {
            return Err(FieldError::new(
                "close.counted",
                format!(
                    "must be the sum of the counted pieces ({})",
                    close.counts.total()
                ),
            )
            .rule(Rule::Format));
        }
        let follows = expected_drawer(shift.opening_float, cash_in, cash_out);
        if close.expected != follows {
            return Err(FieldError::new(
                "close.expected",
                format!("must be the opening float plus cash in minus cash out ({follows})"),
            )
            .rule(Rule::Format));
        }
        if close.expected.abs() > MAX_SHIFT_FIGURE {
            return Err(FieldError::new(
                "close.expected",
                format!("must be a number from -{MAX_SHIFT_FIGURE} to {MAX_SHIFT_FIGURE}"),
            )
            .rule(Rule::Range {
                min: -MAX_SHIFT_FIGURE,
                max: MAX_SHIFT_FIGURE,
            }));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_adds_up_its_pieces_and_refuses_nonsense() {
        let count =
            CashCount::parse([("note_100000", 3), ("note_5000", 1), ("coin_500", 4)]).unwrap();
        assert_eq!(count.total(), 307_000);
        assert_eq!(CashCount::default().total(), 0);
        let errors =
            CashCount::parse([("note_100000", -1), ("note_3000", 2), ("coin_100", 100_001)])
                .unwrap_err();
        let rules: Vec<Rule> = errors.iter().map(|e| e.rule).collect();
        assert_eq!(
            rules,
            [
                Rule::Range {
                    min: 0,
                    max: MAX_PIECES
                },
                Rule::OneOf,
                Rule::Range {
                    min: 0,
                    max: MAX_PIECES
                }
            ]
        );
        // The largest count there can be does not overflow.
        let most = CashCount::parse(DENOMINATIONS.iter().map(|d| (d.key, MAX_PIECES))).unwrap();
        assert_eq!(most.total(), MAX_PIECES * 189_800);
    }

    #[test]
    fn a_difference_needs_a_note_and_a_large_one_a_supervisor() {
        assert_eq!(close_needs(0, 10_000), (false, false));
        assert_eq!(close_needs(-5_000, 10_000), (true, false));
        assert_eq!(close_needs(10_000, 10_000), (true, false));
        assert_eq!(close_needs(-10_100, 10_000), (true, true));
        assert_eq!(opening_float(0), Ok(0));
        assert_eq!(opening_float(-1).unwrap_err().field, "opening_float");
        assert_eq!(ShiftNote::parse(" ").unwrap_err().rule, Rule::Required);
    }

    #[test]
    fn a_reported_shift_adds_up_or_is_refused_with_its_field() {
        let opened_at = chrono::DateTime::from_timestamp(1_765_000_000, 0).unwrap();
        let counts = CashCount::parse([("note_50000", 2)]).unwrap();
        let mut shift = Shift {
            id: ShiftId::new_v4(),
            opened_at,
            opened_by: None,
            opening_float: 100_000,
            suggested_float: None,
            opening_note: None,
            close: Some(ShiftClose {
                closed_at: opened_at + chrono::Duration::hours(8),
                closed_by: None,
                counts,
                expected: 105_000,
                counted: 100_000,
                note: None,
                approved_by: None,
            }),
        };
        assert_eq!(check_reported(&shift, 5_000, 0, 1), Ok(()));
        assert_eq!(
            check_reported(&shift, -1, 0, 1).unwrap_err().field,
            "cash_in"
        );
        let close = shift.close.as_mut().unwrap();
        close.counted = 99_000;
        assert_eq!(
            check_reported(&shift, 5_000, 0, 1).unwrap_err().field,
            "close.counted"
        );
        let close = shift.close.as_mut().unwrap();
        close.counted = 100_000;
        // The expected drawer must follow from the float and the cash beside it: 100.000 +
        // 5.000 − 0, not 105.000 with cash out of 2.000.
        let refused = check_reported(&shift, 5_000, 2_000, 1).unwrap_err();
        assert_eq!(refused.field, "close.expected");
        assert!(refused.issue.contains("103000"), "{}", refused.issue);
        assert_eq!(check_reported(&shift, 7_000, 2_000, 2), Ok(()));
        let close = shift.close.as_mut().unwrap();
        close.closed_at = opened_at - chrono::Duration::seconds(1);
        assert_eq!(
            check_reported(&shift, 5_000, 0, 1).unwrap_err().field,
            "close.closed_at"
        );
    }
}
