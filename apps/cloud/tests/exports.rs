//! HQ's files (DESIGN 13, issue 17): every branch's entries, the overview, the daily report, a
//! branch's shifts and the monthly pack hold exactly what the API answers; the workbook opens
//! in LibreOffice with the same numbers; the daily PDF carries its totals.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use common::{fresh_database, spawn_hq};
use kh_test_support::files::{libreoffice_sheets, pdf_text};
use serde_json::{Value, json};

async fn download(hq: &common::Hq, path: &str) -> (u16, String, Vec<u8>) {
    let response = hq
        .admin
        .request(reqwest::Method::GET, path)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let name = response
        .headers()
        .get("content-disposition")
        .map(|d| d.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, name, response.bytes().await.unwrap().to_vec())
}

fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "a UTF-8 BOM first");
    csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(&bytes[3..])
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

fn row(tx_type: &str, amount: i64, day: u32) -> Value {
    let at = format!("2025-11-{day:02}T03:00:00.000Z");
    json!({
        "id": uuid::Uuid::new_v4().to_string(),
        "type": tx_type, "amount": amount, "category": "Penjualan",
        "description": format!("pesanan {amount}"),
        "occurred_at": at, "created_at": at,
    })
}

/// Two branches with November entries (one voided) and one December entry.
async fn business(hq: &common::Hq) -> (String, String) {
    let (jkt, jkt_key) = hq.branch("JKT-01").await;
    let (bdg, bdg_key) = hq.branch("BDG-01").await;
    let sale = row("IN", 1_500_000, 3);
    let mut void = row("IN", 1_500_000, 3);
    void["type"] = json!("OUT");
    void["reverses_id"] = sale["id"].clone();
    let jkt_rows = json!([sale, void, row("OUT", 250_000, 4), row("IN", 700_000, 30)]);
    let (status, body) = hq.push(&jkt_key, &jkt_rows).await;
    assert_eq!(status, 200, "{body}");
    let mut december = row("IN", 99_000, 1);
    december["occurred_at"] = json!("2025-12-01T03:00:00.000Z");
    december["created_at"] = december["occurred_at"].clone();
    let (status, body) = hq
        .push(
            &bdg_key,
            &json!([row("IN", 400_000, 15), row("OUT", 50_000, 15), december]),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    (jkt, bdg)
}

#[tokio::test]
async fn every_branchs_entries_export_as_the_api_lists_them() {
    let hq = spawn_hq(&fresh_database().await).await;
    let (jkt, _) = business(&hq).await;
    let (_, listed) = hq
        .admin_get("/transactions?limit=100&from=2025-11-01&to=2025-11-30")
        .await;
    let api: BTreeMap<String, Value> = listed["data"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["id"].as_str().unwrap().to_owned(), t.clone()))
        .collect();
    let (status, name, bytes) =
        download(&hq, "/transactions/export?from=2025-11-01&to=2025-11-30").await;
    assert_eq!(status, 200);
    assert!(
        name.contains("transaksi_semua_2025-11-01_2025-11-30.csv"),
        "{name}"
    );
    let rows = csv_rows(&bytes);
    assert_eq!(rows[0][0], "Cabang");
    assert_eq!(rows.len() - 1, api.len());
    for r in &rows[1..] {
        let entry = &api[&r[12]];
        assert_eq!(r[6], entry["amount"].to_string());
        let code = if entry["branch_id"] == jkt.as_str() {
            "JKT-01"
        } else {
            "BDG-01"
        };
        assert_eq!(r[0], code);
    }
    // One branch, as a workbook.
    let (status, name, xlsx) = download(
        &hq,
        &format!("/transactions/export?branch_id={jkt}&format=xlsx"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(name.contains("transaksi_JKT-01_semua_semua.xlsx"), "{name}");
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(xlsx)).unwrap();
    let sheet = book.worksheet_range("Transaksi").unwrap();
    assert_eq!(sheet.rows().count() - 1, 4);
    assert!(
        sheet
            .rows()
            .skip(1)
            .all(|r| r[0] == Data::String("JKT-01".into()))
    );
}

#[tokio::test]
async fn the_overview_and_the_daily_report_export_the_apis_figures() {
    let hq = spawn_hq(&fresh_database().await).await;
    let (jkt, _) = business(&hq).await;
    let range = "from=2025-11-01&to=2025-11-30";
    let (_, summary) = hq.admin_get(&format!("/reports/summary?{range}")).await;
    let (status, name, bytes) = download(&hq, &format!("/reports/summary/export?{range}")).await;
    assert_eq!(status, 200);
    assert!(
        name.contains("ringkasan_semua_2025-11-01_2025-11-30.csv"),
        "{name}"
    );
    let rows = csv_rows(&bytes);
    // A row per branch (by code) and the total.
    assert_eq!(rows.len(), 1 + 2 + 1);
    let branches = summary["data"]["branches"].as_array().unwrap();
    for (r, b) in rows[1..3].iter().zip(branches) {
        assert_eq!(r[0], b["code"].as_str().unwrap());
        assert_eq!(r[2], b["total_in"].to_string());
        assert_eq!(r[3], b["total_out"].to_string());
    }
    let total = &summary["data"]["total"];
    assert_eq!(rows[3][0], "Total");
    assert_eq!(rows[3][2], total["total_in"].to_string());
    assert_eq!(rows[3][3], total["total_out"].to_string());

    let (_, daily) = hq
        .admin_get(&format!("/reports/daily?branch_id={jkt}&{range}"))
        .await;
    let days = daily["data"].as_array().unwrap();
    let (status, name, bytes) = download(
        &hq,
        &format!("/reports/daily/export?branch_id={jkt}&{range}"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(name.contains("harian_JKT-01_"), "{name}");
    let rows = csv_rows(&bytes);
    assert_eq!(rows.len() - 1, days.len());
    for (r, d) in rows[1..].iter().zip(days) {
        assert_eq!(r[4], d["balance"].to_string());
    }
    let (status, _, pdf) = download(
        &hq,
        &format!("/reports/daily/export?branch_id={jkt}&{range}&format=pdf"),
    )
    .await;
    assert_eq!(status, 200);
    let text = pdf_text(&pdf);
    for words in [
        "Laporan harian",
        "JKT-01",
        "Rp 700.000",
        "Rp 250.000",
        "Rp 450.000",
    ] {
        assert!(text.contains(words), "{words} in {text}");
    }
}

#[tokio::test]
async fn the_monthly_pack_has_a_summary_and_a_sheet_per_branch_that_libreoffice_reads() {
    let hq = spawn_hq(&fresh_database().await).await;
    business(&hq).await;
    let (status, name, xlsx) = download(&hq, "/reports/monthly?month=2025-11").await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&xlsx));
    assert!(name.contains("bulanan_2025-11.xlsx"), "{name}");
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(xlsx.clone())).unwrap();
    assert_eq!(book.sheet_names(), ["Ringkasan", "BDG-01", "JKT-01"]);
    // November only: BDG's December entry is not in the pack.
    assert_eq!(
        book.worksheet_range("BDG-01").unwrap().rows().count() - 1,
        2
    );
    assert_eq!(
        book.worksheet_range("JKT-01").unwrap().rows().count() - 1,
        4
    );
    let sheets = libreoffice_sheets(&xlsx, 3);
    let summary = &sheets["Ringkasan"];
    // JKT-01: in 700.000 (the voided sale apart), out 250.000; the total row.
    assert!(
        summary
            .lines()
            .any(|l| l.starts_with("JKT-01,Cabang JKT-01,700000,250000,450000,")),
        "{summary}"
    );
    assert!(
        summary
            .lines()
            .any(|l| l.starts_with("Total,Semua cabang,1100000,300000,800000,")),
        "{summary}"
    );
    assert!(
        sheets["BDG-01"].contains(",400000,"),
        "{}",
        sheets["BDG-01"]
    );

    for (query, field) in [
        ("month=2025-13", "month"),
        ("month=25-11", "month"),
        ("", "month"),
        ("month=2025-11&lang=fr", "lang"),
        ("month=2025-11&format=csv", "format"),
    ] {
        let (status, body) = hq.admin_get(&format!("/reports/monthly?{query}")).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert_eq!(
            body["error"]["details"][0]["field"], field,
            "{query}: {body}"
        );
    }
}

