//! Shapes both APIs share: list queries, transactions, pages, daily rows.

use kh_domain::chrono::{DateTime, SecondsFormat, Utc};
use kh_domain::{
    BranchId, BusinessCalendar, Category, ChannelId, DailyBalance, DateRange, FieldError, Rule,
    StaffId, Transaction, TxType, ValidationErrors,
};
use kh_ports::{ListQuery, Page, SyncFilter};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa::openapi::Required;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{Object, ObjectBuilder, Type};

use crate::{ApiError, openapi};

/// An instant on the wire: `2025-12-08T10:30:00.123Z`.
pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A free-text query value (`q`) that was given and is not blank; a blank one filters nothing.
/// Every other parameter is read as sent: given, it must be valid (blank is not).
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
pub const MAX_PAGE: u32 = 10_000_000;
/// The most items one page may hold (`limit`).
pub const MAX_LIMIT: u32 = 100;
/// Items per page when `limit` is not given.
pub const DEFAULT_LIMIT: u32 = 10;
/// The longest search text (`q`), in characters.
pub const MAX_QUERY_CHARS: usize = 100;

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
    channel_id: Option<String>,
    recorded_by: Option<String>,
    /// Export only: `csv`.
    format: Option<String>,
    /// Export only: the CSV separator.
    sep: Option<String>,
    /// Export only: the header's language.
    lang: Option<String>,
}

/// `raw` read as a number written as digits only: `u32::from_str` and its kin would also take
/// `+5`, which is not how a number is sent, and an empty or blank value is no number.
pub fn digits<T: std::str::FromStr>(raw: &str) -> Option<T> {
    if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    raw.parse().ok()
}

/// A whole number `raw` of `field` from 1 to `max` (`default` when absent), written as digits.
pub fn number(
    field: &'static str,
    raw: Option<&str>,
    default: u32,
    max: u32,
) -> Result<u32, FieldError> {
    match raw {
        None => Ok(default),
        Some(text) => digits::<u32>(text)
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| {
                FieldError::new(field, format!("must be a whole number from 1 to {max}")).rule(
                    Rule::Range {
                        min: 1,
                        max: i64::from(max),
                    },
                )
            }),
    }
}

fn not_here(field: &'static str) -> FieldError {
    FieldError::new(field, "is not a parameter of this endpoint")
}

impl ListParams {
    /// Validates an export's parameters: the list's filters (its `page` and `limit` are not
    /// taken), and how the file is written.
    pub fn into_export(
        mut self,
        scope: ListScope,
    ) -> Result<(ListQuery, crate::export::ExportOptions), ApiError> {
        let mut errors = ValidationErrors::default();
        let options = match crate::export::ExportOptions::parse(
            self.format.take().as_deref(),
            self.sep.take().as_deref(),
            self.lang.take().as_deref(),
            crate::export::TABLE_FORMATS,
        ) {
            Ok(options) => Some(options),
            Err(problems) => {
                errors.0.extend(problems);
                None
            }
        };
        for (field, given) in [("page", &self.page), ("limit", &self.limit)] {
            if given.is_some() {
                errors.0.push(not_here(field));
            }
        }
        match (self.validate(scope), options) {
            (Ok(query), Some(options)) if errors.is_empty() => Ok((query, options)),
            // The list's own problems first, then the export's.
            (Err(mut list), _) => {
                list.0.extend(errors.0);
                Err(list.into())
            }
            _ => Err(errors.into()),
        }
    }

    /// Validates every parameter, naming each bad one.
    pub fn into_query(self, scope: ListScope) -> Result<ListQuery, ApiError> {
        self.validate(scope).map_err(Into::into)
    }

