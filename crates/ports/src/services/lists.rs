//! HQ's lists (DESIGN 9): managing them at HQ, and handing branches what changed.

use std::sync::Arc;

use kh_domain::{
    Category, CategoryId, CategoryUse, ChannelId, ChannelKind, ChannelName, FieldError,
    ListCategory, Lists, PaymentChannel, Rule, ValidationErrors,
};

use crate::services::ServiceError;
use crate::{CategoryChange, ChannelChange, Clock, HqLists};

/// The raw fields of a change to a category, as an admin sent them.
#[derive(Debug, Clone, Copy, Default)]
pub struct CategoryEdit<'a> {
    /// A new name.
    pub name: Option<&'a str>,
    /// `IN`, `OUT` or `BOTH`.
    pub usage: Option<&'a str>,
    /// Offered for new entries, or not.
    pub active: Option<bool>,
}

/// The raw fields of a change to a payment channel.
#[derive(Debug, Clone, Copy, Default)]
pub struct ChannelEdit<'a> {
    /// A new name.
    pub name: Option<&'a str>,
    /// Offered for new entries, or not.
    pub active: Option<bool>,
}

/// Managing HQ's categories and payment channels, and serving their changes to branches.
#[derive(Clone)]
pub struct ListsService {
    lists: Arc<dyn HqLists>,
    clock: Arc<dyn Clock>,
}

fn nothing_to_change() -> ServiceError {
    ServiceError::Invalid(ValidationErrors(vec![
        FieldError::new("body", "must change at least one field").rule(Rule::Required),
    ]))
}

impl ListsService {
    /// A service over HQ's list store.
    pub fn new(lists: Arc<dyn HqLists>, clock: Arc<dyn Clock>) -> Self {
        Self { lists, clock }
    }

    /// What changed after version `since` (everything for 0), with the current version.
    pub async fn since(&self, since: i64) -> Result<Lists, ServiceError> {
        if since < 0 {
            return Err(FieldError::new("since", "must be a version: 0 or more")
                .rule(Rule::Range {
                    min: 0,
                    max: i64::MAX,
                })
                .into());
        }
        Ok(self.lists.lists_since(since).await?)
    }

    /// Adds a category for entries of `usage` (`IN`, `OUT`, `BOTH`).
    pub async fn add_category(
        &self,
        name: &str,
        usage: &str,
    ) -> Result<ListCategory, ServiceError> {
        let mut errors = ValidationErrors::default();
        let name = errors.collect(Category::parse(name).map_err(|e| renamed(e, "name")));
        let usage = errors.collect(CategoryUse::parse("type", usage));
        match (name, usage) {
            (Some(name), Some(usage)) if errors.is_empty() => Ok(self
                .lists
                .add_category(name, usage, self.clock.now())
                .await?),
            _ => Err(errors.into()),
        }
    }

    /// Renames, re-types, deactivates or reactivates a category.
    pub async fn change_category(
        &self,
        id: &str,
        edit: CategoryEdit<'_>,
    ) -> Result<ListCategory, ServiceError> {
        let mut errors = ValidationErrors::default();
        let id = errors.collect(CategoryId::parse("id", id));
        let name = edit
            .name
            .map(|n| errors.collect(Category::parse(n).map_err(|e| renamed(e, "name"))));
        let usage = edit
            .usage
            .map(|u| errors.collect(CategoryUse::parse("type", u)));
        let Some(id) = id.filter(|_| errors.is_empty()) else {
            return Err(errors.into());
        };
        let change = CategoryChange {
            name: name.flatten(),
            usage: usage.flatten(),
            active: edit.active,
        };
        if change == CategoryChange::default() {
            return Err(nothing_to_change());
        }
        Ok(self
            .lists
            .change_category(id, change, self.clock.now())
            .await?)
    }

