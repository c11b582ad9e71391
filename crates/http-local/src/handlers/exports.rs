//! The PC's reports as files (DESIGN 13): the dashboard's daily and category reports, the
//! shift list, and one shift's report. The history's export is with the history
//! (`transactions::export`).

use axum::extract::State;
use kh_domain::ShiftId;
use kh_http_common::export::reports::{
    ReportHeading, category_columns, category_rows, daily_pdf, daily_sheet, period, printed_at,
    shift_columns, shift_pdf, shift_rows,
};
use kh_http_common::export::{
    DatedExportParams, DatedExportQuery, ExportFormat, ExportOptions, Language, NumberedPages,
    PDF_ONLY, Prepend, REPORT_FORMATS, Seen, Sheet, SheetName, TABLE_FORMATS, file_name, pdf_file,
    spawn_file,
};
use kh_http_common::{ErrorBody, ExportQuery, export_params, query_param, range_params};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa::openapi::path::{Parameter, ParameterIn};

use crate::dto::RangeParams;
use crate::{ApiError, AppState};

const FILE_DESCRIPTION: &str = "The file, named for what it holds";

/// "Cabang JKT-01" (or "this PC" before activation).
fn whose(code: Option<&str>, language: Language) -> String {
    match code {
        Some(code) => format!("{} {code}", language.pick("Cabang", "Branch")),
        None => language
            .pick("PC ini (belum diaktifkan)", "This PC (not activated)")
            .to_owned(),
    }
}

/// `from`, `to`, `channel_id` and how the file is written, for the document.
pub(crate) struct DailyExportQuery;

impl IntoParams for DailyExportQuery {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let mut params = range_params();
        params.push(query_param(
            "channel_id",
            "Only this payment channel.",
            kh_http_common::openapi::uuid(),
        ));
        params.extend(export_params(REPORT_FORMATS));
        params
    }
}

