import type { Role } from '../api/types';
import type { ScreenKey } from '../router';

/** Only the owner manages branches and their keys. */
export const canManageBranches = (role: Role) => role === 'owner';

/** The owner and finance manage the categories and payment channels. */
export const canManageLists = (role: Role) => role === 'owner' || role === 'finance';

/** The owner and finance manage the branches' cashiers and supervisors (viewers read them). */
export const canManageStaff = (role: Role) => role === 'owner' || role === 'finance';

/** Only the owner manages HQ's users (HQ answers 403 to anyone else). */
export const canManageUsers = (role: Role) => role === 'owner';

/** Only the owner reads the audit log. */
export const canReadAudit = (role: Role) => role === 'owner';

/** Who may open a screen: the others do not see it in the menu, and its address says so. */
export function mayOpen(screen: ScreenKey, role: Role): boolean {
  if (screen === 'users') return canManageUsers(role);
  if (screen === 'audit') return canReadAudit(role);
  return true;
}
