import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { hq } from '../api/hq';
import type { HqTransaction, HqTransactionFilters, Page } from '../api/types';
import { keys } from './keys';

/** `GET /transactions`: one page of a branch's entries, filtered; off until `enabled`. */
export function useHqTransactions(filters: HqTransactionFilters, enabled = true) {
  return useQuery({
    queryKey: keys.transactions(filters),
    queryFn: ({ signal }) => hq.get<Page<HqTransaction>>('/transactions', { ...filters }, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}
