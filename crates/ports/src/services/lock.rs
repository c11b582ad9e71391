//! The branch PC's lock screen (DESIGN 10.2): staff sign in with their PIN, checked offline
//! against the hash HQ sent; five wrong PINs lock the member for five minutes; a session ends
//! after the idle time. A branch with no active staff yet works without it, as before.

use std::sync::Arc;

use kh_domain::chrono::Duration;
use kh_domain::{FieldError, Pin, Rule, SessionToken, StaffId, StaffMember, StaffRole};

use crate::services::ServiceError;
use crate::services::secret::verify_secret;
use crate::{BranchLists, BranchPeople, Clock, PinTry};

/// Wrong PINs in a row that lock a member out.
pub const MAX_WRONG_PINS: u32 = 5;
/// How long a member stays locked out.
pub const PIN_LOCK_MINUTES: i64 = 5;
/// The idle time after which a session ends unless configured (`KH_IDLE_LOCK_MINUTES`).
pub const DEFAULT_IDLE_LOCK_MINUTES: u32 = 10;

/// Who is at the PC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A signed-in member.
    Staff(StaffMember),
    /// Nobody needs to sign in: the branch has no active staff yet.
    Unlocked,
}

impl Actor {
    /// The member, when one is signed in.
    pub fn member(&self) -> Option<&StaffMember> {
        match self {
            Self::Staff(m) => Some(m),
            Self::Unlocked => None,
        }
    }
}

/// The lock screen's names: who may sign in here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roster {
    /// Whether entries need a signed-in member (the branch has active staff).
    pub required: bool,
    /// The active members, by name.
    pub staff: Vec<StaffMember>,
}

/// Signing staff in and out at the branch PC, and checking a supervisor's approval.
#[derive(Clone)]
pub struct LockScreenService {
    lists: Arc<dyn BranchLists>,
    people: Arc<dyn BranchPeople>,
    clock: Arc<dyn Clock>,
    idle: Duration,
}

fn wrong_pin(left: u32) -> ServiceError {
    ServiceError::Unauthorized(format!(
        "Wrong PIN; {left} more wrong and this name is locked for {PIN_LOCK_MINUTES} minutes"
    ))
}

fn locked(seconds: i64) -> ServiceError {
    ServiceError::RateLimited {
        retry_after_secs: u64::try_from(seconds.max(1)).unwrap_or(1),
    }
}

fn sign_in_first() -> ServiceError {
    ServiceError::Unauthorized("Sign in with your name and PIN first (the PC is locked)".into())
}

impl LockScreenService {
    /// A service over the branch's lists (its staff) and lock-screen state; sessions end after
    /// `idle_minutes` without use (at least 1).
    pub fn new(
        lists: Arc<dyn BranchLists>,
        people: Arc<dyn BranchPeople>,
        clock: Arc<dyn Clock>,
        idle_minutes: u32,
    ) -> Self {
        Self {
            lists,
            people,
            clock,
            idle: Duration::minutes(i64::from(idle_minutes.max(1))),
        }
    }

    /// The idle time after which a session ends.
    pub fn idle_minutes(&self) -> i64 {
        self.idle.num_minutes()
    }

    /// Who may sign in here, and whether anybody must.
    pub async fn roster(&self) -> Result<Roster, ServiceError> {
        let staff: Vec<StaffMember> = self
            .lists
            .lists()
            .await?
            .staff
            .into_iter()
            .filter(|m| m.active)
            .collect();
        Ok(Roster {
            required: !staff.is_empty(),
            staff,
        })
    }

    /// Checks a member's PIN, counting a wrong one: a locked member is refused before the PIN
    /// is looked at (429 with the seconds left), a wrong PIN is 401 saying how many tries are
    /// left. Answers the member.
    async fn check_pin(&self, staff_id: &str, pin: &str) -> Result<StaffMember, ServiceError> {
        let id = StaffId::parse("staff_id", staff_id)?;
        let member = self
            .roster()
            .await?
            .staff
            .into_iter()
            .find(|m| m.id == id)
            .ok_or_else(|| {
                ServiceError::ItemNotFound(format!(
                    "No active staff member with id {id} at this branch"
                ))
            })?;
        let now = self.clock.now();
        let until = now + Duration::minutes(PIN_LOCK_MINUTES);
        // Counted before the (slow) check: many attempts sent at once get five tries, not one
        // each.
        let after = match self.people.pin_try(id, MAX_WRONG_PINS, now, until).await? {
            PinTry::Locked(until) => return Err(locked((until - now).num_seconds())),
            PinTry::Counted(after) => after,
        };
        let right = match Pin::presented(pin) {
            Some(pin) => {
                verify_secret(pin.expose().to_owned(), member.pin_hash.as_str().to_owned()).await?
            }
            None => false,
        };
        if right {
            self.people.pin_passed(id).await?;
            return Ok(member);
        }
        // The attempt that locks starts the count over (`failures` 0): the line says so itself.
        match after.locked_until.filter(|u| *u > now) {
            Some(until) => {
                tracing::info!(staff.id = %id, failures = MAX_WRONG_PINS, "wrong PIN; locked");
                Err(locked((until - now).num_seconds()))
            }
            None => {
                tracing::info!(staff.id = %id, failures = after.failures, "wrong PIN");
                Err(wrong_pin(MAX_WRONG_PINS.saturating_sub(after.failures)))
            }
        }
    }

