//! Slows down key and token guessing: after too many failed authentications from one client
//! address, every authenticated endpoint answers 429 for that address until its window ends.
//!
//! The counts live in this process's memory only: a restart forgets them, and several HQ
//! processes behind one load balancer would each count on their own.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Failed authentications allowed per client within one window; the next request is refused.
pub(crate) const MAX_FAILURES: u32 = 20;
/// How long a client's failures are remembered, counted from its first failure.
pub(crate) const WINDOW: Duration = Duration::from_secs(60);
/// The most clients tracked one by one; past it, newcomers share one bucket.
const MAX_TRACKED: usize = 10_000;

/// Whose failures a request counts towards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Bucket {
    /// One client address (an IPv6 client by its /64, which one host usually owns whole).
    Client(IpAddr),
    /// Requests without a known peer address, and newcomers while the table is full.
    Shared,
}

impl Bucket {
    /// The bucket of a peer address, if the server knows it.
    pub(crate) fn of(peer: Option<IpAddr>) -> Self {
        match peer {
            None => Self::Shared,
            Some(IpAddr::V4(v4)) => Self::Client(IpAddr::V4(v4)),
            Some(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
                Some(v4) => Self::Client(IpAddr::V4(v4)),
                None => {
                    let prefix = u128::from(v6) & (u128::MAX << 64);
                    Self::Client(IpAddr::V6(prefix.into()))
                }
            },
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Window {
    started: Instant,
    failures: u32,
}

/// Counts failed authentications per [`Bucket`] in fixed windows.
#[derive(Debug)]
pub(crate) struct FailedAuthLimiter {
    max_failures: u32,
    window: Duration,
    max_tracked: usize,
    windows: Mutex<HashMap<Bucket, Window>>,
}

impl Default for FailedAuthLimiter {
    fn default() -> Self {
        Self::new(MAX_FAILURES, WINDOW, MAX_TRACKED)
    }
}

impl FailedAuthLimiter {
    fn new(max_failures: u32, window: Duration, max_tracked: usize) -> Self {
        Self {
            max_failures,
            window,
            max_tracked,
            windows: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Bucket, Window>> {
        // A panic elsewhere while holding the lock leaves only counters behind; keep using them.
        self.windows.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn ends(&self, w: &Window) -> Instant {
        w.started + self.window
    }

    /// `Err(wait)` when `bucket` used up its failures and must wait `wait` before trying again.
    pub(crate) fn check(&self, bucket: Bucket, now: Instant) -> Result<(), Duration> {
        let mut windows = self.lock();
        let Some(w) = windows.get(&bucket).copied() else {
            return Ok(());
        };
        let ends = self.ends(&w);
        if now >= ends {
            windows.remove(&bucket);
            Ok(())
        } else if w.failures >= self.max_failures {
            Err(ends - now)
        } else {
            Ok(())
        }
    }

    /// Counts one failed authentication; true when this failure used up the bucket's allowance.
    pub(crate) fn record_failure(&self, bucket: Bucket, now: Instant) -> bool {
        let mut windows = self.lock();
        let mut bucket = bucket;
        if !windows.contains_key(&bucket) && windows.len() >= self.max_tracked {
            let window = self.window;
            windows.retain(|_, w| now < w.started + window);
            if windows.len() >= self.max_tracked {
                bucket = Bucket::Shared;
            }
        }
        let fresh = Window {
            started: now,
            failures: 0,
        };
        let w = windows.entry(bucket).or_insert(fresh);
        if now >= w.started + self.window {
            *w = fresh;
        }
        w.failures = w.failures.saturating_add(1);
        w.failures == self.max_failures
    }

    #[cfg(test)]
    fn tracked(&self) -> usize {
        self.lock().len()
    }
}

#[cfg(test)]
mod tests {
    use std::net::{Ipv4Addr, Ipv6Addr};

    use super::*;

    fn ip(last: u8) -> Bucket {
        Bucket::of(Some(IpAddr::V4(Ipv4Addr::new(203, 0, 113, last))))
    }

    #[test]
    fn blocks_after_the_allowance_until_the_window_ends() {
        let limiter = FailedAuthLimiter::new(3, Duration::from_secs(60), 100);
        let t0 = Instant::now();
        assert!(!limiter.record_failure(ip(1), t0));
        assert!(!limiter.record_failure(ip(1), t0 + Duration::from_secs(1)));
        assert_eq!(limiter.check(ip(1), t0 + Duration::from_secs(2)), Ok(()));
        assert!(limiter.record_failure(ip(1), t0 + Duration::from_secs(2)));
        assert_eq!(
            limiter.check(ip(1), t0 + Duration::from_secs(10)),
            Err(Duration::from_secs(50))
        );
        // Another address is not affected.
        assert_eq!(limiter.check(ip(2), t0 + Duration::from_secs(10)), Ok(()));
        // The window passes: allowed again, with a fresh count.
        assert_eq!(limiter.check(ip(1), t0 + Duration::from_secs(60)), Ok(()));
        assert!(!limiter.record_failure(ip(1), t0 + Duration::from_secs(61)));
        assert_eq!(limiter.check(ip(1), t0 + Duration::from_secs(62)), Ok(()));
    }

    #[test]
    fn a_stale_window_restarts_on_the_next_failure() {
        let limiter = FailedAuthLimiter::new(2, Duration::from_secs(60), 100);
        let t0 = Instant::now();
        limiter.record_failure(ip(1), t0);
        // The first failure is older than the window, so this is failure 1 of a new window.
        assert!(!limiter.record_failure(ip(1), t0 + Duration::from_secs(61)));
        assert_eq!(limiter.check(ip(1), t0 + Duration::from_secs(62)), Ok(()));
    }

    #[test]
    fn memory_stays_bounded_by_pruning_and_sharing() {
        let limiter = FailedAuthLimiter::new(2, Duration::from_secs(60), 3);
        let t0 = Instant::now();
        for n in 1..=3 {
            limiter.record_failure(ip(n), t0);
        }
        // Full of live windows: a newcomer counts in the shared bucket.
        limiter.record_failure(ip(4), t0 + Duration::from_secs(1));
        assert_eq!(limiter.tracked(), 4);
        limiter.record_failure(ip(5), t0 + Duration::from_secs(1));
        assert!(
            limiter
                .check(Bucket::Shared, t0 + Duration::from_secs(2))
                .is_err()
        );
        assert_eq!(limiter.tracked(), 4);
        // Once the old windows expire they are pruned and newcomers get their own bucket.
        limiter.record_failure(ip(6), t0 + Duration::from_secs(61));
        assert!(limiter.tracked() <= 3);
        assert_eq!(limiter.check(ip(1), t0 + Duration::from_secs(61)), Ok(()));
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_64_prefix() {
        let a: Ipv6Addr = "2001:db8:1:2::1".parse().unwrap();
        let b: Ipv6Addr = "2001:db8:1:2:ffff::9".parse().unwrap();
        let c: Ipv6Addr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(
            Bucket::of(Some(IpAddr::V6(a))),
            Bucket::of(Some(IpAddr::V6(b)))
        );
        assert_ne!(
            Bucket::of(Some(IpAddr::V6(a))),
            Bucket::of(Some(IpAddr::V6(c)))
        );
        let mapped: Ipv6Addr = "::ffff:203.0.113.1".parse().unwrap();
        assert_eq!(Bucket::of(Some(IpAddr::V6(mapped))), ip(1));
        assert_eq!(Bucket::of(None), Bucket::Shared);
    }
}
