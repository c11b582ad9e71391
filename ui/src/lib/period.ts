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

const KINDS: PeriodKind[] = ['today', 'week', 'month', 'all', 'custom'];

/** Whether a text is a real `YYYY-MM-DD` calendar date. */
export function isIsoDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [y, mo, d] = m.slice(1).map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** Reads a period from an address's query (`period`, `from`, `to`); anything unreadable gives
 * `fallback`, and an unreadable date is left out. */
export function periodFromParams(params: URLSearchParams, fallback: Period): Period {
  const kind = params.get('period') as PeriodKind | null;
  if (!kind || !KINDS.includes(kind)) return fallback;
  if (kind !== 'custom') return { kind };
  const period: Period = { kind };
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  if (isIsoDate(from)) period.from = from;
  if (isIsoDate(to)) period.to = to;
  return period;
}

/** Writes a period into an address's query; the default period writes nothing. */
export function periodToParams(period: Period, params: URLSearchParams, fallback: Period) {
  params.delete('period');
  params.delete('from');
  params.delete('to');
  if (period.kind === fallback.kind && period.kind !== 'custom') return;
  params.set('period', period.kind);
  if (period.kind === 'custom') {
    if (period.from) params.set('from', period.from);
    if (period.to) params.set('to', period.to);
  }
}
