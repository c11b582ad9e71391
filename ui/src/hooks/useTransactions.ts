import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '@/api/client';
import type { Page, Transaction, TransactionFilters } from '@/api/types';
import { keys } from './keys';

/** `GET /transactions`: one page of the filtered list, newest first. */
export function useTransactions(filters: TransactionFilters) {
  return useQuery({
    queryKey: keys.transactionList(filters),
    queryFn: ({ signal }) => api.get<Page<Transaction>>('/transactions', { ...filters }, signal),
    placeholderData: keepPreviousData,
  });
}
