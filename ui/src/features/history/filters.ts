import type { SyncState, TransactionFilters, TxType } from '@/api/types';
import { periodRange, type Period } from '@/lib/period';

export interface HistoryFilters {
  period: Period;
  type: TxType | '';
  category: string;
  q: string;
  syncState: SyncState | '';
  page: number;
}

export const PAGE_SIZE = 20;

export const initialFilters: HistoryFilters = {
  period: { kind: 'all' },
  type: '',
  category: '',
  q: '',
  syncState: '',
  page: 1,
};

/** Whether any filter narrows the list (the page number does not). */
export function hasFilters(f: HistoryFilters): boolean {
  return f.period.kind !== 'all' || f.type !== '' || f.category.trim() !== '' || f.q.trim() !== '' || f.syncState !== '';
}

/** The query of `GET /transactions` for what the filter bar shows. */
export function toQuery(f: HistoryFilters): TransactionFilters {
  const q: TransactionFilters = { page: f.page, limit: PAGE_SIZE, ...periodRange(f.period) };
  if (f.type) q.type = f.type;
  if (f.category.trim()) q.category = f.category.trim();
  if (f.q.trim()) q.q = f.q.trim();
  if (f.syncState) q.sync_state = f.syncState;
  return q;
}
