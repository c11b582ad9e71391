import type { DateRange } from '@/api/types';
import { businessDate, mondayOf } from './time';

export type PeriodKind = 'today' | 'week' | 'month' | 'all' | 'custom';

export interface Period {
  kind: PeriodKind;
  /** Only for `custom`: `YYYY-MM-DD`, either may be empty. */
  from?: string;
  to?: string;
}

/** The dates a period covers, in the branch's calendar (`to` inclusive). */
export function periodRange(period: Period, now: Date = new Date()): DateRange {
  const today = businessDate(now);
  switch (period.kind) {
    case 'today':
      return { from: today, to: today };
    // The rest of the week or month has no entries yet: the range ends today.
    case 'week':
      return { from: mondayOf(today), to: today };
    case 'month':
      return { from: `${today.slice(0, 7)}-01`, to: today };
    case 'all':
      return {};
    case 'custom': {
      const range: DateRange = {};
      if (period.from) range.from = period.from;
      if (period.to) range.to = period.to;
      return range;
    }
  }
}
