import { describe, expect, it } from 'vitest';
import { periodRange } from './period';
import {
  businessDate,
  formatDateTime,
  formatNumericDateTime,
  fromLocalInput,
  mondayOf,
  timeSince,
  toLocalInput,
} from './time';

describe('branch time (Asia/Jakarta, UTC+7)', () => {
  it('takes the business date in Jakarta, not UTC', () => {
    expect(businessDate(new Date('2025-12-08T16:59:00Z'))).toBe('2025-12-08');
    expect(businessDate(new Date('2025-12-08T17:00:00Z'))).toBe('2025-12-09');
  });

  it('round-trips datetime-local values as Jakarta wall time', () => {
    expect(toLocalInput(new Date('2025-12-08T03:30:00Z'))).toBe('2025-12-08T10:30');
    expect(fromLocalInput('2025-12-08T10:30')?.toISOString()).toBe('2025-12-08T03:30:00.000Z');
    expect(fromLocalInput('nonsense')).toBeNull();
  });

  it('shows times in Jakarta whatever the computer zone is, labelled WIB', () => {
    expect(formatDateTime('2025-12-08T03:30:00.000Z', 'en-GB')).toMatch(/10:30 WIB$/);
    expect(formatDateTime('2025-12-08T15:30:00.000Z', 'en-GB')).toMatch(/22:30 WIB$/);
  });

  it('computes periods in the branch calendar', () => {
    const now = new Date('2025-12-10T20:00:00Z'); // Thursday 11 Dec, 03:00 in Jakarta
    expect(periodRange({ kind: 'today' }, now)).toEqual({ from: '2025-12-11', to: '2025-12-11' });
    expect(periodRange({ kind: 'week' }, now)).toEqual({ from: '2025-12-08', to: '2025-12-11' });
    expect(periodRange({ kind: 'month' }, now)).toEqual({ from: '2025-12-01', to: '2025-12-11' });
    expect(periodRange({ kind: 'all' }, now)).toEqual({});
    expect(periodRange({ kind: 'custom', from: '2025-11-01', to: '' }, now)).toEqual({ from: '2025-11-01' });
    expect(mondayOf('2025-12-14')).toBe('2025-12-08');
  });
});

describe('a branch in another zone (KH_TIMEZONE from the server)', () => {
  it('takes "today" and datetime-local values in Asia/Jayapura (WIT, UTC+9)', async () => {
    const { setBranchTimeZone, branchZoneLabel, DEFAULT_TIME_ZONE } = await import('./time');
    try {
      expect(setBranchTimeZone('Asia/Jayapura', 'WIT')).toBe(true);
      expect(branchZoneLabel()).toBe('WIT');
      // 15:30 UTC is 00:30 on the next day in Jayapura, still 22:30 the same day in Jakarta.
      expect(businessDate(new Date('2025-12-08T15:30:00Z'))).toBe('2025-12-09');
      expect(periodRange({ kind: 'today' }, new Date('2025-12-08T15:30:00Z'))).toEqual({
        from: '2025-12-09',
        to: '2025-12-09',
      });
      expect(toLocalInput(new Date('2025-12-08T15:30:00Z'))).toBe('2025-12-09T00:30');
      expect(fromLocalInput('2025-12-09T00:30')?.toISOString()).toBe('2025-12-08T15:30:00.000Z');
      expect(formatDateTime('2025-12-08T15:30:00.000Z', 'en-GB')).toMatch(/00:30 WIT$/);
      expect(setBranchTimeZone('Mars/Olympus', null)).toBe(false);
      expect(businessDate(new Date('2025-12-08T15:30:00Z'))).toBe('2025-12-09');
      expect(setBranchTimeZone('Asia/Makassar', 'WITA')).toBe(true);
      // The PC in Makassar says 14:45 WITA: so does every time on screen.
      expect(formatDateTime('2025-12-08T06:45:00.000Z', 'id-ID')).toMatch(/14[.:]45 WITA$/);
    } finally {
      setBranchTimeZone(DEFAULT_TIME_ZONE, 'WIB');
    }
  });
});

describe('console times', () => {
  it('writes an instant as dd/mm/yyyy and 24-hour time in the zone', () => {
    expect(formatNumericDateTime('2025-12-08T10:30:00Z', 'id-ID')).toBe('08/12/2025 17.30 WIB');
    expect(formatNumericDateTime('2025-12-08T17:05:00Z', 'en-GB')).toBe('09/12/2025 00:05 WIB');
    expect(formatNumericDateTime(null, 'id-ID')).toBe('—');
  });

  it('says how long ago in the largest whole unit', () => {
    const now = new Date('2025-12-08T12:00:00Z');
    expect(timeSince('2025-12-08T11:59:30Z', now)).toEqual({ unit: 'now', count: 0 });
    expect(timeSince('2025-12-08T11:15:00Z', now)).toEqual({ unit: 'minutes', count: 45 });
    expect(timeSince('2025-12-08T09:59:00Z', now)).toEqual({ unit: 'hours', count: 2 });
    expect(timeSince('2025-12-05T11:00:00Z', now)).toEqual({ unit: 'days', count: 3 });
  });
});
