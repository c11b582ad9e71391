//! HQ's lists and reports as files (DESIGN 13): every branch's entries, the overview (a row
//! per branch), the daily report of a branch or the business, a branch's shifts, and the
//! monthly pack for the accountant (a sheet per branch and a summary).

use std::collections::HashMap;

use axum::extract::State;
use kh_domain::chrono::{Datelike, NaiveDate};
use kh_domain::{BranchId, DateRange, FieldError, Rule};
use kh_http_common::export::reports::{
    ReportHeading, daily_pdf, daily_sheet, period, printed_at, shift_columns, shift_row,
    summary_columns, summary_rows,
};
use kh_http_common::export::{
    Cell, DatedExportParams, DatedExportQuery, EXPORT_PAGE, EntryPages, EntryRows, ExportFormat,
    MAX_XLSX_ROWS, NumberedPages, Pages, Prepend, REPORT_FORMATS, Seen, Sheet, SheetName,
    TABLE_FORMATS, file_name, pdf_file, spawn_file,
};
use kh_http_common::{
    ErrorBody, ExportQuery, HqExportQuery, ListParams, ListScope, QueryParams, export_params,
    query_param, range_params,
};
use kh_ports::ListQuery;
use kh_ports::services::HqReportService;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa::openapi::path::{Parameter, ParameterIn};

use super::branches::BranchIdParam;
use crate::dto::DailyParams;
use crate::{ApiError, CloudState};

const FILE_DESCRIPTION: &str = "The file, named for what it holds";

/// Every branch's code by id, for the files' branch column.
async fn codes(reports: &HqReportService) -> Result<HashMap<BranchId, String>, ApiError> {
    Ok(reports
        .branches()
        .await?
        .into_iter()
        .map(|b| (b.id, b.code.as_str().to_owned()))
        .collect())
}

/// Entries of `query` a page at a time, starting with `first` (read when asked for when
/// `None`).
fn entry_pages(
    reports: std::sync::Arc<HqReportService>,
    query: ListQuery,
    first: Option<Vec<kh_domain::Transaction>>,
    rows: EntryRows,
) -> impl Pages + 'static {
    let fetch = move |after| -> kh_http_common::export::NextEntries {
        let (reports, query) = (reports.clone(), query.clone());
        Box::pin(async move {
            reports
                .export_page(&query, after, EXPORT_PAGE)
                .await
                .map_err(|e| e.to_string())
        })
    };
    match first {
        Some(first) => EntryPages::new(first, rows, fetch),
        None => EntryPages::lazy(rows, fetch),
    }
}

