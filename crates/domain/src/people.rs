//! Branch staff (DESIGN 10.2): the cashiers and supervisors HQ manages per branch, who sign in
//! at the branch PC with a PIN.

use std::fmt;

use uuid::Uuid;

use crate::ids::{CANONICAL, parse_canonical};
use crate::text::clean;
use crate::{FieldError, Rule, name_key};

/// The id of a branch staff member, made at HQ when the member is added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StaffId(Uuid);

impl StaffId {
    /// A fresh random id.
    pub fn new_v4() -> Self {
        Self(Uuid::new_v4())
    }

    /// Parses an id in its one spelling.
    pub fn parse(field: &'static str, text: &str) -> Result<Self, FieldError> {
        parse_canonical(text).map(Self).ok_or_else(|| {
            FieldError::new(field, format!("must be a staff id (a UUID {CANONICAL})"))
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

impl fmt::Display for StaffId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// What a branch staff member may do at the PC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StaffRole {
    /// Records entries and runs shifts.
    Cashier,
    /// Also approves what needs a second person: voids, back-dated entries, large differences.
    Supervisor,
}

impl StaffRole {
    /// Parses `cashier` or `supervisor`, exactly.
    pub fn parse(field: &'static str, text: &str) -> Result<Self, FieldError> {
        match text {
            "cashier" => Ok(Self::Cashier),
            "supervisor" => Ok(Self::Supervisor),
            _ => Err(FieldError::new(field, "must be cashier or supervisor").rule(Rule::OneOf)),
        }
    }

    /// The wire and storage spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cashier => "cashier",
            Self::Supervisor => "supervisor",
        }
    }

    /// Whether this role may approve (DESIGN 10.2).
    pub fn approves(self) -> bool {
        self == Self::Supervisor
    }
}

/// A staff member's name as the lock screen lists it: 1..=60 characters, trimmed, no control
/// characters; unique in its branch, spelling aside.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StaffName(String);

impl StaffName {
    /// The longest name, in characters.
    pub const MAX_CHARS: usize = 60;

    /// Validates a name as typed (field `name`).
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        clean("name", raw, 1, Self::MAX_CHARS, false).map(Self)
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The spelling-free form: two names with one key are one person in a branch.
    pub fn key(&self) -> String {
        name_key(&self.0)
    }
}

/// A PIN: exactly 6 digits, and not one anybody would try first (one digit six times, or six
/// digits in a row up or down). Never logged, never stored (only its argon2id hash is).
#[derive(Clone, PartialEq, Eq)]
pub struct Pin(String);

impl Pin {
    /// How many digits a PIN has.
    pub const DIGITS: usize = 6;

    /// Checks a PIN chosen at HQ (field `pin`).
    pub fn new(raw: &str) -> Result<Self, FieldError> {
        let pin = Self::presented(raw).ok_or_else(|| {
            FieldError::new("pin", format!("must be exactly {} digits", Self::DIGITS))
                .rule(Rule::Format)
        })?;
        if pin.is_guessable() {
            return Err(FieldError::new(
                "pin",
                "is too easy to guess (one digit repeated, or digits in a row); choose another",
            )
            .rule(Rule::Weak));
        }
        Ok(pin)
    }

    /// A PIN typed at the lock screen: `None` unless it has the shape of a PIN (a wrong one is
    /// still checked against the hash and counts as a wrong try).
    pub fn presented(raw: &str) -> Option<Self> {
        (raw.len() == Self::DIGITS && raw.bytes().all(|b| b.is_ascii_digit()))
            .then(|| Self(raw.to_owned()))
    }

    /// A random PIN that passes [`Pin::new`].
    pub fn generate() -> Result<Self, getrandom::Error> {
        loop {
            let mut bytes = [0_u8; 4];
            getrandom::fill(&mut bytes)?;
            let n = u32::from_le_bytes(bytes);
            // 4_294_000_000 is a multiple of 1_000_000: no digit is likelier than another.
            if n >= 4_294_000_000 {
                continue;
            }
            let pin = Self(format!("{:06}", n % 1_000_000));
            if !pin.is_guessable() {
                return Ok(pin);
            }
        }
    }

