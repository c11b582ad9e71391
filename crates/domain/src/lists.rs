//! The lists HQ owns and a branch picks from (DESIGN 9): categories and payment channels.
//! Items are deactivated, never deleted; an entry keeps the channel's id **and** the name it had,
//! so old entries read the same after a rename.

use std::fmt;

use uuid::Uuid;

use crate::ids::{CANONICAL, parse_canonical};
use crate::text::clean;
use crate::{Category, FieldError, Rule, TxType};

macro_rules! list_id {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(Uuid);

        impl $name {
            /// A fresh random id (HQ makes these when an item is added).
            pub fn new_v4() -> Self {
                Self(Uuid::new_v4())
            }

            /// Parses an id in its one spelling.
            pub fn parse(field: &'static str, text: &str) -> Result<Self, FieldError> {
                parse_canonical(text).map(Self).ok_or_else(|| {
                    FieldError::new(field, format!(concat!("must be ", $what, " (a UUID {})"), CANONICAL))
                        .rule(Rule::Format)
                })
            }

            /// Wraps an id read back from storage.
            pub const fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            /// The underlying UUID.
            pub fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

list_id!(
    /// The id of a payment channel (Tunai, QRIS, ...).
    ChannelId,
    "a payment channel id"
);
list_id!(
    /// The id of a category in HQ's list.
    CategoryId,
    "a category id"
);

/// The cash channel every book starts with, the same id on every HQ and every PC, so an entry
/// made before a PC ever heard from HQ (and every entry older than channels) means cash.
pub const CASH_CHANNEL_ID: ChannelId =
    ChannelId::from_uuid(Uuid::from_u128(0x0b8e7c2a_6f1d_4c3e_9a57_2d4f8e1b6c01));

/// The cash channel's name in every book until HQ renames it.
pub const CASH_CHANNEL_NAME: &str = "Tunai";

/// The payment channels every book starts with (DESIGN 9): id, name, kind.
pub const DEFAULT_CHANNELS: &[(u128, &str, ChannelKind)] = &[
    (
        0x0b8e7c2a_6f1d_4c3e_9a57_2d4f8e1b6c01,
        CASH_CHANNEL_NAME,
        ChannelKind::Cash,
    ),
    (
        0x9fa4ad88_4d18_45d0_8744_2c34a0b961ac,
        "QRIS",
        ChannelKind::NonCash,
    ),
    (
        0x6418e5d9_3399_4fb2_97ff_d9c5f1a35006,
        "Transfer Bank",
        ChannelKind::NonCash,
    ),
    (
        0x9b1ece75_cea7_49d1_a7d0_0b6c7e56563d,
        "EDC/Kartu",
        ChannelKind::NonCash,
    ),
];

/// The categories every book starts with: id, name, the direction they are for.
pub const DEFAULT_CATEGORIES: &[(u128, &str, CategoryUse)] = &[
    (
        0x47db915d_d53b_4c07_99a7_49d1a7d0aa01,
        "Penjualan",
        CategoryUse::In,
    ),
    (
        0xb8697616_4798_4eff_8bc1_aa414ae46f09,
        "Pesanan Katering",
        CategoryUse::In,
    ),
    (
        0x7f976750_88d2_4b4d_98db_fb6c0535925d,
        "Modal",
        CategoryUse::In,
    ),
    (
        0x9ae4bf53_f695_4470_a85a_a59a44e494ed,
        "Bahan Baku",
        CategoryUse::Out,
    ),
    (
        0x1789cd50_7063_4afc_a77c_7b8a606a7f3a,
        "Operasional",
        CategoryUse::Out,
    ),
    (
        0x4e2f3935_0fbf_4d8f_8a46_cc1d6e823862,
        "Gaji",
        CategoryUse::Out,
    ),
    (
        0xe7cf117b_bd1e_45a1_af92_18d5a982bab3,
        "Sewa",
        CategoryUse::Out,
    ),
    (
        0x6a2b791f_3474_4eb7_8083_5a95f6cc0b01,
        "Listrik & Air",
        CategoryUse::Out,
    ),
    (
        0x0f372ec1_2dbb_4273_b646_2e4c917e1d71,
        "Transportasi",
        CategoryUse::Out,
    ),
    (
        0x53c107bd_ff3a_470c_a413_d2bd793af195,
        "Peralatan",
        CategoryUse::Out,
    ),
];

/// Whether money through a channel is counted in the drawer (DESIGN 11: only cash moves it).
/// Fixed when the channel is made: changing it would change what old shifts expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChannelKind {
    /// Notes and coins in the drawer.
    Cash,
    /// QRIS, a transfer, a card: money that never passes the drawer.
    NonCash,
}

impl ChannelKind {
    /// Parses `cash` or `non_cash`, exactly.
    pub fn parse(field: &'static str, text: &str) -> Result<Self, FieldError> {
        match text {
            "cash" => Ok(Self::Cash),
            "non_cash" => Ok(Self::NonCash),
            _ => Err(FieldError::new(field, "must be cash or non_cash").rule(Rule::OneOf)),
        }
    }

    /// The wire and storage spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cash => "cash",
            Self::NonCash => "non_cash",
        }
    }
}

