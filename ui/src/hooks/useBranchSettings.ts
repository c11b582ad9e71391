import { useQuery } from '@tanstack/react-query';
import { api } from '@/api/client';
import type { BranchSettings } from '@/api/types';
import { keys } from './keys';

const settingsQuery = {
  queryKey: keys.settings,
  queryFn: ({ signal }: { signal: AbortSignal }) => api.get<BranchSettings>('/system/settings', undefined, signal),
  // While the server is down the default zone is used; keep asking until it answers.
  retry: true,
  retryDelay: (attempt: number) => Math.min(1000 * 2 ** attempt, 10_000),
};

/** `GET /system/settings`, for the branch's time zone: it only changes when kh-local restarts. */
export function useBranchSettings() {
  return useQuery({ ...settingsQuery, staleTime: Infinity });
}

/** The threshold before a close's difference needs a supervisor when the server does not say
 * (DESIGN 9's default). */
export const DEFAULT_DIFFERENCE_THRESHOLD = 10_000;

/** The cash rules of a shift's close, as HQ set them for the branch. */
export interface CashRules {
  /** A difference over this many rupiah (either way) needs a supervisor. */
  threshold: number;
  /** The count is made without seeing the expected amount. */
  blind: boolean;
}

/** The branch's cash rules (`GET /system/settings`), the defaults while it has not answered or
 * when an older server leaves them out. They reach the PC from HQ at a sync, so they are asked
 * for again when a minute old (the zone, in the same answer, does not change). */
export function useCashRules(): CashRules {
  const settings = useQuery({ ...settingsQuery, staleTime: 60_000 }).data;
  return {
    threshold: settings?.cash_difference_threshold ?? DEFAULT_DIFFERENCE_THRESHOLD,
    blind: settings?.blind_close ?? false,
  };
}
