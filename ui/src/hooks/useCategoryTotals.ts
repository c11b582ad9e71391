import { useQuery } from '@tanstack/react-query';
import { api } from '@/api/client';
import type { CategoryFilters, CategoryTotal } from '@/api/types';
import { keys } from './keys';

/** `GET /dashboard/categories`: totals by category and type, largest first (money in or out
 * only when `type` is given). */
export function useCategoryTotals(filters: CategoryFilters) {
  return useQuery({
    queryKey: keys.categoryTotals(filters),
    queryFn: ({ signal }) => api.get<CategoryTotal[]>('/dashboard/categories', { ...filters }, signal),
  });
}
