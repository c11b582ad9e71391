use chrono::{DateTime, Datelike, Duration, SubsecRound, Timelike, Utc};

use crate::{
    Amount, BranchId, Category, ChannelRef, Description, FieldError, Lists, Rule, StaffRef,
    TransactionId, TxType, ValidationErrors, VoidReason,
};

/// How far in the future `occurred_at` may be, to allow for a slightly fast clock.
pub const MAX_FUTURE_SKEW_SECS: i64 = 5 * 60;

/// The earliest year an entry may be dated: an earlier one is a typing mistake.
const MIN_YEAR: i32 = 2000;

/// Raw, unvalidated fields of a new entry, as a client sent them.
#[derive(Debug, Clone, Default)]
pub struct NewTransactionInput<'a> {
    /// A client-made id for idempotent retries, if any.
    pub id: Option<&'a str>,
    /// `IN` or `OUT`.
    pub tx_type: &'a str,
    /// Whole rupiah.
    pub amount: i64,
    /// What the money was for.
    pub category: &'a str,
    /// Free text.
    pub description: Option<&'a str>,
    /// RFC 3339 instant when the money moved; defaults to now.
    pub occurred_at: Option<&'a str>,
    /// The payment channel (an id from HQ's list); defaults to cash.
    pub channel_id: Option<&'a str>,
}

/// A validated entry, ready to be posted to a ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTransaction {
    /// The entry's id.
    pub id: TransactionId,
    /// The branch, once the PC is activated.
    pub branch_id: Option<BranchId>,
    /// Which way the money moved.
    pub tx_type: TxType,
    /// How much.
    pub amount: Amount,
    /// What for.
    pub category: Category,
    /// Free text (the reason, on a void).
    pub description: Description,
    /// When the money moved (business time), UTC, millisecond precision.
    pub occurred_at: DateTime<Utc>,
    /// When the entry was made, UTC, millisecond precision.
    pub created_at: DateTime<Utc>,
    /// On a void: the entry it cancels.
    pub reverses_id: Option<TransactionId>,
    /// How the money was paid, with the channel's name then.
    pub channel: ChannelRef,
    /// The signed-in member who recorded it (none on a PC whose branch had no staff).
    pub recorded_by: Option<StaffRef>,
    /// The supervisor who approved it, when it needed one (DESIGN 10.2).
    pub approved_by: Option<StaffRef>,
    /// Whether the client chose `occurred_at`; a retry that omits it still matches the original.
    pub occurred_at_supplied: bool,
}

/// Parses an RFC 3339 instant and rounds it to the millisecond that storage keeps.
/// A leap second (`23:59:60.5`) is refused: storage keeps milliseconds since the epoch, which
/// have no leap seconds, so it would be stored as the next second and its replay would then be
/// a conflict.
pub fn parse_instant(field: &'static str, text: &str) -> Result<DateTime<Utc>, FieldError> {
    let parsed = DateTime::parse_from_rfc3339(text.trim()).map_err(|_| {
        FieldError::new(
            field,
            "must be an RFC 3339 time such as 2025-12-08T10:30:00.000Z",
        )
        .rule(Rule::Format)
    })?;
    if parsed.nanosecond() >= 1_000_000_000 {
        return Err(FieldError::new(
            field,
            "must not be a leap second (:60); use :59.999 instead",
        )
        .rule(Rule::NoLeapSecond));
    }
    Ok(parsed.with_timezone(&Utc).trunc_subsecs(3))
}

