//! Branch staff at HQ (DESIGN 10.2): adding them, changing them, setting their PINs, and
//! handing each branch its own with HQ's lists.

use std::sync::Arc;

use kh_domain::{
    BranchId, FieldError, Lists, Pin, PinHash, Rule, StaffId, StaffMember, StaffName, StaffRole,
    ValidationErrors,
};

use crate::services::ServiceError;
use crate::services::secret::{Strength, hash_secret};
use crate::{BranchDirectory, Clock, HqBranchStaff, HqLists, StaffChange};

/// The raw fields of a change to a staff member, as an HQ user sent them.
#[derive(Debug, Clone, Copy, Default)]
pub struct StaffEdit<'a> {
    /// A new name.
    pub name: Option<&'a str>,
    /// `cashier` or `supervisor`.
    pub role: Option<&'a str>,
    /// May sign in, or not.
    pub active: Option<bool>,
}

/// Managing branch staff at HQ and serving each branch its lists with its staff.
#[derive(Clone)]
pub struct StaffService {
    directory: Arc<dyn BranchDirectory>,
    staff: Arc<dyn HqBranchStaff>,
    lists: Arc<dyn HqLists>,
    clock: Arc<dyn Clock>,
}

/// The PIN an HQ user typed, or a fresh one when they left it out.
fn chosen_pin(raw: Option<&str>) -> Result<Pin, ServiceError> {
    match raw {
        Some(raw) => Ok(Pin::new(raw)?),
        None => Pin::generate().map_err(|e| ServiceError::Internal(e.to_string())),
    }
}

async fn pin_hash(pin: &Pin) -> Result<PinHash, ServiceError> {
    Ok(PinHash::new(
        hash_secret(pin.expose().to_owned(), Strength::Pin).await?,
    ))
}

impl StaffService {
    /// A service over HQ's stores.
    pub fn new(
        directory: Arc<dyn BranchDirectory>,
        staff: Arc<dyn HqBranchStaff>,
        lists: Arc<dyn HqLists>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            directory,
            staff,
            lists,
            clock,
        }
    }

    /// A branch by its id as sent (404 when unknown).
    async fn branch(&self, raw: &str) -> Result<BranchId, ServiceError> {
        let id = BranchId::parse("branch_id", raw)?;
        match self.directory.get(id).await? {
            Some(_) => Ok(id),
            None => Err(crate::HqError::BranchNotFound(id).into()),
        }
    }

    /// Every member of a branch, active or not, by name.
    pub async fn of_branch(
        &self,
        branch: &str,
    ) -> Result<(BranchId, Vec<StaffMember>), ServiceError> {
        let branch = self.branch(branch).await?;
        Ok((branch, self.staff.staff_since(branch, 0).await?))
    }

    /// Adds a member to a branch with the PIN given, or a random one when none is; answers
    /// the member and the PIN (to show once).
    pub async fn add(
        &self,
        branch: &str,
        name: &str,
        role: &str,
        pin: Option<&str>,
    ) -> Result<(BranchId, StaffMember, Pin), ServiceError> {
        let mut errors = ValidationErrors::default();
        let branch = errors.collect(BranchId::parse("branch_id", branch));
        let name = errors.collect(StaffName::parse(name));
        let role = errors.collect(StaffRole::parse("role", role));
        let pin = match chosen_pin(pin) {
            Ok(pin) => Some(pin),
            Err(ServiceError::Invalid(e)) => {
                errors.0.extend(e.0);
                None
            }
            Err(e) => return Err(e),
        };
        let (Some(branch), Some(name), Some(role), Some(pin)) = (branch, name, role, pin) else {
            return Err(errors.into());
        };
        let hash = pin_hash(&pin).await?;
        let member = self
            .staff
            .add_staff(branch, name, role, hash, self.clock.now())
            .await?;
        Ok((branch, member, pin))
    }

    /// Renames, changes the role of, deactivates or reactivates a member.
    pub async fn change(
        &self,
        id: &str,
        edit: StaffEdit<'_>,
    ) -> Result<(BranchId, StaffMember), ServiceError> {
        let mut errors = ValidationErrors::default();
        let id = errors.collect(StaffId::parse("staff_id", id));
        let name = edit.name.and_then(|n| errors.collect(StaffName::parse(n)));
        let role = edit
            .role
            .and_then(|r| errors.collect(StaffRole::parse("role", r)));
        if edit.name.is_none() && edit.role.is_none() && edit.active.is_none() {
            errors.0.push(
                FieldError::new("body", "must change at least one of name, role, active")
                    .rule(Rule::Required),
            );
        }
        let Some(id) = id.filter(|_| errors.is_empty()) else {
            return Err(errors.into());
        };
        let change = StaffChange {
            name,
            role,
            active: edit.active,
            pin_hash: None,
        };
        Ok(self
            .staff
            .change_staff(id, change, self.clock.now())
            .await?)
    }

    /// Sets a member's PIN to the one given, or a random one; answers it to show once. The
    /// old PIN stops working at the branch with its next sync.
    pub async fn reset_pin(
        &self,
        id: &str,
        pin: Option<&str>,
    ) -> Result<(BranchId, StaffMember, Pin), ServiceError> {
        let mut errors = ValidationErrors::default();
        let id = errors.collect(StaffId::parse("staff_id", id));
        let pin = match chosen_pin(pin) {
            Ok(pin) => Some(pin),
            Err(ServiceError::Invalid(e)) => {
                errors.0.extend(e.0);
                None
            }
            Err(e) => return Err(e),
        };
        let (Some(id), Some(pin)) = (id, pin) else {
            return Err(errors.into());
        };
        let change = StaffChange {
            pin_hash: Some(pin_hash(&pin).await?),
            ..StaffChange::default()
        };
        let (branch, member) = self
            .staff
            .change_staff(id, change, self.clock.now())
            .await?;
        Ok((branch, member, pin))
    }

    /// What changed for `branch` after version `since`: HQ's lists, and the branch's own staff
    /// (never another branch's). The lists' version is read first, so a staff change committed
    /// meanwhile is sent again next time, never skipped.
    pub async fn config_for(&self, branch: BranchId, since: i64) -> Result<Lists, ServiceError> {
        if since < 0 {
            return Err(FieldError::new("since", "must be a version: 0 or more")
                .rule(Rule::Range {
                    min: 0,
                    max: i64::MAX,
                })
                .into());
        }
        let mut lists = self.lists.lists_since(since).await?;
        if since < lists.version {
            lists.staff = self.staff.staff_since(branch, since).await?;
        }
        Ok(lists)
    }
}

