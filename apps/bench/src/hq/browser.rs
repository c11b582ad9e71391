//! Sign-in to figures on screen in Chromium: runs `ui/e2e/bench-console.mjs` (playwright-core
//! and Debian's Chromium, both already on the machine; nothing is installed) against the
//! in-process kh-cloud, which serves the console built into it.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// Why the browser timing cannot run here, if it cannot.
fn missing(ui_dir: &Path, chromium: &str) -> Option<String> {
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        return Some("node is not on PATH".into());
    }
    if !Path::new(chromium).exists() {
        return Some(format!("{chromium} is missing (set CHROMIUM_PATH)"));
    }
    let script = ui_dir.join("e2e/bench-console.mjs");
    if !script.exists() {
        return Some(format!(
            "{} is missing (run from the repository root or pass --ui-dir)",
            script.display()
        ));
    }
    if !ui_dir.join("node_modules/playwright-core").exists() {
        return Some(format!(
            "{}/node_modules has no playwright-core (cd ui && npm ci)",
            ui_dir.display()
        ));
    }
    None
}

/// Times `runs` sign-ins and prints the median; `cash` is the balance the page must show.
pub(super) async fn run(
    ui_dir: &Path,
    base: &str,
    user: (&str, &str),
    runs: usize,
    cash: i64,
) -> anyhow::Result<()> {
    let chromium = std::env::var("CHROMIUM_PATH").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if let Some(why) = missing(ui_dir, &chromium) {
        println!("\nChromium: skipped ({why}).");
        return Ok(());
    }
    let mut command = Command::new("node");
    command
        .arg("e2e/bench-console.mjs")
        .current_dir(ui_dir)
        .env("KH_BENCH_URL", base)
        .env("KH_BENCH_EMAIL", user.0)
        .env("KH_BENCH_PASSWORD", user.1)
        .env("KH_BENCH_RUNS", runs.to_string())
        .env("KH_BENCH_EXPECT_CASH", cash.to_string())
        .env("CHROMIUM_PATH", &chromium);
    // The server answers on this process's runtime: wait for node on a blocking thread.
    let output = tokio::task::spawn_blocking(move || command.output()).await??;
    let stdout = String::from_utf8_lossy(&output.stdout);
    anyhow::ensure!(
        output.status.success(),
        "bench-console.mjs failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    println!(
        "\nChromium (headless, {runs} sign-ins, each in a fresh context with an empty cache):\n"
    );
    for line in stdout.lines().filter(|l| !l.starts_with("RESULT ")) {
        println!("    {line}");
    }
    let result: Value = stdout
        .lines()
        .find_map(|l| l.strip_prefix("RESULT "))
        .map(serde_json::from_str)
        .transpose()?
        .ok_or_else(|| anyhow::anyhow!("bench-console.mjs printed no RESULT line"))?;
    let f = |key: &str| result[key].as_f64().unwrap_or(f64::NAN);
    println!(
        "\nSign-in click to the overview's figures on screen: median {:.0} ms (min {:.0}, max {:.0}; target < 1000 ms). Cash position alone: median {:.0} ms; chart drawn: median {:.0} ms.",
        f("median_usable"),
        f("min_usable"),
        f("max_usable"),
        f("median_cash"),
        f("median_chart"),
    );
    Ok(())
}