impl NewTransaction {
    /// Validates every field of `input` against the branch's `lists` (the channel must be an
    /// active one; the category one of HQ's where HQ allows no new ones), reporting all broken
    /// rules at once.
    pub fn from_input(
        input: &NewTransactionInput<'_>,
        now: DateTime<Utc>,
        lists: &Lists,
    ) -> Result<Self, ValidationErrors> {
        let now = now.trunc_subsecs(3);
        let mut errors = ValidationErrors::default();
        // The entry's created_at is this clock's reading; HQ refuses one before 2000, so a PC
        // whose clock is that wrong must not take entries it could never deliver.
        errors.collect(check_clock(now));
        let id = match input.id {
            Some(raw) => errors.collect(TransactionId::parse_v4("id", raw)),
            None => Some(TransactionId::new_v4()),
        };
        let tx_type = errors.collect(TxType::parse("type", input.tx_type));
        let amount = errors.collect(Amount::new(input.amount));
        let category = errors.collect(Category::parse(input.category));
        if let (Some(t), Some(c)) = (tx_type, &category) {
            errors.collect(lists.check_category(t, c));
        }
        let description = errors.collect(Description::parse(input.description.unwrap_or("")));
        let channel = errors.collect(lists.channel_for_entry(input.channel_id));
        let occurred_at = match input.occurred_at {
            None if errors.0.iter().any(|e| e.field == "clock") => None,
            None => Some(now),
            Some(raw) => errors
                .collect(parse_instant("occurred_at", raw).and_then(|t| check_occurred_at(t, now))),
        };
        match (
            id,
            tx_type,
            amount,
            category,
            description,
            occurred_at,
            channel,
        ) {
            (
                Some(id),
                Some(tx_type),
                Some(amount),
                Some(category),
                Some(description),
                Some(at),
                Some(channel),
            ) if errors.is_empty() => Ok(Self {
                id,
                branch_id: None,
                tx_type,
                amount,
                category,
                description,
                occurred_at: at,
                created_at: now,
                reverses_id: None,
                channel,
                recorded_by: None,
                approved_by: None,
                occurred_at_supplied: input.occurred_at.is_some(),
            }),
            _ => Err(errors),
        }
    }

    /// True when `stored` is what this request would have created: the same business content.
    /// `occurred_at` only counts when the client chose it (otherwise it is "now", which moves).
    pub fn is_replay_of(&self, stored: &Transaction) -> bool {
        self.id == stored.id
            && self.tx_type == stored.tx_type
            && self.amount == stored.amount
            && self.category == stored.category
            && self.description == stored.description
            && self.reverses_id == stored.reverses_id
            && self.channel.id == stored.channel.id
            && (!self.occurred_at_supplied || self.occurred_at == stored.occurred_at)
    }
}

/// Raw fields of an entry a branch pushed to HQ. Its times come from the branch's clock.
#[derive(Debug, Clone, Default)]
pub struct SyncedInput<'a> {
    /// The branch-made id.
    pub id: &'a str,
    /// `IN` or `OUT`.
    pub tx_type: &'a str,
    /// Whole rupiah.
    pub amount: i64,
    /// What for.
    pub category: &'a str,
    /// Free text.
    pub description: Option<&'a str>,
    /// RFC 3339 instant when the money moved.
    pub occurred_at: &'a str,
    /// RFC 3339 instant when it was entered on the branch.
    pub created_at: &'a str,
    /// On a void: the entry it cancels.
    pub reverses_id: Option<&'a str>,
    /// The payment channel's id; absent (with the name) on a row from before channels: cash.
    pub channel_id: Option<&'a str>,
    /// The channel's name when the entry was made.
    pub channel_name: Option<&'a str>,
    /// Who recorded it (with the name): absent on a row made without a signed-in member.
    pub recorded_by: Option<&'a str>,
    /// The recorder's name then.
    pub recorded_by_name: Option<&'a str>,
    /// Who approved it (with the name), when it needed approval.
    pub approved_by: Option<&'a str>,
    /// The approver's name then.
    pub approved_by_name: Option<&'a str>,
}