    fn is_guessable(&self) -> bool {
        let d: Vec<i16> = self.0.bytes().map(|b| i16::from(b - b'0')).collect();
        let steps: Vec<i16> = d.windows(2).map(|w| w[1] - w[0]).collect();
        steps.iter().all(|s| *s == 0)
            || steps.iter().all(|s| *s == 1)
            || steps.iter().all(|s| *s == -1)
    }

    /// The digits, for hashing and for showing once to whoever set it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pin(******)")
    }
}

/// A PIN's argon2id hash in PHC form. It travels only from HQ to its own branch; its `Debug`
/// shows nothing of it.
#[derive(Clone, PartialEq, Eq)]
pub struct PinHash(String);

impl PinHash {
    /// Wraps a PHC string made by the hasher or read back from storage.
    pub fn new(phc: String) -> Self {
        Self(phc)
    }

    /// The PHC string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PinHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PinHash(…)")
    }
}

/// Who recorded or approved an entry: the member's id and their name then (a rename at HQ does
/// not change old entries).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffRef {
    /// The member.
    pub id: StaffId,
    /// Their name when the entry was made.
    pub name: StaffName,
}

impl StaffRef {
    /// The member as a row names them: both parts or neither (a row made without a signed-in
    /// member). `id_field` and `name_field` name the two in errors.
    pub fn from_parts(
        id: Option<&str>,
        name: Option<&str>,
        id_field: &'static str,
        name_field: &'static str,
    ) -> Result<Option<Self>, Vec<FieldError>> {
        match (id, name) {
            (None, None) => Ok(None),
            (Some(id), Some(name)) => {
                let id = StaffId::parse(id_field, id);
                let name = StaffName::parse(name).map_err(|mut e| {
                    e.field = name_field;
                    e
                });
                match (id, name) {
                    (Ok(id), Ok(name)) => Ok(Some(Self { id, name })),
                    (id, name) => Err(id.err().into_iter().chain(name.err()).collect()),
                }
            }
            (Some(_), None) => Err(vec![
                FieldError::new(name_field, format!("must be given with {id_field}"))
                    .rule(Rule::Required),
            ]),
            (None, Some(_)) => Err(vec![
                FieldError::new(id_field, format!("must be given with {name_field}"))
                    .rule(Rule::Required),
            ]),
        }
    }
}

impl StaffRef {
    /// A reference read back from storage: both parts or neither; `Err` says what is wrong
    /// with a stored pair (for the adapter's "corrupt row" error).
    pub fn stored(id: Option<Uuid>, name: Option<String>) -> Result<Option<Self>, String> {
        match (id, name) {
            (Some(id), Some(name)) => Ok(Some(Self {
                id: StaffId::from_uuid(id),
                name: StaffName::parse(&name).map_err(|e| e.to_string())?,
            })),
            (None, None) => Ok(None),
            _ => Err("a member's id without the name, or the name without the id".into()),
        }
    }
}

impl From<&StaffMember> for StaffRef {
    fn from(m: &StaffMember) -> Self {
        Self {
            id: m.id,
            name: m.name.clone(),
        }
    }
}

