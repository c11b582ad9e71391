import { useQuery } from '@tanstack/react-query';
import { ApiError } from '@/api/client';
import { hq } from '../api/hq';
import type { HqSettings } from '../api/types';
import { keys } from './keys';

/** `GET /settings`: HQ's business time zone. It only changes when kh-cloud restarts. */
export function useHqSettings() {
  return useQuery({
    queryKey: keys.settings,
    queryFn: ({ signal }) => hq.get<HqSettings>('/settings', undefined, signal),
    staleTime: Infinity,
    // While HQ is unreachable the default zone is used; keep asking until it answers. A client
    // error (an HQ without this endpoint) will not change: stay on the default zone.
    retry: (_count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500),
    retryDelay: (attempt) => Math.min(1000 * 2 ** attempt, 10_000),
  });
}
