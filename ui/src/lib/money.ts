// The one Rupiah formatter and parser of the app. Amounts are whole rupiah (no decimals).

import { LIMITS } from './limits';

/** The largest amount the servers take (Rp 1.000.000.000.000). */
export const MAX_AMOUNT = LIMITS.amount.max;

function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/** `1500000` -> `Rp 1.500.000`; negative amounts get a leading minus sign (U+2212, not a
 * hyphen): `−Rp 5.000`. Zero never has a sign. */
export function formatRupiah(amount: number): string {
  const whole = Math.trunc(amount);
  const sign = whole < 0 ? '−' : '';
  return `${sign}Rp ${group(String(Math.abs(whole)))}`;
}

/** Why an amount field's text is not an amount the servers take. */
export type AmountProblem = 'empty' | 'zero' | 'negative' | 'decimal' | 'too_large' | 'not_a_number';

/** An amount field's text, read without ever changing it into another amount. */
export type AmountReading = { ok: true; amount: number; digits: string } | { ok: false; problem: AmountProblem };

/**
 * Reads what was typed or pasted into an amount field as whole rupiah: digits, optionally
 * grouped with dots (`20.000`), optionally after `Rp`, optionally with a zero decimal part
 * (`20.000,00`, `20.000,-`). Anything else is refused with the reason, never rewritten:
 * `20,5` is not whole rupiah, `1e6` is not a number, `-5` is negative, and more than
 * Rp 1.000.000.000.000 is too large (no digit is cut off).
 */
export function readAmount(text: string): AmountReading {
  const s = text
    .trim()
    .replace(/^rp\.?/i, '')
    .replace(/\s+/g, '')
    .replace(/,(00?|-)$/, '');
  if (s === '') return { ok: false, problem: 'empty' };
  if (/^[-−]/.test(s)) return { ok: false, problem: 'negative' };
  if (/^[\d.]*,\d+$/.test(s)) return { ok: false, problem: 'decimal' };
  if (!/^[\d.]+$/.test(s) || !/\d/.test(s)) return { ok: false, problem: 'not_a_number' };
  const digits = s.replace(/\./g, '').replace(/^0+(?=\d)/, '');
  if (/^0+$/.test(digits)) return { ok: false, problem: 'zero' };
  if (digits.length > String(MAX_AMOUNT).length || Number(digits) > MAX_AMOUNT) {
    return { ok: false, problem: 'too_large' };
  }
  return { ok: true, amount: Number(digits), digits };
}

/** What an amount field shows for its text: `Rp 20.000` once it reads as an amount, and the
 * text exactly as typed while it does not (so the cashier sees what to correct). */
export function formatAmountInput(text: string): string {
  const reading = readAmount(text);
  return reading.ok ? `Rp ${group(reading.digits)}` : text;
}

/** The short scale of each language: Indonesian rb / jt / M (miliar) / T (triliun) with a
 * decimal comma; English K / M (million) / B (billion) / T (trillion) with a decimal point. */
const SHORT_SCALE = {
  id: { units: ['rb', 'jt', 'M', 'T'], point: ',' },
  en: { units: ['K', 'M', 'B', 'T'], point: '.' },
} as const;

/** Short form for chart axes in the app's language: `Rp 1,5 jt` / `Rp 1.5 M`,
 * `Rp 24 M` (miliar) / `Rp 24 B`, `Rp 250 rb` / `Rp 250 K`, `Rp 900`. */
export function formatRupiahCompact(amount: number, lang: 'id' | 'en' = 'id'): string {
  const abs = Math.abs(amount);
  const sign = amount < 0 ? '−' : '';
  const { units, point } = SHORT_SCALE[lang];
  const short = (n: number, unit: string) => `${sign}Rp ${String(Math.round(n * 10) / 10).replace('.', point)} ${unit}`;
  if (abs >= 1e12) return short(abs / 1e12, units[3]);
  if (abs >= 1e9) return short(abs / 1e9, units[2]);
  if (abs >= 1e6) return short(abs / 1e6, units[1]);
  if (abs >= 1e3) return short(abs / 1e3, units[0]);
  return formatRupiah(amount);
}
