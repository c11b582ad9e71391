import { useMutation, useQueryClient, type QueryClient, type QueryKey } from '@tanstack/react-query';
import { api } from '@/api/client';
import type { DashboardFilters, NewTransaction, Summary, Transaction } from '@/api/types';
import { businessDate } from '@/lib/time';
import { keys } from './keys';

// Ids whose amount is already in the cached summaries: a double submit or a retry of the same
// entry (the server answers 200 for a replay) must not count twice on screen either.
const applied = new Set<string>();

/** Whether an entry of that date and channel counts in a summary asked for with `filters`. A
 * summary of one channel leaves out an entry whose channel the server picks (none was sent):
 * the refetch after the save puts it in if it belongs. */
function counts(date: string, channelId: string | undefined, filters: DashboardFilters): boolean {
  if (filters.channel_id && filters.channel_id !== channelId) return false;
  return (!filters.from || date >= filters.from) && (!filters.to || date <= filters.to);
}

/** The summary with one entry added (sign 1) or taken out again (sign -1). */
export function withEntry(s: Summary, tx: Pick<NewTransaction, 'type' | 'amount'>, sign: 1 | -1): Summary {
  const amount = tx.amount * sign;
  const isIn = tx.type === 'IN';
  return {
    ...s,
    total_in: s.total_in + (isIn ? amount : 0),
    total_out: s.total_out + (isIn ? 0 : amount),
    balance: s.balance + (isIn ? amount : -amount),
    transaction_count: s.transaction_count + sign,
    count_in: s.count_in + (isIn ? sign : 0),
    count_out: s.count_out + (isIn ? 0 : sign),
  };
}

function adjustSummaries(qc: QueryClient, tx: NewTransaction, sign: 1 | -1, only?: QueryKey[]): QueryKey[] {
  const date = businessDate(tx.occurred_at ? new Date(tx.occurred_at) : new Date());
  const touched: QueryKey[] = [];
  for (const [key, data] of qc.getQueriesData<Summary>({ queryKey: ['dashboard', 'summary'] })) {
    const filters = (key[2] ?? {}) as DashboardFilters;
    if (!data || !counts(date, tx.channel_id, filters)) continue;
    if (only && !only.some((k) => JSON.stringify(k) === JSON.stringify(key))) continue;
    qc.setQueryData<Summary>(key, withEntry(data, tx, sign));
    touched.push(key);
  }
  return touched;
}

type Context = { touched: QueryKey[] } | undefined;

/**
 * `POST /transactions`. The entry shows in the balance at once (optimistic), then every
 * dashboard, list and status query is fetched again to confirm.
 */
export function useCreateTransaction() {
  const qc = useQueryClient();
  return useMutation<Transaction, Error, NewTransaction, Context>({
    mutationKey: ['transactions', 'create'],
    mutationFn: (tx) => api.post<Transaction>('/transactions', tx),
    onMutate: async (tx) => {
      if (applied.has(tx.id)) return undefined;
      applied.add(tx.id);
      await qc.cancelQueries({ queryKey: ['dashboard', 'summary'] });
      return { touched: adjustSummaries(qc, tx, 1) };
    },
    onError: (_error, tx, ctx) => {
      if (!ctx) return;
      applied.delete(tx.id);
      adjustSummaries(qc, tx, -1, ctx.touched);
    },
    onSettled: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: keys.dashboard }),
        qc.invalidateQueries({ queryKey: keys.transactions }),
        qc.invalidateQueries({ queryKey: keys.categories }),
        qc.invalidateQueries({ queryKey: keys.status }),
        // The open shift's drawer moves with every entry.
        qc.invalidateQueries({ queryKey: ['shifts'] }),
      ]),
  });
}
