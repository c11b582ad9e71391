// Times are stored in UTC; the branch works in its own time zone (KH_TIMEZONE), which the
// server announces at `GET /system/settings`. Until it has answered, the default zone is used.
// The HQ console sets HQ's business zone (`GET /settings` at kh-cloud) here the same way: in
// the console, "the branch's zone" below reads as HQ's.
export const DEFAULT_TIME_ZONE = 'Asia/Jakarta';

let zone = DEFAULT_TIME_ZONE;
let zoneLabel: string | null = 'WIB';

type Parts = { year: number; month: number; day: number; hour: number; minute: number; second: number };

function makePartsFormatter(timeZone: string) {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

let partsFormatter = makePartsFormatter(zone);

/** Sets the branch's zone (IANA name and its WIB/WITA/WIT label); false if the name is unknown. */
export function setBranchTimeZone(timeZone: string, label: string | null): boolean {
  if (timeZone === zone && label === zoneLabel) return true;
  let next: Intl.DateTimeFormat;
  try {
    next = makePartsFormatter(timeZone);
  } catch {
    return false;
  }
  zone = timeZone;
  zoneLabel = label;
  partsFormatter = next;
  formatters.clear();
  return true;
}

/** The branch's zone as an IANA name. */
export function branchTimeZone(): string {
  return zone;
}

/** WIB, WITA or WIT (null outside Indonesia's zones). */
export function branchZoneLabel(): string | null {
  return zoneLabel;
}

function zoned(date: Date): Parts {
  const get = (type: string) => Number(partsFormatter.formatToParts(date).find((p) => p.type === type)?.value ?? 0);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour') % 24,
    minute: get('minute'),
    second: get('second'),
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The business date (`YYYY-MM-DD`) of an instant in the branch time zone. */
export function businessDate(date: Date = new Date()): string {
  const p = zoned(date);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** `YYYY-MM-DDTHH:mm` in the branch time zone, the value of a datetime-local input. */
export function toLocalInput(date: Date = new Date()): string {
  const p = zoned(date);
  return `${businessDate(date)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/** Reads a datetime-local value as branch time and returns the instant (null if unreadable). */
export function fromLocalInput(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((v) => Number(v ?? 0)) as number[];
  const wall = Date.UTC(y!, mo! - 1, d!, h!, mi!, s ?? 0);
  // The zone's offset at that moment: format the guess and compare with the wall time asked for.
  let guess = wall;
  for (let i = 0; i < 2; i += 1) {
    const p = zoned(new Date(guess));
    const shown = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    guess += wall - shown;
  }
  return new Date(guess);
}

/** Adds days to a `YYYY-MM-DD` date. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return t.toISOString().slice(0, 10);
}

/** Monday of the week of a `YYYY-MM-DD` date. */
export function mondayOf(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay(); // 0 = Sunday
  return addDays(date, -((weekday + 6) % 7));
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = locale + JSON.stringify(options);
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone: zone, ...options });
    formatters.set(key, f);
  }
  return f;
}

/** An RFC 3339 instant shown in branch time, 24-hour, with the zone's label when it has one:
 * `8 Des 2025 17.30 WIB`, `8 Des 2025 18.30 WITA`. */
export function formatDateTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const text = formatter(locale, { dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23' }).format(date);
  return zoneLabel ? `${text} ${zoneLabel}` : text;
}

/** A business date `YYYY-MM-DD` shown short: `8 Des`. */
export function formatShortDate(date: string, locale: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  // 05:00 UTC is midday in the branch, safely inside the same calendar day.
  const t = new Date(Date.UTC(y, m - 1, d, 5));
  return formatter(locale, { day: 'numeric', month: 'short' }).format(t);
}

/** A business date `YYYY-MM-DD` with its year: `8 Des 2025`. */
export function formatDate(date: string, locale: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  // 05:00 UTC is midday in the branch, safely inside the same calendar day.
  const t = new Date(Date.UTC(y, m - 1, d, 5));
  return formatter(locale, { day: 'numeric', month: 'short', year: 'numeric' }).format(t);
}

/** A business date `YYYY-MM-DD` as `08/12/2025` (day/month/year), as printed and exported. */
export function formatNumericDate(date: string): string {
  const [y, m, d] = date.split('-');
  return d && m && y ? `${d}/${m}/${y}` : date;
}

/** An RFC 3339 instant as `08/12/2025 17.30 WIB` (day/month/year, 24-hour, in the zone);
 * `—` when there is none. */
export function formatNumericDateTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const [y, m, d] = businessDate(date).split('-');
  const p = zoned(date);
  const sep = locale.startsWith('id') ? '.' : ':';
  const text = `${d}/${m}/${y} ${pad(p.hour)}${sep}${pad(p.minute)}`;
  return zoneLabel ? `${text} ${zoneLabel}` : text;
}

/** How long ago an instant was, in the largest whole unit (a clock a little ahead counts as
 * now): `{ unit: 'hours', count: 2 }`. */
export function timeSince(
  iso: string,
  now: Date = new Date(),
): { unit: 'now' | 'minutes' | 'hours' | 'days'; count: number } {
  const minutes = Math.floor((now.getTime() - new Date(iso).getTime()) / 60_000);
  if (!(minutes >= 1)) return { unit: 'now', count: 0 };
  if (minutes < 60) return { unit: 'minutes', count: minutes };
  if (minutes < 24 * 60) return { unit: 'hours', count: Math.floor(minutes / 60) };
  return { unit: 'days', count: Math.floor(minutes / (24 * 60)) };
}
