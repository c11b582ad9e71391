import { useQuery } from '@tanstack/react-query';
import { api } from '@/api/client';
import type { DateRange, Summary } from '@/api/types';
import { keys } from './keys';

/** `GET /dashboard/summary` for a date range (both ends optional). */
export function useSummary(range: DateRange) {
  return useQuery({
    queryKey: keys.summary(range),
    queryFn: ({ signal }) => api.get<Summary>('/dashboard/summary', { ...range }, signal),
  });
}
