//! A report as an A4 PDF, rendered on the server from the same figures the screen shows: a
//! title, the lines that say what it covers, a block of totals, and a table that continues
//! over pages with its header repeated. Set in Helvetica, one of the fonts every PDF reader
//! has, so nothing is embedded and `pdftotext` reads every figure back.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

/// How a column's text sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Words.
    Left,
    /// Figures.
    Right,
}

/// A report's table.
#[derive(Debug, Clone, Default)]
pub struct PdfTable {
    /// Per column: header, alignment and share of the width (the shares are scaled to fill).
    pub columns: Vec<(String, Align, f32)>,
    /// The rows, as text.
    pub rows: Vec<Vec<String>>,
    /// The last rows that are totals (bold, under a rule).
    pub total_rows: usize,
}

/// A printable report.
#[derive(Debug, Clone, Default)]
pub struct PdfReport {
    /// The heading.
    pub title: String,
    /// What it covers (branch, period, when printed), a line each.
    pub lines: Vec<String>,
    /// Figures as label and value, one pair per line.
    pub facts: Vec<(String, String)>,
    /// The table, when the report has one.
    pub table: Option<PdfTable>,
    /// A closing line (signatures, a note).
    pub closing: Vec<String>,
}

/// Whole rupiah as the app shows them: `Rp 1.500.000`, `-Rp 5.000`.
pub fn rupiah(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(c);
    }
    if n < 0 {
        format!("-Rp {grouped}")
    } else {
        format!("Rp {grouped}")
    }
}

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 42.0;
const BODY: f32 = 9.0;
const ROW_H: f32 = 14.0;

const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");

/// Advance widths (per 1000 units of the size) of Helvetica and Helvetica-Bold for the
/// printable ASCII characters (from Adobe's font metrics), for right-aligned figures and for
/// cutting text that does not fit its column.
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];
const HELVETICA_BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667,
    611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556,
    278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
];

/// The text in the fonts' encoding (WinAnsi: Latin-1 plus typographic quotes and dashes); a
/// character outside it prints as `?`.
fn encode(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '\u{20}'..='\u{7E}' | '\u{A0}'..='\u{FF}' => u8::try_from(u32::from(c)).unwrap_or(b'?'),
            '\u{2013}' => 0x96,
            '\u{2014}' => 0x97,
            '\u{2018}' => 0x91,
            '\u{2019}' => 0x92,
            '\u{201C}' => 0x93,
            '\u{201D}' => 0x94,
            '\u{2022}' => 0x95,
            '\u{2026}' => 0x85,
            '\u{20AC}' => 0x80,
            _ => b'?',
        })
        .collect()
}

fn width(bytes: &[u8], bold: bool, size: f32) -> f32 {
    let table = if bold { &HELVETICA_BOLD } else { &HELVETICA };
    let units: u32 = bytes
        .iter()
        .map(|b| match b {
            0x20..=0x7E => u32::from(table[usize::from(b - 0x20)]),
            _ => 556,
        })
        .sum();
    #[allow(clippy::cast_precision_loss)]
    let units = units as f32;
    units * size / 1000.0
}

/// Cuts `bytes` to fit `room`, ending with `..` when cut.
fn fit(mut bytes: Vec<u8>, bold: bool, size: f32, room: f32) -> Vec<u8> {
    if width(&bytes, bold, size) <= room {
        return bytes;
    }
    while !bytes.is_empty() && width(&bytes, bold, size) + width(b"..", bold, size) > room {
        bytes.pop();
    }
    bytes.extend_from_slice(b"..");
    bytes
}

/// Pages being filled top to bottom.
struct Writer {
    pages: Vec<Content>,
    y: f32,
}

impl Writer {
    fn new() -> Self {
        let mut w = Self {
            pages: Vec::new(),
            y: 0.0,
        };
        w.new_page();
        w
    }

    fn new_page(&mut self) {
        self.pages.push(Content::new());
        self.y = PAGE_H - MARGIN;
    }

