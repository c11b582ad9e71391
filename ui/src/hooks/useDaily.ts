import { useQuery } from '@tanstack/react-query';
import { api } from '@/api/client';
import type { DailyRow, DateRange } from '@/api/types';
import { keys } from './keys';

/** `GET /dashboard/daily`: one row per business date with the closing balance. */
export function useDaily(range: DateRange) {
  return useQuery({
    queryKey: keys.daily(range),
    queryFn: ({ signal }) => api.get<DailyRow[]>('/dashboard/daily', { ...range }, signal),
  });
}
