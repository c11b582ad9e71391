import type { SyncState, TransactionFilters, TxType } from '@/api/types';
import { periodFromParams, periodRange, periodToParams, type Period } from '@/lib/period';
import { isUuid } from '@/lib/uuid';

export interface HistoryFilters {
  period: Period;
  type: TxType | '';
  category: string;
  q: string;
  syncState: SyncState | '';
  /** A payment channel's id, or '' for all. */
  channelId: string;
  /** A staff member's id (who recorded), or '' for everybody. */
  recordedBy: string;
  page: number;
}

export const PAGE_SIZE = 20;

export const initialFilters: HistoryFilters = {
  period: { kind: 'all' },
  type: '',
  category: '',
  q: '',
  syncState: '',
  channelId: '',
  recordedBy: '',
  page: 1,
};

/** The filters alone, for what the whole list adds up to (the same on every page) and for
 * `GET /transactions/export` (every entry they match, not just one page). */
export function toTotalsQuery(f: HistoryFilters): Omit<TransactionFilters, 'page' | 'limit'> {
  const { page: _page, limit: _limit, ...rest } = toQuery(f);
  return rest;
}

/** Whether any filter narrows the list (the page number does not). */
export function hasFilters(f: HistoryFilters): boolean {
  return (
    f.period.kind !== 'all' ||
    f.type !== '' ||
    f.category.trim() !== '' ||
    f.q.trim() !== '' ||
    f.syncState !== '' ||
    f.channelId !== '' ||
    f.recordedBy !== ''
  );
}

/** The query of `GET /transactions` for what the filter bar shows. */
export function toQuery(f: HistoryFilters): TransactionFilters {
  const q: TransactionFilters = { page: f.page, limit: PAGE_SIZE, ...periodRange(f.period) };
  if (f.type) q.type = f.type;
  if (f.category.trim()) q.category = f.category.trim();
  if (f.q.trim()) q.q = f.q.trim();
  if (f.syncState) q.sync_state = f.syncState;
  if (f.channelId) q.channel_id = f.channelId;
  if (f.recordedBy) q.recorded_by = f.recordedBy;
  return q;
}

const TYPES: TxType[] = ['IN', 'OUT'];
const SYNC_STATES: SyncState[] = ['pending', 'synced', 'rejected'];

/** The filters an address's query names (what a reload or a shared link shows). */
export function filtersFromParams(params: URLSearchParams): HistoryFilters {
  const type = params.get('type') as TxType | null;
  const syncState = params.get('sync_state') as SyncState | null;
  const page = Number(params.get('page'));
  const channelId = params.get('channel_id') ?? '';
  const recordedBy = params.get('recorded_by') ?? '';
  return {
    period: periodFromParams(params, initialFilters.period),
    type: type && TYPES.includes(type) ? type : '',
    category: params.get('category') ?? '',
    q: params.get('q') ?? '',
    syncState: syncState && SYNC_STATES.includes(syncState) ? syncState : '',
    channelId: isUuid(channelId) ? channelId : '',
    recordedBy: isUuid(recordedBy) ? recordedBy : '',
    page: Number.isInteger(page) && page >= 1 ? page : 1,
  };
}

/** The query of the address for the filters (defaults left out). */
export function filtersToParams(f: HistoryFilters): URLSearchParams {
  const params = new URLSearchParams();
  periodToParams(f.period, params, initialFilters.period);
  if (f.type) params.set('type', f.type);
  if (f.category.trim()) params.set('category', f.category);
  if (f.q.trim()) params.set('q', f.q);
  if (f.syncState) params.set('sync_state', f.syncState);
  if (f.channelId) params.set('channel_id', f.channelId);
  if (f.recordedBy) params.set('recorded_by', f.recordedBy);
  if (f.page > 1) params.set('page', String(f.page));
  return params;
}
