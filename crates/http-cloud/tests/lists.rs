//! HQ's lists through the router: the admin manages them, a branch reads what changed.

mod common;

use axum::http::StatusCode;
use common::*;
use kh_domain::{ChannelKind, ChannelName, Lists, PaymentChannel};
use kh_ports::{HqError, MockBranchDirectory, MockHqLedger, MockHqLists};

fn app(lists: MockHqLists) -> axum::Router {
    app_with_lists(
        keyed_directory(branch("JKT-01", false)),
        MockHqLedger::new(),
        lists,
        admin_config(),
    )
}

#[tokio::test]
async fn a_branch_reads_what_changed_after_its_version() {
    let mut lists = MockHqLists::new();
    lists
        .expect_lists_since()
        .withf(|since| *since == 7)
        .returning(|_| {
            let mut l = Lists::defaults();
            l.version = 9;
            l.categories.clear();
            l.channels.truncate(2);
            l.allow_new_categories = false;
            Ok(l)
        });
    let app = app(lists);
    let (status, body) = send(
        &app,
        request("GET", "/sync/config?since=7", Some(KEY), None),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let data = &body["data"];
    assert_eq!(data["version"], 9);
    assert_eq!(data["allow_new_categories"], false);
    assert_eq!(data["channels"][0]["name"], "Tunai");
    assert_eq!(data["channels"][0]["kind"], "cash");
    assert_eq!(data["channels"][1]["kind"], "non_cash");
    assert_eq!(data["categories"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn config_needs_a_branch_key_and_a_readable_version() {
    let mut lists = MockHqLists::new();
    lists.expect_lists_since().never();
    let app = app(lists);
    let (status, body) = send(&app, request("GET", "/sync/config", None, None)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    let (status, body) = send(&app, request("GET", "/sync/config", Some(ADMIN), None)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    for bad in ["-1", "abc", "99999999999999999999", "", "+5", "%205"] {
        let (status, body) = send(
            &app,
            request("GET", &format!("/sync/config?since={bad}"), Some(KEY), None),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
        assert_eq!(body["error"]["details"][0]["field"], "since", "{body}");
    }
}

#[tokio::test]
async fn the_admin_adds_and_changes_items_and_bad_input_is_named() {
    let mut lists = MockHqLists::new();
    lists
        .expect_add_channel()
        .withf(|name, kind, _| name.as_str() == "GoPay" && *kind == ChannelKind::NonCash)
        .returning(|name, kind, _| {
            Ok(PaymentChannel {
                id: kh_domain::ChannelId::new_v4(),
                name,
                kind,
                active: true,
            })
        });
    lists.expect_change_channel().returning(|id, change, _| {
        Ok(PaymentChannel {
            id,
            name: change
                .name
                .unwrap_or_else(|| ChannelName::parse("name", "QRIS").unwrap()),
            kind: ChannelKind::NonCash,
            active: change.active.unwrap_or(true),
        })
    });
    lists
        .expect_add_category()
        .returning(|name, _, _| Err(HqError::NameTaken(format!("{} exists", name.as_str()))));
    let app = app(lists);

    let (status, body) = send(
        &app,
        admin(
            "POST",
            "/lists/channels",
            Some(r#"{"name":" GoPay ","kind":"non_cash"}"#),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["data"]["name"], "GoPay");
    assert_eq!(body["data"]["active"], true);

    let id = kh_domain::ChannelId::new_v4();
    let (status, body) = send(
        &app,
        admin(
            "PATCH",
            &format!("/lists/channels/{id}"),
            Some(r#"{"active":false}"#),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"]["active"], false);

    // A channel's kind never changes: the field is refused, not ignored.
    let (status, body) = send(
        &app,
        admin(
            "PATCH",
            &format!("/lists/channels/{id}"),
            Some(r#"{"kind":"cash"}"#),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");

    let (status, body) = send(
        &app,
        admin(
            "POST",
            "/lists/channels",
            Some(r#"{"name":"","kind":"card"}"#),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let fields: Vec<&str> = body["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["name", "kind"]);

    let (status, body) = send(
        &app,
        admin(
            "POST",
            "/lists/categories",
            Some(r#"{"name":"Gaji","type":"OUT"}"#),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");

    let (status, body) = send(
        &app,
        admin("PATCH", "/lists/channels/QRIS", Some(r#"{"active":false}"#)),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["details"][0]["field"], "id");
}

#[tokio::test]
async fn a_branch_key_cannot_change_the_lists() {
    let mut lists = MockHqLists::new();
    lists.expect_add_category().never();
    lists.expect_set_allow_new_categories().never();
    let app = app_with_lists(
        keyed_directory(branch("JKT-01", false)),
        MockHqLedger::new(),
        lists,
        admin_config(),
    );
    let (status, _) = send(
        &app,
        request(
            "POST",
            "/lists/categories",
            Some(KEY),
            Some(r#"{"name":"Parkir","type":"OUT"}"#),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = send(
        &app,
        request(
            "PUT",
            "/lists/settings",
            None,
            Some(r#"{"allow_new_categories":false}"#),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let _ = MockBranchDirectory::new();
}
