import { describe, expect, it } from 'vitest';
import { digitsOf, formatAmountInput, formatRupiah, formatRupiahCompact, parseRupiah } from './money';

describe('formatRupiah', () => {
  it('groups thousands with dots and no decimals', () => {
    expect(formatRupiah(1_500_000)).toBe('Rp 1.500.000');
    expect(formatRupiah(20_000)).toBe('Rp 20.000');
    expect(formatRupiah(999)).toBe('Rp 999');
    expect(formatRupiah(0)).toBe('Rp 0');
    expect(formatRupiah(1_000)).toBe('Rp 1.000');
    expect(formatRupiah(123_456_789_012)).toBe('Rp 123.456.789.012');
  });

  it('puts the minus before Rp', () => {
    expect(formatRupiah(-5_000)).toBe('-Rp 5.000');
  });

  it('shortens for chart axes', () => {
    expect(formatRupiahCompact(1_500_000)).toBe('Rp 1,5 jt');
    expect(formatRupiahCompact(250_000)).toBe('Rp 250 rb');
    expect(formatRupiahCompact(900)).toBe('Rp 900');
  });
});

describe('parseRupiah', () => {
  it.each([
    ['20000', 20_000],
    ['20.000', 20_000],
    ['Rp 20.000', 20_000],
    ['Rp20.000', 20_000],
    ['rp. 1.500.000', 1_500_000],
    ['  Rp 1.500.000  ', 1_500_000],
    ['20.000,00', 20_000],
    ['20,000', 20_000],
    ['Rp 7.500', 7_500],
    ['007', 7],
  ])('reads %j as %d', (text, amount) => {
    expect(parseRupiah(text)).toBe(amount);
  });

  it.each(['', 'abc', 'Rp', '12a', '1234567890123456'])('refuses %j', (text) => {
    expect(parseRupiah(text)).toBeNull();
  });
});

describe('amount input helpers', () => {
  it('keeps only digits without leading zeros', () => {
    expect(digitsOf('Rp 20.0005')).toBe('200005');
    expect(digitsOf('000')).toBe('');
    expect(digitsOf('x')).toBe('');
  });

  it('shows what is typed as rupiah', () => {
    expect(formatAmountInput('')).toBe('');
    expect(formatAmountInput('2')).toBe('Rp 2');
    expect(formatAmountInput('20000')).toBe('Rp 20.000');
  });
});