/// A branch staff member as HQ keeps them and the branch receives them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffMember {
    /// Made at HQ.
    pub id: StaffId,
    /// Shown on the lock screen and on every row the member records.
    pub name: StaffName,
    /// Cashier or supervisor.
    pub role: StaffRole,
    /// Whether the member may sign in; a member is deactivated, never deleted.
    pub active: bool,
    /// The PIN's hash.
    pub pin_hash: PinHash,
    /// The version of HQ's lists this member last changed at (DESIGN 9).
    pub version: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pin_is_six_digits_and_not_the_first_ones_anybody_tries() {
        assert_eq!(Pin::new("402913").unwrap().expose(), "402913");
        for shape in [
            "",
            "12345",
            "1234567",
            "12a456",
            "١٢٣٤٥٦",
            " 40291",
            "40291 ",
        ] {
            assert_eq!(Pin::new(shape).unwrap_err().rule, Rule::Format, "{shape:?}");
        }
        for guessable in ["000000", "777777", "123456", "345678", "987654", "543210"] {
            assert_eq!(
                Pin::new(guessable).unwrap_err().rule,
                Rule::Weak,
                "{guessable}"
            );
        }
        // Typed at the lock screen, any six digits are checked (and a wrong one counted).
        assert!(Pin::presented("123456").is_some());
        assert!(Pin::presented("12345").is_none());
        assert_eq!(format!("{:?}", Pin::new("402913").unwrap()), "Pin(******)");
    }

    #[test]
    fn generated_pins_are_valid_and_differ() {
        let pins: std::collections::HashSet<String> = (0..200)
            .map(|_| Pin::generate().unwrap().expose().to_owned())
            .collect();
        assert!(pins.len() > 190, "random, not one PIN: {}", pins.len());
        for pin in &pins {
            assert!(Pin::new(pin).is_ok(), "{pin}");
        }
    }

    #[test]
    fn names_and_roles_read_as_typed() {
        assert_eq!(
            StaffName::parse("  Siti Aminah ").unwrap().as_str(),
            "Siti Aminah"
        );
        assert_eq!(
            StaffName::parse("Siti  AMINAH").unwrap().key(),
            StaffName::parse("siti aminah").unwrap().key()
        );
        assert_eq!(StaffName::parse(" ").unwrap_err().rule, Rule::Required);
        assert_eq!(
            StaffName::parse(&"x".repeat(61)).unwrap_err().rule,
            Rule::MaxLength(60)
        );
        assert_eq!(
            StaffRole::parse("role", "supervisor").unwrap(),
            StaffRole::Supervisor
        );
        assert!(StaffRole::Supervisor.approves() && !StaffRole::Cashier.approves());
        assert_eq!(
            StaffRole::parse("role", "Cashier").unwrap_err().rule,
            Rule::OneOf
        );
        assert_eq!(
            format!("{:?}", PinHash::new("$argon2id$x".into())),
            "PinHash(…)"
        );
    }

    #[test]
    fn a_stored_member_is_both_parts_or_neither() {
        let id = Uuid::new_v4();
        assert_eq!(StaffRef::stored(None, None), Ok(None));
        assert_eq!(
            StaffRef::stored(Some(id), Some("Siti".into()))
                .unwrap()
                .map(|w| (w.id.as_uuid(), w.name.as_str().to_owned())),
            Some((id, "Siti".to_owned()))
        );
        assert!(StaffRef::stored(Some(id), None).is_err());
        assert!(StaffRef::stored(None, Some("Siti".into())).is_err());
        assert!(StaffRef::stored(Some(id), Some(String::new())).is_err());
    }

    #[test]
    fn a_rows_member_is_both_id_and_name_or_neither() {
        let id = StaffId::new_v4().to_string();
        let read = |i: Option<&str>, n: Option<&str>| {
            StaffRef::from_parts(i, n, "recorded_by", "recorded_by_name")
        };
        assert_eq!(read(None, None).unwrap(), None);
        let who = read(Some(&id), Some(" Siti ")).unwrap().unwrap();
        assert_eq!(
            (who.id.to_string(), who.name.as_str()),
            (id.clone(), "Siti")
        );
        let fields = |r: Result<Option<StaffRef>, Vec<FieldError>>| {
            r.unwrap_err()
                .iter()
                .map(|e| (e.field, e.rule))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            fields(read(Some(&id), None)),
            [("recorded_by_name", Rule::Required)]
        );
        assert_eq!(
            fields(read(None, Some("Siti"))),
            [("recorded_by", Rule::Required)]
        );
        assert_eq!(
            fields(read(Some("x"), Some(""))),
            [
                ("recorded_by", Rule::Format),
                ("recorded_by_name", Rule::Required)
            ]
        );
    }
}