    /// Signs a member in with their PIN; answers the session's token (for the app to send in
    /// `X-KH-Session`) and the member.
    pub async fn sign_in(
        &self,
        staff_id: &str,
        pin: &str,
    ) -> Result<(SessionToken, StaffMember), ServiceError> {
        let member = self.check_pin(staff_id, pin).await?;
        let token = SessionToken::generate().map_err(|e| ServiceError::Internal(e.to_string()))?;
        self.people
            .open_session(&token.hash(), member.id, self.clock.now())
            .await?;
        tracing::info!(staff.id = %member.id, "signed in at the lock screen");
        Ok((token, member))
    }

    /// Who is at the PC: the session's member, or `Unlocked` when the branch has no active
    /// staff. A missing, unknown, idle or deactivated member's session is 401.
    pub async fn actor(&self, token: Option<&str>) -> Result<Actor, ServiceError> {
        let roster = self.roster().await?;
        if !roster.required {
            return Ok(Actor::Unlocked);
        }
        let token = token
            .and_then(SessionToken::presented)
            .ok_or_else(sign_in_first)?;
        let now = self.clock.now();
        let staff = self
            .people
            .session(&token.hash(), now - self.idle, now)
            .await?
            .ok_or_else(sign_in_first)?;
        roster
            .staff
            .into_iter()
            .find(|m| m.id == staff)
            .map(Actor::Staff)
            .ok_or_else(sign_in_first)
    }

    /// Locks the PC ("Kunci"): the session ends.
    pub async fn sign_out(&self, token: Option<&str>) -> Result<(), ServiceError> {
        if let Some(token) = token.and_then(SessionToken::presented) {
            self.people.close_session(&token.hash()).await?;
        }
        Ok(())
    }

