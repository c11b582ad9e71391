// Shapes of the branch API (docs/api.md). Money is whole rupiah; times are RFC 3339 UTC.

export type TxType = 'IN' | 'OUT';
export type SyncState = 'pending' | 'synced' | 'rejected';
export type SyncStatusName = 'online' | 'restoring' | 'offline' | 'unauthorized' | 'unconfigured';

export interface Transaction {
  id: string;
  branch_id: string | null;
  type: TxType;
  category: string;
  amount: number;
  description: string | null;
  occurred_at: string;
  created_at: string;
  reverses_id: string | null;
  voided_by: string | null;
  sync_state: SyncState;
  is_synced: boolean;
  synced_at: string | null;
  /** HQ's `code: reason` in one line. */
  sync_error: string | null;
  /** HQ's code alone (`validation_failed`, `unknown_reference`, …). */
  sync_error_code?: string | null;
  /** HQ's reason alone (English). */
  sync_error_reason?: string | null;
  /** The payment channel the money went through. */
  channel_id: string;
  /** The channel's name when the entry was made (HQ may have renamed it since): show this. */
  channel_name: string;
  /** The staff member who recorded it (null: nobody was signed in), and their name then. */
  recorded_by?: string | null;
  recorded_by_name?: string | null;
  /** The supervisor who approved it (null: it needed no approval), and their name then. */
  approved_by?: string | null;
  approved_by_name?: string | null;
}

/** A supervisor's approval given in the same dialog: their id and PIN. */
export interface Approval {
  staff_id: string;
  pin: string;
}

export interface Page<T> {
  items: T[];
  page: number;
  limit: number;
  total: number;
  total_pages: number;
}

export interface NewTransaction {
  id: string;
  type: TxType;
  amount: number;
  category: string;
  description?: string;
  occurred_at?: string;
  /** Left out, the server takes the cash channel. */
  channel_id?: string;
  /** A supervisor's approval (an entry dated more than 24 hours back, by a cashier). */
  approval?: Approval;
}

export interface Summary {
  total_in: number;
  total_out: number;
  balance: number;
  transaction_count: number;
  count_in: number;
  count_out: number;
  /** Rows cancelled by a void (each voided entry and each void), left out of every figure above. */
  voided_count: number;
  /** Sum of those rows' amounts (a Rp 20.000 entry and its void: Rp 40.000). */
  voided_total: number;
}

export interface DailyRow {
  date: string;
  total_in: number;
  total_out: number;
  balance: number;
  voided_count: number;
  voided_total: number;
}

export interface CategoryTotal {
  category: string;
  type: TxType;
  total: number;
  count: number;
}

/** What a category in HQ's list is for: money in, money out, or both. */
export type CategoryUse = TxType | 'BOTH';

/** A category in HQ's list (`GET /lists`). Inactive ones are never offered for a new entry. */
export interface ListCategory {
  id: string;
  name: string;
  type: CategoryUse;
  active: boolean;
}

/** `cash` is money in the drawer; `non_cash` never passes it (QRIS, transfer, card). */
export type ChannelKind = 'cash' | 'non_cash';

/** A payment channel in HQ's list. Inactive ones are never offered for a new entry. */
export interface Channel {
  id: string;
  name: string;
  kind: ChannelKind;
  active: boolean;
}

/** `GET /lists`: HQ's categories and payment channels (the defaults before HQ sent any). */
export interface Lists {
  version: number;
  /** When false, a new entry's category must be one of the active listed ones for its type. */
  allow_new_categories: boolean;
  cash_channel_id: string;
  /** By name, inactive ones included. */
  categories: ListCategory[];
  /** Cash first, inactive ones included. */
  channels: Channel[];
}

/** `GET /dashboard/channels`: one channel's figures in a period (voided entries left out). */
export interface ChannelTotal {
  channel_id: string;
  channel_name: string;
  kind: ChannelKind;
  total_in: number;
  total_out: number;
  count_in: number;
  count_out: number;
}

export interface CategorySuggestion {
  name: string;
  type: TxType;
  count: number;
}

export interface Branch {
  id: string;
  code: string;
  name: string;
}

export interface SystemStatus {
  status: SyncStatusName;
  unsynced_count: number;
  rejected_count: number;
  /** Entries of a branch this PC was activated for before, not yet at HQ. */
  held_count: number;
  /** Shift reports (an opening or a close) HQ refused: kept with the reason, not sent again. */
  refused_shift_count: number;
  last_sync_at: string | null;
  last_attempt_at: string | null;
  last_error: string | null;
  branch: Branch | null;
  cloud_url: string | null;
  /** A drain in progress: `sent` of `total` rows. */
  sending: { sent: number; total: number } | null;
  /** While `status` is `restoring`: rows of the branch's history taken from HQ so far. */
  restoring: { restored: number; total: number | null } | null;
  /** Rows from HQ this PC could not take, kept apart with their reason. */
  pull_rejected_count: number;
}

/** `GET /system/settings`: the branch's zone and the cash rules HQ sets for its shifts (an older
 * kh-local leaves the rules out: see `useCashRules`). */
export interface BranchSettings {
  timezone: string;
  zone_label: string | null;
  utc_offset_minutes: number;
  /** A close whose difference is over this many rupiah (either way) needs a supervisor. */
  cash_difference_threshold?: number;
  /** The cashier closes without seeing the expected amount first. */
  blind_close?: boolean;
  /** `HH:MM`: a shift opened before it belongs to the day before. */
  business_day_starts_at?: string;
}

export interface DateRange {
  from?: string;
  to?: string;
}

/** The dashboard's figures for a period, through one payment channel or all of them. */
export interface DashboardFilters extends DateRange {
  channel_id?: string;
}

/** The dashboard's totals by category: a period, and money in or out only. */
export interface CategoryFilters extends DateRange {
  type?: TxType;
}

export interface TransactionFilters extends DateRange {
  page: number;
  limit: number;
  type?: TxType;
  category?: string;
  q?: string;
  sync_state?: SyncState;
  channel_id?: string;
  recorded_by?: string;
}

/** The CSV field separator of an export: `;` for a spreadsheet that writes decimals with a comma
 * (Excel in Indonesian), `,` for one that writes them with a point. */
export type ExportSeparator = ';' | ',';

/** What an export control offers: CSV with either separator, an Excel workbook, or a PDF
 * (only where the endpoint makes one). */
export type ExportChoice = ExportSeparator | 'xlsx' | 'pdf';

/** The file's shape, the same on every export: its format, the CSV separator (absent for a
 * workbook or a PDF) and `lang`, the language of its header row and words. */
export interface ExportParams {
  format: 'csv' | 'xlsx' | 'pdf';
  sep?: ExportSeparator;
  lang: 'id' | 'en';
}

export interface FieldIssue {
  field: string;
  /** The rule broken, machine-readable: `required`, `max_length`, `range`, `format`, … */
  rule?: string;
  /** The number the rule is about (longest length, largest value, …). */
  limit?: number;
  /** The smallest value of a `range`. */
  min?: number;
  /** What is wrong, in English. */
  issue: string;
}
