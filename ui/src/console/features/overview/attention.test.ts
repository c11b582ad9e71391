import { describe, expect, it } from 'vitest';
import type { HqShift } from '../../api/types';
import { figures } from '../../test/renderConsole';
import { needsAttention, voidShare } from './attention';

const now = new Date('2025-12-08T12:00:00Z');

/** A shift of branch `branch`: open since `opened_at`, or closed with a difference. */
const shift = (id: string, branch: string, s: Partial<HqShift>): HqShift => ({
  id,
  branch_id: branch,
  device_id: 'pc-1',
  business_date: '2025-12-06',
  status: 'open',
  opened_at: '2025-12-06T01:00:00Z',
  opened_by: null,
  opened_by_name: 'Ani',
  opening_float: 200_000,
  suggested_float: null,
  opening_difference: 0,
  opening_note: null,
  cash_in: 0,
  cash_out: 0,
  entries: 0,
  expected: 200_000,
  closed_at: null,
  closed_by: null,
  closed_by_name: null,
  counts: null,
  counted: null,
  difference: null,
  close_note: null,
  approved_by: null,
  approved_by_name: null,
  received_at: '2025-12-06T01:00:00Z',
  ...s,
});

describe('needs attention', () => {
  it('flags a branch silent for more than 24 hours, and one never seen, but not one seen within a day', () => {
    const all = [
      figures('a', 'A', 'A', { last_seen_at: '2025-12-07T12:30:00Z' }),
      figures('b', 'B', 'B', { last_seen_at: '2025-12-07T11:59:00Z' }),
      figures('c', 'C', 'C', { last_seen_at: null }),
    ];
    expect(needsAttention(all, [], now).map((x) => [x.kind, x.branch.code])).toEqual([
      ['never', 'C'],
      ['stale', 'B'],
    ]);
  });

  it('flags a void share over 10% of all the period rows, voided ones included', () => {
    expect(voidShare({ transaction_count: 9, voided_count: 1 })).toBe(0.1);
    expect(voidShare({ transaction_count: 0, voided_count: 0 })).toBe(0);
    const period = [
      figures('a', 'A', 'A', { transaction_count: 9, voided_count: 1 }),
      figures('b', 'B', 'B', { transaction_count: 8, voided_count: 2 }),
    ];
    expect(needsAttention([], period, now).map((x) => [x.kind, x.branch.code])).toEqual([['voids', 'B']]);
  });

  it("follows HQ's KH_STALE_HOURS instead of a day", () => {
    const all = [figures('a', 'A', 'A', { last_seen_at: '2025-12-08T05:00:00Z' })];
    expect(needsAttention(all, [], now)).toEqual([]);
    expect(needsAttention(all, [], now, 6).map((x) => [x.kind, x.branch.code])).toEqual([['stale', 'A']]);
  });

  it('flags a quiet PC of a branch whose other PC is in touch, oldest silence first', () => {
    const all = [figures('a', 'A', 'A', { last_seen_at: '2025-12-08T11:00:00Z' })];
    const devices = [
      {
        id: 'a',
        devices: [
          { id: 'pc-in-touch', first_seen_at: '2025-12-01T00:00:00Z', last_seen_at: '2025-12-08T11:00:00Z' },
          { id: 'pc-off-2days', first_seen_at: '2025-12-01T00:00:00Z', last_seen_at: '2025-12-06T09:00:00Z' },
          { id: 'pc-off-3days', first_seen_at: '2025-12-01T00:00:00Z', last_seen_at: '2025-12-05T09:00:00Z' },
        ],
      },
    ];
    const found = needsAttention(all, [], now, 24, devices);
    expect(found.map((x) => (x.kind === 'device' ? x.device : x.kind))).toEqual(['pc-off-3days', 'pc-off-2days']);
    // A silent branch is listed once, as a branch, not once per PC.
    const silent = [figures('a', 'A', 'A', { last_seen_at: '2025-12-05T09:00:00Z' })];
    expect(needsAttention(silent, [], now, 24, devices).map((x) => x.kind)).toEqual(['stale']);
  });

  it('lists a branch whose rows HQ refused lately, and not one refused long ago', () => {
    const all = [
      figures('a', 'A', 'A', { refused_count: 3, last_refused_at: '2025-12-07T08:00:00Z' }),
      figures('b', 'B', 'B', { refused_count: 9, last_refused_at: '2025-11-01T08:00:00Z' }),
      figures('c', 'C', 'C', { refused_count: 0, last_refused_at: null }),
    ];
    const found = needsAttention(all, [], now);
    expect(found.map((x) => [x.kind, x.branch.code])).toEqual([['refused', 'A']]);
    expect(found[0]?.kind === 'refused' && found[0].count).toBe(3);
  });

  it('lists a PC holding rows from HQ its book could not take, and stops once it holds none', () => {
    const all = [figures('a', 'A', 'A', { last_seen_at: '2025-12-08T11:00:00Z' })];
    const pcs = (held: number) => [
      {
        id: 'a',
        devices: [
          { id: 'pc-fine', first_seen_at: '2025-12-01T00:00:00Z', last_seen_at: '2025-12-08T11:00:00Z' },
          {
            id: 'pc-holding',
            first_seen_at: '2025-12-01T00:00:00Z',
            last_seen_at: '2025-12-08T11:00:00Z',
            pull_quarantined: held,
          },
        ],
      },
    ];
    const found = needsAttention(all, [], now, 24, pcs(2));
    expect(found).toEqual([{ kind: 'held', branch: all[0], device: 'pc-holding', count: 2 }]);
    expect(needsAttention(all, [], now, 24, pcs(0))).toEqual([]);
  });

  it('lists shifts left open too long, oldest first, and large differences, newest first, after refusals and before held rows', () => {
    const all = [
      figures('a', 'A', 'A', { refused_count: 1, last_refused_at: '2025-12-08T08:00:00Z' }),
      figures('b', 'B', 'B'),
    ];
    const pcs = [
      {
        id: 'b',
        devices: [{ id: 'pc-held', first_seen_at: '2025-12-01T00:00:00Z', last_seen_at: null, pull_quarantined: 1 }],
      },
    ];
    const shifts = {
      threshold: 10_000,
      open_hours: 24,
      open_long: [
        shift('open-newer', 'b', { opened_at: '2025-12-07T01:00:00Z' }),
        shift('open-older', 'a', { opened_at: '2025-12-05T01:00:00Z' }),
      ],
      large_differences: [
        shift('short-older', 'a', { status: 'closed', closed_at: '2025-12-04T10:00:00Z', difference: -25_000 }),
        shift('over-newer', 'b', { status: 'closed', closed_at: '2025-12-07T10:00:00Z', difference: 15_000 }),
      ],
    };
    const found = needsAttention(all, [], now, 24, pcs, shifts);
    expect(found.map((x) => [x.kind, 'shift' in x ? x.shift.id : x.branch.code])).toEqual([
      ['refused', 'A'],
      ['shift_open', 'open-older'],
      ['shift_open', 'open-newer'],
      ['shift_difference', 'over-newer'],
      ['shift_difference', 'short-older'],
      ['held', 'B'],
    ]);
    expect(found[1]).toMatchObject({ kind: 'shift_open', branch: all[0], hours: 24 });
    expect(found[4]).toMatchObject({ kind: 'shift_difference', branch: all[0], threshold: 10_000 });
    // Without the shifts (not loaded yet, or an HQ older than shifts) the rest is as before.
    expect(needsAttention(all, [], now, 24, pcs).map((x) => x.kind)).toEqual(['refused', 'held']);
  });

  it('leaves out a shift of a branch the summary does not list', () => {
    const shifts = { threshold: 10_000, open_hours: 24, open_long: [shift('s', 'gone', {})], large_differences: [] };
    expect(needsAttention([figures('a', 'A', 'A')], [], now, 24, [], shifts)).toEqual([]);
  });
});
