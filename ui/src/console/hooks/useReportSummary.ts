import { useQuery } from '@tanstack/react-query';
import { hq } from '../api/hq';
import type { DateRange, ReportSummary } from '../api/types';
import { keys } from './keys';

/** `GET /reports/summary`: every branch's figures for a period (no dates: all time, whose
 * balance is the cash position). */
export function useReportSummary(range: DateRange) {
  return useQuery({
    queryKey: keys.summary(range),
    queryFn: ({ signal }) => hq.get<ReportSummary>('/reports/summary', { ...range }, signal),
  });
}
