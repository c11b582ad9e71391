import { describe, expect, it } from 'vitest';
import { countLines, countTotal } from './denominations';

describe('a drawer count', () => {
  it('lists notes then coins, largest first, without the empty ones, and adds them up', () => {
    const lines = countLines({ coin_500: 4, note_2000: 0, note_1000: 1, coin_1000: 2, note_100000: 1 });
    expect(lines.map((l) => [l.key, l.subtotal])).toEqual([
      ['note_100000', 100_000],
      ['note_1000', 1_000],
      ['coin_1000', 2_000],
      ['coin_500', 2_000],
    ]);
    expect(countTotal(lines)).toBe(105_000);
  });

  it('values a denomination newer than the console by its key, and keeps an unreadable key without a value', () => {
    const lines = countLines({ note_75000: 2, mystery: 3 });
    expect(lines).toEqual([
      { key: 'note_75000', kind: 'note', value: 75_000, pieces: 2, subtotal: 150_000 },
      { key: 'mystery', kind: null, value: null, pieces: 3, subtotal: null },
    ]);
    expect(countTotal(lines)).toBe(150_000);
  });
});
