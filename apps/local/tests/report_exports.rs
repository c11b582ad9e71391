//! The PC's reports as files (DESIGN 13, issue 17): the dashboard's daily and category reports
//! and the shift list as CSV and XLSX hold exactly the figures the API answers; the daily
//! report and a shift's report as PDF carry their totals (read back with `pdftotext`); every
//! workbook opens in LibreOffice with the same numbers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::spawn_app;
use kh_test_support::files::{libreoffice_sheets, pdf_text};
use serde_json::{Value, json};

/// A file's status, headers and bytes.
async fn download(app: &common::TestApp, path: &str) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let response = app.client.get(app.url(path)).send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.bytes().await.unwrap().to_vec())
}

/// A `;`-separated CSV file read back with the `csv` crate: its rows after the header.
fn csv_rows(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "a UTF-8 BOM first");
    let mut rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(&bytes[3..])
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    let header = rows.remove(0);
    (header, rows)
}

fn file_name(headers: &reqwest::header::HeaderMap) -> String {
    let disposition = headers["content-disposition"].to_str().unwrap();
    disposition
        .split("filename=\"")
        .nth(1)
        .unwrap()
        .trim_end_matches('"')
        .to_owned()
}

/// dd/mm/yyyy of an API date.
fn dmy(date: &str) -> String {
    let (y, rest) = date.split_at(4);
    format!("{}/{}/{y}", &rest[4..6], &rest[1..3])
}

/// "Rp 1.500.000" as the PDF prints it.
fn rupiah(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    format!("{}Rp {out}", if n < 0 { "-" } else { "" })
}

async fn record_days(app: &common::TestApp) {
    let mut first = None;
    for (i, (ty, amount, category, day)) in [
        ("IN", 1_500_000, "Penjualan", 6),
        ("OUT", 250_000, "Bahan Baku", 6),
        ("IN", 700_000, "Penjualan", 7),
        ("OUT", 95_000, "Parkir", 8),
        ("IN", 40_000, "Penjualan", 8),
    ]
    .into_iter()
    .enumerate()
    {
        let (status, body) = app
            .post(
                "/transactions",
                json!({
                    "type": ty, "amount": amount, "category": category,
                    "description": format!("pesanan {i}"),
                    "occurred_at": format!("2025-12-0{day}T03:00:00.000Z"),
                }),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        first.get_or_insert(body["data"]["id"].as_str().unwrap().to_owned());
    }
    // The first day's sale is voided: out of the sums, counted apart.
    let (status, _) = app
        .post(
            &format!("/transactions/{}/void", first.unwrap()),
            json!({"reason": "salah ketik"}),
        )
        .await;
    assert_eq!(status, 201);
}

#[tokio::test]
async fn the_daily_report_file_holds_the_dashboards_figures_in_csv_xlsx_and_pdf() {
    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
    let app = spawn_app().await;
    record_days(&app).await;
    let range = "from=2025-12-06&to=2025-12-08";
    let (_, daily) = app.get(&format!("/dashboard/daily?{range}")).await;
    let days: Vec<Value> = daily["data"].as_array().unwrap().clone();
    assert_eq!(days.len(), 3);

    let (status, headers, bytes) =
        download(&app, &format!("/dashboard/daily/export?{range}")).await;
    assert_eq!(status, 200);
    assert_eq!(
        file_name(&headers),
        "harian_cabang_2025-12-06_2025-12-08.csv"
    );
    let (header, rows) = csv_rows(&bytes);
    assert_eq!(header[0], "Tanggal usaha");
    assert_eq!(rows.len(), days.len());
    for (row, day) in rows.iter().zip(&days) {
        let (t_in, t_out) = (
            day["total_in"].as_i64().unwrap(),
            day["total_out"].as_i64().unwrap(),
        );
        assert_eq!(
            row,
            &vec![
                dmy(day["date"].as_str().unwrap()),
                t_in.to_string(),
                t_out.to_string(),
                (t_in - t_out).to_string(),
                day["balance"].to_string(),
                day["voided_count"].to_string(),
                day["voided_total"].to_string(),
            ]
        );
    }

    let (status, _, xlsx) = download(
        &app,
        &format!("/dashboard/daily/export?{range}&format=xlsx&lang=en"),
    )
    .await;
    assert_eq!(status, 200);
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(xlsx.clone())).unwrap();
    let sheet = book.worksheet_range("Daily").unwrap();
    let cells: Vec<&[Data]> = sheet.rows().collect();
    assert_eq!(cells[0][4], Data::String("Closing balance (Rp)".into()));
    for (row, day) in cells[1..].iter().zip(&days) {
        assert!(matches!(row[0], Data::DateTime(_)), "{row:?}");
        assert_eq!(row[4], Data::Float(day["balance"].as_f64().unwrap()));
    }
    // LibreOffice opens it without repair and reads the same numbers.
    let sheets = libreoffice_sheets(&xlsx, 1);
    let calc = sheets.values().next().unwrap();
    let lines: Vec<&str> = calc.lines().collect();
    assert_eq!(lines.len(), days.len() + 1, "{calc}");
    for (line, day) in lines[1..].iter().zip(&days) {
        let fields: Vec<&str> = line.split(',').collect();
        assert_eq!(fields[1], day["total_in"].to_string(), "{line}");
        assert_eq!(fields[4], day["balance"].to_string(), "{line}");
    }

    let (status, headers, pdf) =
        download(&app, &format!("/dashboard/daily/export?{range}&format=pdf")).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "application/pdf");
    assert!(file_name(&headers).ends_with(".pdf"));
    let text = pdf_text(&pdf);
    let (_, summary) = app.get(&format!("/dashboard/summary?{range}")).await;
    let s = &summary["data"];
    assert!(text.contains("Laporan harian"), "{text}");
    assert!(text.contains("06/12/2025 – 08/12/2025"), "{text}");
    for figure in [
        s["total_in"].as_i64().unwrap(),
        s["total_out"].as_i64().unwrap(),
    ] {
        assert!(
            text.contains(&rupiah(figure)),
            "{} in {text}",
            rupiah(figure)
        );
    }
    // Each day's closing balance is on its line.
    for day in &days {
        let line = text
            .lines()
            .find(|l| {
                l.trim_start()
                    .starts_with(&dmy(day["date"].as_str().unwrap()))
            })
            .unwrap_or_else(|| panic!("a line for {day} in {text}"));
        assert!(
            line.contains(&rupiah(day["balance"].as_i64().unwrap())),
            "{line}"
        );
    }
}

