import { useQuery } from '@tanstack/react-query';
import { api } from '@/api/client';
import type { DailyRow, DashboardFilters } from '@/api/types';
import { keys } from './keys';

/** `GET /dashboard/daily`: one row per business date with the closing balance, through one
 * channel or all. */
export function useDaily(filters: DashboardFilters) {
  return useQuery({
    queryKey: keys.daily(filters),
    queryFn: ({ signal }) => api.get<DailyRow[]>('/dashboard/daily', { ...filters }, signal),
  });
}
