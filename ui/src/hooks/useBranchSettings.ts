import { useQuery } from '@tanstack/react-query';
import { api } from '@/api/client';
import type { BranchSettings } from '@/api/types';
import { keys } from './keys';

/** `GET /system/settings`: the branch's time zone. It only changes when kh-local restarts. */
export function useBranchSettings() {
  return useQuery({
    queryKey: keys.settings,
    queryFn: ({ signal }) => api.get<BranchSettings>('/system/settings', undefined, signal),
    staleTime: Infinity,
    // While the server is down the default zone is used; keep asking until it answers.
    retry: true,
    retryDelay: (attempt) => Math.min(1000 * 2 ** attempt, 10_000),
  });
}
