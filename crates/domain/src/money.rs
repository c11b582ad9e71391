use std::fmt;

use crate::{FieldError, Rule};

/// A positive amount of money in whole rupiah, from 1 to 1,000,000,000,000.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Amount(i64);

impl Amount {
    /// The smallest amount a transaction may carry.
    pub const MIN: i64 = 1;
    /// The largest amount a transaction may carry: one trillion rupiah.
    pub const MAX: i64 = 1_000_000_000_000;

    /// Validates a rupiah amount.
    pub fn new(rupiah: i64) -> Result<Self, FieldError> {
        if (Self::MIN..=Self::MAX).contains(&rupiah) {
            Ok(Self(rupiah))
        } else {
            Err(FieldError::new(
                "amount",
                "must be a whole number of rupiah from 1 to 1000000000000",
            )
            .rule(Rule::Range {
                min: 1,
                max: 1_000_000_000_000,
            }))
        }
    }

    /// The amount in rupiah.
    pub fn rupiah(self) -> i64 {
        self.0
    }

    /// The amount a search text names, if it reads as whole rupiah: `20000`, `20.000`,
    /// `Rp 20.000` (what a cashier types to find an entry by its amount). Anything else,
    /// including `20,5` and numbers beyond [`Amount::MAX`], names none.
    pub fn in_search(text: &str) -> Option<Self> {
        let text = text.trim();
        let text = text
            .strip_prefix("Rp")
            .or_else(|| text.strip_prefix("rp"))
            .or_else(|| text.strip_prefix("RP"))
            .unwrap_or(text);
        let text = text.strip_prefix('.').unwrap_or(text).trim();
        let grouped = !text.is_empty()
            && text.split('.').enumerate().all(|(i, part)| {
                part.bytes().all(|b| b.is_ascii_digit())
                    && if i == 0 {
                        (1..=3).contains(&part.len()) || !text.contains('.')
                    } else {
                        part.len() == 3
                    }
            });
        if !grouped {
            return None;
        }
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        if digits.is_empty() || digits.len() > 13 {
            return None;
        }
        digits.parse::<i64>().ok().and_then(|n| Self::new(n).ok())
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Which way the money moved: in (*pemasukan*) or out (*pengeluaran*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TxType {
    /// Money received.
    In,
    /// Money paid out.
    Out,
}

impl TxType {
    /// Parses the exact wire form `IN` or `OUT`.
    pub fn parse(field: &'static str, text: &str) -> Result<Self, FieldError> {
        match text {
            "IN" => Ok(Self::In),
            "OUT" => Ok(Self::Out),
            _ => Err(FieldError::new(field, "must be IN or OUT (upper case)").rule(Rule::OneOf)),
        }
    }

    /// The wire and storage form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::In => "IN",
            Self::Out => "OUT",
        }
    }

    /// The other direction; a void moves money the opposite way.
    pub fn opposite(self) -> Self {
        match self {
            Self::In => Self::Out,
            Self::Out => Self::In,
        }
    }
}

impl fmt::Display for TxType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_text_names_an_amount_only_when_it_reads_as_whole_rupiah() {
        let found = |t: &str| Amount::in_search(t).map(Amount::rupiah);
        assert_eq!(found("20000"), Some(20_000));
        assert_eq!(found("20.000"), Some(20_000));
        assert_eq!(found(" Rp 20.000 "), Some(20_000));
        assert_eq!(found("Rp.1.500.000"), Some(1_500_000));
        for none in [
            "",
            "Rp",
            "beras",
            "20,5",
            "2.00",
            "20.0000",
            "1e6",
            "-5",
            "0",
            "1.000.000.000.001",
        ] {
            assert_eq!(found(none), None, "{none:?}");
        }
    }

    #[test]
    fn amount_bounds_are_inclusive() {
        assert!(Amount::new(0).is_err());
        assert!(Amount::new(-5).is_err());
        assert_eq!(Amount::new(1).map(Amount::rupiah), Ok(1));
        assert_eq!(
            Amount::new(Amount::MAX).map(Amount::rupiah),
            Ok(Amount::MAX)
        );
        assert!(Amount::new(Amount::MAX + 1).is_err());
        assert!(Amount::new(i64::MAX).is_err());
        assert!(Amount::new(i64::MIN).is_err());
    }

    #[test]
    fn tx_type_is_exact_and_has_an_opposite() {
        assert_eq!(TxType::parse("type", "IN"), Ok(TxType::In));
        assert_eq!(TxType::parse("type", "OUT"), Ok(TxType::Out));
        for bad in ["in", "out", "In", " IN", "MASUK", ""] {
            assert!(
                TxType::parse("type", bad).is_err(),
                "{bad:?} should be refused"
            );
        }
        assert_eq!(TxType::In.opposite(), TxType::Out);
        assert_eq!(TxType::Out.opposite(), TxType::In);
    }
}
