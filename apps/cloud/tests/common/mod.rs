//! Helpers for whole-server HQ tests on a real PostgreSQL (a fresh database per test).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;

use kh_cloud::{Running, Settings, start};
use kh_test_support::Api;
use serde_json::{Value, json};

pub const ADMIN: &str = "test-admin-token-0123456789";

pub fn admin_url() -> String {
    std::env::var("KH_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

pub async fn fresh_database() -> String {
    kh_adapters_postgres::create_test_database(&admin_url())
        .await
        .unwrap_or_else(|e| {
            panic!("PostgreSQL is required ({e}); start it or set KH_TEST_DATABASE_URL")
        })
}

pub fn settings(database_url: &str, extra: &[(&str, &str)]) -> Settings {
    let mut vars: HashMap<String, String> = HashMap::new();
    vars.insert("KH_DATABASE_URL".into(), database_url.into());
    vars.insert("KH_HTTP_ADDR".into(), "127.0.0.1:0".into());
    vars.insert("KH_ADMIN_TOKEN".into(), ADMIN.into());
    vars.insert("KH_DB_WAIT_SECS".into(), "10".into());
    for (k, v) in extra {
        vars.insert((*k).into(), (*v).into());
    }
    Settings::from_vars(&vars).unwrap()
}

/// A running kh-cloud; derefs to its [`Api`] without a token (`hq.get(..)`, `hq.base`).
pub struct Hq {
    pub running: Option<Running>,
    pub api: Api,
    /// The same API with the admin token.
    pub admin: Api,
}

impl std::ops::Deref for Hq {
    type Target = Api;

    fn deref(&self) -> &Api {
        &self.api
    }
}

pub async fn spawn_hq(database_url: &str) -> Hq {
    kh_test_support::init_test_log();
    let running = start(&settings(database_url, &[])).await.unwrap();
    let api = Api::new(running.api_url());
    Hq {
        running: Some(running),
        admin: api.with_bearer(ADMIN),
        api,
    }
}

impl Hq {
    pub async fn admin_post(&self, path: &str, body: Value) -> (u16, Value) {
        self.admin.post(path, body).await
    }

    pub async fn admin_get(&self, path: &str) -> (u16, Value) {
        self.admin.get(path).await
    }

    /// Creates a branch; returns (id, key).
    pub async fn branch(&self, code: &str) -> (String, String) {
        let (status, body) = self
            .admin_post(
                "/branches",
                json!({"code": code, "name": format!("Cabang {code}")}),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        (
            body["data"]["id"].as_str().unwrap().to_owned(),
            body["data"]["api_key"].as_str().unwrap().to_owned(),
        )
    }

    pub async fn push(&self, key: &str, rows: &Value) -> (u16, Value) {
        self.api.with_bearer(key).post("/sync/push", rows).await
    }
}

pub fn entry(tx_type: &str, amount: i64) -> Value {
    json!({
        "id": uuid::Uuid::new_v4().to_string(),
        "type": tx_type,
        "amount": amount,
        "category": "Penjualan",
        "description": "nasi kotak",
        "occurred_at": "2025-12-08T03:00:00.000Z",
        "created_at": "2025-12-08T03:00:00.000Z",
    })
}

pub fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}