/// Which entries a category of HQ's list is offered for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CategoryUse {
    /// Money in only.
    In,
    /// Money out only.
    Out,
    /// Either way.
    Both,
}

impl CategoryUse {
    /// Parses `IN`, `OUT` or `BOTH`, exactly.
    pub fn parse(field: &'static str, text: &str) -> Result<Self, FieldError> {
        match text {
            "IN" => Ok(Self::In),
            "OUT" => Ok(Self::Out),
            "BOTH" => Ok(Self::Both),
            _ => Err(FieldError::new(field, "must be IN, OUT or BOTH").rule(Rule::OneOf)),
        }
    }

    /// The wire and storage spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::In => "IN",
            Self::Out => "OUT",
            Self::Both => "BOTH",
        }
    }

    /// Whether an entry of `tx_type` may use it.
    pub fn fits(self, tx_type: TxType) -> bool {
        matches!(
            (self, tx_type),
            (Self::Both, _) | (Self::In, TxType::In) | (Self::Out, TxType::Out)
        )
    }
}

/// A payment channel's name, e.g. `QRIS`: 1..=50 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ChannelName(String);

impl ChannelName {
    /// The longest name, in characters.
    pub const MAX_CHARS: usize = 50;

    /// Validates a name (trimmed first); `field` names it in the error.
    pub fn parse(field: &'static str, raw: &str) -> Result<Self, FieldError> {
        clean(field, raw, 1, Self::MAX_CHARS, false).map(Self)
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What every spelling of the name shares (see [`crate::name_key`]): "QRIS" and "qris "
    /// are one channel.
    pub fn key(&self) -> String {
        crate::name_key(&self.0)
    }
}

/// The channel an entry went through, as the entry keeps it: the id, and the name it had then.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ChannelRef {
    /// Which channel.
    pub id: ChannelId,
    /// Its name when the entry was made.
    pub name: ChannelName,
}

impl ChannelRef {
    /// The cash channel under its first name: what every entry older than channels went through.
    pub fn cash() -> Self {
        Self {
            id: CASH_CHANNEL_ID,
            name: ChannelName(CASH_CHANNEL_NAME.to_owned()),
        }
    }

    /// Reads the channel of an entry a branch pushed or HQ sent down. Both absent means an
    /// entry from before channels: cash. One without the other is refused.
    pub fn from_parts(id: Option<&str>, name: Option<&str>) -> Result<Self, Vec<FieldError>> {
        match (id, name) {
            (None, None) => Ok(Self::cash()),
            (Some(id), Some(name)) => {
                let id = ChannelId::parse("channel_id", id);
                let name = ChannelName::parse("channel_name", name);
                match (id, name) {
                    (Ok(id), Ok(name)) => Ok(Self { id, name }),
                    (id, name) => Err([id.err(), name.err()].into_iter().flatten().collect()),
                }
            }
            (Some(_), None) => Err(vec![
                FieldError::new("channel_name", "must be given with channel_id")
                    .rule(Rule::Required),
            ]),
            (None, Some(_)) => Err(vec![
                FieldError::new("channel_id", "must be given with channel_name")
                    .rule(Rule::Required),
            ]),
        }
    }
}

/// A payment channel of HQ's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentChannel {
    /// Its id.
    pub id: ChannelId,
    /// Its current name.
    pub name: ChannelName,
    /// Cash or not.
    pub kind: ChannelKind,
    /// Offered for new entries.
    pub active: bool,
}

