import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { hq } from '../api/hq';
import type { DateRange, HqShift, Page } from '../api/types';
import { keys } from './keys';

/** Shifts on one page of a branch's list. */
export const SHIFTS_PAGE_SIZE = 20;

/** `GET /branches/{id}/shifts`: one page of a branch's cash shifts whose business date is in
 * the range, newest first. */
export function useBranchShifts(branchId: string, range: DateRange, page: number) {
  return useQuery({
    queryKey: keys.branchShifts(branchId, range, page),
    queryFn: ({ signal }) =>
      hq.get<Page<HqShift>>(
        `/branches/${encodeURIComponent(branchId)}/shifts`,
        { ...range, page, limit: SHIFTS_PAGE_SIZE },
        signal,
      ),
    placeholderData: keepPreviousData,
  });
}
