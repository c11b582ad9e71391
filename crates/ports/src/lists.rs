//! HQ's lists (DESIGN 9): the store HQ manages them in, and the copy a branch keeps.

use async_trait::async_trait;
use kh_domain::chrono::{DateTime, Utc};
use kh_domain::{
    Category, CategoryId, CategoryUse, ChannelId, ChannelKind, ChannelName, ListCategory, Lists,
    PaymentChannel,
};

use crate::{HqError, LedgerError};

/// A change to a category of HQ's list; what is `None` stays.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CategoryChange {
    /// A new name.
    pub name: Option<Category>,
    /// Which entries it is for.
    pub usage: Option<CategoryUse>,
    /// Offered for new entries, or not.
    pub active: Option<bool>,
}

/// A change to a payment channel; its kind never changes (old shifts counted by it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChannelChange {
    /// A new name.
    pub name: Option<ChannelName>,
    /// Offered for new entries, or not.
    pub active: Option<bool>,
}

/// HQ's lists, versioned: every change takes the next version, in commit order, so a branch
/// that asks for "after version V" never misses a change.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait HqLists: Send + Sync + 'static {
    /// The items changed after `since` (all of them for 0) and the current version and
    /// setting. A branch that is up to date MUST cost one indexed read.
    async fn lists_since(&self, since: i64) -> Result<Lists, HqError>;

    /// Adds a category. MUST return `HqError::NameTaken` when an item of the list already has
    /// a name with the same key (spelling aside).
    async fn add_category(
        &self,
        name: Category,
        usage: CategoryUse,
        at: DateTime<Utc>,
    ) -> Result<ListCategory, HqError>;

    /// Changes a category. MUST return `HqError::ItemNotFound` for an unknown id and
    /// `NameTaken` as [`HqLists::add_category`].
    async fn change_category(
        &self,
        id: CategoryId,
        change: CategoryChange,
        at: DateTime<Utc>,
    ) -> Result<ListCategory, HqError>;

    /// Adds a payment channel (`NameTaken` as for categories).
    async fn add_channel(
        &self,
        name: ChannelName,
        kind: ChannelKind,
        at: DateTime<Utc>,
    ) -> Result<PaymentChannel, HqError>;

    /// Changes a payment channel (`ItemNotFound`, `NameTaken`).
    async fn change_channel(
        &self,
        id: ChannelId,
        change: ChannelChange,
        at: DateTime<Utc>,
    ) -> Result<PaymentChannel, HqError>;

    /// Whether branches may type a category outside the list; answers the lists' new version.
    async fn set_allow_new_categories(
        &self,
        allow: bool,
        at: DateTime<Utc>,
    ) -> Result<i64, HqError>;
}

/// The copy of HQ's lists a branch keeps: what its entry form offers, also offline.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait BranchLists: Send + Sync + 'static {
    /// The lists as last received; the defaults before HQ ever sent any.
    async fn lists(&self) -> Result<Lists, LedgerError>;

    /// Takes what HQ sent. A change (`complete` false: the items changed after the stored
    /// version) replaces each item with its id or adds it, and MUST be ignored when its version
    /// is not above the stored one (a late answer never undoes a newer one). A `complete` list
    /// (everything HQ has, asked for after HQ's version went back, as after HQ was restored)
    /// replaces the stored lists whatever their version.
    async fn apply_lists(&self, lists: &Lists, complete: bool) -> Result<(), LedgerError>;
}
