import { useQuery } from '@tanstack/react-query';
import { hq } from '../api/hq';
import type { DailyRow, DateRange } from '../api/types';
import { keys } from './keys';

/** `GET /reports/daily`: one branch's figures per business date, or the whole business's when
 * `branchId` is null. */
export function useReportDaily(branchId: string | null, range: DateRange) {
  return useQuery({
    queryKey: keys.daily(branchId, range),
    queryFn: ({ signal }) =>
      hq.get<DailyRow[]>('/reports/daily', { ...(branchId ? { branch_id: branchId } : {}), ...range }, signal),
  });
}
