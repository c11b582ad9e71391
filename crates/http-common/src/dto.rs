//! Shapes both APIs share: list queries, transactions, pages, daily rows.

use kh_domain::chrono::{DateTime, SecondsFormat, Utc};
use kh_domain::{
    BranchId, Category, DailyBalance, DateRange, FieldError, Transaction, TxType, ValidationErrors,
};
use kh_ports::{ListQuery, Page, SyncFilter};
use serde::{Deserialize, Serialize};

use crate::ApiError;

/// An instant on the wire: `2025-12-08T10:30:00.123Z`.
pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A query value that was given and is not blank.
pub fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// Which API a listing belongs to: the branch filters by sync state, HQ by branch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListScope {
    /// `kh-local`: `sync_state` allowed, `branch_id` refused.
    Branch,
    /// `kh-cloud`: `branch_id` allowed, `sync_state` refused.
    Hq,
}

/// The largest page number accepted; deeper pages are better reached with filters.
const MAX_PAGE: u32 = 10_000_000;

/// Query of `GET /transactions`; every value arrives as text and is checked by name.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    page: Option<String>,
    limit: Option<String>,
    #[serde(rename = "type")]
    tx_type: Option<String>,
    category: Option<String>,
    from: Option<String>,
    to: Option<String>,
    q: Option<String>,
    sync_state: Option<String>,
    branch_id: Option<String>,
}

fn number(
    field: &'static str,
    raw: Option<&str>,
    default: u32,
    max: u32,
) -> Result<u32, FieldError> {
    match raw {
        None => Ok(default),
        Some(text) => text
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| {
                FieldError::new(field, format!("must be a whole number from 1 to {max}"))
            }),
    }
}

fn not_here(field: &'static str) -> FieldError {
    FieldError::new(field, "is not a parameter of this endpoint")
}

impl ListParams {
    /// Validates every parameter, naming each bad one.
    pub fn into_query(self, scope: ListScope) -> Result<ListQuery, ApiError> {
        let mut errors = ValidationErrors::default();
        let page = errors.collect(number("page", present(&self.page), 1, MAX_PAGE));
        let limit = errors.collect(number("limit", present(&self.limit), 10, 100));
        let tx_type = present(&self.tx_type).and_then(|t| errors.collect(TxType::parse("type", t)));
        let category = present(&self.category).and_then(|c| errors.collect(Category::parse(c)));
        let range = DateRange::parse(present(&self.from), present(&self.to)).unwrap_or_else(|e| {
            errors.0.extend(e);
            DateRange::ALL
        });
        let text = match present(&self.q) {
            Some(q) if q.chars().count() > 100 => {
                errors
                    .0
                    .push(FieldError::new("q", "must be at most 100 characters"));
                None
            }
            other => other.map(str::to_owned),
        };
        let sync = match (scope, present(&self.sync_state)) {
            (_, None) => None,
            (ListScope::Hq, Some(_)) => errors.collect(Err(not_here("sync_state"))),
            (ListScope::Branch, Some("pending")) => Some(SyncFilter::Pending),
            (ListScope::Branch, Some("synced")) => Some(SyncFilter::Synced),
            (ListScope::Branch, Some("rejected")) => Some(SyncFilter::Rejected),
            (ListScope::Branch, Some(_)) => errors.collect(Err(FieldError::new(
                "sync_state",
                "must be pending, synced or rejected",
            ))),
        };
        let branch = match (scope, present(&self.branch_id)) {
            (_, None) => None,
            (ListScope::Branch, Some(_)) => errors.collect(Err(not_here("branch_id"))),
            (ListScope::Hq, Some(b)) => errors.collect(BranchId::parse("branch_id", b)),
        };
        if !errors.is_empty() {
            return Err(errors.into());
        }
        Ok(ListQuery {
            page: page.unwrap_or(1),
            limit: limit.unwrap_or(10),
            tx_type,
            category,
            range,
            text,
            sync,
            branch,
        })
    }
}

/// The fields every API shows of a transaction; each API adds its own (flattened).
#[derive(Debug, Serialize)]
pub struct TransactionCore {
    id: String,
    branch_id: Option<String>,
    #[serde(rename = "type")]
    tx_type: &'static str,
    category: String,
    amount: i64,
    description: String,
    occurred_at: String,
    created_at: String,
    reverses_id: Option<String>,
    voided_by: Option<String>,
}

impl From<&Transaction> for TransactionCore {
    fn from(t: &Transaction) -> Self {
        Self {
            id: t.id.to_string(),
            branch_id: t.branch_id.map(|b| b.to_string()),
            tx_type: t.tx_type.as_str(),
            category: t.category.as_str().to_owned(),
            amount: t.amount.rupiah(),
            description: t.description.as_str().to_owned(),
            occurred_at: rfc3339(t.occurred_at),
            created_at: rfc3339(t.created_at),
            reverses_id: t.reverses_id.map(|r| r.to_string()),
            voided_by: t.voided_by.map(|v| v.to_string()),
        }
    }
}

/// A page of items, as both list endpoints answer it.
#[derive(Debug, Serialize)]
pub struct PageDto<T: Serialize> {
    items: Vec<T>,
    page: u32,
    limit: u32,
    total: u64,
    total_pages: u64,
}

impl<T: Serialize> PageDto<T> {
    /// Shapes a page of transactions as the API's own item type.
    pub fn from_page(p: &Page<Transaction>) -> Self
    where
        T: for<'a> From<&'a Transaction>,
    {
        Self {
            items: p.items.iter().map(T::from).collect(),
            page: p.page,
            limit: p.limit,
            total: p.total,
            total_pages: p.total_pages(),
        }
    }
}

/// One row of a daily report.
#[derive(Debug, Serialize)]
pub struct DailyDto {
    date: String,
    total_in: i64,
    total_out: i64,
    balance: i64,
}

impl From<&DailyBalance> for DailyDto {
    fn from(d: &DailyBalance) -> Self {
        Self {
            date: d.date.to_string(),
            total_in: d.total_in,
            total_out: d.total_out,
            balance: d.balance,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(query: &str, scope: ListScope) -> Result<ListQuery, ApiError> {
        serde_urlencoded::from_str::<ListParams>(query)
            .unwrap()
            .into_query(scope)
    }

    #[test]
    fn scopes_allow_their_own_filters_only() {
        let id = BranchId::new_v4();
        let q = params(&format!("branch_id={id}&page=2&limit=100"), ListScope::Hq).unwrap();
        assert_eq!((q.page, q.limit, q.branch), (2, 100, Some(id)));
        assert!(params(&format!("branch_id={id}"), ListScope::Branch).is_err());
        assert_eq!(
            params("sync_state=rejected", ListScope::Branch)
                .unwrap()
                .sync,
            Some(SyncFilter::Rejected)
        );
        assert!(params("sync_state=pending", ListScope::Hq).is_err());
    }

    #[test]
    fn every_bad_value_is_named() {
        let err = params("branch_id=JKT-01&limit=101&from=2025-13-01", ListScope::Hq).unwrap_err();
        let text = format!("{err:?}");
        for field in ["branch_id", "limit", "from"] {
            assert!(text.contains(&format!("field: \"{field}\"")), "{text}");
        }
    }
}
