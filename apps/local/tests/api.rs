//! The branch API end to end: real server on port 0, real SQLite file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashSet;

use common::spawn_app;
use serde_json::{Value, json};

fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

#[tokio::test]
async fn record_list_get_void_and_totals_net_out() {
    let app = spawn_app().await;
    let (status, sale) = app
        .post("/transactions", json!({"type": "IN", "amount": 1_500_000, "category": "Penjualan", "description": "nasi kotak 100"}))
        .await;
    assert_eq!(status, 201, "{sale}");
    let (status, expense) = app
        .post("/transactions", json!({"type": "OUT", "amount": 250_000, "category": "Bahan Baku", "occurred_at": "2025-12-08T10:30:00.123Z"}))
        .await;
    assert_eq!(status, 201);
    assert_eq!(expense["data"]["occurred_at"], "2025-12-08T10:30:00.123Z");

    let (_, summary) = app.get("/dashboard/summary").await;
    assert_eq!(
        summary["data"],
        json!({"total_in": 1_500_000, "total_out": 250_000, "balance": 1_250_000, "transaction_count": 2, "count_in": 1, "count_out": 1,
               "voided_count": 0, "voided_total": 0})
    );

    let expense_id = expense["data"]["id"].as_str().unwrap();
    let (status, void) = app
        .post(
            &format!("/transactions/{expense_id}/void"),
            json!({"reason": "salah input"}),
        )
        .await;
    assert_eq!(status, 201, "{void}");
    assert_eq!(void["data"]["type"], "IN");
    assert_eq!(void["data"]["amount"], 250_000);
    assert_eq!(void["data"]["reverses_id"], expense_id);
    assert_eq!(void["data"]["description"], "salah input");

    let (_, summary) = app.get("/dashboard/summary").await;
    assert_eq!(
        summary["data"],
        json!({"total_in": 1_500_000, "total_out": 0, "balance": 1_500_000, "transaction_count": 1, "count_in": 1, "count_out": 0,
               "voided_count": 2, "voided_total": 500_000}),
        "the voided expense and its void leave the totals and are counted apart"
    );
    let (_, daily) = app
        .get("/dashboard/daily?from=2025-12-08&to=2025-12-08")
        .await;
    assert_eq!(
        daily["data"],
        json!([{"date": "2025-12-08", "total_in": 0, "total_out": 0, "balance": 0,
                "voided_count": 2, "voided_total": 500_000}]),
        "the expense's day holds neither it nor its void (the sale is today)"
    );
    let (_, categories) = app.get("/dashboard/categories").await;
    assert_eq!(
        categories["data"].as_array().unwrap().len(),
        1,
        "no Bahan Baku income or expense is left: {categories}"
    );
    let (_, history) = app.get("/transactions").await;
    assert_eq!(
        history["data"]["total"], 3,
        "the history still lists every row"
    );

    let (_, original) = app.get(&format!("/transactions/{expense_id}")).await;
    assert_eq!(original["data"]["voided_by"], void["data"]["id"]);

    let (status, again) = app
        .post(
            &format!("/transactions/{expense_id}/void"),
            json!({"reason": "lagi"}),
        )
        .await;
    assert_eq!(
        (status, again["error"]["code"].as_str()),
        (409, Some("already_voided"))
    );
    let void_id = void["data"]["id"].as_str().unwrap();
    let (status, of_void) = app
        .post(
            &format!("/transactions/{void_id}/void"),
            json!({"reason": "x"}),
        )
        .await;
    assert_eq!(
        (status, of_void["error"]["code"].as_str()),
        (409, Some("conflict"))
    );

    let (_, page) = app.get("/transactions?limit=2").await;
    assert_eq!(page["data"]["total"], 3);
    assert_eq!(page["data"]["total_pages"], 2);
    assert_eq!(page["data"]["items"].as_array().unwrap().len(), 2);
    let (_, filtered) = app
        .get("/transactions?type=OUT&category=Bahan%20Baku")
        .await;
    assert_eq!(filtered["data"]["total"], 1);
    let (_, found) = app.get("/transactions?q=nasi").await;
    assert_eq!(found["data"]["items"][0]["id"], sale["data"]["id"]);
    let (_, in_december) = app.get("/transactions?from=2025-12-08&to=2025-12-08").await;
    assert_eq!(
        in_december["data"]["total"], 2,
        "the expense and its void share its business date"
    );
    let (_, pending) = app.get("/transactions?sync_state=pending").await;
    assert_eq!(pending["data"]["total"], 3);

    let (_, cats) = app.get("/dashboard/categories?type=OUT").await;
    assert_eq!(
        cats["data"],
        json!([]),
        "the voided expense is no longer an expense of Bahan Baku"
    );
    let (_, daily) = app
        .get("/dashboard/daily?from=2025-12-07&to=2025-12-09")
        .await;
    let balances: Vec<i64> = daily["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["balance"].as_i64().unwrap())
        .collect();
    assert_eq!(
        balances,
        [0, 0, 0],
        "the expense and its void cancel on the same day"
    );
    let (_, suggestions) = app.get("/categories").await;
    let names: Vec<&str> = suggestions["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"Penjualan") && names.contains(&"Gaji"),
        "{names:?}"
    );
}

#[tokio::test]
async fn a_client_id_makes_retries_and_double_clicks_save_once() {
    let app = spawn_app().await;
    let id = new_id();
    let body = json!({"id": id, "type": "OUT", "amount": 20_000, "category": "Transportasi"});
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let client = app.client.clone();
        let url = format!("{}/transactions", app.base);
        let body = body.clone();
        tasks.push(tokio::spawn(async move {
            client
                .post(url)
                .json(&body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 200, 200, 200, 200, 200, 200, 201]);
    let (_, summary) = app.get("/dashboard/summary").await;
    assert_eq!(summary["data"]["transaction_count"], 1);

    let (status, conflict) = app
        .post(
            "/transactions",
            json!({"id": id, "type": "OUT", "amount": 20_001, "category": "Transportasi"}),
        )
        .await;
    assert_eq!(
        (status, conflict["error"]["code"].as_str()),
        (409, Some("conflict"))
    );
    let (_, stored) = app.get(&format!("/transactions/{id}")).await;
    assert_eq!(
        stored["data"]["amount"], 20_000,
        "the stored row is unchanged"
    );
}

#[tokio::test]
async fn concurrent_voids_of_one_entry_let_exactly_one_through() {
    let app = spawn_app().await;
    let (_, tx) = app
        .post(
            "/transactions",
            json!({"type": "IN", "amount": 5_000, "category": "Penjualan"}),
        )
        .await;
    let url = format!(
        "{}/transactions/{}/void",
        app.base,
        tx["data"]["id"].as_str().unwrap()
    );
    let mut tasks = Vec::new();
    for i in 0..8 {
        let client = app.client.clone();
        let url = url.clone();
        tasks.push(tokio::spawn(async move {
            client
                .post(url)
                .json(&json!({"reason": format!("batal {i}")}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    let mut created = 0;
    for t in tasks {
        match t.await.unwrap() {
            201 => created += 1,
            409 => {}
            other => panic!("unexpected status {other}"),
        }
    }
    assert_eq!(created, 1);
    let (_, summary) = app.get("/dashboard/summary").await;
    assert_eq!(summary["data"]["balance"], 0);
    assert_eq!(summary["data"]["transaction_count"], 0);
    assert_eq!(summary["data"]["voided_count"], 2, "one void was stored");
}

#[tokio::test]
async fn totals_are_exact_after_many_concurrent_entries() {
    let app = spawn_app().await;
    let mut tasks = Vec::new();
    for worker in 0..16_i64 {
        let client = app.client.clone();
        let url = format!("{}/transactions", app.base);
        tasks.push(tokio::spawn(async move {
            let (mut total_in, mut total_out) = (0_i64, 0_i64);
            for i in 0..25_i64 {
                // Amounts up to the maximum, so a lossy sum would show.
                let amount = if i % 5 == 0 { 1_000_000_000_000 - worker } else { 1 + worker * 1_000 + i * 7 };
                let tx_type = if (i + worker) % 3 == 0 { "OUT" } else { "IN" };
                let day = 1 + (i % 28);
                let body = json!({"type": tx_type, "amount": amount, "category": format!("Kategori {}", i % 4),
                                  "occurred_at": format!("2025-11-{day:02}T05:00:00Z")});
                let status = client.post(&url).json(&body).send().await.unwrap().status().as_u16();
                assert_eq!(status, 201);
                if tx_type == "IN" { total_in += amount } else { total_out += amount }
            }
            (total_in, total_out)
        }));
    }
    let (mut total_in, mut total_out) = (0_i64, 0_i64);
    for t in tasks {
        let (i, o) = t.await.unwrap();
        total_in += i;
        total_out += o;
    }
    let (_, summary) = app.get("/dashboard/summary").await;
    assert_eq!(summary["data"]["total_in"], total_in);
    assert_eq!(summary["data"]["total_out"], total_out);
    assert_eq!(summary["data"]["balance"], total_in - total_out);
    assert_eq!(summary["data"]["transaction_count"], 400);

    let (_, daily) = app
        .get("/dashboard/daily?from=2025-11-01&to=2025-11-30")
        .await;
    let rows = daily["data"].as_array().unwrap();
    assert_eq!(rows.len(), 30);
    assert_eq!(rows.last().unwrap()["balance"], total_in - total_out);
    let day_in: i64 = rows.iter().map(|r| r["total_in"].as_i64().unwrap()).sum();
    assert_eq!(day_in, total_in);

    let (_, cats) = app.get("/dashboard/categories").await;
    let cat_total: i64 = cats["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["total"].as_i64().unwrap())
        .sum();
    assert_eq!(cat_total, total_in + total_out);

    // Paging visits every entry exactly once.
    let mut seen = HashSet::new();
    for page in 1..=4 {
        let (_, p) = app
            .get(&format!("/transactions?limit=100&page={page}"))
            .await;
        for item in p["data"]["items"].as_array().unwrap() {
            assert!(seen.insert(item["id"].as_str().unwrap().to_owned()));
        }
    }
    assert_eq!(seen.len(), 400);
}

/// Every request here is a mistake a client can make; each must get a 4xx envelope naming
/// what to fix, and none may change the ledger.
#[tokio::test]
async fn bad_input_gets_a_4xx_envelope_that_names_the_field() {
    let app = spawn_app().await;
    let cases: Vec<(Value, &str, Option<&str>)> = vec![
        (
            json!({"type": "IN", "amount": "100", "category": "x"}),
            "validation_failed",
            Some("amount"),
        ),
        (
            json!({"type": "IN", "amount": 100.5, "category": "x"}),
            "validation_failed",
            Some("amount"),
        ),
        (
            json!({"type": "IN", "amount": 1e300, "category": "x"}),
            "validation_failed",
            Some("amount"),
        ),
        (
            json!({"type": "IN", "amount": 0, "category": "x"}),
            "validation_failed",
            Some("amount"),
        ),
        (
            json!({"type": "IN", "amount": -5, "category": "x"}),
            "validation_failed",
            Some("amount"),
        ),
        (
            json!({"type": "IN", "amount": 1_000_000_000_001_i64, "category": "x"}),
            "validation_failed",
            Some("amount"),
        ),
        (
            json!({"type": "in", "amount": 1, "category": "x"}),
            "validation_failed",
            Some("type"),
        ),
        (
            json!({"type": null, "amount": 1, "category": "x"}),
            "validation_failed",
            Some("type"),
        ),
        (
            json!({"amount": 1, "category": "x"}),
            "validation_failed",
            Some("type"),
        ),
        (
            json!({"type": "IN", "amount": 1, "category": ""}),
            "validation_failed",
            Some("category"),
        ),
        (
            json!({"type": "IN", "amount": 1, "category": "x".repeat(51)}),
            "validation_failed",
            Some("category"),
        ),
        (
            json!({"type": "IN", "amount": 1, "category": "a\u{7}b"}),
            "validation_failed",
            Some("category"),
        ),
        (
            json!({"type": "IN", "amount": 1, "category": "x", "description": "d".repeat(501)}),
            "validation_failed",
            Some("description"),
        ),
        (
            json!({"type": "IN", "amount": 1, "category": "x", "description": 5}),
            "validation_failed",
            Some("description"),
        ),
        (
            json!({"type": "IN", "amount": 1, "category": "x", "occurred_at": "2999-01-01T00:00:00Z"}),
            "validation_failed",
            Some("occurred_at"),
        ),
        (
            json!({"type": "IN", "amount": 1, "category": "x", "occurred_at": "08/12/2025"}),
            "validation_failed",
            Some("occurred_at"),
        ),
        (
            json!({"type": "IN", "amount": 1, "category": "x", "id": "not-a-uuid"}),
            "validation_failed",
            Some("id"),
        ),
        (
            json!({"type": "IN", "amount": 1, "category": "x", "is_synced": true}),
            "validation_failed",
            Some("is_synced"),
        ),
        (json!(["IN", 1, "x"]), "validation_failed", Some("body")),
        (json!("IN"), "validation_failed", Some("body")),
    ];
    for (body, code, field) in &cases {
        let (status, answer) = app.post("/transactions", body.clone()).await;
        assert_eq!(status, 400, "{body} -> {answer}");
        assert_eq!(answer["success"], false);
        assert_eq!(answer["data"], Value::Null);
        assert_eq!(answer["error"]["code"], *code, "{body} -> {answer}");
        if let Some(field) = field {
            let fields: Vec<&str> = answer["error"]["details"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["field"].as_str().unwrap())
                .collect();
            assert!(
                fields.contains(field),
                "{body}: expected field {field}, got {answer}"
            );
        }
    }

    let raw: Vec<(Option<&str>, Vec<u8>, u16, &str)> = vec![
        (
            Some("application/json"),
            b"{\"type\": \"IN\",".to_vec(),
            400,
            "malformed_json",
        ),
        (
            Some("application/json"),
            b"".to_vec(),
            400,
            "malformed_json",
        ),
        (
            Some("application/json"),
            b"\xff\xfe".to_vec(),
            400,
            "malformed_json",
        ),
        (
            Some("application/json"),
            b"{} {}".to_vec(),
            400,
            "malformed_json",
        ),
        (
            Some("text/plain"),
            b"{}".to_vec(),
            415,
            "unsupported_media_type",
        ),
        (
            Some("application/x-www-form-urlencoded"),
            b"type=IN".to_vec(),
            415,
            "unsupported_media_type",
        ),
        (None, b"{}".to_vec(), 415, "unsupported_media_type"),
        (
            Some("application/json"),
            vec![b' '; 70 * 1024],
            413,
            "payload_too_large",
        ),
    ];
    for (content_type, body, status, code) in raw {
        let (got, answer) = app.post_raw("/transactions", content_type, body).await;
        assert_eq!(
            (got, answer["error"]["code"].as_str()),
            (status, Some(code)),
            "{content_type:?} -> {answer}"
        );
    }

    for (path, field) in [
        ("/transactions?limit=0", "limit"),
        ("/transactions?limit=101", "limit"),
        ("/transactions?page=-1", "page"),
        ("/transactions?page=99999999999999999999", "page"),
        ("/transactions?type=MASUK", "type"),
        ("/transactions?from=2025-02-30", "from"),
        ("/transactions?from=2025-03-01&to=2025-02-01", "to"),
        ("/transactions?sync_state=done", "sync_state"),
        ("/transactions?bogus=1", "bogus"),
        ("/transactions?page=1&page=2", "page"),
        ("/transactions/not-a-uuid", "id"),
        ("/dashboard/summary?from=yesterday", "from"),
        ("/dashboard/summary?type=IN", "type"),
        ("/dashboard/categories?type=in", "type"),
    ] {
        let (status, answer) = app.get(path).await;
        assert_eq!(status, 400, "{path} -> {answer}");
        let fields: Vec<&str> = answer["error"]["details"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["field"].as_str().unwrap())
            .collect();
        assert!(
            fields.contains(&field),
            "{path}: expected {field}, got {answer}"
        );
    }

    let (status, _) = app.get(&format!("/transactions/{}", new_id())).await;
    assert_eq!(status, 404);
    let (status, answer) = app
        .post(
            &format!("/transactions/{}/void", new_id()),
            json!({"reason": "x"}),
        )
        .await;
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (404, Some("not_found"))
    );
    let (status, answer) = app
        .post(
            &format!("/transactions/{}/void", new_id()),
            json!({"reason": " "}),
        )
        .await;
    assert_eq!(
        (status, answer["error"]["details"][0]["field"].as_str()),
        (400, Some("reason"))
    );
    let (status, _) = app
        .post(
            &format!("/transactions/{}/void", new_id()),
            json!({"reason": "x".repeat(201)}),
        )
        .await;
    assert_eq!(status, 400);
    let (status, answer) = app
        .post(
            "/system/activate",
            json!({"cloud_url": "hq", "api_key": ""}),
        )
        .await;
    assert_eq!(status, 400, "{answer}");
    assert_eq!(answer["error"]["details"].as_array().unwrap().len(), 2);

    // Nothing above changed the ledger.
    let (_, summary) = app.get("/dashboard/summary").await;
    assert_eq!(summary["data"]["transaction_count"], 0);
}

#[tokio::test]
async fn requests_from_other_pages_or_hosts_are_refused() {
    let app = spawn_app().await;
    let url = format!("{}/transactions", app.base);
    let body = json!({"type": "IN", "amount": 1, "category": "x"});
    let foreign = app
        .client
        .post(&url)
        .header("origin", "https://evil.example")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status().as_u16(), 403);
    let read = app
        .client
        .get(&url)
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(
        read.status().as_u16(),
        403,
        "another page must not read entries either"
    );
    let rebinding = app
        .client
        .get(&url)
        .header("host", "evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(rebinding.status().as_u16(), 403);
    let own = format!(
        "http://localhost:{}",
        app.running.as_ref().unwrap().addr.port()
    );
    let ok = app
        .client
        .post(&url)
        .header("origin", own)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status().as_u16(), 201);
}

#[tokio::test]
async fn status_reports_pending_entries_and_activation() {
    let app = spawn_app().await;
    app.post(
        "/transactions",
        json!({"type": "IN", "amount": 1, "category": "x"}),
    )
    .await;
    let (_, status) = app.get("/system/status").await;
    assert_eq!(status["data"]["status"], "unconfigured");
    assert_eq!(status["data"]["unsynced_count"], 1);
    let (code, accepted) = app.post("/system/sync", json!({})).await;
    assert_eq!(code, 202);
    assert!(
        accepted["message"]
            .as_str()
            .unwrap()
            .contains("not activated")
    );

    // Activation asks HQ first; with no HQ there, nothing is stored and the message says why.
    let (code, refused) = app
        .post(
            "/system/activate",
            json!({"cloud_url": "http://127.0.0.1:9/", "api_key": "kh_test_key"}),
        )
        .await;
    assert_eq!(
        (code, refused["error"]["code"].as_str()),
        (503, Some("unavailable")),
        "{refused}"
    );
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("Cannot reach HQ")
    );
    assert!(
        !refused.to_string().contains("kh_test_key"),
        "the key is never echoed"
    );
    let (_, still) = app.get("/system/status").await;
    assert_eq!(still["data"]["status"], "unconfigured");
    let (_, health) = app.get("/health").await;
    assert_eq!(health["data"]["status"], "ok");
}

/// Issue 11, item 10: half-sent requests are cut off and the cashier's app keeps working.
#[tokio::test]
async fn half_sent_requests_are_cut_off_and_the_server_keeps_answering() {
    let app =
        common::spawn_app_with(&[("KH_HEADER_TIMEOUT_SECS", "1"), ("KH_MAX_CONNECTIONS", "4")])
            .await;
    let addr = app.running.as_ref().unwrap().addr;
    kh_test_support::half_sent_requests_are_cut_off(addr, 10, std::time::Duration::from_secs(60))
        .await;
    let (status, _) = app.get("/health").await;
    assert_eq!(status, 200);
}

/// Issue 11, item 11: a field named twice, a leap second and a category of invisible
/// characters are refused, each naming its field.
#[tokio::test]
async fn ambiguous_and_invisible_input_is_refused_by_field() {
    let app = spawn_app().await;
    let send = |body: String| {
        let (client, url) = (app.client.clone(), format!("{}/transactions", app.base));
        async move {
            let r = client
                .post(url)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        }
    };
    for (body, field) in [
        (
            r#"{"type": "IN", "amount": 1000, "amount": 1000000, "category": "Penjualan"}"#.to_owned(),
            "amount",
        ),
        (
            r#"{"type": "IN", "amount": 1000, "category": "Penjualan", "occurred_at": "2016-12-31T23:59:60.500Z"}"#
                .to_owned(),
            "occurred_at",
        ),
        (
            "{\"type\": \"IN\", \"amount\": 1000, \"category\": \"\u{200B}\u{200B}\"}".to_owned(),
            "category",
        ),
    ] {
        let (status, answer) = send(body.clone()).await;
        assert_eq!(status, 400, "{body}: {answer}");
        assert_eq!(answer["error"]["code"], "validation_failed", "{answer}");
        assert_eq!(answer["error"]["details"][0]["field"], field, "{answer}");
    }
    let (_, summary) = app.get("/dashboard/summary").await;
    assert_eq!(
        summary["data"]["transaction_count"], 0,
        "nothing was stored"
    );
}

/// Issue 12: each validation detail names its rule and number beside the English text, so the
/// app can say it in Indonesian.
#[tokio::test]
async fn validation_details_carry_a_machine_readable_rule() {
    let app = spawn_app().await;
    let (status, body) = app
        .post(
            "/transactions",
            json!({"type": "SIDEWAYS", "amount": 0, "category": "x".repeat(51)}),
        )
        .await;
    assert_eq!(status, 400);
    let details = body["error"]["details"].as_array().unwrap();
    let detail = |field: &str| {
        details
            .iter()
            .find(|d| d["field"] == field)
            .unwrap_or_else(|| panic!("no detail for {field}: {body}"))
            .clone()
    };
    assert_eq!(detail("category")["rule"], "max_length");
    assert_eq!(detail("category")["limit"], 50);
    assert_eq!(detail("amount")["rule"], "range");
    assert_eq!(detail("amount")["min"], 1);
    assert_eq!(detail("amount")["limit"], 1_000_000_000_000_i64);
    assert_eq!(detail("type")["rule"], "one_of");
    let (_, missing) = app.post("/transactions", json!({"type": "IN"})).await;
    assert_eq!(
        missing["error"]["details"][0]["rule"], "required",
        "{missing}"
    );
}

/// Tutup kasir (DESIGN 11): a shift opens with a float, takes the entries made while open
/// (cash channels move the drawer, QRIS does not), closes with a count Rp 5.000 short and a
/// note, and is closed once; bad counts and unknown shifts get an envelope.
#[tokio::test]
async fn a_shift_counts_the_drawer_against_the_book_and_closes_once() {
    let app = spawn_app().await;
    let (status, current) = app.get("/shifts/current").await;
    assert_eq!(status, 200);
    assert_eq!(
        current["data"],
        json!({"shift": null, "suggested_float": null})
    );
    let (status, opened) = app.post("/shifts", json!({"opening_float": 200_000})).await;
    assert_eq!(status, 201, "{opened}");
    let id = opened["data"]["id"].as_str().unwrap().to_owned();
    let (status, again) = app.post("/shifts", json!({"opening_float": 0})).await;
    assert_eq!(
        (status, again["error"]["code"].as_str()),
        (409, Some("conflict"))
    );

    let (_, lists) = app.get("/lists").await;
    let qris = lists["data"]["channels"][1]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for body in [
        json!({"type": "IN", "amount": 50_000, "category": "Penjualan"}),
        json!({"type": "OUT", "amount": 15_000, "category": "Parkir"}),
        json!({"type": "IN", "amount": 70_000, "category": "Penjualan", "channel_id": qris}),
    ] {
        let (status, body) = app.post("/transactions", body).await;
        assert_eq!(status, 201, "{body}");
    }
    let (_, current) = app.get("/shifts/current").await;
    let so_far = &current["data"]["shift"];
    assert_eq!(
        (
            so_far["cash_in"].as_i64(),
            so_far["cash_out"].as_i64(),
            so_far["expected"].as_i64()
        ),
        (Some(50_000), Some(15_000), Some(235_000))
    );

    // Rp 230.000 counted: 5.000 short, which needs a note.
    let counts = json!({"note_100000": 2, "note_20000": 1, "note_10000": 1});
    let close = format!("/shifts/{id}/close");
    let (status, refused) = app.post(&close, json!({"counts": counts})).await;
    assert_eq!(status, 400, "{refused}");
    assert_eq!(refused["error"]["details"][0]["field"], "note");
    for bad in [
        json!({"counts": {"note_100000": -1}}),
        json!({"counts": {"note_3000": 1}}),
        json!({"counts": {"note_100000": "dua"}}),
        json!({"counts": {"coin_100": 100_001}}),
    ] {
        let (status, body) = app.post(&close, bad.clone()).await;
        assert_eq!(status, 400, "{bad}: {body}");
    }
    let (status, closed) = app
        .post(
            &close,
            json!({"counts": counts, "note": "kurang lima ribu"}),
        )
        .await;
    assert_eq!(status, 200, "{closed}");
    let report = &closed["data"];
    assert_eq!(
        (
            report["status"].as_str(),
            report["expected"].as_i64(),
            report["counted"].as_i64(),
            report["difference"].as_i64()
        ),
        (Some("closed"), Some(235_000), Some(230_000), Some(-5_000))
    );
    assert_eq!(report["counts"]["note_100000"], 2);
    assert_eq!(report["close_note"], "kurang lima ribu");
    // Closed once: a second close is a conflict and changes nothing.
    let (status, body) = app
        .post(
            &close,
            json!({"counts": {"note_100000": 3}, "note": "lagi"}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("conflict"))
    );
    let (_, report_again) = app.get(&format!("/shifts/{id}")).await;
    assert_eq!(report_again["data"]["counted"], 230_000);
    // The next shift's float is suggested from this count.
    let (_, current) = app.get("/shifts/current").await;
    assert_eq!(current["data"]["suggested_float"], 230_000);
    let (_, listed) = app.get("/shifts").await;
    assert_eq!(listed["data"]["total"], 1);
    let unknown = uuid::Uuid::new_v4();
    let (status, _) = app.get(&format!("/shifts/{unknown}")).await;
    assert_eq!(status, 404);
    let (status, _) = app
        .post(&format!("/shifts/{unknown}/close"), json!({"counts": {}}))
        .await;
    assert_eq!(status, 404);
    let (status, _) = app.get("/shifts/bukan-id").await;
    assert_eq!(status, 400);
    for bad in [
        "?page=0",
        "?page=2147483648",
        "?limit=101",
        "?limit=x",
        "?sort=1",
    ] {
        let (status, body) = app.get(&format!("/shifts{bad}")).await;
        assert_eq!(status, 400, "{bad}: {body}");
    }
}
