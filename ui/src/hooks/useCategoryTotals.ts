import { useQuery } from '@tanstack/react-query';
import { api } from '@/api/client';
import type { CategoryTotal, DateRange } from '@/api/types';
import { keys } from './keys';

/** `GET /dashboard/categories`: totals by category and type, largest first. */
export function useCategoryTotals(range: DateRange) {
  return useQuery({
    queryKey: keys.categoryTotals(range),
    queryFn: ({ signal }) => api.get<CategoryTotal[]>('/dashboard/categories', { ...range }, signal),
  });
}
