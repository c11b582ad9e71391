import { useQuery } from '@tanstack/react-query';
import { api } from '@/api/client';
import type { Transaction } from '@/api/types';
import { keys } from './keys';

/** `GET /transactions/{id}` (disabled while no id is chosen). */
export function useTransaction(id: string | null) {
  return useQuery({
    queryKey: keys.transaction(id ?? ''),
    queryFn: ({ signal }) => api.get<Transaction>(`/transactions/${encodeURIComponent(id ?? '')}`, undefined, signal),
    enabled: id !== null,
  });
}
