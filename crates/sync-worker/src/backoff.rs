//! Capped, jittered exponential backoff.

use std::time::Duration;

/// Delays after consecutive failures: 1 s, 2 s, 4 s … up to `cap`, each shortened by a random
/// part of up to half ("equal jitter") so a fleet of branches does not retry in step.
#[derive(Debug, Clone)]
pub struct Backoff {
    base: Duration,
    cap: Duration,
    failures: u32,
}

impl Backoff {
    /// A backoff starting at `base` and never longer than `cap`.
    pub fn new(base: Duration, cap: Duration) -> Self {
        Self {
            base,
            cap: cap.max(base),
            failures: 0,
        }
    }

    /// The delay after one more failure.
    pub fn next_delay(&mut self) -> Duration {
        let exp = self
            .base
            .saturating_mul(2_u32.saturating_pow(self.failures.min(20)));
        self.failures = self.failures.saturating_add(1);
        let full = exp.min(self.cap);
        let half = full / 2;
        let jitter = u64::from(getrandom::u32().unwrap_or(0))
            % (u64::try_from(half.as_millis()).unwrap_or(0) + 1);
        half + Duration::from_millis(jitter)
    }

    /// Back to the first delay after a success.
    pub fn reset(&mut self) {
        self.failures = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_doubles_stays_under_the_cap_and_resets() {
        let mut b = Backoff::new(Duration::from_secs(1), Duration::from_secs(30));
        let delays: Vec<Duration> = (0..10).map(|_| b.next_delay()).collect();
        for (i, d) in delays.iter().enumerate() {
            let full = Duration::from_secs(1 << i.min(5)).min(Duration::from_secs(30));
            assert!(
                *d >= full / 2 && *d <= full,
                "attempt {i}: {d:?} outside [{:?}, {full:?}]",
                full / 2
            );
        }
        assert!(delays[9] <= Duration::from_secs(30));
        b.reset();
        assert!(b.next_delay() <= Duration::from_secs(1));
    }
}
