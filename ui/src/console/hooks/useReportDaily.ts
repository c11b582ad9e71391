import { useQuery } from '@tanstack/react-query';
import { hq } from '../api/hq';
import type { DailyRow, DateRange } from '../api/types';
import { keys } from './keys';

/** `GET /reports/daily?branch_id`: one branch's figures per business date. */
export function useReportDaily(branchId: string, range: DateRange) {
  return useQuery({
    queryKey: keys.daily(branchId, range),
    queryFn: ({ signal }) => hq.get<DailyRow[]>('/reports/daily', { branch_id: branchId, ...range }, signal),
  });
}
