import type { CategoryFilters, DashboardFilters, DateRange, TransactionFilters } from '@/api/types';

/** TanStack Query keys, one family per API resource. */
export const keys = {
  dashboard: ['dashboard'] as const,
  summary: (filters: DashboardFilters) => ['dashboard', 'summary', filters] as const,
  daily: (filters: DashboardFilters) => ['dashboard', 'daily', filters] as const,
  categoryTotals: (filters: CategoryFilters) => ['dashboard', 'categories', filters] as const,
  channelTotals: (range: DateRange) => ['dashboard', 'channels', range] as const,
  categories: ['categories'] as const,
  lists: ['lists'] as const,
  transactions: ['transactions'] as const,
  transactionList: (filters: TransactionFilters) => ['transactions', 'list', filters] as const,
  transactionTotals: (filters: Omit<TransactionFilters, 'page' | 'limit'>) =>
    ['transactions', 'totals', filters] as const,
  transaction: (id: string) => ['transactions', 'detail', id] as const,
  status: ['system', 'status'] as const,
  settings: ['system', 'settings'] as const,
};
