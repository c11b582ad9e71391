//! Branch keys recently looked up, so a branch draining its backlog does not pay a database
//! round trip per push just to be recognised.
//!
//! An entry lives [`KEY_TTL`]. This process forgets a branch's entries the moment it rotates,
//! disables or enables that branch; another HQ process behind the same load balancer learns
//! of it within [`KEY_TTL`]. Only keys that were found are kept: a wrong key always asks the
//! database (and counts towards the failed-authentication limit).

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use kh_domain::chrono::{DateTime, Utc};
use kh_domain::{Branch, BranchId, KeyHash};

/// How long a found key is trusted without asking the database again.
pub(crate) const KEY_TTL: Duration = Duration::from_secs(5);
/// Entries kept at most; when full, the cache starts over (a few lookups, nothing lost).
const MAX_ENTRIES: usize = 4_096;

#[derive(Debug)]
struct Entry {
    branch: Branch,
    stored: KeyHash,
    fetched: Instant,
}

/// The cache; cheap to share behind an `Arc`.
#[derive(Debug, Default)]
pub(crate) struct KeyCache {
    entries: Mutex<HashMap<[u8; 32], Entry>>,
}

impl KeyCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<[u8; 32], Entry>> {
        // Only cached copies live here: after a panic elsewhere they are still right.
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The branch and stored hash of `presented`, if looked up less than [`KEY_TTL`] ago.
    pub(crate) fn get(&self, presented: &KeyHash, now: Instant) -> Option<(Branch, KeyHash)> {
        let mut entries = self.lock();
        let entry = entries.get(presented.as_bytes())?;
        if now.duration_since(entry.fetched) < KEY_TTL {
            return Some((entry.branch.clone(), entry.stored.clone()));
        }
        entries.remove(presented.as_bytes());
        None
    }

    /// Remembers a key the database just confirmed.
    pub(crate) fn put(&self, presented: &KeyHash, branch: &Branch, stored: &KeyHash, now: Instant) {
        let mut entries = self.lock();
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(
            *presented.as_bytes(),
            Entry {
                branch: branch.clone(),
                stored: stored.clone(),
                fetched: now,
            },
        );
    }

    /// Keeps a cached branch's `last_seen_at` in step with the database.
    pub(crate) fn seen(&self, id: BranchId, at: DateTime<Utc>) {
        for entry in self.lock().values_mut() {
            if entry.branch.id == id {
                entry.branch.last_seen_at = Some(at);
            }
        }
    }

    /// Forgets every key of a branch whose key or state just changed.
    pub(crate) fn forget(&self, id: BranchId) {
        self.lock().retain(|_, entry| entry.branch.id != id);
    }
}

#[cfg(test)]
mod tests {
    use kh_domain::{ApiKey, BranchCode, BranchName};

    use super::*;

    fn branch() -> Branch {
        Branch {
            id: BranchId::new_v4(),
            code: BranchCode::parse("JKT-01").unwrap(),
            name: BranchName::parse("Jakarta").unwrap(),
            created_at: Utc::now(),
            disabled_at: None,
            last_seen_at: None,
        }
    }

    #[test]
    fn a_key_is_trusted_for_its_lifetime_only_and_forgotten_on_change() {
        let cache = KeyCache::default();
        let key = ApiKey::generate().unwrap().hash();
        let b = branch();
        let t0 = Instant::now();
        cache.put(&key, &b, &key, t0);
        assert_eq!(cache.get(&key, t0 + Duration::from_secs(1)).unwrap().0, b);
        assert!(cache.get(&key, t0 + KEY_TTL).is_none(), "expired");

        cache.put(&key, &b, &key, t0);
        let seen = Utc::now();
        cache.seen(b.id, seen);
        assert_eq!(cache.get(&key, t0).unwrap().0.last_seen_at, Some(seen));
        cache.forget(b.id);
        assert!(
            cache.get(&key, t0).is_none(),
            "a rotated or disabled branch is asked again"
        );
    }
}
