import { useQuery } from '@tanstack/react-query';
import { api } from '@/api/client';
import type { Lists } from '@/api/types';
import { keys } from './keys';

/**
 * `GET /lists`: HQ's categories and payment channels. They change only when HQ sends new ones
 * (on a sync), so they are kept for long and asked for again when the window comes back.
 */
export function useLists() {
  return useQuery({
    queryKey: keys.lists,
    queryFn: ({ signal }) => api.get<Lists>('/lists', undefined, signal),
    staleTime: 10 * 60_000,
    refetchOnWindowFocus: 'always',
  });
}
