import { describe, expect, it } from 'vitest';
import { figures } from '../../test/renderConsole';
import { needsAttention, voidShare } from './attention';

const now = new Date('2025-12-08T12:00:00Z');

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
});
