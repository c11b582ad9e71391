import { describe, expect, it } from 'vitest';
import { formatAmountInput, formatRupiah, formatRupiahCompact, readAmount } from './money';

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
    expect(formatRupiah(-5_000)).toBe('−Rp 5.000');
    expect(formatRupiah(-0)).toBe('Rp 0');
  });

  it('shortens for chart axes', () => {
    expect(formatRupiahCompact(1_500_000)).toBe('Rp 1,5 jt');
    expect(formatRupiahCompact(250_000)).toBe('Rp 250 rb');
    expect(formatRupiahCompact(900)).toBe('Rp 900');
    expect(formatRupiahCompact(24_000_000_000)).toBe('Rp 24 M');
  });

  it('shortens in English with its own scale, so 24 miliar does not read as 24 million', () => {
    expect(formatRupiahCompact(24_000_000_000, 'en')).toBe('Rp 24 B');
    expect(formatRupiahCompact(24_000_000, 'en')).toBe('Rp 24 M');
    expect(formatRupiahCompact(1_500_000, 'en')).toBe('Rp 1.5 M');
    expect(formatRupiahCompact(250_000, 'en')).toBe('Rp 250 K');
    expect(formatRupiahCompact(-3_000_000_000_000, 'en')).toBe('−Rp 3 T');
  });
});

describe('readAmount', () => {
  it.each([
    ['20000', 20_000],
    ['20.000', 20_000],
    ['Rp 20.000', 20_000],
    ['Rp20.000', 20_000],
    ['rp. 1.500.000', 1_500_000],
    ['  Rp 1.500.000  ', 1_500_000],
    ['20.000,00', 20_000],
    ['Rp 20.000,-', 20_000],
    ['Rp 20.0000', 200_000],
    ['007', 7],
    ['1.000.000.000.000', 1_000_000_000_000],
  ])('reads %j as %d', (text, amount) => {
    expect(readAmount(text)).toEqual({ ok: true, amount, digits: String(amount) });
  });

  it.each([
    ['', 'empty'],
    ['Rp', 'empty'],
    ['0', 'zero'],
    ['000', 'zero'],
    ['-5', 'negative'],
    ['Rp -5.000', 'negative'],
    ['20,5', 'decimal'],
    ['20,000', 'decimal'],
    ['1e6', 'not_a_number'],
    ['12a', 'not_a_number'],
    ['Rp 20.000abc', 'not_a_number'],
    ['1.000.000.000.001', 'too_large'],
    ['12345678901234567890', 'too_large'],
  ])('refuses %j as %s, never as another amount', (text, problem) => {
    expect(readAmount(text)).toEqual({ ok: false, problem });
  });
});

describe('amount input helpers', () => {
  it('groups an amount and leaves other text exactly as typed', () => {
    expect(formatAmountInput('')).toBe('');
    expect(formatAmountInput('2')).toBe('Rp 2');
    expect(formatAmountInput('20000')).toBe('Rp 20.000');
    expect(formatAmountInput('Rp 2.00')).toBe('Rp 200');
    expect(formatAmountInput('20,5')).toBe('20,5');
    expect(formatAmountInput('12345678901234567890')).toBe('12345678901234567890');
  });
});