/// A category of HQ's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListCategory {
    /// Its id.
    pub id: CategoryId,
    /// Its current name.
    pub name: Category,
    /// Which entries it is for.
    pub usage: CategoryUse,
    /// Offered for new entries.
    pub active: bool,
}

/// HQ's lists as a branch holds them (DESIGN 9), with the version they were sent at (0: the
/// defaults, never heard from HQ).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lists {
    /// HQ's version of these lists; a branch asks only for what changed after it.
    pub version: i64,
    /// Categories, active or not.
    pub categories: Vec<ListCategory>,
    /// Payment channels, active or not.
    pub channels: Vec<PaymentChannel>,
    /// Whether a cashier may type a category that is not in the list.
    pub allow_new_categories: bool,
    /// The branch's staff, active or not (DESIGN 10.2); only ever a branch's own.
    pub staff: Vec<crate::StaffMember>,
    /// The settings every branch follows (DESIGN 9), always sent whole.
    pub settings: crate::BranchSettings,
}

impl Lists {
    /// The lists every book starts with, before HQ sends its own.
    pub fn defaults() -> Self {
        Self {
            version: 0,
            categories: default_categories(),
            channels: default_channels(),
            allow_new_categories: true,
            staff: Vec::new(),
            settings: crate::BranchSettings::default(),
        }
    }

    /// The channel a new entry goes through: the one asked for (which must be in the list and
    /// active), or the cash channel when none is asked for.
    pub fn channel_for_entry(&self, requested: Option<&str>) -> Result<ChannelRef, FieldError> {
        let channel = match requested {
            Some(raw) => {
                let id = ChannelId::parse("channel_id", raw)?;
                self.channels.iter().find(|c| c.id == id).ok_or_else(|| {
                    FieldError::new("channel_id", "is not a payment channel of this branch")
                        .rule(Rule::OneOf)
                })?
            }
            None => self.default_channel().ok_or_else(|| {
                FieldError::new(
                    "channel_id",
                    "must be chosen: head office has no active cash channel",
                )
                .rule(Rule::Required)
            })?,
        };
        if !channel.active {
            return Err(FieldError::new(
                "channel_id",
                "is no longer used (head office deactivated it); choose another",
            )
            .rule(Rule::OneOf));
        }
        Ok(ChannelRef {
            id: channel.id,
            name: channel.name.clone(),
        })
    }

    /// The channel an entry takes when none is chosen: the first cash channel, active, with
    /// the well-known one first.
    pub fn default_channel(&self) -> Option<&PaymentChannel> {
        self.channels
            .iter()
            .find(|c| c.id == CASH_CHANNEL_ID && c.active)
            .or_else(|| {
                self.channels
                    .iter()
                    .find(|c| c.kind == ChannelKind::Cash && c.active)
            })
    }

    /// Refuses a category outside HQ's active list for `tx_type` when HQ allows no new ones.
    pub fn check_category(&self, tx_type: TxType, category: &Category) -> Result<(), FieldError> {
        if self.allow_new_categories {
            return Ok(());
        }
        let key = category.key();
        let listed = self
            .categories
            .iter()
            .any(|c| c.active && c.usage.fits(tx_type) && c.name.key() == key);
        if listed {
            Ok(())
        } else {
            Err(FieldError::new(
                "category",
                "must be one of head office's categories for this kind of entry",
            )
            .rule(Rule::OneOf))
        }
    }
}

/// The default channels as list items.
pub fn default_channels() -> Vec<PaymentChannel> {
    DEFAULT_CHANNELS
        .iter()
        .map(|(id, name, kind)| PaymentChannel {
            id: ChannelId::from_uuid(Uuid::from_u128(*id)),
            name: ChannelName((*name).to_owned()),
            kind: *kind,
            active: true,
        })
        .collect()
}