impl NewTransaction {
    /// Validates an entry pushed by `branch`. The "not in the future" rule is checked against
    /// the entry's own `created_at`, not HQ's clock: a branch whose clock is wrong must still
    /// be able to deliver what it recorded, exactly as recorded.
    pub fn from_synced(
        input: &SyncedInput<'_>,
        branch: BranchId,
    ) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let id = errors.collect(TransactionId::parse_v4("id", input.id));
        let tx_type = errors.collect(TxType::parse("type", input.tx_type));
        let amount = errors.collect(Amount::new(input.amount));
        let category = errors.collect(Category::parse(input.category));
        let description = errors.collect(Description::parse(input.description.unwrap_or("")));
        let created_at =
            errors.collect(parse_instant("created_at", input.created_at).and_then(|t| {
                if t.year() < MIN_YEAR {
                    Err(
                        FieldError::new("created_at", "must be in the year 2000 or later")
                            .rule(Rule::MinYear(i64::from(MIN_YEAR))),
                    )
                } else {
                    Ok(t)
                }
            }));
        let occurred_at = errors.collect(parse_instant("occurred_at", input.occurred_at));
        // A void carries its original's `occurred_at` (the day the mistake was booked), so its
        // time is judged by the original's, which HQ checked when it arrived: the void must
        // then match it exactly ([`Self::is_mirrored_by`]). Judging it against the void's own
        // `created_at` would strand a void made after the PC's clock was set back.
        let occurred_at = match (occurred_at, created_at) {
            (Some(at), Some(_)) if input.reverses_id.is_some() => errors.collect(check_year(at)),
            (Some(at), Some(created)) => errors.collect(check_occurred_at(at, created)),
            _ => None,
        };
        let channel = match ChannelRef::from_parts(input.channel_id, input.channel_name) {
            Ok(channel) => Some(channel),
            Err(problems) => {
                errors.0.extend(problems);
                None
            }
        };
        let mut person = |id, name, id_field, name_field| match StaffRef::from_parts(
            id, name, id_field, name_field,
        ) {
            Ok(who) => Some(who),
            Err(problems) => {
                errors.0.extend(problems);
                None
            }
        };
        let recorded_by = person(
            input.recorded_by,
            input.recorded_by_name,
            "recorded_by",
            "recorded_by_name",
        );
        let approved_by = person(
            input.approved_by,
            input.approved_by_name,
            "approved_by",
            "approved_by_name",
        );
        let reverses_id = match input.reverses_id {
            None => Some(None),
            Some(raw) => errors.collect(TransactionId::parse("reverses_id", raw).map(Some)),
        };
        if let (Some(id), Some(Some(reverses))) = (id, reverses_id)
            && id == reverses
        {
            errors.0.push(FieldError::new(
                "reverses_id",
                "must not be the entry's own id",
            ));
        }
        match (
            id,
            tx_type,
            amount,
            category,
            description,
            occurred_at,
            created_at,
            reverses_id,
            channel,
            recorded_by,
            approved_by,
        ) {
            (
                Some(id),
                Some(tx_type),
                Some(amount),
                Some(category),
                Some(description),
                Some(occurred_at),
                Some(created_at),
                Some(reverses_id),
                Some(channel),
                Some(recorded_by),
                Some(approved_by),
            ) if errors.is_empty() => Ok(Self {
                id,
                branch_id: Some(branch),
                tx_type,
                amount,
                category,
                description,
                occurred_at,
                created_at,
                reverses_id,
                channel,
                recorded_by,
                approved_by,
                occurred_at_supplied: true,
            }),
            _ => Err(errors),
        }
    }

    /// True when `void` is a faithful void of `self`: opposite direction, same amount,
    /// category, time and channel, and `self` is not itself a void.
    pub fn is_mirrored_by(&self, void: &NewTransaction) -> bool {
        self.reverses_id.is_none()
            && void.reverses_id == Some(self.id)
            && void.tx_type == self.tx_type.opposite()
            && void.amount == self.amount
            && void.category == self.category
            && void.occurred_at == self.occurred_at
            && void.channel.id == self.channel.id
    }
}

