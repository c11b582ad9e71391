//! `GET /reports/summary` and `GET /reports/daily`.

use kh_domain::{BranchId, DateRange, Totals, TotalsOverflow, ValidationErrors};
use kh_http_common::{openapi, query_param, range_params};
use kh_ports::services::ReportSummary;
use serde::{Deserialize, Serialize};
use utoipa::openapi::path::{Parameter, ParameterIn};
use utoipa::{IntoParams, ToSchema};

use super::rfc3339;
use crate::ApiError;

/// `from` and `to` (`GET /reports/summary`), for the document.
pub(crate) struct RangeQuery;

impl IntoParams for RangeQuery {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        range_params()
    }
}

/// `branch_id`, `from` and `to` (`GET /reports/daily`), for the document.
pub(crate) struct DailyQuery;

impl IntoParams for DailyQuery {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let mut params = vec![query_param(
            "branch_id",
            "One branch; the whole business when absent.",
            openapi::uuid(),
        )];
        params.extend(range_params());
        params
    }
}

/// Query of `GET /reports/summary`.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct RangeParams {
    from: Option<String>,
    to: Option<String>,
}

impl RangeParams {
    pub(crate) fn range(&self) -> Result<DateRange, ApiError> {
        DateRange::parse(self.from.as_deref(), self.to.as_deref())
            .map_err(|e| ValidationErrors(e).into())
    }
}

/// Query of `GET /reports/daily`: one branch, or the whole business when `branch_id` is absent.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct DailyParams {
    branch_id: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

impl DailyParams {
    pub(crate) fn parse(&self) -> Result<(Option<BranchId>, DateRange), ApiError> {
        let mut errors = ValidationErrors::default();
        let branch = match self.branch_id.as_deref() {
            Some(raw) => errors.collect(BranchId::parse("branch_id", raw)),
            None => None,
        };
        let range = match DateRange::parse(self.from.as_deref(), self.to.as_deref()) {
            Ok(r) => r,
            Err(e) => {
                errors.0.extend(e);
                DateRange::ALL
            }
        };
        if errors.is_empty() {
            Ok((branch, range))
        } else {
            Err(errors.into())
        }
    }
}

fn overflow(e: TotalsOverflow) -> ApiError {
    tracing::error!(error = %e, "report totals overflow");
    ApiError::internal()
}

/// Totals as the reports show them.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct TotalsDto {
    total_in: i64,
    total_out: i64,
    balance: i64,
    transaction_count: i64,
    /// Rows cancelled by a void, left out of every figure above: each voided entry and each
    /// void (one voided entry makes 2).
    voided_count: i64,
    /// Sum of those rows' amounts (a Rp 20.000 entry and its void: Rp 40.000).
    voided_total: i64,
}

impl TryFrom<&Totals> for TotalsDto {
    type Error = ApiError;

    fn try_from(t: &Totals) -> Result<Self, ApiError> {
        Ok(Self {
            total_in: t.total_in,
            total_out: t.total_out,
            balance: t.balance().map_err(overflow)?,
            transaction_count: t.transaction_count().map_err(overflow)?,
            voided_count: t.voided_count().map_err(overflow)?,
            voided_total: t.voided_total().map_err(overflow)?,
        })
    }
}

/// One branch's line of the summary.
#[derive(Debug, Serialize, ToSchema)]
struct BranchLineDto {
    #[schema(schema_with = openapi::uuid)]
    branch_id: String,
    code: String,
    name: String,
    #[serde(flatten)]
    totals: TotalsDto,
    #[schema(schema_with = openapi::date_time_or_null)]
    last_seen_at: Option<String>,
    /// Rows HQ refused from the branch so far (each re-sent refusal counts again); they wait
    /// quarantined on its PC until someone fixes the cause.
    refused_count: u64,
    /// When HQ last refused a row of the branch; null when it never did.
    #[schema(schema_with = openapi::date_time_or_null)]
    last_refused_at: Option<String>,
    /// Closed shifts whose business day is in the range.
    shifts_closed: u64,
    /// Sum of their differences, counted − expected (negative: short).
    shift_difference: i64,
    /// Sum of the short ones (≤ 0).
    shift_short: i64,
    /// Sum of the over ones (≥ 0).
    shift_over: i64,
}

/// `GET /reports/summary`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ReportSummaryDto {
    branches: Vec<BranchLineDto>,
    total: TotalsDto,
}

impl TryFrom<&ReportSummary> for ReportSummaryDto {
    type Error = ApiError;

    fn try_from(s: &ReportSummary) -> Result<Self, ApiError> {
        let branches = s
            .branches
            .iter()
            .map(|line| {
                Ok(BranchLineDto {
                    branch_id: line.branch.id.to_string(),
                    code: line.branch.code.as_str().to_owned(),
                    name: line.branch.name.as_str().to_owned(),
                    totals: TotalsDto::try_from(&line.totals)?,
                    last_seen_at: line.branch.last_seen_at.map(rfc3339),
                    refused_count: line.refusals.map_or(0, |r| r.count),
                    last_refused_at: line.refusals.map(|r| rfc3339(r.last_at)),
                    shifts_closed: line.shifts.closed,
                    shift_difference: line.shifts.difference,
                    shift_short: line.shifts.short,
                    shift_over: line.shifts.over,
                })
            })
            .collect::<Result<Vec<_>, ApiError>>()?;
        Ok(Self {
            branches,
            total: TotalsDto::try_from(&s.total)?,
        })
    }
}

/// `GET /settings`: what the console needs to show HQ's figures.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct HqSettingsDto {
    #[serde(flatten)]
    zone: kh_http_common::SettingsDto,
    /// Hours without contact after which a branch or a PC needs attention (`KH_STALE_HOURS`).
    stale_hours: u32,
    /// A closing difference beyond this (rupiah, either way) needs a supervisor and a look.
    cash_difference_threshold: i64,
    /// Whether cashiers count the drawer without seeing the expected amount.
    blind_close: bool,
    /// When the business day starts (`HH:MM`): entries before it belong to the day before.
    business_day_starts_at: String,
}

impl HqSettingsDto {
    pub(crate) fn new(
        calendar: &kh_domain::BusinessCalendar,
        stale_hours: u32,
        branch: &kh_domain::BranchSettings,
    ) -> Self {
        Self {
            zone: kh_http_common::SettingsDto::new(calendar, kh_domain::chrono::Utc::now()),
            stale_hours,
            cash_difference_threshold: branch.cash_difference_threshold,
            blind_close: branch.blind_close,
            business_day_starts_at: branch.day_start_text(),
        }
    }
}
