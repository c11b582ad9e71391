import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '@/api/client';
import type { Summary, TransactionFilters } from '@/api/types';
import { keys } from './keys';

/** `GET /transactions/totals`: what the filtered list adds up to, over all its pages. */
export function useTransactionTotals(filters: Omit<TransactionFilters, 'page' | 'limit'>) {
  return useQuery({
    queryKey: keys.transactionTotals(filters),
    queryFn: ({ signal }) => api.get<Summary>('/transactions/totals', { ...filters }, signal),
    placeholderData: keepPreviousData,
  });
}