    fn validate(self, scope: ListScope) -> Result<ListQuery, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        for (field, given) in [
            ("format", &self.format),
            ("sep", &self.sep),
            ("lang", &self.lang),
        ] {
            if given.is_some() {
                errors.0.push(not_here(field));
            }
        }
        let page = errors.collect(number("page", self.page.as_deref(), 1, MAX_PAGE));
        let limit = errors.collect(number(
            "limit",
            self.limit.as_deref(),
            DEFAULT_LIMIT,
            MAX_LIMIT,
        ));
        let tx_type =
            (self.tx_type.as_deref()).and_then(|t| errors.collect(TxType::parse("type", t)));
        let category = (self.category.as_deref()).and_then(|c| errors.collect(Category::parse(c)));
        let range =
            DateRange::parse(self.from.as_deref(), self.to.as_deref()).unwrap_or_else(|e| {
                errors.0.extend(e);
                DateRange::ALL
            });
        let text = match (self.q.as_deref(), present(&self.q)) {
            (Some(raw), _) if raw.chars().count() > MAX_QUERY_CHARS => {
                errors.0.push(
                    FieldError::new("q", format!("must be at most {MAX_QUERY_CHARS} characters"))
                        .rule(Rule::MaxLength(
                            i64::try_from(MAX_QUERY_CHARS).unwrap_or(i64::MAX),
                        )),
                );
                None
            }
            // Search text is one line of words: a control character (a NUL, which PostgreSQL
            // cannot even take in a query) is refused rather than searched for.
            (Some(raw), _) if raw.chars().any(char::is_control) => {
                errors.0.push(
                    FieldError::new("q", "must not contain control characters")
                        .rule(Rule::NoControlCharacters),
                );
                None
            }
            (_, other) => other.map(str::to_owned),
        };
        let sync = match (scope, self.sync_state.as_deref()) {
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
        let branch = match (scope, self.branch_id.as_deref()) {
            (_, None) => None,
            (ListScope::Branch, Some(_)) => errors.collect(Err(not_here("branch_id"))),
            (ListScope::Hq, Some(b)) => errors.collect(BranchId::parse("branch_id", b)),
        };
        let channel = (self.channel_id.as_deref())
            .and_then(|c| errors.collect(ChannelId::parse("channel_id", c)));
        let recorded_by = (self.recorded_by.as_deref())
            .and_then(|w| errors.collect(StaffId::parse("recorded_by", w)));
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ListQuery {
            page: page.unwrap_or(1),
            limit: limit.unwrap_or(DEFAULT_LIMIT),
            tx_type,
            category,
            range,
            text,
            sync,
            branch,
            channel,
            recorded_by,
        })
    }
}

/// A query parameter of the document: optional, described, with its schema.
pub fn query_param(name: &str, description: &str, schema: Object) -> Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .description(Some(description))
        .schema(Some(schema))
        .build()
}

/// An integer schema from `min` to `max`.
pub fn whole_number(min: u32, max: u32) -> Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::Integer)
        .minimum(Some(min))
        .maximum(Some(max))
        .build()
}

/// `from` and `to`, the inclusive range of business dates of a report or listing.
pub fn range_params() -> Vec<Parameter> {
    vec![
        query_param(
            "from",
            "The first business date included (YYYY-MM-DD, in the server's KH_TIMEZONE).",
            openapi::date(),
        ),
        query_param(
            "to",
            "The last business date included; on or after `from`.",
            openapi::date(),
        ),
    ]
}

impl ListScope {
    /// The parameters of `GET /transactions` in this scope, as [`ListParams`] reads them.
    pub fn params(self) -> Vec<Parameter> {
        let mut params = vec![
            query_param("page", "The page, from 1.", whole_number(1, MAX_PAGE)),
            query_param(
                "limit",
                &format!("Items per page (default {DEFAULT_LIMIT})."),
                whole_number(1, MAX_LIMIT),
            ),
            query_param("type", "Only IN or only OUT entries.", openapi::tx_type()),
            query_param(
                "category",
                "Only this category, in any spelling (letter case and spaces do not matter).",
                openapi::category(),
            ),
        ];
        params.extend(range_params());
        params.push(query_param(
            "channel_id",
            "Only entries through this payment channel.",
            openapi::uuid(),
        ));
        params.push(query_param(
            "recorded_by",
            "Only entries this staff member recorded.",
            openapi::uuid(),
        ));
        params.push(query_param(
            "q",
            "Text in the description or the category.",
            utoipa::openapi::schema::ObjectBuilder::new()
                .schema_type(utoipa::openapi::schema::Type::String)
                .max_length(Some(MAX_QUERY_CHARS))
                .pattern(Some(openapi::NO_CONTROL_CHARACTERS))
                .build(),
        ));
        params.push(match self {
            ListScope::Branch => query_param(
                "sync_state",
                "Only entries on this step of their way to HQ.",
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some(openapi::sync_states()))
                    .build(),
            ),
            ListScope::Hq => {
                query_param("branch_id", "Only this branch's entries.", openapi::uuid())
            }
        });
        params
    }
}