/// The default categories as list items.
pub fn default_categories() -> Vec<ListCategory> {
    DEFAULT_CATEGORIES
        .iter()
        .filter_map(|(id, name, usage)| {
            Some(ListCategory {
                id: CategoryId::from_uuid(Uuid::from_u128(*id)),
                name: Category::parse(name).ok()?,
                usage: *usage,
                active: true,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_ids_are_random_style_uuids_spelled_one_way() {
        for (id, _, _) in DEFAULT_CHANNELS {
            let uuid = Uuid::from_u128(*id);
            assert_eq!(uuid.get_version_num(), 4, "{uuid}");
            assert_eq!(
                ChannelId::parse("id", &uuid.to_string()).unwrap().as_uuid(),
                uuid
            );
        }
        for (id, _, _) in DEFAULT_CATEGORIES {
            assert_eq!(Uuid::from_u128(*id).get_version_num(), 4);
        }
        assert_eq!(default_categories().len(), DEFAULT_CATEGORIES.len());
        assert_eq!(DEFAULT_CHANNELS[0].0, CASH_CHANNEL_ID.as_uuid().as_u128());
    }

    #[test]
    fn a_new_entry_goes_through_cash_unless_an_active_channel_is_chosen() {
        let mut lists = Lists::defaults();
        assert_eq!(lists.channel_for_entry(None).unwrap(), ChannelRef::cash());
        let qris = lists.channels[1].id.to_string();
        assert_eq!(
            lists.channel_for_entry(Some(&qris)).unwrap().name.as_str(),
            "QRIS"
        );

        lists.channels[1].active = false;
        let err = lists.channel_for_entry(Some(&qris)).unwrap_err();
        assert_eq!((err.field, err.rule), ("channel_id", Rule::OneOf));
        let unknown = Uuid::new_v4().to_string();
        assert_eq!(
            lists.channel_for_entry(Some(&unknown)).unwrap_err().rule,
            Rule::OneOf
        );
        assert_eq!(
            lists.channel_for_entry(Some("QRIS")).unwrap_err().rule,
            Rule::Format
        );

        // HQ renamed cash and deactivated the well-known one in favour of another cash drawer.
        lists.channels[0].active = false;
        let drawer = PaymentChannel {
            id: ChannelId::new_v4(),
            name: ChannelName::parse("name", "Laci 2").unwrap(),
            kind: ChannelKind::Cash,
            active: true,
        };
        lists.channels.push(drawer.clone());
        assert_eq!(lists.channel_for_entry(None).unwrap().id, drawer.id);
        lists.channels.pop();
        assert_eq!(
            lists.channel_for_entry(None).unwrap_err().rule,
            Rule::Required
        );
    }

    #[test]
    fn a_new_category_is_refused_only_where_hq_says_so_and_by_key() {
        let mut lists = Lists::defaults();
        let new = Category::parse("Parkir").unwrap();
        assert!(lists.check_category(TxType::Out, &new).is_ok());
        lists.allow_new_categories = false;
        assert_eq!(
            lists.check_category(TxType::Out, &new).unwrap_err().field,
            "category"
        );
        let listed = Category::parse("bahan  baku").unwrap();
        assert!(lists.check_category(TxType::Out, &listed).is_ok());
        // An OUT category is not offered for money in, and an inactive one not at all.
        assert!(lists.check_category(TxType::In, &listed).is_err());
        lists.categories.iter_mut().for_each(|c| c.active = false);
        assert!(lists.check_category(TxType::Out, &listed).is_err());
    }

    #[test]
    fn an_entrys_channel_travels_as_both_parts_or_neither() {
        assert_eq!(
            ChannelRef::from_parts(None, None).unwrap(),
            ChannelRef::cash()
        );
        let id = Uuid::new_v4().to_string();
        let r = ChannelRef::from_parts(Some(&id), Some(" QRIS ")).unwrap();
        assert_eq!(r.name.as_str(), "QRIS");
        let fields = |e: Vec<FieldError>| e.iter().map(|e| e.field).collect::<Vec<_>>();
        assert_eq!(
            fields(ChannelRef::from_parts(Some(&id), None).unwrap_err()),
            ["channel_name"]
        );
        assert_eq!(
            fields(ChannelRef::from_parts(Some("x"), Some("")).unwrap_err()),
            ["channel_id", "channel_name"]
        );
        assert!(CategoryUse::Both.fits(TxType::In) && !CategoryUse::In.fits(TxType::Out));
        assert_eq!(ChannelKind::parse("k", "cash").unwrap(), ChannelKind::Cash);
        assert!(ChannelKind::parse("k", "Cash").is_err());
    }
}
