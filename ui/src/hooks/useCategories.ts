import { useQuery } from '@tanstack/react-query';
import { api } from '@/api/client';
import type { CategorySuggestion } from '@/api/types';
import { keys } from './keys';

/** `GET /categories`: names to suggest, most used first, then the defaults. */
export function useCategories() {
  return useQuery({
    queryKey: keys.categories,
    queryFn: ({ signal }) => api.get<CategorySuggestion[]>('/categories', undefined, signal),
    staleTime: 60_000,
  });
}