/// `GET /dashboard/daily/export`: the daily report as CSV, XLSX or an A4 PDF.
#[utoipa::path(get, path = "/dashboard/daily/export", tag = "dashboard", operation_id = "export_daily",
    params(DailyExportQuery),
    responses(
        (status = 200, description = FILE_DESCRIPTION, content((String = "text/csv"), (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (String = "application/pdf"))),
        (status = 400, description = "`validation_failed`", body = ErrorBody),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn daily(
    State(state): State<AppState>,
    query: ExportQuery<RangeParams>,
) -> Result<axum::response::Response, ApiError> {
    let options = query.options(REPORT_FORMATS)?;
    let params = &query.params;
    params.refuse_type()?;
    let (range, channel) = (params.range()?, params.channel()?);
    let days = state.ledger.daily(range, channel).await?;
    let code = state.system.branch_code().await?;
    let name = file_name(
        "harian",
        code.as_deref(),
        &range,
        options.format.extension(),
    );
    if options.format != ExportFormat::Pdf {
        return spawn_file(options, vec![daily_sheet(&days)], &name, "daily report");
    }
    let totals = state.ledger.summary(range, channel).await?;
    let mut filters = Vec::new();
    if let Some(id) = channel {
        let lists = state.ledger.lists().await?;
        let channel_name = lists
            .channels
            .iter()
            .find(|c| c.id == id)
            .map_or_else(|| id.to_string(), |c| c.name.as_str().to_owned());
        filters.push(format!(
            "{}: {channel_name}",
            options.language.pick("Metode pembayaran", "Payment method")
        ));
    }
    let heading = ReportHeading {
        whose: whose(code.as_deref(), options.language),
        period: period(&range, options.language),
        filters,
        printed: printed_at(&state.calendar, state.ledger.now(), options.language),
    };
    let report = daily_pdf(&heading, &totals, &days, options.language);
    pdf_file(&report, options.language, &name)
}

/// `from`, `to`, `type` and how the file is written, for the document.
pub(crate) struct CategoryExportQuery;

impl IntoParams for CategoryExportQuery {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let mut params = range_params();
        params.push(query_param(
            "type",
            "Only IN or only OUT entries.",
            kh_http_common::openapi::tx_type(),
        ));
        params.extend(export_params(TABLE_FORMATS));
        params
    }
}

/// `GET /dashboard/categories/export`: totals per category as CSV or XLSX.
#[utoipa::path(get, path = "/dashboard/categories/export", tag = "dashboard", operation_id = "export_categories",
    params(CategoryExportQuery),
    responses(
        (status = 200, description = FILE_DESCRIPTION, content((String = "text/csv"), (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 400, description = "`validation_failed`", body = ErrorBody),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn categories(
    State(state): State<AppState>,
    query: ExportQuery<RangeParams>,
) -> Result<axum::response::Response, ApiError> {
    let options = query.options(TABLE_FORMATS)?;
    let params = &query.params;
    params.refuse_channel()?;
    let range = params.range()?;
    let rows = state.ledger.categories(range, params.tx_type()?).await?;
    let code = state.system.branch_code().await?;
    let name = file_name(
        "kategori",
        code.as_deref(),
        &range,
        options.format.extension(),
    );
    let sheet = Sheet::ready(
        SheetName {
            id: "Kategori".into(),
            en: "Categories".into(),
        },
        category_columns(),
        category_rows(&rows, options.language),
    );
    spawn_file(options, vec![sheet], &name, "category report")
}

/// `GET /shifts/export`: the PC's shifts (of a business-date range) as CSV or XLSX.
#[utoipa::path(get, path = "/shifts/export", tag = "shifts", operation_id = "export_shifts",
    params(DatedExportQuery),
    responses(
        (status = 200, description = FILE_DESCRIPTION, content((String = "text/csv"), (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 400, description = "`validation_failed`", body = ErrorBody),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn shifts(
    State(state): State<AppState>,
    query: ExportQuery<DatedExportParams>,
) -> Result<axum::response::Response, ApiError> {
    /// Shifts read per step (the list pages by number, newest first).
    const PAGE: u32 = 100;
    let options: ExportOptions = query.options(TABLE_FORMATS)?;
    let range = query.params.range()?;
    let code = state.system.branch_code().await?;
    let name = file_name("shift", code.as_deref(), &range, options.format.extension());
    let (calendar, language) = (state.calendar, options.language);
    // Only the shifts whose business day is in the range (the list itself is not dated), each
    // once even if a shift opened while the file was read moved the list down a place.
    let seen = Seen::default();
    let inside = move |listed: Vec<kh_ports::ShiftView>| {
        let inside: Vec<_> = listed
            .into_iter()
            .filter(|v| range.contains(calendar.date_of(v.shift.opened_at)))
            .collect();
        shift_rows(&seen.keep(inside, |v| v.shift.id), &calendar, language)
    };
    // The first page is read before the answer starts, its error typed: a book that cannot
    // answer is an error envelope, not a cut file.
    let page = state.shifts.list(1, PAGE).await?;
    let done = page.items.len() < PAGE as usize;
    let first = Some(inside(page.items)).filter(|rows| !rows.is_empty());
    let shifts = state.shifts.clone();
    let rest = NumberedPages::from_page(2, PAGE, done, move |page, size| {
        let (shifts, inside) = (shifts.clone(), inside.clone());
        Box::pin(async move {
            let listed = shifts.list(page, size).await.map_err(|e| e.to_string())?;
            let fetched = listed.items.len();
            Ok((inside(listed.items), fetched))
        })
    });
    let sheet = Sheet {
        name: SheetName {
            id: "Shift".into(),
            en: "Shifts".into(),
        },
        columns: shift_columns(),
        pages: Box::new(Prepend::new(first, rest)),
        total_rows: 0,
    };
    spawn_file(options, vec![sheet], &name, "shift list")
}

/// Query of `GET /shifts/{id}/export`.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct NoParams {}

/// `format` (pdf) and `lang`, for the document.
pub(crate) struct ShiftReportQuery;

impl IntoParams for ShiftReportQuery {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        export_params(PDF_ONLY)
    }
}

/// `GET /shifts/{id}/export`: one shift's report as an A4 PDF.
#[utoipa::path(get, path = "/shifts/{id}/export", tag = "shifts", operation_id = "export_shift_report",
    params(("id" = String, Path, description = "The shift's id", format = Uuid), ShiftReportQuery),
    responses(
        (status = 200, description = FILE_DESCRIPTION, content((String = "application/pdf"))),
        (status = 400, description = "`validation_failed`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn shift_report(
    State(state): State<AppState>,
    super::shifts::ShiftIdParam(id): super::shifts::ShiftIdParam,
    query: ExportQuery<NoParams>,
) -> Result<axum::response::Response, ApiError> {
    let options = query.options(PDF_ONLY)?;
    let view = state.shifts.get(&id).await?;
    let code = state.system.branch_code().await?;
    let date = state.calendar.date_of(view.shift.opened_at);
    let id: ShiftId = view.shift.id;
    let short: String = id.to_string().chars().take(8).collect();
    let branch: String = code
        .as_deref()
        .unwrap_or("cabang")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    let name = format!("shift_{branch}_{date}_{short}.pdf");
    let heading = ReportHeading {
        whose: whose(code.as_deref(), options.language),
        period: date.format("%d/%m/%Y").to_string(),
        filters: Vec::new(),
        printed: printed_at(&state.calendar, state.ledger.now(), options.language),
    };
    let report = shift_pdf(&heading, &view, &state.calendar, options.language);
    pdf_file(&report, options.language, &name)
}
