//! `spawn_app()`: a whole kh-local on port 0 with its own fresh database.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;

use config::Environment;
use kh_local::{Cli, Running, Settings, start};
use serde_json::Value;

pub struct TestApp {
    pub running: Option<Running>,
    pub base: String,
    pub client: reqwest::Client,
    pub dir: tempfile::TempDir,
}

pub fn settings_for(dir: &std::path::Path, vars: &[(&str, &str)]) -> Settings {
    let mut map: HashMap<String, String> = HashMap::new();
    map.insert("KH_HTTP_ADDR".into(), "127.0.0.1:0".into());
    for (k, v) in vars {
        map.insert((*k).into(), (*v).into());
    }
    let cli = Cli {
        data_dir: Some(dir.to_path_buf()),
        ..Cli::default()
    };
    Settings::load_from(
        &cli,
        Environment::with_prefix("KH")
            .prefix_separator("_")
            .source(Some(map)),
    )
    .unwrap()
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// [`spawn_app`] with extra `KH_*` settings.
pub async fn spawn_app_with(vars: &[(&str, &str)]) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let running = start(&settings_for(dir.path(), vars), None).await.unwrap();
    let base = running.api_url();
    TestApp {
        running: Some(running),
        base,
        client: reqwest::Client::new(),
        dir,
    }
}

impl TestApp {
    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .json(&body)
            .send()
            .await
            .unwrap();
        Self::read(response).await
    }

    pub async fn post_raw(
        &self,
        path: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> (u16, Value) {
        let mut request = self.client.post(format!("{}{path}", self.base)).body(body);
        if let Some(ct) = content_type {
            request = request.header("content-type", ct);
        }
        Self::read(request.send().await.unwrap()).await
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        Self::read(response).await
    }

    async fn read(response: reqwest::Response) -> (u16, Value) {
        let status = response.status().as_u16();
        let bytes = response.bytes().await.unwrap();
        let body: Value = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| panic!("not a JSON envelope: {}", String::from_utf8_lossy(&bytes)));
        assert!(
            body.get("success").is_some() && body.get("message").is_some(),
            "not an envelope: {body}"
        );
        (status, body)
    }

    pub async fn stop(&mut self) {
        if let Some(running) = self.running.take() {
            running.shutdown().await.unwrap();
        }
    }

    /// Stops (if running), then starts again on the same database with `vars` (on a new port).
    pub async fn restart_with(&mut self, vars: &[(&str, &str)]) {
        self.stop().await;
        let running = start(&settings_for(self.dir.path(), vars), None)
            .await
            .unwrap();
        self.base = running.api_url();
        self.running = Some(running);
    }
}