fn check_occurred_at(at: DateTime<Utc>, now: DateTime<Utc>) -> Result<DateTime<Utc>, FieldError> {
    if at > now + Duration::seconds(MAX_FUTURE_SKEW_SECS) {
        return Err(FieldError::new(
            "occurred_at",
            "must not be more than 5 minutes in the future; check the date and the PC's clock",
        )
        .rule(Rule::NotInFuture(MAX_FUTURE_SKEW_SECS)));
    }
    check_year(at)
}

/// The branch PC's clock must be plausible before it stamps an entry: HQ refuses a
/// `created_at` before the year 2000 (see [`NewTransaction::from_synced`]).
pub fn check_clock(now: DateTime<Utc>) -> Result<(), FieldError> {
    if now.year() < MIN_YEAR {
        return Err(FieldError::new(
            "clock",
            format!(
                "this PC's clock says {}; set the PC's date and time correctly, then try again",
                now.format("%d/%m/%Y %H:%M UTC")
            ),
        )
        .rule(Rule::Clock));
    }
    Ok(())
}

fn check_year(at: DateTime<Utc>) -> Result<DateTime<Utc>, FieldError> {
    if at.year() < MIN_YEAR {
        return Err(
            FieldError::new("occurred_at", "must be in the year 2000 or later")
                .rule(Rule::MinYear(i64::from(MIN_YEAR))),
        );
    }
    Ok(at)
}

/// Where a branch entry stands on its way to HQ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncState {
    /// Waiting in the outbox.
    Pending,
    /// HQ confirmed it at this time.
    Synced {
        /// When HQ's confirmation was recorded.
        at: DateTime<Utc>,
    },
    /// HQ refused it; quarantined until someone fixes the cause and retries.
    Rejected {
        /// HQ's code, e.g. `validation_failed` (one of [`crate::RejectionCode`] today; kept as
        /// text so a code a newer HQ sends is shown, not lost).
        code: String,
        /// HQ's reason in words, e.g. `amount: must be …`.
        reason: String,
    },
}

impl SyncState {
    /// The wire name: `pending`, `synced` or `rejected`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Synced { .. } => "synced",
            Self::Rejected { .. } => "rejected",
        }
    }
}

/// A posted entry as a ledger holds it. Immutable: corrected only by a void.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transaction {
    /// The entry's id.
    pub id: TransactionId,
    /// The branch, once known.
    pub branch_id: Option<BranchId>,
    /// Which way the money moved.
    pub tx_type: TxType,
    /// How much.
    pub amount: Amount,
    /// What for.
    pub category: Category,
    /// Free text.
    pub description: Description,
    /// When the money moved.
    pub occurred_at: DateTime<Utc>,
    /// When it was entered.
    pub created_at: DateTime<Utc>,
    /// On a void: the entry it cancels.
    pub reverses_id: Option<TransactionId>,
    /// How the money was paid, with the channel's name then.
    pub channel: ChannelRef,
    /// The signed-in member who recorded it, if any.
    pub recorded_by: Option<StaffRef>,
    /// The supervisor who approved it, if it needed one.
    pub approved_by: Option<StaffRef>,
    /// The void that cancels this entry, if any.
    pub voided_by: Option<TransactionId>,
    /// Progress towards HQ.
    pub sync: SyncState,
}

/// Why an entry cannot be voided.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VoidError {
    /// It already has a void.
    #[error("This entry was already voided by {0}")]
    AlreadyVoided(TransactionId),
    /// It is itself a void; re-enter the entry instead.
    #[error("This entry is a void and cannot be voided; record the entry again instead")]
    IsAVoid,
    /// The PC's clock is before 2000: HQ would refuse the void's `created_at`.
    #[error("{}", .0.issue)]
    ClockWrong(FieldError),
}