#[tokio::test]
async fn the_category_report_file_holds_the_dashboards_rows() {
    let app = spawn_app().await;
    record_days(&app).await;
    let (_, api) = app
        .get("/dashboard/categories?from=2025-12-06&to=2025-12-08")
        .await;
    let api = api["data"].as_array().unwrap().clone();
    let (status, headers, bytes) = download(
        &app,
        "/dashboard/categories/export?from=2025-12-06&to=2025-12-08",
    )
    .await;
    assert_eq!(status, 200);
    assert!(file_name(&headers).starts_with("kategori_"));
    let (header, rows) = csv_rows(&bytes);
    assert_eq!(header, ["Kategori", "Jenis", "Jumlah (Rp)", "Transaksi"]);
    assert_eq!(rows.len(), api.len());
    for (row, c) in rows.iter().zip(&api) {
        assert_eq!(row[0], c["category"].as_str().unwrap());
        assert_eq!(
            row[1],
            if c["type"] == "IN" {
                "Pemasukan"
            } else {
                "Pengeluaran"
            }
        );
        assert_eq!(row[2], c["total"].to_string());
        assert_eq!(row[3], c["count"].to_string());
    }
    let (status, _, out_only) =
        download(&app, "/dashboard/categories/export?type=OUT&format=xlsx").await;
    assert_eq!(status, 200);
    let sheets = libreoffice_sheets(&out_only, 1);
    let calc = sheets.values().next().unwrap();
    assert!(calc.contains("Bahan Baku,Pengeluaran,250000,1"), "{calc}");
    assert!(!calc.contains("Penjualan"), "{calc}");
}

