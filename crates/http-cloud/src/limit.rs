//! Slows down key and token guessing: after too many failed authentications from one client
//! address, every authenticated endpoint answers 429 for that address until its window ends.
//!
//! An attempt takes its place in the count *before* the credential is checked
//! ([`FailedAuthLimiter::begin`]) and gives it back only if the credential was right, so a
//! burst of parallel guesses cannot all pass the check before the first failure is counted.
//! The table is bounded: when it is full, the client whose window started first is forgotten
//! (every address, newcomers included, is counted on its own; none skips the limit).
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
/// The most clients tracked one by one; past it, the oldest window is forgotten.
const MAX_TRACKED: usize = 10_000;
/// What a client whose allowance is taken up by attempts still being checked is told to wait.
const BUSY_WAIT: Duration = Duration::from_secs(1);

/// Whose failures a request counts towards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Bucket {
    /// One client address (an IPv6 client by its /64, which one host usually owns whole).
    Client(IpAddr),
    /// Requests without a known peer address.
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
    /// Attempts that took a place and whose credential is still being checked.
    in_flight: u32,
}

impl Window {
    fn fresh(now: Instant) -> Self {
        Self {
            started: now,
            failures: 0,
            in_flight: 0,
        }
    }
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

/// One authentication attempt holding its place in its client's count. Settle it with
/// [`Attempt::succeeded`] or [`Attempt::failed`]; dropping it unsettled gives the place back.
#[derive(Debug)]
pub(crate) struct Attempt<'a> {
    limiter: &'a FailedAuthLimiter,
    bucket: Bucket,
    settled: bool,
}

impl Attempt<'_> {
    /// The credential was right: the place is given back.
    pub(crate) fn succeeded(mut self) {
        self.settled = true;
        self.limiter.release(self.bucket, false, Instant::now());
    }

    /// The credential was wrong: the place becomes a failure. True when this failure used up
    /// the client's allowance.
    pub(crate) fn failed(mut self) -> bool {
        self.settled = true;
        self.limiter.release(self.bucket, true, Instant::now())
    }
}

impl Drop for Attempt<'_> {
    fn drop(&mut self) {
        if !self.settled {
            self.limiter.release(self.bucket, false, Instant::now());
        }
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

    /// Takes a place for one attempt of `bucket`, in the same step as checking there is one:
    /// `Err(wait)` when failures and attempts in flight fill the allowance.
    pub(crate) fn begin(&self, bucket: Bucket, now: Instant) -> Result<Attempt<'_>, Duration> {
        self.begin_at(bucket, now)
    }

    fn begin_at(&self, bucket: Bucket, now: Instant) -> Result<Attempt<'_>, Duration> {
        let mut windows = self.lock();
        if !windows.contains_key(&bucket) && windows.len() >= self.max_tracked {
            self.make_room(&mut windows, now);
        }
        let w = windows.entry(bucket).or_insert_with(|| Window::fresh(now));
        if now >= w.started + self.window {
            *w = Window {
                in_flight: w.in_flight,
                ..Window::fresh(now)
            };
        }
        if w.failures >= self.max_failures {
            return Err(w.started + self.window - now);
        }
        if w.failures.saturating_add(w.in_flight) >= self.max_failures {
            return Err(BUSY_WAIT);
        }
        w.in_flight += 1;
        Ok(Attempt {
            limiter: self,
            bucket,
            settled: false,
        })
    }

    fn release(&self, bucket: Bucket, failed: bool, now: Instant) -> bool {
        let mut windows = self.lock();
        let Some(w) = windows.get_mut(&bucket) else {
            // Forgotten to make room meanwhile: count the failure in a window of its own.
            if failed && windows.len() < self.max_tracked {
                let mut w = Window::fresh(now);
                w.failures = 1;
                windows.insert(bucket, w);
                return self.max_failures == 1;
            }
            return false;
        };
        w.in_flight = w.in_flight.saturating_sub(1);
        if !failed {
            if w.failures == 0 && w.in_flight == 0 {
                windows.remove(&bucket);
            }
            return false;
        }
        if now >= w.started + self.window {
            *w = Window {
                in_flight: w.in_flight,
                ..Window::fresh(now)
            };
        }
        w.failures = w.failures.saturating_add(1);
        w.failures == self.max_failures
    }

    /// Drops expired windows; if the table is still full, forgets the oldest window.
    fn make_room(&self, windows: &mut HashMap<Bucket, Window>, now: Instant) {
        let window = self.window;
        windows.retain(|_, w| w.in_flight > 0 || now < w.started + window);
        if windows.len() >= self.max_tracked
            && let Some(oldest) = windows
                .iter()
                .min_by_key(|(_, w)| (w.in_flight > 0, w.started))
                .map(|(b, _)| *b)
        {
            windows.remove(&oldest);
        }
    }

    #[cfg(test)]
    fn tracked(&self) -> usize {
        self.lock().len()
    }

    #[cfg(test)]
    fn check(&self, bucket: Bucket, now: Instant) -> Result<(), Duration> {
        self.begin_at(bucket, now).map(drop)
    }

    #[cfg(test)]
    fn record_failure(&self, bucket: Bucket, now: Instant) -> bool {
        match self.begin_at(bucket, now) {
            Ok(mut attempt) => {
                attempt.settled = true;
                self.release(bucket, true, now)
            }
            Err(_) => false,
        }
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
    fn memory_stays_bounded_and_a_newcomer_to_a_full_table_is_still_limited() {
        let limiter = FailedAuthLimiter::new(2, Duration::from_secs(60), 3);
        let t0 = Instant::now();
        for n in 1..=3 {
            limiter.record_failure(ip(n), t0 + Duration::from_secs(u64::from(n)));
        }
        assert_eq!(limiter.tracked(), 3);
        // Full of live windows: the oldest (ip 1) is forgotten, the newcomer counted alone.
        let t = t0 + Duration::from_secs(10);
        limiter.record_failure(ip(4), t);
        assert!(limiter.record_failure(ip(4), t));
        assert!(limiter.check(ip(4), t).is_err(), "the newcomer is limited");
        assert_eq!(limiter.tracked(), 3);
        assert_eq!(limiter.check(ip(2), t), Ok(()));
        // Once the old windows expire they are pruned.
        limiter.record_failure(ip(9), t0 + Duration::from_secs(200));
        assert!(limiter.tracked() <= 3);
    }

    #[test]
    fn parallel_attempts_take_their_places_before_any_is_checked() {
        let limiter = FailedAuthLimiter::new(20, Duration::from_secs(60), 100);
        let t0 = Instant::now();
        // 1,000 guesses arrive together: only 20 may be checked at all.
        let attempts: Vec<_> = (0..1000)
            .filter_map(|_| limiter.begin_at(ip(1), t0).ok())
            .collect();
        assert_eq!(attempts.len(), 20);
        let used_up = attempts
            .into_iter()
            .map(Attempt::failed)
            .filter(|u| *u)
            .count();
        assert_eq!(used_up, 1, "the 20th failure uses up the allowance, once");
        assert_eq!(
            limiter.check(ip(1), t0 + Duration::from_secs(1)),
            Err(Duration::from_secs(59))
        );
        // Right credentials give their places back and leave nothing tracked.
        let other = FailedAuthLimiter::new(2, Duration::from_secs(60), 100);
        for _ in 0..10 {
            other.begin_at(ip(2), t0).unwrap().succeeded();
        }
        assert_eq!(other.tracked(), 0);
        // An attempt dropped unsettled (the request was cancelled) is not a failure.
        drop(other.begin_at(ip(3), t0).unwrap());
        assert_eq!(other.tracked(), 0);
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