/// `GET /transactions/export`: every branch's entries (or one branch's) that the filters
/// match, as CSV or XLSX, streamed a page at a time.
#[utoipa::path(get, path = "/transactions/export", tag = "reports", operation_id = "export_transactions",
    params(HqExportQuery),
    responses(
        (status = 200, description = FILE_DESCRIPTION, content((String = "text/csv"), (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 400, description = "`validation_failed`", body = ErrorBody),
        (status = 404, description = "`not_found`: no such branch", body = ErrorBody),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn transactions(
    State(state): State<CloudState>,
    QueryParams(params): QueryParams<ListParams>,
) -> Result<axum::response::Response, ApiError> {
    let (query, options) = params.into_export(ListScope::Hq)?;
    // A workbook holds at most so many rows: more is refused now, with the count.
    let max_rows = (options.format == ExportFormat::Xlsx).then_some(u64::from(MAX_XLSX_ROWS));
    state.reports.check_export(&query, max_rows).await?;
    // The first page is read before the answer starts: a database that cannot answer is a
    // 503 envelope, not a cut file.
    let first = state.reports.export_page(&query, None, EXPORT_PAGE).await?;
    let codes = codes(&state.reports).await?;
    let whose = query
        .branch
        .and_then(|b| codes.get(&b).cloned())
        .unwrap_or_else(|| "semua".to_owned());
    let name = file_name(
        "transaksi",
        Some(&whose),
        &query.range,
        options.format.extension(),
    );
    let rows = EntryRows::hq(state.calendar, options.language, codes);
    let columns = rows.columns();
    let pages = entry_pages(state.reports.clone(), query, Some(first), rows);
    let sheet = Sheet {
        name: SheetName {
            id: "Transaksi".into(),
            en: "Entries".into(),
        },
        columns,
        pages: Box::new(pages),
        total_rows: 0,
    };
    spawn_file(options, vec![sheet], &name, "entries")
}

/// `GET /reports/summary/export`: the overview, a row per branch and the business's total.
#[utoipa::path(get, path = "/reports/summary/export", tag = "reports", operation_id = "export_summary",
    params(DatedExportQuery),
    responses(
        (status = 200, description = FILE_DESCRIPTION, content((String = "text/csv"), (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 400, description = "`validation_failed`", body = ErrorBody),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn summary(
    State(state): State<CloudState>,
    query: ExportQuery<DatedExportParams>,
) -> Result<axum::response::Response, ApiError> {
    let options = query.options(TABLE_FORMATS)?;
    let range = query.params.range()?;
    let summary = state.reports.summary(range).await?;
    let name = file_name(
        "ringkasan",
        Some("semua"),
        &range,
        options.format.extension(),
    );
    let sheet = Sheet::ready(
        SheetName {
            id: "Ringkasan".into(),
            en: "Summary".into(),
        },
        summary_columns(),
        summary_rows(&summary, options.language),
    )
    .with_totals(1);
    spawn_file(options, vec![sheet], &name, "overview")
}

/// `branch_id`, `from`, `to` and how the file is written, for the document.
pub(crate) struct DailyExportQuery;

impl IntoParams for DailyExportQuery {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let mut params = vec![query_param(
            "branch_id",
            "One branch; the whole business when absent.",
            kh_http_common::openapi::uuid(),
        )];
        params.extend(range_params());
        params.extend(export_params(REPORT_FORMATS));
        params
    }
}

/// `GET /reports/daily/export`: the daily report of one branch or the business, as CSV, XLSX
/// or an A4 PDF.
#[utoipa::path(get, path = "/reports/daily/export", tag = "reports", operation_id = "export_daily",
    params(DailyExportQuery),
    responses(
        (status = 200, description = FILE_DESCRIPTION, content((String = "text/csv"), (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (String = "application/pdf"))),
        (status = 400, description = "`validation_failed`", body = ErrorBody),
        (status = 404, description = "`not_found`: no such branch", body = ErrorBody),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn daily(
    State(state): State<CloudState>,
    query: ExportQuery<DailyParams>,
) -> Result<axum::response::Response, ApiError> {
    let options = query.options(REPORT_FORMATS)?;
    let (branch, range) = query.params.parse()?;
    let report = state.reports.daily_report(branch, range).await?;
    let code = report.branch.as_ref().map_or("semua", |b| b.code.as_str());
    let name = file_name("harian", Some(code), &range, options.format.extension());
    if options.format != ExportFormat::Pdf {
        return spawn_file(
            options,
            vec![daily_sheet(&report.days)],
            &name,
            "daily report",
        );
    }
    let language = options.language;
    let whose = match &report.branch {
        Some(b) => format!(
            "{} {} — {}",
            language.pick("Cabang", "Branch"),
            b.code.as_str(),
            b.name.as_str()
        ),
        None => language.pick("Semua cabang", "All branches").to_owned(),
    };
    let heading = ReportHeading {
        whose,
        period: period(&range, language),
        filters: Vec::new(),
        printed: printed_at(&state.calendar, state.shifts.now(), language),
    };
    pdf_file(
        &daily_pdf(&heading, &report.totals, &report.days, language),
        language,
        &name,
    )
}

/// `GET /branches/{id}/shifts/export`: a branch's shifts (of a business-date range) as CSV or
/// XLSX.
#[utoipa::path(get, path = "/branches/{id}/shifts/export", tag = "reports", operation_id = "export_branch_shifts",
    params(("id" = String, Path, description = "The branch's id", format = Uuid), DatedExportQuery),
    responses(
        (status = 200, description = FILE_DESCRIPTION, content((String = "text/csv"), (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 400, description = "`validation_failed`", body = ErrorBody),
        (status = 404, description = "`not_found`: no such branch", body = ErrorBody),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn branch_shifts(
    State(state): State<CloudState>,
    BranchIdParam(branch): BranchIdParam,
    query: ExportQuery<DatedExportParams>,
) -> Result<axum::response::Response, ApiError> {
    /// Shifts read per step of an export.
    const PAGE: u32 = 200;
    let options = query.options(TABLE_FORMATS)?;
    let range = query.params.range()?;
    let (calendar, language) = (state.calendar, options.language);
    // Each shift once, even if one a PC pushed while the file was read moved the list down.
    let seen = Seen::default();
    let rows = move |shifts: Vec<kh_ports::HqShift>| -> Vec<Vec<Cell>> {
        seen.keep(shifts, |s| s.view.shift.id)
            .iter()
            .map(|s| shift_row(&s.view, s.business_date, &calendar, language))
            .collect()
    };
    // The first page (and the branch's existence) before the answer starts.
    let first = state.shifts.of_branch(branch, range, 1, PAGE).await?;
    let done = first.items.len() < PAGE as usize;
    let first = Some(rows(first.items)).filter(|rows| !rows.is_empty());
    let shifts = state.shifts.clone();
    let rest = NumberedPages::from_page(2, PAGE, done, move |page, size| {
        let (shifts, rows) = (shifts.clone(), rows.clone());
        Box::pin(async move {
            let listed = shifts
                .of_branch(branch, range, page, size)
                .await
                .map_err(|e| e.to_string())?;
            let fetched = listed.items.len();
            Ok((rows(listed.items), fetched))
        })
    });
    let code = codes(&state.reports)
        .await?
        .remove(&branch)
        .unwrap_or_default();
    let name = file_name("shift", Some(&code), &range, options.format.extension());
    let sheet = Sheet {
        name: SheetName {
            id: "Shift".into(),
            en: "Shifts".into(),
        },
        columns: shift_columns(),
        pages: Box::new(Prepend::new(first, rest)),
        total_rows: 0,
    };
    spawn_file(options, vec![sheet], &name, "branch shifts")
}

/// Query of `GET /reports/monthly`.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct MonthlyParams {
    month: Option<String>,
    lang: Option<String>,
}

/// `month` and `lang`, for the document.
pub(crate) struct MonthlyQuery;

impl IntoParams for MonthlyQuery {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let mut month = query_param(
            "month",
            "The calendar month, YYYY-MM.",
            utoipa::openapi::schema::ObjectBuilder::new()
                .schema_type(utoipa::openapi::schema::Type::String)
                .pattern(Some(r"^[0-9]{4}-(0[1-9]|1[0-2])$"))
                .build(),
        );
        month.required = utoipa::openapi::Required::True;
        let lang = export_params(TABLE_FORMATS)
            .into_iter()
            .filter(|p| p.name == "lang");
        std::iter::once(month).chain(lang).collect()
    }
}

/// The first and last day of `YYYY-MM`.
fn month_range(raw: Option<&str>) -> Result<DateRange, FieldError> {
    let wrong = || FieldError::new("month", "must be a month as YYYY-MM").rule(Rule::Format);
    let raw =
        raw.ok_or_else(|| FieldError::new("month", "is required (YYYY-MM)").rule(Rule::Required))?;
    let (y, m) = raw.split_once('-').ok_or_else(wrong)?;
    if y.len() != 4 || m.len() != 2 {
        return Err(wrong());
    }
    let first = NaiveDate::from_ymd_opt(
        y.parse().map_err(|_| wrong())?,
        m.parse().map_err(|_| wrong())?,
        1,
    )
    .ok_or_else(wrong)?;
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
    }
    .ok_or_else(wrong)?;
    Ok(DateRange {
        from: Some(first),
        to: next.pred_opt(),
    })
}

/// `GET /reports/monthly`: the accountant's pack for a month, one XLSX workbook: a summary
/// sheet (a row per branch and the total), then a sheet per branch with its entries.
#[utoipa::path(get, path = "/reports/monthly", tag = "reports", operation_id = "monthly_pack",
    params(MonthlyQuery),
    responses(
        (status = 200, description = FILE_DESCRIPTION, content((String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 400, description = "`validation_failed`", body = ErrorBody),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn monthly(
    State(state): State<CloudState>,
    QueryParams(params): QueryParams<MonthlyParams>,
) -> Result<axum::response::Response, ApiError> {
    let mut errors = Vec::new();
    let range = month_range(params.month.as_deref())
        .map_err(|e| errors.push(e))
        .ok();
    let options = kh_http_common::export::ExportOptions::parse(
        Some("xlsx"),
        None,
        params.lang.as_deref(),
        &[ExportFormat::Xlsx],
    )
    .map_err(|e| errors.extend(e))
    .ok();
    let (Some(range), Some(options)) = (range, options) else {
        return Err(ApiError::from(kh_domain::ValidationErrors(errors)));
    };
    // Each branch's sheet lists every stored row of its month: one too long for a workbook is
    // refused now, with the count.
    let summary = state
        .reports
        .monthly_pack(range, u64::from(MAX_XLSX_ROWS))
        .await?;
    let codes: HashMap<BranchId, String> = summary
        .branches
        .iter()
        .map(|b| (b.branch.id, b.branch.code.as_str().to_owned()))
        .collect();
    let mut sheets = vec![
        Sheet::ready(
            SheetName {
                id: "Ringkasan".into(),
                en: "Summary".into(),
            },
            summary_columns(),
            summary_rows(&summary, options.language),
        )
        .with_totals(1),
    ];
    for line in &summary.branches {
        let query = ListQuery {
            branch: Some(line.branch.id),
            range,
            ..ListQuery::default()
        };
        // Read when its sheet is written: the summary above has shown the database answers.
        let rows = EntryRows::hq(state.calendar, options.language, codes.clone());
        sheets.push(Sheet {
            name: SheetName::same(line.branch.code.as_str()),
            columns: rows.columns(),
            pages: Box::new(entry_pages(state.reports.clone(), query, None, rows)),
            total_rows: 0,
        });
    }
    let month = range
        .from
        .map(|d| d.format("%Y-%m").to_string())
        .unwrap_or_default();
    spawn_file(
        options,
        sheets,
        &format!("bulanan_{month}.xlsx"),
        "monthly pack",
    )
}
