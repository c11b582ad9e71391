import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/api/client';
import type { Approval, Page } from '@/api/types';

/** A shift with its figures, as kh-local answers it. */
export interface ShiftReport {
  id: string;
  status: 'open' | 'closed';
  opened_at: string;
  opened_by_name: string | null;
  opening_float: number;
  suggested_float: number | null;
  opening_difference: number;
  opening_note: string | null;
  /** The cash the entries moved and what the drawer should hold: null for an open shift on a
   * blind close (the cashier counts first); a closed shift always has them. */
  cash_in: number | null;
  cash_out: number | null;
  entries: number;
  expected: number | null;
  closed_at: string | null;
  closed_by_name: string | null;
  counts: Record<string, number> | null;
  counted: number | null;
  difference: number | null;
  close_note: string | null;
  approved_by_name: string | null;
}

export interface CurrentShift {
  shift: ShiftReport | null;
  suggested_float: number | null;
}

/** The notes and coins a drawer is counted by, in the order the counter shows them. */
export const DENOMINATIONS: { key: string; value: number; coin: boolean }[] = [
  { key: 'note_100000', value: 100_000, coin: false },
  { key: 'note_50000', value: 50_000, coin: false },
  { key: 'note_20000', value: 20_000, coin: false },
  { key: 'note_10000', value: 10_000, coin: false },
  { key: 'note_5000', value: 5_000, coin: false },
  { key: 'note_2000', value: 2_000, coin: false },
  { key: 'note_1000', value: 1_000, coin: false },
  { key: 'coin_1000', value: 1_000, coin: true },
  { key: 'coin_500', value: 500, coin: true },
  { key: 'coin_200', value: 200, coin: true },
  { key: 'coin_100', value: 100, coin: true },
];

/** The money a count adds up to. */
export function countTotal(counts: Record<string, number>): number {
  return DENOMINATIONS.reduce((sum, d) => sum + d.value * (counts[d.key] ?? 0), 0);
}

const shiftKeys = {
  current: ['shifts', 'current'] as const,
  all: ['shifts'] as const,
};

/** `GET /shifts/current`: the open shift with the drawer so far (asked for again as entries
 * are recorded: the transaction hooks invalidate everything on a change). */
export function useCurrentShift() {
  return useQuery({
    queryKey: shiftKeys.current,
    queryFn: ({ signal }) => api.get<CurrentShift>('/shifts/current', undefined, signal),
    refetchInterval: 30_000,
  });
}

/** `GET /shifts`: the PC's shifts, newest first. */
export function useShifts(page: number) {
  return useQuery({
    queryKey: [...shiftKeys.all, 'list', page],
    queryFn: ({ signal }) => api.get<Page<ShiftReport>>('/shifts', { page, limit: 20 }, signal),
  });
}

function useShiftChange<V>(send: (v: V) => Promise<ShiftReport>) {
  const qc = useQueryClient();
  return useMutation<ShiftReport, Error, V>({
    mutationFn: send,
    onSettled: () => qc.invalidateQueries({ queryKey: shiftKeys.all }),
  });
}

/** `POST /shifts`. */
export function useOpenShift() {
  return useShiftChange((body: { opening_float: number; note?: string }) => api.post<ShiftReport>('/shifts', body));
}

/** `POST /shifts/{id}/close`. */
export function useCloseShift() {
  return useShiftChange(
    ({ id, ...body }: { id: string; counts: Record<string, number>; note?: string; approval?: Approval }) =>
      api.post<ShiftReport>(`/shifts/${encodeURIComponent(id)}/close`, body),
  );
}