/// The branch's `GET /transactions` query, for the document.
#[derive(Debug)]
pub struct BranchListQuery;

impl utoipa::IntoParams for BranchListQuery {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        ListScope::Branch.params()
    }
}

/// The branch's `GET /transactions/export` query, for the document: the list's filters without
/// paging, and how the file is written.
#[derive(Debug)]
pub struct BranchExportQuery;

impl utoipa::IntoParams for BranchExportQuery {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        ListScope::Branch.export_params()
    }
}

/// HQ's `GET /transactions/export` query, for the document: the list's filters without
/// paging, and how the file is written.
#[derive(Debug)]
pub struct HqExportQuery;

impl utoipa::IntoParams for HqExportQuery {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        ListScope::Hq.export_params()
    }
}

impl ListScope {
    /// The list's filters without paging, and how the file is written: its export's query.
    fn export_params(self) -> Vec<Parameter> {
        let mut params: Vec<Parameter> = self
            .params()
            .into_iter()
            .filter(|p| p.name != "page" && p.name != "limit")
            .collect();
        params.extend(export_params(crate::export::TABLE_FORMATS));
        params
    }
}

/// `format` (one of `formats`), `sep` and `lang`: how an export's file is written, for the
/// document.
pub fn export_params(formats: &[crate::export::ExportFormat]) -> Vec<Parameter> {
    let text = |values: Vec<&str>| {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .enum_values(Some(values))
            .build()
    };
    let names: Vec<&str> = formats.iter().map(|f| f.as_str()).collect();
    vec![
        query_param(
            "format",
            &format!("The file: {} (the first is the default).", names.join(", ")),
            text(names.clone()),
        ),
        query_param(
            "sep",
            "The CSV separator: ; (the default, for spreadsheets with a decimal comma) or ,.",
            text(vec![";", ","]),
        ),
        query_param(
            "lang",
            "The header row's language: id (the default) or en.",
            text(vec!["id", "en"]),
        ),
    ]
}

/// HQ's `GET /transactions` query, for the document.
#[derive(Debug)]
pub struct HqListQuery;

impl utoipa::IntoParams for HqListQuery {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        ListScope::Hq.params()
    }
}

/// The fields every API shows of a transaction; each API adds its own (flattened).
#[derive(Debug, Serialize, ToSchema)]
pub struct TransactionCore {
    #[schema(schema_with = openapi::uuid)]
    id: String,
    /// The branch, once the PC was activated (always set at HQ).
    #[schema(schema_with = openapi::uuid_or_null)]
    branch_id: Option<String>,
    #[serde(rename = "type")]
    #[schema(schema_with = openapi::tx_type)]
    tx_type: &'static str,
    #[schema(schema_with = openapi::category)]
    category: String,
    #[schema(schema_with = openapi::amount)]
    amount: i64,
    #[schema(schema_with = openapi::description)]
    description: String,
    /// When the money moved.
    #[schema(schema_with = openapi::date_time)]
    occurred_at: String,
    /// When the entry was made.
    #[schema(schema_with = openapi::date_time)]
    created_at: String,
    /// On a void: the entry it cancels.
    #[schema(schema_with = openapi::uuid_or_null)]
    reverses_id: Option<String>,
    /// The void that cancels this entry, if any.
    #[schema(schema_with = openapi::uuid_or_null)]
    voided_by: Option<String>,
    /// How the money was paid: a payment channel of HQ's list (cash for entries older than
    /// channels).
    #[schema(schema_with = openapi::uuid)]
    channel_id: String,
    /// The channel's name when the entry was made (an old entry keeps it after a rename).
    #[schema(schema_with = openapi::channel_name)]
    channel_name: String,
    /// The staff member who recorded it (null: nobody was signed in).
    #[schema(schema_with = openapi::uuid_or_null)]
    recorded_by: Option<String>,
    /// Their name when it was recorded.
    #[schema(schema_with = openapi::staff_name_or_null)]
    recorded_by_name: Option<String>,
    /// The supervisor who approved it (null: it needed no approval).
    #[schema(schema_with = openapi::uuid_or_null)]
    approved_by: Option<String>,
    /// Their name then.
    #[schema(schema_with = openapi::staff_name_or_null)]
    approved_by_name: Option<String>,
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
            channel_id: t.channel.id.to_string(),
            channel_name: t.channel.name.as_str().to_owned(),
            recorded_by: t.recorded_by.as_ref().map(|w| w.id.to_string()),
            recorded_by_name: t.recorded_by.as_ref().map(|w| w.name.as_str().to_owned()),
            approved_by: t.approved_by.as_ref().map(|w| w.id.to_string()),
            approved_by_name: t.approved_by.as_ref().map(|w| w.name.as_str().to_owned()),
        }
    }
}

