import type { Role } from '../api/types';

/** Only the owner manages branches and their keys. */
export const canManageBranches = (role: Role) => role === 'owner';

/** The owner and finance manage the categories and payment channels. */
export const canManageLists = (role: Role) => role === 'owner' || role === 'finance';
