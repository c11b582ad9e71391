//! `spawn_app()`: a whole kh-local on port 0 with its own fresh database.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;

use config::Environment;
use kh_local::{Cli, Running, Settings, start};
use kh_test_support::Api;

/// A running kh-local; derefs to its [`Api`] (`app.get(..)`, `app.post(..)`, `app.base`).
pub struct TestApp {
    pub running: Option<Running>,
    pub api: Api,
    pub dir: tempfile::TempDir,
}

impl std::ops::Deref for TestApp {
    type Target = Api;

    fn deref(&self) -> &Api {
        &self.api
    }
}

pub fn settings_for(dir: &std::path::Path, vars: &[(&str, &str)]) -> Settings {
    kh_test_support::init_test_log();
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
    kh_test_support::init_test_log();
    let dir = tempfile::tempdir().unwrap();
    let running = start(&settings_for(dir.path(), vars), None).await.unwrap();
    let api = Api::new(running.api_url());
    TestApp {
        running: Some(running),
        api,
        dir,
    }
}

impl TestApp {
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
        self.api = Api::new(running.api_url());
        self.running = Some(running);
    }
}