    fn page(&mut self) -> &mut Content {
        // There is always a page: `new` starts one.
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn text(&mut self, x: f32, y: f32, text: &[u8], bold: bool, size: f32) {
        let page = self.page();
        page.begin_text();
        page.set_font(if bold { BOLD } else { REGULAR }, size);
        page.next_line(x, y);
        page.show(Str(text));
        page.end_text();
    }

    fn rule(&mut self, y: f32, weight: f32) {
        let page = self.page();
        page.set_line_width(weight);
        page.move_to(MARGIN, y);
        page.line_to(PAGE_W - MARGIN, y);
        page.stroke();
    }

    /// Room for `h` more points on this page, or a new page.
    fn room(&mut self, h: f32) -> bool {
        if self.y - h < MARGIN + 20.0 {
            self.new_page();
            true
        } else {
            false
        }
    }
}

fn table_header(w: &mut Writer, x: &[f32], widths: &[f32], columns: &[(String, Align, f32)]) {
    let y = w.y - ROW_H + 4.0;
    for (i, (name, align, _)) in columns.iter().enumerate() {
        let text = fit(encode(name), true, BODY, widths[i] - 4.0);
        let left = match align {
            Align::Left => x[i],
            Align::Right => x[i] + widths[i] - width(&text, true, BODY),
        };
        w.text(left, y, &text, true, BODY);
    }
    w.y -= ROW_H;
    let y = w.y;
    w.rule(y, 0.8);
}

/// Renders `report` as an A4 PDF; `page_label` words the page numbers ("Halaman").
pub fn render(report: &PdfReport, page_label: &str) -> Vec<u8> {
    let mut w = Writer::new();
    let title = encode(&report.title);
    w.text(MARGIN, w.y - 16.0, &title, true, 16.0);
    w.y -= 26.0;
    for line in &report.lines {
        w.text(MARGIN, w.y - 10.0, &encode(line), false, 10.0);
        w.y -= 14.0;
    }
    w.y -= 6.0;
    if !report.facts.is_empty() {
        let label_w = report
            .facts
            .iter()
            .map(|(l, _)| width(&encode(l), false, 10.0))
            .fold(0.0_f32, f32::max);
        let value_right = MARGIN + label_w + 150.0;
        for (label, value) in &report.facts {
            w.room(14.0);
            let value = encode(value);
            w.text(MARGIN, w.y - 10.0, &encode(label), false, 10.0);
            let vx = value_right - width(&value, true, 10.0);
            w.text(vx, w.y - 10.0, &value, true, 10.0);
            w.y -= 15.0;
        }
        w.y -= 8.0;
    }
    if let Some(table) = &report.table {
        let share: f32 = table
            .columns
            .iter()
            .map(|(_, _, s)| *s)
            .sum::<f32>()
            .max(1.0);
        let full = PAGE_W - 2.0 * MARGIN;
        let widths: Vec<f32> = table
            .columns
            .iter()
            .map(|(_, _, s)| full * s / share)
            .collect();
        let mut x = Vec::with_capacity(widths.len());
        let mut at = MARGIN;
        for cw in &widths {
            x.push(at);
            at += cw;
        }
        w.room(ROW_H * 3.0);
        table_header(&mut w, &x, &widths, &table.columns);
        let strong = table.rows.len().saturating_sub(table.total_rows);
        for (r, row) in table.rows.iter().enumerate() {
            if w.room(ROW_H) {
                table_header(&mut w, &x, &widths, &table.columns);
            }
            let bold = r >= strong;
            if r == strong && table.total_rows > 0 {
                let y = w.y;
                w.rule(y, 0.8);
            }
            let y = w.y - ROW_H + 4.0;
            for (i, cell) in row.iter().enumerate().take(widths.len()) {
                let text = fit(encode(cell), bold, BODY, widths[i] - 4.0);
                let left = match table.columns[i].1 {
                    Align::Left => x[i],
                    Align::Right => x[i] + widths[i] - width(&text, bold, BODY),
                };
                w.text(left, y, &text, bold, BODY);
            }
            w.y -= ROW_H;
            let y = w.y;
            w.rule(y, 0.2);
        }
        w.y -= 10.0;
    }
    for line in &report.closing {
        w.room(16.0);
        w.text(MARGIN, w.y - 10.0, &encode(line), false, 10.0);
        w.y -= 16.0;
    }
    finish(report, w.pages, page_label)
}

fn finish(report: &PdfReport, pages: Vec<Content>, page_label: &str) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let regular = Ref::new(3);
    let bold = Ref::new(4);
    let info = Ref::new(5);
    let count = pages.len();
    let ids: Vec<(Ref, Ref)> = (0..count)
        .map(|i| {
            let n = i32::try_from(i).unwrap_or(0);
            (Ref::new(10 + 2 * n), Ref::new(11 + 2 * n))
        })
        .collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(ids.iter().map(|(page, _)| *page))
        .count(i32::try_from(count).unwrap_or(i32::MAX));
    pdf.type1_font(regular)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold)
        .base_font(Name(b"Helvetica-Bold"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.document_info(info)
        .title(TextStr(&report.title))
        .producer(TextStr("Haramain Finance"));
    for (i, (mut content, (page_id, content_id))) in pages.into_iter().zip(ids).enumerate() {
        let footer = encode(&format!("{page_label} {} / {count}", i + 1));
        content.begin_text();
        content.set_font(REGULAR, 8.0);
        content.next_line(PAGE_W - MARGIN - width(&footer, false, 8.0), MARGIN - 16.0);
        content.show(Str(&footer));
        content.end_text();
        let data = content.finish();
        let mut page = pdf.page(page_id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H));
        page.parent(tree);
        page.contents(content_id);
        {
            let mut resources = page.resources();
            let mut fonts = resources.fonts();
            fonts.pair(REGULAR, regular);
            fonts.pair(BOLD, bold);
        }
        page.finish();
        pdf.stream(content_id, &data);
    }
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rupiah_reads_as_on_screen() {
        assert_eq!(rupiah(0), "Rp 0");
        assert_eq!(rupiah(1_500_000), "Rp 1.500.000");
        assert_eq!(rupiah(-5_000), "-Rp 5.000");
        assert_eq!(rupiah(999), "Rp 999");
        assert_eq!(rupiah(i64::MIN), "-Rp 9.223.372.036.854.775.808");
    }

    #[test]
    fn a_long_table_runs_over_pages_and_the_file_is_a_pdf() {
        let report = PdfReport {
            title: "Laporan harian".into(),
            lines: vec!["Cabang JKT-01".into()],
            facts: vec![("Pemasukan".into(), rupiah(1_500_000))],
            table: Some(PdfTable {
                columns: vec![
                    ("Tanggal".into(), Align::Left, 1.0),
                    ("Masuk".into(), Align::Right, 1.0),
                ],
                rows: (0..200)
                    .map(|i| vec![format!("day {i}"), rupiah(i)])
                    .collect(),
                total_rows: 1,
            }),
            closing: vec!["Kasir: Siti — ✓".into()],
        };
        let bytes = render(&report, "Halaman");
        assert!(bytes.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&bytes);
        // About 50 rows fit a page: the table needs five, each numbered.
        assert!(
            text.contains("/Count 5"),
            "{}",
            &text[..400.min(text.len())]
        );
        assert!(text.contains("(Halaman 5 / 5)"));
        // The em dash is in the fonts' encoding (a hex string, as it is not ASCII); the check
        // mark is not.
        let hex: String = b"Kasir: Siti \x97 ?"
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert!(text.to_lowercase().contains(&format!("<{hex}>")));
    }

    #[test]
    fn text_too_long_for_its_column_is_cut() {
        let cut = fit(encode(&"x".repeat(200)), false, BODY, 50.0);
        assert!(cut.ends_with(b".."));
        assert!(width(&cut, false, BODY) <= 50.0);
    }
}