impl Transaction {
    /// Builds the void that cancels this entry: the opposite type, the same amount and category,
    /// the reason as its description and the original's `occurred_at` and channel, so that the day the
    /// mistake was booked nets out to what really happened.
    pub fn void(
        &self,
        id: TransactionId,
        reason: VoidReason,
        now: DateTime<Utc>,
    ) -> Result<NewTransaction, VoidError> {
        if self.reverses_id.is_some() {
            return Err(VoidError::IsAVoid);
        }
        if let Some(by) = self.voided_by {
            return Err(VoidError::AlreadyVoided(by));
        }
        check_clock(now).map_err(VoidError::ClockWrong)?;
        let description = Description::parse(reason.as_str()).unwrap_or_default();
        Ok(NewTransaction {
            id,
            branch_id: self.branch_id,
            tx_type: self.tx_type.opposite(),
            amount: self.amount,
            category: self.category.clone(),
            description,
            occurred_at: self.occurred_at,
            created_at: now.trunc_subsecs(3),
            reverses_id: Some(self.id),
            channel: self.channel.clone(),
            recorded_by: None,
            approved_by: None,
            occurred_at_supplied: true,
        })
    }

    /// Builds the stored form of a freshly posted entry.
    pub fn posted(new: NewTransaction) -> Self {
        Self {
            id: new.id,
            branch_id: new.branch_id,
            tx_type: new.tx_type,
            amount: new.amount,
            category: new.category,
            description: new.description,
            occurred_at: new.occurred_at,
            created_at: new.created_at,
            reverses_id: new.reverses_id,
            channel: new.channel,
            recorded_by: new.recorded_by,
            approved_by: new.approved_by,
            voided_by: None,
            sync: SyncState::Pending,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_leap_second_is_refused_rather_than_stored_as_the_next_second() {
        let err = parse_instant("occurred_at", "2016-12-31T23:59:60.500Z").unwrap_err();
        assert_eq!(err.field, "occurred_at");
        assert!(err.issue.contains("leap second"), "{}", err.issue);
        assert!(parse_instant("occurred_at", "2016-12-31T23:59:59.999Z").is_ok());
    }

    #[test]
    fn a_pc_clock_before_2000_takes_no_entry_and_no_void_that_hq_would_refuse() {
        let y1999 = "1999-12-31T23:00:00Z".parse::<DateTime<Utc>>().unwrap();
        let input = NewTransactionInput {
            tx_type: "IN",
            amount: 10,
            category: "Penjualan",
            ..Default::default()
        };
        // Without an occurred_at the entry would take the clock's 1999 and HQ's year rule on
        // created_at would refuse it forever.
        let errors = NewTransaction::from_input(&input, y1999, &Lists::defaults()).unwrap_err();
        assert_eq!(errors.0.len(), 1, "{errors:?}");
        assert_eq!(errors.0[0].field, "clock");
        assert!(errors.0[0].issue.contains("31/12/1999"), "{errors:?}");
        // An entry dated correctly by hand is still refused: its created_at is the clock's.
        let dated = NewTransactionInput {
            occurred_at: Some("2026-01-01T10:00:00Z"),
            ..input.clone()
        };
        let fields: Vec<_> = NewTransaction::from_input(&dated, y1999, &Lists::defaults())
            .unwrap_err()
            .0
            .iter()
            .map(|e| e.field)
            .collect();
        assert!(fields.contains(&"clock"), "{fields:?}");

        let original = Transaction::posted(
            NewTransaction::from_input(&input, Utc::now(), &Lists::defaults()).unwrap(),
        );
        let reason = VoidReason::parse("salah ketik").unwrap();
        assert!(matches!(
            original.void(TransactionId::new_v4(), reason, y1999),
            Err(VoidError::ClockWrong(e)) if e.field == "clock"
        ));
        // Whatever the branch takes, HQ takes: a made entry passes HQ's own checks.
        let made = NewTransaction::from_input(&input, Utc::now(), &Lists::defaults()).unwrap();
        let (id, occurred, created) = (
            made.id.to_string(),
            made.occurred_at.to_rfc3339(),
            made.created_at.to_rfc3339(),
        );
        let pushed = SyncedInput {
            id: &id,
            tx_type: "IN",
            amount: 10,
            category: "Penjualan",
            description: None,
            occurred_at: &occurred,
            created_at: &created,
            reverses_id: None,
            ..SyncedInput::default()
        };
        assert!(NewTransaction::from_synced(&pushed, BranchId::new_v4()).is_ok());
    }

    #[test]
    fn synced_rows_are_checked_against_their_own_clock() {
        let branch = BranchId::new_v4();
        let id = TransactionId::new_v4().to_string();
        let row = SyncedInput {
            id: &id,
            tx_type: "IN",
            amount: 10,
            category: "Penjualan",
            description: None,
            // A branch clock running a year ahead of HQ: still accepted, exactly as recorded.
            occurred_at: "2031-01-01T10:00:00.000Z",
            created_at: "2031-01-01T10:00:00.500Z",
            reverses_id: None,
            ..SyncedInput::default()
        };
        let tx = NewTransaction::from_synced(&row, branch).unwrap();
        assert_eq!(tx.branch_id, Some(branch));
        assert_eq!(tx.created_at.to_rfc3339(), "2031-01-01T10:00:00.500+00:00");

        let mut late = row.clone();
        late.occurred_at = "2031-01-01T11:00:00Z";
        let errors = NewTransaction::from_synced(&late, branch).unwrap_err();
        assert_eq!(errors.0[0].field, "occurred_at");

        let mut own = row.clone();
        own.reverses_id = Some(&id);
        assert_eq!(
            NewTransaction::from_synced(&own, branch).unwrap_err().0[0].field,
            "reverses_id"
        );
    }

    #[test]
    fn a_void_is_judged_by_its_originals_time_not_its_own_clock() {
        let branch = BranchId::new_v4();
        let (id, void_id) = (
            TransactionId::new_v4().to_string(),
            TransactionId::new_v4().to_string(),
        );
        let original_row = SyncedInput {
            id: &id,
            tx_type: "OUT",
            amount: 20_000,
            category: "Operasional",
            occurred_at: "2025-12-08T10:00:00.000Z",
            created_at: "2025-12-08T10:00:00.000Z",
            ..SyncedInput::default()
        };
        let original = NewTransaction::from_synced(&original_row, branch).unwrap();
        // The PC's clock was set back 2 h after the original was entered: the void is made
        // "before" the day it corrects, and must still be delivered.
        let void_row = SyncedInput {
            id: &void_id,
            tx_type: "IN",
            description: Some("salah ketik"),
            created_at: "2025-12-08T08:05:00.000Z",
            reverses_id: Some(&id),
            ..original_row.clone()
        };
        let void = NewTransaction::from_synced(&void_row, branch).unwrap();
        assert!(original.is_mirrored_by(&void));

        let moved = SyncedInput {
            occurred_at: "2025-12-08T10:00:01.000Z",
            ..void_row.clone()
        };
        let moved = NewTransaction::from_synced(&moved, branch).unwrap();
        assert!(
            !original.is_mirrored_by(&moved),
            "a void must carry its original's occurred_at"
        );
        let ancient = SyncedInput {
            occurred_at: "1999-12-31T23:00:00.000Z",
            ..void_row
        };
        assert_eq!(
            NewTransaction::from_synced(&ancient, branch).unwrap_err().0[0].field,
            "occurred_at"
        );
    }

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2025-12-08T10:30:00.123456Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn input<'a>() -> NewTransactionInput<'a> {
        NewTransactionInput {
            id: None,
            tx_type: "OUT",
            amount: 20_000,
            category: "Bahan Baku",
            description: Some(" beras 5 kg "),
            occurred_at: None,
            channel_id: None,
        }
    }

    #[test]
    fn valid_input_defaults_occurred_at_to_now_in_milliseconds() {
        let tx = NewTransaction::from_input(&input(), now(), &Lists::defaults()).unwrap();
        assert_eq!(tx.occurred_at, tx.created_at);
        assert_eq!(tx.occurred_at.timestamp_subsec_millis(), 123);
        assert_eq!(tx.occurred_at.timestamp_subsec_nanos(), 123_000_000);
        assert_eq!(tx.description.as_str(), "beras 5 kg");
        assert!(!tx.occurred_at_supplied);
    }

    #[test]
    fn every_broken_rule_is_reported_with_its_field() {
        let bad = NewTransactionInput {
            id: Some("nope"),
            tx_type: "out",
            amount: 0,
            category: " ",
            description: Some("\u{0}"),
            occurred_at: Some("yesterday"),
            channel_id: Some("QRIS"),
        };
        let errors = NewTransaction::from_input(&bad, now(), &Lists::defaults()).unwrap_err();
        let fields: Vec<_> = errors.0.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "id",
                "type",
                "amount",
                "category",
                "description",
                "channel_id",
                "occurred_at"
            ]
        );
    }

