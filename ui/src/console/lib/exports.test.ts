import { describe, expect, it } from 'vitest';
import { exportQuery, extensionOf, isMonth, previousMonth } from './exports';

describe('export queries', () => {
  it('adds the format, a CSV’s separator and the language to the filters, leaving empty ones out', () => {
    const filters = { branch_id: 'b1', from: '2025-12-01', to: undefined, q: '' };
    expect(exportQuery(filters, ';', 'id')).toEqual({
      branch_id: 'b1',
      from: '2025-12-01',
      format: 'csv',
      sep: ';',
      lang: 'id',
    });
    expect(exportQuery(filters, ',', 'en')).toEqual({
      branch_id: 'b1',
      from: '2025-12-01',
      format: 'csv',
      sep: ',',
      lang: 'en',
    });
    expect(exportQuery({}, 'xlsx', 'id')).toEqual({ format: 'xlsx', lang: 'id' });
    expect(exportQuery({}, 'pdf', 'en')).toEqual({ format: 'pdf', lang: 'en' });
    expect([';', ',', 'xlsx', 'pdf'].map((c) => extensionOf(c as never))).toEqual(['csv', 'csv', 'xlsx', 'pdf']);
  });

  it('knows the month before, across a year', () => {
    expect(previousMonth('2026-03-31')).toBe('2026-02');
    expect(previousMonth('2026-01-01')).toBe('2025-12');
    expect(previousMonth('2026-11-15')).toBe('2026-10');
  });

  it('reads a month as YYYY-MM only', () => {
    expect(isMonth('2026-11')).toBe(true);
    expect(['', '2026-13', '2026-00', '2026-1', '11-2026', '2026-11-01'].some(isMonth)).toBe(false);
  });
});