/// A page of items, as both list endpoints answer it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PageDto<T: Serialize> {
    items: Vec<T>,
    /// This page's number, from 1.
    page: u32,
    /// Items per page.
    limit: u32,
    /// Items matching the filters, on all pages.
    total: u64,
    /// Pages holding them.
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

    /// Shapes a page of any items with `shape`.
    pub fn map_page<U>(p: &Page<U>, shape: impl Fn(&U) -> T) -> Self {
        Self {
            items: p.items.iter().map(shape).collect(),
            page: p.page,
            limit: p.limit,
            total: p.total,
            total_pages: p.total_pages(),
        }
    }
}

/// One row of a daily report. Voided entries and their voids are left out of the sums (and
/// so of the balance) and counted apart.
#[derive(Debug, Serialize, ToSchema)]
pub struct DailyDto {
    /// The business date.
    #[schema(schema_with = openapi::date)]
    date: String,
    total_in: i64,
    total_out: i64,
    /// The closing cash balance of the day.
    balance: i64,
    /// Rows of the day cancelled by a void: each voided entry and each void.
    voided_count: i64,
    /// Sum of those rows' amounts (a Rp 20.000 entry and its void: Rp 40.000).
    voided_total: i64,
}

/// `GET /health`.
#[derive(Debug, Serialize, ToSchema)]
pub struct HealthDto {
    #[schema(schema_with = ok)]
    status: &'static str,
    #[schema(schema_with = ok)]
    database: &'static str,
}

fn ok() -> utoipa::openapi::schema::Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(["ok"]))
        .build()
}

impl HealthDto {
    /// The storage answered.
    pub const OK: Self = Self {
        status: "ok",
        database: "ok",
    };
}

impl From<&DailyBalance> for DailyDto {
    fn from(d: &DailyBalance) -> Self {
        Self {
            date: d.date.to_string(),
            total_in: d.total_in,
            total_out: d.total_out,
            balance: d.balance,
            voided_count: d.voided_count,
            voided_total: d.voided_total,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_is_digits_and_nothing_else() {
        assert_eq!(digits::<u32>("50"), Some(50));
        assert_eq!(digits::<i64>("0"), Some(0));
        for text in [
            "",
            " ",
            "\u{a0}",
            " 50",
            "50 ",
            "+5",
            "-1",
            "5.0",
            "1e3",
            "99999999999",
        ] {
            assert_eq!(digits::<u32>(text), None, "{text:?}");
        }
    }

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

/// A server's time zone (`GET /system/settings` on a branch, `GET /settings` at HQ), for
/// "today" and every time on screen.
#[derive(Debug, Serialize, ToSchema)]
pub struct SettingsDto {
    /// IANA name (`Asia/Makassar`).
    timezone: &'static str,
    /// WIB, WITA or WIT; null outside Indonesia's zones.
    #[schema(schema_with = zone_label)]
    zone_label: Option<&'static str>,
    /// Minutes ahead of UTC now (480 for WITA).
    utc_offset_minutes: i32,
}

fn zone_label() -> Object {
    openapi::nullable(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(["WIB", "WITA", "WIT"]))
            .build(),
    )
}

impl SettingsDto {
    pub fn new(calendar: &BusinessCalendar, now: DateTime<Utc>) -> Self {
        Self {
            timezone: calendar.name(),
            zone_label: calendar.label(),
            utc_offset_minutes: calendar.utc_offset_minutes(now),
        }
    }
}
