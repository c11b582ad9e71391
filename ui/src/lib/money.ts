// The one Rupiah formatter and parser of the app. Amounts are whole rupiah (no decimals).

/** The largest amount the form accepts (15 digits, below Number.MAX_SAFE_INTEGER). */
export const MAX_AMOUNT = 999_999_999_999_999;

function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/** `1500000` -> `Rp 1.500.000`; negative amounts get a leading minus: `-Rp 5.000`. */
export function formatRupiah(amount: number): string {
  const whole = Math.trunc(amount);
  const sign = whole < 0 ? '-' : '';
  return `${sign}Rp ${group(String(Math.abs(whole)))}`;
}

/**
 * Reads an amount as a cashier types or pastes it: `20.000`, `20000`, `Rp 20.000`,
 * `Rp20.000,00`, `20,000`. Returns null when there is no amount in the text.
 */
export function parseRupiah(text: string): number | null {
  let s = text
    .trim()
    .replace(/^-?\s*rp\.?/i, '')
    .replace(/\s+/g, '');
  // A comma or dot followed by one or two digits at the end is a decimal part (sen): drop it.
  s = s.replace(/[,.]\d{1,2}$/, '');
  if (!/^[\d.,]+$/.test(s)) return null;
  const digits = s.replace(/[.,]/g, '').replace(/^0+(?=\d)/, '');
  if (digits === '' || digits.length > 15) return null;
  return Number(digits);
}

/** Digits of whatever was typed into an amount field, without leading zeros (max 15). */
export function digitsOf(text: string): string {
  return text.replace(/\D/g, '').replace(/^0+/, '').slice(0, 15);
}

/** What an amount field shows for the digits typed so far: `20000` -> `Rp 20.000`. */
export function formatAmountInput(digits: string): string {
  return digits === '' ? '' : `Rp ${group(digits)}`;
}

/** Short form for chart axes: `Rp 1,5 jt`, `Rp 250 rb`, `Rp 900`. */
export function formatRupiahCompact(amount: number): string {
  const abs = Math.abs(amount);
  const sign = amount < 0 ? '-' : '';
  const short = (n: number, unit: string) => `${sign}Rp ${String(Math.round(n * 10) / 10).replace('.', ',')} ${unit}`;
  if (abs >= 1e12) return short(abs / 1e12, 'T');
  if (abs >= 1e9) return short(abs / 1e9, 'M');
  if (abs >= 1e6) return short(abs / 1e6, 'jt');
  if (abs >= 1e3) return short(abs / 1e3, 'rb');
  return formatRupiah(amount);
}
