//! Latency samples and the printed table.

use std::time::Duration;

/// Latencies of one measured operation.
#[derive(Debug, Default, Clone)]
pub struct Samples {
    pub latencies: Vec<Duration>,
    pub wall: Duration,
}

impl Samples {
    pub fn percentile(&self, p: f64) -> Duration {
        let mut sorted = self.latencies.clone();
        sorted.sort_unstable();
        if sorted.is_empty() {
            return Duration::ZERO;
        }
        let rank = ((p / 100.0) * (sorted.len() as f64 - 1.0)).round() as usize;
        sorted[rank.min(sorted.len() - 1)]
    }

    pub fn per_second(&self) -> f64 {
        self.latencies.len() as f64 / self.wall.as_secs_f64()
    }
}

pub fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1_000.0)
}

/// One row: what, ours, raw, ratio (ours / raw, or raw / ours for rates).
pub fn row(what: &str, ours: String, raw: String, ratio: f64, note: &str) {
    println!("| {what} | {ours} | {raw} | {ratio:.2} | {note} |");
}

pub fn header(title: &str) {
    println!("\n### {title}\n");
    println!("| operation | Haramain Finance | raw SQLite | ratio | target |");
    println!("|---|---|---|---|---|");
}
