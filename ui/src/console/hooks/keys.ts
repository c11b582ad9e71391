import type { DateRange, HqTransactionFilters } from '../api/types';

/** TanStack Query keys of the console, one family per HQ resource. */
export const keys = {
  me: ['auth', 'me'] as const,
  settings: ['settings'] as const,
  branches: ['branches'] as const,
  reports: ['reports'] as const,
  summary: (range: DateRange) => ['reports', 'summary', range] as const,
  daily: (branchId: string | null, range: DateRange) => ['reports', 'daily', branchId, range] as const,
  transactions: (filters: HqTransactionFilters) => ['transactions', filters] as const,
  lists: ['lists'] as const,
  users: ['users'] as const,
  staff: (branchId: string) => ['staff', branchId] as const,
  audit: ['audit'] as const,
  branchShifts: (branchId: string, range: DateRange, page: number) =>
    ['shifts', 'branch', branchId, range, page] as const,
  shiftAttention: ['shifts', 'attention'] as const,
};