    #[test]
    fn occurred_at_may_be_slightly_but_not_far_in_the_future() {
        let mut i = input();
        i.occurred_at = Some("2025-12-08T10:34:59Z");
        assert!(NewTransaction::from_input(&i, now(), &Lists::defaults()).is_ok());
        i.occurred_at = Some("2025-12-08T10:36:00Z");
        let err = NewTransaction::from_input(&i, now(), &Lists::defaults()).unwrap_err();
        assert_eq!(err.0[0].field, "occurred_at");
        i.occurred_at = Some("1999-12-31T23:00:00Z");
        assert!(NewTransaction::from_input(&i, now(), &Lists::defaults()).is_err());
    }

    #[test]
    fn occurred_at_with_an_offset_is_stored_in_utc() {
        let mut i = input();
        i.occurred_at = Some("2025-12-08T08:00:00+07:00");
        let tx = NewTransaction::from_input(&i, now(), &Lists::defaults()).unwrap();
        assert_eq!(tx.occurred_at.to_rfc3339(), "2025-12-08T01:00:00+00:00");
    }

    #[test]
    fn replay_matches_same_content_and_ignores_a_defaulted_time() {
        let id = TransactionId::new_v4().to_string();
        let mut i = input();
        i.id = Some(&id);
        let first = NewTransaction::from_input(&i, now(), &Lists::defaults()).unwrap();
        let stored = Transaction::posted(first);
        let later = now() + Duration::seconds(30);
        let retry = NewTransaction::from_input(&i, later, &Lists::defaults()).unwrap();
        assert!(retry.is_replay_of(&stored));
        i.amount = 20_001;
        let changed = NewTransaction::from_input(&i, later, &Lists::defaults()).unwrap();
        assert!(!changed.is_replay_of(&stored));
    }

    #[test]
    fn void_mirrors_the_original_and_cannot_be_repeated_or_voided() {
        let original = Transaction::posted(
            NewTransaction::from_input(&input(), now(), &Lists::defaults()).unwrap(),
        );
        let reason = VoidReason::parse("salah ketik").unwrap();
        let void = original
            .void(TransactionId::new_v4(), reason.clone(), now())
            .unwrap();
        assert_eq!(void.tx_type, TxType::In);
        assert_eq!(void.amount, original.amount);
        assert_eq!(void.category, original.category);
        assert_eq!(void.description.as_str(), "salah ketik");
        assert_eq!(void.occurred_at, original.occurred_at);
        assert_eq!(void.reverses_id, Some(original.id));
        assert_eq!(void.channel, original.channel);

        let mut voided = original.clone();
        voided.voided_by = Some(void.id);
        assert_eq!(
            voided.void(TransactionId::new_v4(), reason.clone(), now()),
            Err(VoidError::AlreadyVoided(void.id))
        );
        let void_row = Transaction::posted(void);
        assert_eq!(
            void_row.void(TransactionId::new_v4(), reason, now()),
            Err(VoidError::IsAVoid)
        );
    }
}