    /// A supervisor's approval, given in the same dialog by name and PIN (DESIGN 10.2): wrong
    /// PINs count as at the lock screen; a cashier's right PIN is 403.
    ///
    /// A wrong PIN here is the approval's field being wrong (400 on `approval.pin`), not the
    /// signed-in member's session: the cashier stays signed in.
    pub async fn approval(&self, staff_id: &str, pin: &str) -> Result<StaffMember, ServiceError> {
        let member = match self.check_pin(staff_id, pin).await {
            Ok(member) => member,
            Err(ServiceError::Unauthorized(issue)) => {
                return Err(FieldError::new("approval.pin", issue).into());
            }
            Err(ServiceError::ItemNotFound(issue)) => {
                return Err(FieldError::new("approval.staff_id", issue)
                    .rule(Rule::OneOf)
                    .into());
            }
            Err(ServiceError::Invalid(mut errors)) => {
                for e in &mut errors.0 {
                    if e.field == "staff_id" {
                        e.field = "approval.staff_id";
                    }
                }
                return Err(ServiceError::Invalid(errors));
            }
            Err(e) => return Err(e),
        };
        if member.role != StaffRole::Supervisor {
            return Err(ServiceError::Forbidden(format!(
                "{} is not a supervisor; a supervisor must approve this",
                member.name.as_str()
            )));
        }
        Ok(member)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use kh_domain::chrono::{DateTime, TimeZone, Utc};
    use kh_domain::{KeyHash, Lists, PinHash, StaffName};

    use super::*;
    use crate::services::secret::{Strength, hash_secret};
    use crate::{MockBranchLists, MockClock, PinLock};

    /// Sessions by the token's hash: the member and the last use.
    type Sessions = std::collections::HashMap<[u8; 32], (StaffId, DateTime<Utc>)>;

    /// The lock-screen state in memory, as the branch database keeps it.
    #[derive(Default)]
    struct Memory {
        locks: Mutex<std::collections::HashMap<StaffId, PinLock>>,
        sessions: Mutex<Sessions>,
    }

    #[async_trait::async_trait]
    impl BranchPeople for Memory {
        async fn pin_try(
            &self,
            staff: StaffId,
            max: u32,
            now: DateTime<Utc>,
            until: DateTime<Utc>,
        ) -> Result<PinTry, crate::LedgerError> {
            let mut locks = self.locks.lock().unwrap();
            let lock = locks.entry(staff).or_default();
            if let Some(locked) = lock.locked_until.filter(|u| *u > now) {
                return Ok(PinTry::Locked(locked));
            }
            *lock = lock.after_wrong(max, until);
            Ok(PinTry::Counted(*lock))
        }
        async fn pin_passed(&self, staff: StaffId) -> Result<(), crate::LedgerError> {
            self.locks.lock().unwrap().remove(&staff);
            Ok(())
        }
        async fn open_session(
            &self,
            token: &KeyHash,
            staff: StaffId,
            at: DateTime<Utc>,
        ) -> Result<(), crate::LedgerError> {
            self.sessions
                .lock()
                .unwrap()
                .insert(*token.as_bytes(), (staff, at));
            Ok(())
        }
        async fn session(
            &self,
            token: &KeyHash,
            idle_since: DateTime<Utc>,
            now: DateTime<Utc>,
        ) -> Result<Option<StaffId>, crate::LedgerError> {
            let mut sessions = self.sessions.lock().unwrap();
            let key = *token.as_bytes();
            match sessions.get(&key).copied() {
                Some((staff, used)) if used > idle_since => {
                    sessions.insert(key, (staff, now));
                    Ok(Some(staff))
                }
                Some(_) => {
                    sessions.remove(&key);
                    Ok(None)
                }
                None => Ok(None),
            }
        }
        async fn close_session(&self, token: &KeyHash) -> Result<(), crate::LedgerError> {
            self.sessions.lock().unwrap().remove(token.as_bytes());
            Ok(())
        }
    }

    async fn member(name: &str, role: StaffRole, pin: &str) -> StaffMember {
        StaffMember {
            id: StaffId::new_v4(),
            name: StaffName::parse(name).unwrap(),
            role,
            active: true,
            pin_hash: PinHash::new(hash_secret(pin.into(), Strength::Pin).await.unwrap()),
            version: 1,
        }
    }

    /// A clock the test moves.
    fn clock(at: Arc<Mutex<DateTime<Utc>>>) -> MockClock {
        let mut c = MockClock::new();
        c.expect_now().returning(move || *at.lock().unwrap());
        c
    }

    fn lists(staff: Vec<StaffMember>) -> MockBranchLists {
        let mut lists = MockBranchLists::new();
        lists.expect_lists().returning(move || {
            let mut l = Lists::defaults();
            l.staff = staff.clone();
            Ok(l)
        });
        lists
    }

    #[tokio::test]
    async fn a_pc_without_staff_is_unlocked_and_says_so() {
        let now = Arc::new(Mutex::new(
            Utc.with_ymd_and_hms(2025, 12, 8, 3, 0, 0).unwrap(),
        ));
        let mut off = member("Lama", StaffRole::Cashier, "402913").await;
        off.active = false;
        let service = LockScreenService::new(
            Arc::new(lists(vec![off])),
            Arc::new(Memory::default()),
            Arc::new(clock(now)),
            10,
        );
        let roster = service.roster().await.unwrap();
        assert!(
            !roster.required && roster.staff.is_empty(),
            "a deactivated member does not count"
        );
        assert_eq!(service.actor(None).await.unwrap(), Actor::Unlocked);
    }

    #[tokio::test]
    async fn five_wrong_pins_lock_a_member_for_five_minutes_then_the_right_one_opens() {
        let now = Arc::new(Mutex::new(
            Utc.with_ymd_and_hms(2025, 12, 8, 3, 0, 0).unwrap(),
        ));
        let siti = member("Siti", StaffRole::Cashier, "402913").await;
        let budi = member("Budi", StaffRole::Supervisor, "583920").await;
        let service = LockScreenService::new(
            Arc::new(lists(vec![siti.clone(), budi.clone()])),
            Arc::new(Memory::default()),
            Arc::new(clock(now.clone())),
            10,
        );
        let id = siti.id.to_string();
        assert!(matches!(
            service.actor(None).await,
            Err(ServiceError::Unauthorized(_))
        ));
        for left in [4, 3, 2, 1] {
            match service.sign_in(&id, "111111").await {
                Err(ServiceError::Unauthorized(m)) => assert!(m.contains(&left.to_string()), "{m}"),
                other => panic!("{other:?}"),
            }
        }
        assert!(matches!(
            service.sign_in(&id, "12ab").await,
            Err(ServiceError::RateLimited {
                retry_after_secs: 300
            })
        ));
        // Locked: even the right PIN is refused, and Budi is not locked.
        assert!(matches!(
            service.sign_in(&id, "402913").await,
            Err(ServiceError::RateLimited { .. })
        ));
        assert!(
            service
                .sign_in(&budi.id.to_string(), "583920")
                .await
                .is_ok()
        );
        *now.lock().unwrap() += Duration::minutes(5) + Duration::seconds(1);
        let (token, who) = service.sign_in(&id, "402913").await.unwrap();
        assert_eq!(who.id, siti.id);
        assert_eq!(
            service.actor(Some(token.reveal())).await.unwrap(),
            Actor::Staff(siti.clone())
        );

        // Idle past the limit: the session is over.
        *now.lock().unwrap() += Duration::minutes(9);
        assert!(
            service.actor(Some(token.reveal())).await.is_ok(),
            "used 9 minutes later"
        );
        *now.lock().unwrap() += Duration::minutes(10) + Duration::seconds(1);
        assert!(matches!(
            service.actor(Some(token.reveal())).await,
            Err(ServiceError::Unauthorized(_))
        ));
        // Kunci ends it at once.
        let (token, _) = service.sign_in(&id, "402913").await.unwrap();
        service.sign_out(Some(token.reveal())).await.unwrap();
        assert!(service.actor(Some(token.reveal())).await.is_err());
        assert!(matches!(
            service
                .sign_in(&StaffId::new_v4().to_string(), "402913")
                .await,
            Err(ServiceError::ItemNotFound(_))
        ));
    }

    /// Guesses sent all at once get the five tries one at a time gets: each is counted before
    /// its PIN is checked, so the sixth finds the lock without its PIN being looked at (before,
    /// every guess sent at once was checked, and a right one among them signed in).
    #[tokio::test]
    async fn pins_sent_at_once_get_five_tries_in_all() {
        let now = Arc::new(Mutex::new(
            Utc.with_ymd_and_hms(2025, 12, 8, 3, 0, 0).unwrap(),
        ));
        let siti = member("Siti", StaffRole::Cashier, "402913").await;
        let service = LockScreenService::new(
            Arc::new(lists(vec![siti.clone()])),
            Arc::new(Memory::default()),
            Arc::new(clock(now)),
            10,
        );
        let id = siti.id.to_string();
        // Eleven wrong guesses and, last, the right PIN: by the time it is tried the name is
        // locked, so it is refused like any other.
        let mut guesses: Vec<String> = (0..11).map(|n| format!("{:06}", 100_000 + n)).collect();
        guesses.push("402913".into());
        let answers =
            futures::future::join_all(guesses.iter().map(|pin| service.sign_in(&id, pin))).await;
        assert_eq!(
            crate::services::wrong_and_locked(&answers),
            (4, 8),
            "{answers:?}"
        );
        assert!(
            matches!(
                service.sign_in(&id, "402913").await,
                Err(ServiceError::RateLimited { .. })
            ),
            "locked, even for the right PIN"
        );
    }

    #[tokio::test]
    async fn only_a_supervisors_pin_approves() {
        let now = Arc::new(Mutex::new(
            Utc.with_ymd_and_hms(2025, 12, 8, 3, 0, 0).unwrap(),
        ));
        let siti = member("Siti", StaffRole::Cashier, "402913").await;
        let budi = member("Budi", StaffRole::Supervisor, "583920").await;
        let service = LockScreenService::new(
            Arc::new(lists(vec![siti.clone(), budi.clone()])),
            Arc::new(Memory::default()),
            Arc::new(clock(now)),
            10,
        );
        assert_eq!(
            service
                .approval(&budi.id.to_string(), "583920")
                .await
                .unwrap()
                .id,
            budi.id
        );
        assert!(matches!(
            service.approval(&siti.id.to_string(), "402913").await,
            Err(ServiceError::Forbidden(_))
        ));
        match service.approval(&budi.id.to_string(), "583921").await {
            Err(ServiceError::Invalid(e)) => assert_eq!(e.0[0].field, "approval.pin"),
            other => panic!("a wrong approver PIN is the approval's field: {other:?}"),
        }
        match service
            .approval(&StaffId::new_v4().to_string(), "583920")
            .await
        {
            Err(ServiceError::Invalid(e)) => assert_eq!(e.0[0].field, "approval.staff_id"),
            other => panic!("an unknown approver is the approval's field: {other:?}"),
        }
    }
}
