//! The reports as rows (CSV, XLSX) and as printable pages (PDF): the daily report, the
//! category report, the shift list and one shift's report, HQ's overview. Both servers shape
//! their reports here, so a figure reads the same in every file.

use kh_domain::chrono::{DateTime, NaiveDate, Utc};
use kh_domain::{BusinessCalendar, CategoryTotal, DailyBalance, DateRange, Totals};
use kh_ports::ShiftView;
use kh_ports::services::ReportSummary;

use super::Language;
use super::entries::{name_of, type_word};
use super::pdf::{Align, PdfReport, PdfTable, rupiah};
use super::table::{Cell, Column};

/// The period a report covers, in words: `01/12/2025 – 31/12/2025`, or "all".
pub fn period(range: &DateRange, language: Language) -> String {
    let day = |d: Option<NaiveDate>| {
        d.map_or_else(|| "…".to_owned(), |d| d.format("%d/%m/%Y").to_string())
    };
    match (range.from, range.to) {
        (None, None) => language.pick("Semua tanggal", "All dates").to_owned(),
        (from, to) => format!("{} – {}", day(from), day(to)),
    }
}

/// "Printed 07/12/2026 09:15 WIB" in the branch's zone.
pub fn printed_at(calendar: &BusinessCalendar, now: DateTime<Utc>, language: Language) -> String {
    let local = calendar.local(now);
    let label = calendar
        .label()
        .map(|l| format!(" {l}"))
        .unwrap_or_default();
    format!(
        "{} {}{label}",
        language.pick("Dicetak", "Printed"),
        local.format("%d/%m/%Y %H:%M")
    )
}

fn safe(r: Result<i64, kh_domain::TotalsOverflow>) -> i64 {
    r.unwrap_or(i64::MAX)
}

// ---- The daily report -------------------------------------------------------------------

const DAILY_COLUMNS: [Column; 7] = [
    Column::new("Tanggal usaha", "Business date", 13.0),
    Column::new("Pemasukan (Rp)", "Income (Rp)", 16.0),
    Column::new("Pengeluaran (Rp)", "Expenses (Rp)", 16.0),
    Column::new("Selisih (Rp)", "Net (Rp)", 16.0),
    Column::new("Saldo akhir (Rp)", "Closing balance (Rp)", 18.0),
    Column::new("Dibatalkan (baris)", "Voided (rows)", 14.0),
    Column::new("Dibatalkan (Rp)", "Voided (Rp)", 16.0),
];

/// The daily report's columns.
pub fn daily_columns() -> Vec<Column> {
    DAILY_COLUMNS.to_vec()
}

/// One row per business date, as the dashboard's table shows it.
pub fn daily_rows(days: &[DailyBalance]) -> Vec<Vec<Cell>> {
    days.iter()
        .map(|d| {
            vec![
                Cell::Date(d.date),
                Cell::Money(d.total_in),
                Cell::Money(d.total_out),
                Cell::Money(d.total_in.saturating_sub(d.total_out)),
                Cell::Money(d.balance),
                Cell::Count(d.voided_count),
                Cell::Money(d.voided_total),
            ]
        })
        .collect()
}

/// The daily report as a sheet (CSV or XLSX).
pub fn daily_sheet(days: &[DailyBalance]) -> super::Sheet {
    super::Sheet::ready(
        super::SheetName {
            id: "Harian".into(),
            en: "Daily".into(),
        },
        daily_columns(),
        daily_rows(days),
    )
}

/// What a printed report says about where it comes from.
#[derive(Debug, Clone)]
pub struct ReportHeading {
    /// Whose book: "Cabang JKT-01", "Semua cabang".
    pub whose: String,
    /// The period in words.
    pub period: String,
    /// Other filters in words (a payment method).
    pub filters: Vec<String>,
    /// When it was printed, in words.
    pub printed: String,
}

impl ReportHeading {
    fn lines(&self, language: Language) -> Vec<String> {
        self.lines_with(language.pick("Periode", "Period"))
    }

    fn lines_with(&self, period_label: &str) -> Vec<String> {
        let mut lines = vec![
            self.whose.clone(),
            format!("{period_label}: {}", self.period),
        ];
        lines.extend(self.filters.iter().cloned());
        lines.push(self.printed.clone());
        lines
    }
}

