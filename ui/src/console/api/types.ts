// Shapes of the HQ API (kh-cloud) the console reads. Money is whole rupiah; times are RFC 3339
// UTC; dates are `YYYY-MM-DD` business dates.
import type { CategoryUse, Channel, ChannelKind, ListCategory, TxType } from '@/api/types';

export type { CategoryUse, Channel, ChannelKind, DailyRow, ListCategory, Page, TxType } from '@/api/types';

import type { BranchSettings } from '@/api/types';

/** `GET /settings` at HQ: HQ's business zone (the shape of the branch's `/system/settings`) and
 * `KH_STALE_HOURS`, after which a silent branch or PC needs attention. */
export interface HqSettings extends BranchSettings {
  stale_hours?: number;
  /** A close whose difference is over this many rupiah (either way) needs a supervisor and is
   * listed as needing attention. */
  cash_difference_threshold?: number;
  /** The branch closes without seeing the expected amount first. */
  blind_close?: boolean;
  /** `HH:MM` in HQ's zone: a shift opened before it belongs to the day before. */
  business_day_starts_at?: string;
}

/** `owner` does everything, `finance` reads and manages the lists, `viewer` reads. */
export type Role = 'owner' | 'finance' | 'viewer';

export interface HqUser {
  id: string;
  email: string;
  role: Role;
}

/** One of HQ's users as `GET /users` lists them (owners only). */
export interface StaffUser extends HqUser {
  created_at: string;
  /** When an owner disabled the user (who then cannot sign in); null while active. */
  disabled_at: string | null;
}

/** `POST /users`: the password is 10 to 128 characters. */
export interface NewStaffUser {
  email: string;
  role: Role;
  password: string;
}

/** A branch staff member's role at the branch PC: a supervisor also approves voids,
 * back-dated entries and large cash differences. */
export type StaffRole = 'cashier' | 'supervisor';

/** A cashier or supervisor of one branch (`GET /staff?branch_id=`), who signs in at the branch
 * PC with a 6-digit PIN. HQ never shows the PIN again after setting it. */
export interface BranchStaff {
  id: string;
  branch_id: string;
  name: string;
  role: StaffRole;
  active: boolean;
}

/** A member just added or whose PIN was just set: the only time HQ shows the PIN. */
export interface BranchStaffWithPin extends BranchStaff {
  pin: string;
}

/** `POST /staff`: without `pin`, HQ makes one. */
export interface NewBranchStaff {
  branch_id: string;
  name: string;
  role: StaffRole;
  pin?: string;
}

/** `PATCH /staff/{id}`: only what changes. */
export type BranchStaffChange = { name?: string; role?: StaffRole; active?: boolean };

/** `POST /auth/login` and `GET /auth/me`: who is signed in and the token changes must carry. */
export interface Session {
  user: HqUser;
  csrf_token: string;
}

export interface Device {
  id: string;
  first_seen_at: string;
  last_seen_at: string | null;
  /** Rows from HQ this PC holds apart because its book could not take them. */
  pull_quarantined?: number;
}

export interface HqBranch {
  id: string;
  code: string;
  name: string;
  created_at: string;
  disabled_at: string | null;
  last_seen_at: string | null;
  devices: Device[];
}

/** A created branch or a rotated key: the only time HQ shows the key. */
export interface BranchWithKey extends Omit<HqBranch, 'devices'> {
  devices?: Device[];
  api_key: string;
}

export interface Figures {
  total_in: number;
  total_out: number;
  balance: number;
  transaction_count: number;
  voided_count: number;
  voided_total: number;
}

export interface BranchFigures extends Figures {
  branch_id: string;
  code: string;
  name: string;
  last_seen_at: string | null;
  /** Rows HQ refused from the branch so far; they wait quarantined on its PC. */
  refused_count?: number;
  /** When HQ last refused one; null when it never did. */
  last_refused_at?: string | null;
  /** Closed shifts whose business date is in the period (absent from an HQ older than shifts). */
  shifts_closed?: number;
  /** The sum of their differences (counted − expected), and its negative and positive parts. */
  shift_difference?: number;
  shift_short?: number;
  shift_over?: number;
}

/** `GET /reports/summary`. */
export interface ReportSummary {
  branches: BranchFigures[];
  total: Figures;
}

export interface DateRange {
  from?: string;
  to?: string;
}

export interface HqTransaction {
  id: string;
  branch_id: string;
  type: TxType;
  category: string;
  amount: number;
  description: string | null;
  occurred_at: string;
  created_at: string;
  reverses_id: string | null;
  voided_by: string | null;
  channel_id: string;
  channel_name: string;
  /** The branch staff member who recorded it, and their name then (null: nobody signed in). */
  recorded_by?: string | null;
  recorded_by_name?: string | null;
  /** The supervisor who approved it, and their name then. */
  approved_by?: string | null;
  approved_by_name?: string | null;
  /** When HQ took the row from the branch. */
  received_at: string;
}

export interface HqTransactionFilters extends DateRange {
  branch_id: string;
  page: number;
  limit: number;
  type?: TxType;
  category?: string;
  channel_id?: string;
  recorded_by?: string;
  q?: string;
}

export type ShiftStatus = 'open' | 'closed';

/** A cash shift (tutup kasir) of one branch PC, as the PC last pushed it. While it is open,
 * `cash_in`, `cash_out`, `entries` and `expected` are as of that PC's last sync; the close
 * fixes them. `counts` are pieces per denomination, keyed `note_100000` … `coin_100`. */
export interface HqShift {
  id: string;
  branch_id: string;
  device_id: string | null;
  business_date: string;
  status: ShiftStatus;
  opened_at: string;
  opened_by: string | null;
  opened_by_name: string | null;
  opening_float: number;
  /** The count of the PC's previous close, which the cashier was offered as the float. */
  suggested_float: number | null;
  opening_difference: number;
  opening_note: string | null;
  cash_in: number;
  cash_out: number;
  entries: number;
  expected: number;
  closed_at: string | null;
  closed_by: string | null;
  closed_by_name: string | null;
  counts: Record<string, number> | null;
  counted: number | null;
  /** Selisih: counted − expected; negative when the drawer is short. */
  difference: number | null;
  close_note: string | null;
  approved_by: string | null;
  approved_by_name: string | null;
  /** When HQ last heard of this shift. */
  received_at: string;
}

/** `GET /shifts/attention`: shifts open for over `open_hours` (oldest first), and closes of the
 * last 7 days whose difference is over `threshold` either way (newest first). */
export interface ShiftAttention {
  threshold: number;
  open_hours: number;
  open_long: HqShift[];
  large_differences: HqShift[];
}

/** `GET /lists` at HQ: the lists every branch picks from. */
export interface HqLists {
  version: number;
  allow_new_categories: boolean;
  categories: ListCategory[];
  channels: Channel[];
}

export type CategoryChange = { name?: string; type?: CategoryUse; active?: boolean };
export type ChannelChange = { name?: string; active?: boolean };
export type NewChannel = { name: string; kind: ChannelKind };

/** One change in `GET /audit` (owners only; newest first, at most 500). `actor` is a user's
 * email, `admin token` or `command line`; `action` is e.g. `branch.create`, `user.disable`. */
export interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  /** What changed (a branch code, a list item, a user's email); null when it is not one item. */
  target: string | null;
}