    /// Adds a payment channel of `kind` (`cash` or `non_cash`).
    pub async fn add_channel(
        &self,
        name: &str,
        kind: &str,
    ) -> Result<PaymentChannel, ServiceError> {
        let mut errors = ValidationErrors::default();
        let name = errors.collect(ChannelName::parse("name", name));
        let kind = errors.collect(ChannelKind::parse("kind", kind));
        match (name, kind) {
            (Some(name), Some(kind)) if errors.is_empty() => {
                Ok(self.lists.add_channel(name, kind, self.clock.now()).await?)
            }
            _ => Err(errors.into()),
        }
    }

    /// Renames, deactivates or reactivates a payment channel (its kind never changes).
    pub async fn change_channel(
        &self,
        id: &str,
        edit: ChannelEdit<'_>,
    ) -> Result<PaymentChannel, ServiceError> {
        let mut errors = ValidationErrors::default();
        let id = errors.collect(ChannelId::parse("id", id));
        let name = edit
            .name
            .map(|n| errors.collect(ChannelName::parse("name", n)));
        let Some(id) = id.filter(|_| errors.is_empty()) else {
            return Err(errors.into());
        };
        let change = ChannelChange {
            name: name.flatten(),
            active: edit.active,
        };
        if change == ChannelChange::default() {
            return Err(nothing_to_change());
        }
        Ok(self
            .lists
            .change_channel(id, change, self.clock.now())
            .await?)
    }

    /// Lets branches type categories outside the list, or not; answers the new version.
    pub async fn set_allow_new_categories(&self, allow: bool) -> Result<i64, ServiceError> {
        Ok(self
            .lists
            .set_allow_new_categories(allow, self.clock.now())
            .await?)
    }
}

/// A category's rule, reported under the field the request used.
fn renamed(mut error: FieldError, field: &'static str) -> FieldError {
    error.field = field;
    error
}

#[cfg(test)]
mod tests {
    use kh_domain::chrono::Utc;

    use super::*;
    use crate::{HqError, MockClock, MockHqLists};

    fn service(lists: MockHqLists) -> ListsService {
        let mut clock = MockClock::new();
        clock.expect_now().returning(Utc::now);
        ListsService::new(Arc::new(lists), Arc::new(clock))
    }

    fn fields(e: ServiceError) -> Vec<&'static str> {
        match e {
            ServiceError::Invalid(v) => v.0.iter().map(|e| e.field).collect(),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn bad_input_is_refused_field_by_field_before_storage() {
        let mut lists = MockHqLists::new();
        lists.expect_add_category().never();
        lists.expect_change_channel().never();
        lists.expect_lists_since().never();
        let s = service(lists);
        assert_eq!(
            fields(s.add_category(" ", "both").await.unwrap_err()),
            ["name", "type"]
        );
        assert_eq!(
            fields(s.add_channel(&"x".repeat(51), "card").await.unwrap_err()),
            ["name", "kind"]
        );
        let id = ChannelId::new_v4().to_string();
        assert_eq!(
            fields(
                s.change_channel(&id, ChannelEdit::default())
                    .await
                    .unwrap_err()
            ),
            ["body"]
        );
        assert_eq!(
            fields(
                s.change_channel("QRIS", ChannelEdit::default())
                    .await
                    .unwrap_err()
            ),
            ["id"]
        );
        assert_eq!(fields(s.since(-1).await.unwrap_err()), ["since"]);
    }

    #[tokio::test]
    async fn a_taken_name_is_a_conflict_and_an_unknown_id_is_not_found() {
        let mut lists = MockHqLists::new();
        lists
            .expect_add_channel()
            .returning(|n, _, _| Err(HqError::NameTaken(format!("{} exists", n.as_str()))));
        lists
            .expect_change_category()
            .returning(|id, _, _| Err(HqError::ItemNotFound(format!("no category {id}"))));
        let s = service(lists);
        assert!(matches!(
            s.add_channel("QRIS", "non_cash").await,
            Err(ServiceError::Conflict(_))
        ));
        let edit = CategoryEdit {
            active: Some(false),
            ..CategoryEdit::default()
        };
        let id = CategoryId::new_v4().to_string();
        assert!(matches!(
            s.change_category(&id, edit).await,
            Err(ServiceError::ItemNotFound(_))
        ));
    }
}