#[tokio::test]
async fn the_shift_list_and_a_shifts_report_carry_the_count_and_the_difference() {
    let app = spawn_app().await;
    let (status, opened) = app.post("/shifts", json!({"opening_float": 200_000})).await;
    assert_eq!(status, 201, "{opened}");
    let id = opened["data"]["id"].as_str().unwrap().to_owned();
    for body in [
        json!({"type": "IN", "amount": 50_000, "category": "Penjualan"}),
        json!({"type": "OUT", "amount": 15_000, "category": "Parkir"}),
    ] {
        let (status, body) = app.post("/transactions", body).await;
        assert_eq!(status, 201, "{body}");
    }
    // Open, the report says so.
    let (status, _, pdf) = download(&app, &format!("/shifts/{id}/export?format=pdf")).await;
    assert_eq!(status, 200);
    assert!(pdf_text(&pdf).contains("Masih buka"));
    let (status, closed) = app
        .post(
            &format!("/shifts/{id}/close"),
            json!({"counts": {"note_100000": 2, "note_20000": 1, "note_10000": 1}, "note": "kurang lima ribu"}),
        )
        .await;
    assert_eq!(status, 200, "{closed}");

    let (status, headers, bytes) = download(&app, "/shifts/export").await;
    assert_eq!(status, 200);
    assert!(
        file_name(&headers).starts_with("shift_cabang_semua_semua"),
        "{headers:?}"
    );
    let (header, rows) = csv_rows(&bytes);
    assert_eq!(rows.len(), 1);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let row = &rows[0];
    assert_eq!(row[col("Modal awal (Rp)")], "200000");
    assert_eq!(row[col("Kas masuk (Rp)")], "50000");
    assert_eq!(row[col("Seharusnya (Rp)")], "235000");
    assert_eq!(row[col("Dihitung (Rp)")], "230000");
    assert_eq!(row[col("Selisih (Rp)")], "-5000");
    assert_eq!(row[col("Catatan")], "kurang lima ribu");
    assert_eq!(row[col("ID")], id);
    // A range that holds no shift: the header alone.
    let (status, _, bytes) = download(&app, "/shifts/export?from=2020-01-01&to=2020-01-31").await;
    assert_eq!(status, 200);
    assert!(csv_rows(&bytes).1.is_empty());

    let (status, headers, pdf) = download(&app, &format!("/shifts/{id}/export?lang=en")).await;
    assert_eq!(status, 200);
    assert!(
        file_name(&headers).ends_with(&format!("_{}.pdf", &id[..8])),
        "{headers:?}"
    );
    let text = pdf_text(&pdf);
    for words in [
        "Cash shift report",
        "Rp 235.000",
        "Rp 230.000",
        "-Rp 5.000",
        "kurang lima ribu",
        "Rp 100.000 (note)",
    ] {
        assert!(text.contains(words), "{words} in {text}");
    }
}

#[tokio::test]
async fn a_bad_report_export_is_a_4xx_envelope_naming_the_parameter() {
    let app = spawn_app().await;
    for (path, status, field) in [
        ("/dashboard/daily/export?format=docx", 400, "format"),
        ("/dashboard/daily/export?type=IN", 400, "type"),
        ("/dashboard/daily/export?from=2025-02-30", 400, "from"),
        (
            "/dashboard/daily/export?format=csv&format=xlsx",
            400,
            "format",
        ),
        ("/dashboard/categories/export?format=pdf", 400, "format"),
        (
            "/dashboard/categories/export?channel_id=x",
            400,
            "channel_id",
        ),
        ("/shifts/export?from=2000-01-01&to=2025-12-31", 400, "to"),
        ("/shifts/export?page=2", 400, "page"),
        ("/shifts/export?sep=%7C", 400, "sep"),
        ("/shifts/bukan-id/export", 400, "id"),
        (
            "/shifts/6f1f0e0b-7a11-4c55-9d0a-0b6f8a523c1e/export",
            404,
            "",
        ),
        (
            "/shifts/6f1f0e0b-7a11-4c55-9d0a-0b6f8a523c1e/export?format=csv",
            400,
            "format",
        ),
    ] {
        let (got, body) = app.get(path).await;
        assert_eq!(got, status, "{path}: {body}");
        if !field.is_empty() {
            let fields: Vec<&str> = body["error"]["details"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["field"].as_str().unwrap())
                .collect();
            assert!(fields.contains(&field), "{path}: {fields:?}");
        }
    }
}
