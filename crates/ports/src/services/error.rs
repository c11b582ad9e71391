use kh_domain::{FieldError, TransactionId, ValidationErrors};

use crate::{HqError, LedgerError};

/// Why a use case failed, in terms the HTTP layer maps to a status code once.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The input broke one or more rules; each names its field.
    #[error("{0}")]
    Invalid(ValidationErrors),
    /// No entry has this id.
    #[error("no transaction with id {0}")]
    NotFound(TransactionId),
    /// The request contradicts what is stored (a reused id, a void of a void).
    #[error("{0}")]
    Conflict(String),
    /// The entry already has a void.
    #[error("transaction {original} was already voided by {void}")]
    AlreadyVoided {
        /// The entry asked to be voided.
        original: TransactionId,
        /// Its existing void.
        void: TransactionId,
    },
    /// The key belongs to another branch while entries of the PC's branch have not reached
    /// HQ; activating needs the user's confirmation.
    #[error("this PC holds {unsent} entries of branch {from} that HQ has not received")]
    BranchChangeUnconfirmed {
        /// The branch the PC is activated for now (its code).
        from: String,
        /// The branch the new key belongs to (its code).
        to: String,
        /// Entries of `from` not yet at HQ (waiting or quarantined).
        unsent: u64,
    },
    /// No branch matches.
    #[error("{0}")]
    BranchNotFound(String),
    /// No item of HQ's lists matches (the message names it).
    #[error("{0}")]
    ItemNotFound(String),
    /// Missing, unknown or rotated-away credentials.
    #[error("{0}")]
    Unauthorized(String),
    /// Valid credentials that may not do this (a disabled branch).
    #[error("{0}")]
    Forbidden(String),
    /// A supervisor must approve this (DESIGN 10.2); the message says why.
    #[error("{0}")]
    ApprovalRequired(String),
    /// HQ could not be reached or did not answer sensibly; the message says what to check.
    #[error("{0}")]
    HqUnreachable(String),
    /// Too many failed attempts; try again after this many seconds.
    #[error("too many failed attempts; try again in {retry_after_secs} s")]
    RateLimited {
        /// How long to wait.
        retry_after_secs: u64,
    },
    /// Storage is unavailable right now; nothing was written.
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    /// Anything else; the message is for the log only.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ServiceError {
    /// One invalid field.
    pub fn invalid(field: &'static str, issue: impl Into<String>) -> Self {
        Self::Invalid(ValidationErrors::single(field, issue))
    }
}

impl From<ValidationErrors> for ServiceError {
    fn from(errors: ValidationErrors) -> Self {
        Self::Invalid(errors)
    }
}

impl From<FieldError> for ServiceError {
    fn from(error: FieldError) -> Self {
        Self::Invalid(ValidationErrors(vec![error]))
    }
}

impl From<LedgerError> for ServiceError {
    fn from(error: LedgerError) -> Self {
        match error {
            LedgerError::Conflict(id) => Self::Conflict(format!(
                "A transaction with id {id} already exists with different content; \
                 use a new id for a new transaction"
            )),
            LedgerError::NotFound(id) => Self::NotFound(id),
            LedgerError::ShiftConflict(why) => Self::Conflict(why),
            LedgerError::AlreadyVoided { original, void } => Self::AlreadyVoided { original, void },
            LedgerError::Unavailable(why) => Self::Unavailable(why),
            LedgerError::Internal(why) => Self::Internal(why),
        }
    }
}

impl From<HqError> for ServiceError {
    fn from(error: HqError) -> Self {
        match error {
            HqError::CodeTaken(code) => Self::Conflict(format!(
                "A branch with code {code} already exists; choose another code"
            )),
            HqError::BranchNotFound(id) => Self::BranchNotFound(format!("No branch with id {id}")),
            HqError::ItemNotFound(what) => Self::ItemNotFound(what),
            HqError::NameTaken(what) => Self::Conflict(what),
            HqError::Unavailable(why) => Self::Unavailable(why),
            HqError::Internal(why) => Self::Internal(why),
        }
    }
}