/// The daily report as printed pages: the period's totals, then a line per day.
pub fn daily_pdf(
    heading: &ReportHeading,
    totals: &Totals,
    days: &[DailyBalance],
    language: Language,
) -> PdfReport {
    let l = |id: &'static str, en: &'static str| language.pick(id, en).to_owned();
    let closing = days.last().map_or(0, |d| d.balance);
    let facts = vec![
        (l("Pemasukan", "Income"), rupiah(totals.total_in)),
        (l("Pengeluaran", "Expenses"), rupiah(totals.total_out)),
        (l("Selisih", "Net"), rupiah(safe(totals.balance()))),
        (l("Saldo akhir", "Closing balance"), rupiah(closing)),
        (
            l("Transaksi", "Entries"),
            safe(totals.transaction_count()).to_string(),
        ),
        (
            l("Dibatalkan", "Voided"),
            format!(
                "{} ({})",
                safe(totals.voided_count()),
                rupiah(safe(totals.voided_total()))
            ),
        ),
    ];
    let mut rows: Vec<Vec<String>> = days
        .iter()
        .map(|d| {
            vec![
                d.date.format("%d/%m/%Y").to_string(),
                rupiah(d.total_in),
                rupiah(d.total_out),
                rupiah(d.total_in.saturating_sub(d.total_out)),
                rupiah(d.balance),
                d.voided_count.to_string(),
            ]
        })
        .collect();
    rows.push(vec![
        l("Total", "Total"),
        rupiah(totals.total_in),
        rupiah(totals.total_out),
        rupiah(safe(totals.balance())),
        rupiah(closing),
        safe(totals.voided_count()).to_string(),
    ]);
    PdfReport {
        title: l("Laporan harian", "Daily report"),
        lines: heading.lines(language),
        facts,
        table: Some(PdfTable {
            columns: vec![
                (l("Tanggal", "Date"), Align::Left, 1.0),
                (l("Pemasukan", "Income"), Align::Right, 1.3),
                (l("Pengeluaran", "Expenses"), Align::Right, 1.3),
                (l("Selisih", "Net"), Align::Right, 1.3),
                (l("Saldo akhir", "Balance"), Align::Right, 1.3),
                (l("Batal", "Voided"), Align::Right, 0.6),
            ],
            rows,
            total_rows: 1,
        }),
        closing: Vec::new(),
    }
}

// ---- The category report ----------------------------------------------------------------

const CATEGORY_COLUMNS: [Column; 4] = [
    Column::new("Kategori", "Category", 28.0),
    Column::new("Jenis", "Type", 14.0),
    Column::new("Jumlah (Rp)", "Amount (Rp)", 16.0),
    Column::new("Transaksi", "Entries", 10.0),
];

/// The category report's columns.
pub fn category_columns() -> Vec<Column> {
    CATEGORY_COLUMNS.to_vec()
}

/// One row per category and type, largest first (as listed).
pub fn category_rows(rows: &[CategoryTotal], language: Language) -> Vec<Vec<Cell>> {
    rows.iter()
        .map(|c| {
            vec![
                Cell::text(c.category.as_str()),
                Cell::text(type_word(c.tx_type, language)),
                Cell::Money(c.total),
                Cell::Count(c.count),
            ]
        })
        .collect()
}

// ---- Shifts -----------------------------------------------------------------------------

const SHIFT_COLUMNS: [Column; 16] = [
    Column::new("Tanggal usaha", "Business date", 13.0),
    Column::new("Dibuka", "Opened", 16.0),
    Column::new("Dibuka oleh", "Opened by", 16.0),
    Column::new("Modal awal (Rp)", "Opening float (Rp)", 16.0),
    Column::new("Kas masuk (Rp)", "Cash in (Rp)", 16.0),
    Column::new("Kas keluar (Rp)", "Cash out (Rp)", 16.0),
    Column::new("Seharusnya (Rp)", "Expected (Rp)", 16.0),
    Column::new("Dihitung (Rp)", "Counted (Rp)", 16.0),
    Column::new("Selisih (Rp)", "Difference (Rp)", 16.0),
    Column::new("Ditutup", "Closed", 16.0),
    Column::new("Ditutup oleh", "Closed by", 16.0),
    Column::new("Disetujui oleh", "Approved by", 16.0),
    Column::new("Catatan", "Note", 30.0),
    Column::new("Transaksi", "Entries", 10.0),
    Column::new("Status", "Status", 10.0),
    Column::new("ID", "ID", 38.0),
];

/// The shift list's columns.
pub fn shift_columns() -> Vec<Column> {
    SHIFT_COLUMNS.to_vec()
}

