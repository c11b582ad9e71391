import { useQuery } from '@tanstack/react-query';
import { api } from '@/api/client';
import type { DashboardFilters, Summary } from '@/api/types';
import { keys } from './keys';

/** `GET /dashboard/summary` for a date range (both ends optional), through one channel or all. */
export function useSummary(filters: DashboardFilters) {
  return useQuery({
    queryKey: keys.summary(filters),
    queryFn: ({ signal }) => api.get<Summary>('/dashboard/summary', { ...filters }, signal),
  });
}