#[tokio::test]
async fn a_branchs_shifts_export_with_their_count_and_bad_requests_are_refused() {
    let hq = spawn_hq(&fresh_database().await).await;
    let (jkt, key) = hq.branch("JKT-01").await;
    let shift = json!({
        "id": uuid::Uuid::new_v4().to_string(),
        "opened_at": "2025-11-08T01:00:00.000Z",
        "opened_by": null, "opened_by_name": null,
        "opening_float": 200_000, "suggested_float": null, "opening_note": null,
        "cash_in": 50_000, "cash_out": 15_000, "entries": 2,
        "close": {
            "closed_at": "2025-11-08T09:00:00.000Z",
            "closed_by": null, "closed_by_name": null,
            "counts": {"note_100000": 2, "note_20000": 1, "note_10000": 1},
            "expected": 235_000, "counted": 230_000,
            "note": "kurang lima ribu", "approved_by": null, "approved_by_name": null,
        },
    });
    let (status, body) = hq
        .api
        .with_bearer(&key)
        .post("/sync/shifts", json!([shift]))
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, name, bytes) = download(&hq, &format!("/branches/{jkt}/shifts/export")).await;
    assert_eq!(status, 200);
    assert!(name.contains("shift_JKT-01_semua_semua.csv"), "{name}");
    let rows = csv_rows(&bytes);
    assert_eq!(rows.len(), 2);
    let col = |h: &str| rows[0].iter().position(|c| c == h).unwrap();
    assert_eq!(rows[1][col("Dihitung (Rp)")], "230000");
    assert_eq!(rows[1][col("Selisih (Rp)")], "-5000");
    assert_eq!(rows[1][col("Tanggal usaha")], "08/11/2025");

    let unknown = uuid::Uuid::new_v4();
    for (path, status, field) in [
        (format!("/branches/{unknown}/shifts/export"), 404, ""),
        (
            format!("/branches/{jkt}/shifts/export?format=pdf"),
            400,
            "format",
        ),
        (
            format!("/reports/daily/export?branch_id={unknown}"),
            404,
            "",
        ),
        ("/reports/daily/export?format=odt".to_owned(), 400, "format"),
        ("/reports/summary/export?from=x".to_owned(), 400, "from"),
        (
            "/reports/summary/export?from=2000-01-01&to=2025-12-31".to_owned(),
            400,
            "to",
        ),
        (
            format!("/branches/{jkt}/shifts/export?from=2000-01-01&to=2025-12-31"),
            400,
            "to",
        ),
        (
            "/transactions/export?from=2000-01-01&to=2025-12-31".to_owned(),
            400,
            "to",
        ),
        (format!("/transactions/export?branch_id={unknown}"), 404, ""),
        ("/transactions/export?limit=5".to_owned(), 400, "limit"),
    ] {
        let (got, body) = hq.admin_get(&path).await;
        assert_eq!(got, status, "{path}: {body}");
        if !field.is_empty() {
            assert!(
                body["error"]["details"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|d| d["field"] == field),
                "{path}: {body}"
            );
        }
    }
    // Without a session or the admin token: nothing.
    let (status, _) = hq.api.get("/reports/monthly?month=2025-11").await;
    assert_eq!(status, 401);
}
