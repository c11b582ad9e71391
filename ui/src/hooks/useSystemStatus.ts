import { useQuery } from '@tanstack/react-query';
import { api } from '@/api/client';
import type { SystemStatus } from '@/api/types';
import { keys } from './keys';

/** How often the sync badge and the API-down banner look again. */
export const STATUS_POLL_MS = 5_000;

/** `GET /system/status`, polled; it doubles as the "is the server up" probe. */
export function useSystemStatus() {
  return useQuery({
    queryKey: keys.status,
    queryFn: ({ signal }) => api.get<SystemStatus>('/system/status', undefined, signal),
    refetchInterval: STATUS_POLL_MS,
    refetchIntervalInBackground: false,
    retry: false,
  });
}
