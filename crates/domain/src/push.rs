//! How HQ judges one pushed row against what it already holds: a business rule, kept apart
//! from the storage that fetches the stored rows and inserts the new ones.

use std::fmt;

use crate::{BranchId, NewTransaction, TransactionId};

/// Why HQ refused one row of a push; stable, sent to the branch as its snake_case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RejectionCode {
    /// The row breaks a rule of DESIGN 3 (or a void does not mirror its original).
    ValidationFailed,
    /// The row claims another branch than the key's.
    BranchMismatch,
    /// HQ holds this id with other content (or the push holds it twice, differently).
    Conflict,
    /// A void whose original this branch has not delivered (yet).
    UnknownReference,
    /// A second void of one original.
    AlreadyVoided,
    /// A row too large for any push (the branch decides this one itself).
    PayloadTooLarge,
}

impl RejectionCode {
    /// Every code, for documents and parsers.
    pub const ALL: [Self; 6] = [
        Self::ValidationFailed,
        Self::BranchMismatch,
        Self::Conflict,
        Self::UnknownReference,
        Self::AlreadyVoided,
        Self::PayloadTooLarge,
    ];

    /// The code as it travels (`unknown_reference`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ValidationFailed => "validation_failed",
            Self::BranchMismatch => "branch_mismatch",
            Self::Conflict => "conflict",
            Self::UnknownReference => "unknown_reference",
            Self::AlreadyVoided => "already_voided",
            Self::PayloadTooLarge => "payload_too_large",
        }
    }

    /// Reads a code as it travels; `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == text)
    }

    /// True when sending the same row again can succeed without anyone changing it: a void
    /// waits for its original.
    pub fn clears_by_itself(self) -> bool {
        matches!(self, Self::UnknownReference)
    }
}

impl fmt::Display for RejectionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// HQ's verdict on a row it does not hold yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Acceptable: insert it.
    Store,
    /// Refused; the stored rows are unchanged.
    Reject(RejectionCode, String),
}

/// A row whose id HQ already holds: `Ok` when it is the same row again (a duplicate), else the
/// conflict that changes nothing.
pub fn judge_existing(
    row: &NewTransaction,
    stored: &NewTransaction,
) -> Result<(), (RejectionCode, String)> {
    if row == stored {
        Ok(())
    } else {
        Err((
            RejectionCode::Conflict,
            "HQ already holds an entry with this id and different content; the stored entry is kept"
                .into(),
        ))
    }
}

/// What HQ holds about the original a new void names.
#[derive(Debug, Clone, Copy)]
pub struct OriginalAtHq<'a> {
    /// The original, if HQ holds it (from any branch).
    pub original: Option<&'a NewTransaction>,
    /// Whether it already has a void (stored, or accepted earlier in this push).
    pub already_voided: bool,
}

/// A void HQ does not hold yet, pushed by `branch`. It needs its original from the same branch
/// (delivered before, or earlier in the same push), must mirror it, and an original has at
/// most one void.
pub fn judge_new_void(void: &NewTransaction, branch: BranchId, at_hq: OriginalAtHq<'_>) -> Verdict {
    let Some(original_id) = void.reverses_id else {
        return Verdict::Store;
    };
    match at_hq.original {
        Some(o) if o.branch_id == Some(branch) => {
            if !o.is_mirrored_by(void) {
                Verdict::Reject(
                    RejectionCode::ValidationFailed,
                    "a void must mirror its original: opposite type, same amount, category, occurred_at and payment channel, and the original must not be a void".into(),
                )
            } else if at_hq.already_voided {
                Verdict::Reject(
                    RejectionCode::AlreadyVoided,
                    format!("entry {original_id} already has a void at HQ"),
                )
            } else {
                Verdict::Store
            }
        }
        _ => unknown_reference(original_id),
    }
}

fn unknown_reference(original: TransactionId) -> Verdict {
    Verdict::Reject(
        RejectionCode::UnknownReference,
        format!(
            "the entry it voids ({original}) has not reached HQ from this branch; it will be accepted once the original is pushed"
        ),
    )
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};

    use super::*;
    use crate::{NewTransactionInput, Transaction, VoidReason};

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn pair(branch: BranchId) -> (NewTransaction, NewTransaction) {
        let input = NewTransactionInput {
            tx_type: "OUT",
            amount: 20_000,
            category: "Operasional",
            ..NewTransactionInput::default()
        };
        let mut original = NewTransaction::from_input(
            &input,
            at("2025-12-08T03:00:00Z"),
            &crate::Lists::defaults(),
        )
        .unwrap();
        original.branch_id = Some(branch);
        let mut void = Transaction::posted(original.clone())
            .void(
                TransactionId::new_v4(),
                VoidReason::parse("salah ketik").unwrap(),
                at("2025-12-08T04:00:00Z"),
            )
            .unwrap();
        void.branch_id = Some(branch);
        (original, void)
    }

    #[test]
    fn codes_travel_as_their_names_and_read_back() {
        for code in RejectionCode::ALL {
            assert_eq!(RejectionCode::parse(code.as_str()), Some(code));
        }
        assert_eq!(
            RejectionCode::UnknownReference.to_string(),
            "unknown_reference"
        );
        assert_eq!(RejectionCode::parse("Conflict"), None);
        assert!(RejectionCode::UnknownReference.clears_by_itself());
        assert!(!RejectionCode::Conflict.clears_by_itself());
    }

    #[test]
    fn a_stored_id_is_a_duplicate_only_with_identical_content() {
        let (original, _) = pair(BranchId::new_v4());
        assert_eq!(judge_existing(&original, &original), Ok(()));
        let mut changed = original.clone();
        changed.amount = crate::Amount::new(20_001).unwrap();
        assert!(matches!(
            judge_existing(&changed, &original),
            Err((RejectionCode::Conflict, _))
        ));
    }

    #[test]
    fn a_new_void_needs_its_own_branchs_original_mirrored_and_unvoided() {
        let branch = BranchId::new_v4();
        let (original, void) = pair(branch);
        let held = |original, already_voided| OriginalAtHq {
            original,
            already_voided,
        };
        assert_eq!(
            judge_new_void(&void, branch, held(Some(&original), false)),
            Verdict::Store
        );
        let code = |v: Verdict| match v {
            Verdict::Reject(code, _) => Some(code),
            _ => None,
        };
        assert_eq!(
            code(judge_new_void(&void, branch, held(None, false))),
            Some(RejectionCode::UnknownReference)
        );
        let mut foreign = original.clone();
        foreign.branch_id = Some(BranchId::new_v4());
        assert_eq!(
            code(judge_new_void(&void, branch, held(Some(&foreign), false))),
            Some(RejectionCode::UnknownReference),
            "another branch's entry is not this branch's to void"
        );
        assert_eq!(
            code(judge_new_void(&void, branch, held(Some(&original), true))),
            Some(RejectionCode::AlreadyVoided)
        );
        let mut moved = void.clone();
        moved.occurred_at = at("2025-12-09T03:00:00Z");
        assert_eq!(
            code(judge_new_void(&moved, branch, held(Some(&original), false))),
            Some(RejectionCode::ValidationFailed)
        );
    }
}