/// The figures a shift may show: a blind shift still open hides what the book expects.
fn shift_figures(v: &ShiftView) -> (Option<i64>, Option<i64>, Option<i64>) {
    if v.blind && v.shift.close.is_none() {
        (None, None, None)
    } else {
        (
            Some(v.cash.cash_in),
            Some(v.cash.cash_out),
            Some(v.expected),
        )
    }
}

/// One row per shift, in the order given, dated by the business day it opened on.
pub fn shift_rows(
    shifts: &[ShiftView],
    calendar: &BusinessCalendar,
    language: Language,
) -> Vec<Vec<Cell>> {
    shifts
        .iter()
        .map(|v| shift_row(v, calendar.date_of(v.shift.opened_at), calendar, language))
        .collect()
}

/// A shift as a row, on business date `date`.
pub fn shift_row(
    v: &ShiftView,
    date: NaiveDate,
    calendar: &BusinessCalendar,
    language: Language,
) -> Vec<Cell> {
    let s = &v.shift;
    let close = s.close.as_ref();
    let (cash_in, cash_out, expected) = shift_figures(v);
    let note = [
        s.opening_note.as_ref().map(|n| n.as_str().to_owned()),
        close
            .and_then(|c| c.note.as_ref())
            .map(|n| n.as_str().to_owned()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" / ");
    vec![
        Cell::Date(date),
        Cell::DateTime(calendar.local(s.opened_at)),
        name_of(s.opened_by.as_ref()),
        Cell::Money(s.opening_float),
        Cell::maybe_money(cash_in),
        Cell::maybe_money(cash_out),
        Cell::maybe_money(expected),
        Cell::maybe_money(close.map(|c| c.counted)),
        Cell::maybe_money(close.map(kh_domain::ShiftClose::difference)),
        Cell::maybe_datetime(close.map(|c| calendar.local(c.closed_at))),
        name_of(close.and_then(|c| c.closed_by.as_ref())),
        name_of(close.and_then(|c| c.approved_by.as_ref())),
        Cell::text(note),
        Cell::Count(i64::try_from(v.cash.entries).unwrap_or(i64::MAX)),
        Cell::text(if close.is_some() {
            language.pick("Ditutup", "Closed")
        } else {
            language.pick("Buka", "Open")
        }),
        Cell::text(s.id.to_string()),
    ]
}

/// One shift's report as a printed page: who and when, the drawer's figures, the count by
/// denomination, the difference and its note, and lines to sign.
pub fn shift_pdf(
    heading: &ReportHeading,
    v: &ShiftView,
    calendar: &BusinessCalendar,
    language: Language,
) -> PdfReport {
    let l = |id: &'static str, en: &'static str| language.pick(id, en).to_owned();
    let s = &v.shift;
    let close = s.close.as_ref();
    let when = |at: DateTime<Utc>| calendar.local(at).format("%d/%m/%Y %H:%M").to_string();
    let who = |w: Option<&kh_domain::StaffRef>| {
        w.map_or_else(|| "-".to_owned(), |w| w.name.as_str().to_owned())
    };
    let (cash_in, cash_out, expected) = shift_figures(v);
    let hidden = || l("(disembunyikan sampai dihitung)", "(hidden until counted)");
    let mut facts = vec![
        (l("Dibuka", "Opened"), when(s.opened_at)),
        (l("Dibuka oleh", "Opened by"), who(s.opened_by.as_ref())),
        (l("Modal awal", "Opening float"), rupiah(s.opening_float)),
        (
            l("Kas masuk", "Cash in"),
            cash_in.map_or_else(hidden, rupiah),
        ),
        (
            l("Kas keluar", "Cash out"),
            cash_out.map_or_else(hidden, rupiah),
        ),
        (
            l("Seharusnya di laci", "Expected in the drawer"),
            expected.map_or_else(hidden, rupiah),
        ),
        (l("Transaksi", "Entries"), v.cash.entries.to_string()),
    ];
    if let Some(note) = &s.opening_note {
        facts.push((
            l("Catatan pembukaan", "Opening note"),
            note.as_str().to_owned(),
        ));
    }
    let mut table = None;
    let mut closing = Vec::new();
    match close {
        Some(c) => {
            facts.extend([
                (l("Ditutup", "Closed"), when(c.closed_at)),
                (l("Ditutup oleh", "Closed by"), who(c.closed_by.as_ref())),
                (l("Dihitung", "Counted"), rupiah(c.counted)),
                (l("Selisih", "Difference"), rupiah(c.difference())),
            ]);
            if let Some(note) = &c.note {
                facts.push((l("Catatan", "Note"), note.as_str().to_owned()));
            }
            if let Some(a) = &c.approved_by {
                facts.push((
                    l("Disetujui oleh", "Approved by"),
                    a.name.as_str().to_owned(),
                ));
            }
            let mut rows: Vec<Vec<String>> = c
                .counts
                .pieces()
                .filter(|(_, n)| *n > 0)
                .map(|(d, n)| {
                    let kind = if d.key.starts_with("coin") {
                        l("koin", "coin")
                    } else {
                        l("kertas", "note")
                    };
                    vec![
                        format!("{} ({kind})", rupiah(d.value)),
                        n.to_string(),
                        rupiah(d.value.saturating_mul(n)),
                    ]
                })
                .collect();
            rows.push(vec![l("Total", "Total"), String::new(), rupiah(c.counted)]);
            table = Some(PdfTable {
                columns: vec![
                    (l("Pecahan", "Denomination"), Align::Left, 2.0),
                    (l("Jumlah", "Pieces"), Align::Right, 1.0),
                    (l("Nilai", "Value"), Align::Right, 1.5),
                ],
                rows,
                total_rows: 1,
            });
            closing.push(String::new());
            closing.push(format!(
                "{}: ____________________      {}: ____________________",
                l("Kasir", "Cashier"),
                l("Supervisor", "Supervisor")
            ));
        }
        None => facts.push((l("Status", "Status"), l("Masih buka", "Still open"))),
    }
    PdfReport {
        title: l("Laporan shift kasir", "Cash shift report"),
        lines: heading.lines_with(language.pick("Tanggal usaha", "Business date")),
        facts,
        table,
        closing,
    }
}

// ---- HQ's overview ----------------------------------------------------------------------

const SUMMARY_COLUMNS: [Column; 11] = [
    Column::new("Kode", "Code", 10.0),
    Column::new("Cabang", "Branch", 24.0),
    Column::new("Pemasukan (Rp)", "Income (Rp)", 16.0),
    Column::new("Pengeluaran (Rp)", "Expenses (Rp)", 16.0),
    Column::new("Selisih (Rp)", "Net (Rp)", 16.0),
    Column::new("Transaksi", "Entries", 10.0),
    Column::new("Dibatalkan (baris)", "Voided (rows)", 14.0),
    Column::new("Dibatalkan (Rp)", "Voided (Rp)", 16.0),
    Column::new("Shift ditutup", "Shifts closed", 12.0),
    Column::new("Selisih kas (Rp)", "Cash difference (Rp)", 18.0),
    Column::new("Ditolak HQ", "Refused by HQ", 12.0),
];

/// The overview's columns.
pub fn summary_columns() -> Vec<Column> {
    SUMMARY_COLUMNS.to_vec()
}

fn totals_cells(t: &Totals) -> [Cell; 6] {
    [
        Cell::Money(t.total_in),
        Cell::Money(t.total_out),
        Cell::Money(safe(t.balance())),
        Cell::Count(safe(t.transaction_count())),
        Cell::Count(safe(t.voided_count())),
        Cell::Money(safe(t.voided_total())),
    ]
}

/// One row per branch, then the business's total (the last row).
pub fn summary_rows(summary: &ReportSummary, language: Language) -> Vec<Vec<Cell>> {
    let mut rows = Vec::with_capacity(summary.branches.len() + 1);
    let (mut closed, mut difference, mut refused) = (0_i64, 0_i64, 0_i64);
    for b in &summary.branches {
        let shifts_closed = i64::try_from(b.shifts.closed).unwrap_or(i64::MAX);
        let held = b
            .refusals
            .map_or(0, |r| i64::try_from(r.count).unwrap_or(i64::MAX));
        closed = closed.saturating_add(shifts_closed);
        difference = difference.saturating_add(b.shifts.difference);
        refused = refused.saturating_add(held);
        let mut row = vec![
            Cell::text(b.branch.code.as_str()),
            Cell::text(b.branch.name.as_str()),
        ];
        row.extend(totals_cells(&b.totals));
        row.extend([
            Cell::Count(shifts_closed),
            Cell::Money(b.shifts.difference),
            Cell::Count(held),
        ]);
        rows.push(row);
    }
    let mut total = vec![
        Cell::text(language.pick("Total", "Total")),
        Cell::text(language.pick("Semua cabang", "All branches")),
    ];
    total.extend(totals_cells(&summary.total));
    total.extend([
        Cell::Count(closed),
        Cell::Money(difference),
        Cell::Count(refused),
    ]);
    rows.push(total);
    rows
}
