import { describe, expect, it } from 'vitest';
import { fileNameOf, formatBytes } from './files';

describe('formatBytes', () => {
  it('counts in whole KB below a megabyte and in MB with one decimal above, in the language of the app', () => {
    expect(formatBytes(0, 'id-ID')).toBe('0 KB');
    expect(formatBytes(70, 'id-ID')).toBe('1 KB');
    expect(formatBytes(870_400, 'id-ID')).toBe('850 KB');
    expect(formatBytes(1_258_291, 'id-ID')).toBe('1,2 MB');
    expect(formatBytes(1_258_291, 'en-GB')).toBe('1.2 MB');
    expect(formatBytes(1_073_741_824, 'id-ID')).toBe('1.024,0 MB');
  });
});

describe('fileNameOf', () => {
  it('takes the name of a Content-Disposition, the UTF-8 one first, and never a folder', () => {
    const name = 'riwayat_JKT-01_2025-12-01_2025-12-31.csv';
    expect(fileNameOf(`attachment; filename="${name}"`)).toBe(name);
    expect(fileNameOf(`attachment; filename=${name}`)).toBe(name);
    expect(fileNameOf(`attachment; filename="x.csv"; filename*=UTF-8''riwayat_Bandung%20Barat.csv`)).toBe(
      'riwayat_Bandung Barat.csv',
    );
    expect(fileNameOf('attachment; filename="..\\\\..\\\\evil.csv"')).toBe('evil.csv');
    expect(fileNameOf('attachment; filename="a/b/c.csv"')).toBe('c.csv');
    expect(fileNameOf('attachment')).toBeNull();
    expect(fileNameOf(null)).toBeNull();
  });
});