#[cfg(test)]
mod tests {
    use kh_domain::chrono::{TimeZone, Utc};

    use super::*;
    use crate::{MockBranchDirectory, MockClock, MockHqBranchStaff, MockHqLists};

    fn clock() -> MockClock {
        let mut c = MockClock::new();
        c.expect_now()
            .returning(|| Utc.with_ymd_and_hms(2025, 12, 8, 3, 0, 0).unwrap());
        c
    }

    fn service(staff: MockHqBranchStaff, lists: MockHqLists) -> StaffService {
        let mut directory = MockBranchDirectory::new();
        directory.expect_get().returning(|_| Ok(None));
        StaffService::new(
            Arc::new(directory),
            Arc::new(staff),
            Arc::new(lists),
            Arc::new(clock()),
        )
    }

    #[tokio::test]
    async fn a_member_is_added_with_a_hashed_pin_shown_once() {
        let branch = BranchId::new_v4();
        let mut staff = MockHqBranchStaff::new();
        staff
            .expect_add_staff()
            .withf(move |b, name, role, hash, _| {
                *b == branch
                    && name.as_str() == "Siti"
                    && *role == StaffRole::Cashier
                    && hash.as_str().starts_with("$argon2id$")
                    && !hash.as_str().contains("402913")
            })
            .times(1)
            .returning(|_, name, role, pin_hash, _| {
                Ok(StaffMember {
                    id: StaffId::new_v4(),
                    name,
                    role,
                    active: true,
                    pin_hash,
                    version: 7,
                })
            });
        let service = service(staff, MockHqLists::new());
        let (_, member, pin) = service
            .add(&branch.to_string(), " Siti ", "cashier", Some("402913"))
            .await
            .unwrap();
        assert_eq!(pin.expose(), "402913");
        assert!(
            crate::services::secret::verify_secret(
                "402913".into(),
                member.pin_hash.as_str().into()
            )
            .await
            .unwrap()
        );
    }

    #[tokio::test]
    async fn bad_input_is_refused_whole_with_every_reason() {
        let service = service(MockHqBranchStaff::new(), MockHqLists::new());
        let Err(ServiceError::Invalid(errors)) =
            service.add("JKT", "", "manager", Some("123456")).await
        else {
            panic!("refused")
        };
        let got: Vec<(&str, Rule)> = errors.0.iter().map(|e| (e.field, e.rule)).collect();
        assert_eq!(
            got,
            [
                ("branch_id", Rule::Format),
                ("name", Rule::Required),
                ("role", Rule::OneOf),
                ("pin", Rule::Weak)
            ]
        );
        let Err(ServiceError::Invalid(errors)) = service
            .change(&StaffId::new_v4().to_string(), StaffEdit::default())
            .await
        else {
            panic!("refused")
        };
        assert_eq!(errors.0[0].field, "body");
        let Err(ServiceError::Invalid(errors)) = service.reset_pin("x", Some("12ab56")).await
        else {
            panic!("refused")
        };
        let got: Vec<(&str, Rule)> = errors.0.iter().map(|e| (e.field, e.rule)).collect();
        assert_eq!(got, [("staff_id", Rule::Format), ("pin", Rule::Format)]);
    }

    #[tokio::test]
    async fn a_branch_gets_its_own_staff_with_the_lists_and_nothing_when_up_to_date() {
        let branch = BranchId::new_v4();
        let mut lists = MockHqLists::new();
        lists.expect_lists_since().returning(|_| {
            let mut l = Lists::defaults();
            l.version = 9;
            Ok(l)
        });
        let mut staff = MockHqBranchStaff::new();
        staff
            .expect_staff_since()
            .withf(move |b, since| *b == branch && *since == 4)
            .times(1)
            .returning(|_, _| Ok(vec![]));
        let service = service(staff, lists);
        assert_eq!(service.config_for(branch, 4).await.unwrap().version, 9);
        // Up to date: the staff are not read at all.
        assert!(
            service
                .config_for(branch, 9)
                .await
                .unwrap()
                .staff
                .is_empty()
        );
    }
}
