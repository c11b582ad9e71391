import { CalendarDays, ChevronLeft, ChevronRight } from 'lucide-react';
import { useEffect, useId, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { cn } from '@/lib/cn';
import { isIsoDate } from '@/lib/period';
import { addDays, businessDate } from '@/lib/time';
import { useCatalog } from '@/i18n/core';

/** `YYYY-MM-DD` as the app writes dates: `04/12/2026`, whatever the browser's locale. */
export function formatDayMonthYear(iso: string): string {
  if (!isIsoDate(iso)) return '';
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

/** Reads `04/12/2026`, `4/12/2026`, `4-12-2026`, `4.12.2026` or `04122026` as `2026-12-04`;
 * null if it is not a real date. */
export function parseDayMonthYear(text: string): string | null {
  const t = text.trim();
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t) ?? /^(\d{2})(\d{2})(\d{4})$/.exec(t);
  if (!m) return null;
  const iso = `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : null;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The 42 days (six weeks, Monday first) a month's page shows. */
function monthPage(month: string): string[] {
  const first = `${month}-01`;
  const [y, mo] = month.split('-').map(Number) as [number, number];
  const weekday = (new Date(Date.UTC(y, mo - 1, 1)).getUTCDay() + 6) % 7;
  const start = addDays(first, -weekday);
  return Array.from({ length: 42 }, (_, i) => addDays(start, i));
}

function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const t = new Date(Date.UTC(y, m - 1 + by, 1));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}`;
}

/**
 * A date field that speaks the app's language: typed as dd/mm/yyyy (the browser's own date
 * input follows the browser's locale, mm/dd/yyyy in an English one), ArrowUp/ArrowDown step a
 * day, and a calendar (Monday first, month names in the app's language) for the mouse.
 * `onChange` gets `YYYY-MM-DD`, or '' when the field is cleared; text that is not a date (or
 * lies outside `min`..`max`) is marked invalid and changes nothing.
 */
export function DateInput({
  id,
  label,
  value,
  onChange,
  onInvalid,
  min,
  max,
  className,
}: {
  id?: string;
  label: string;
  value: string;
  onChange: (iso: string) => void;
  /** Told when the text stops being a date the field can take (the value is left as it was). */
  onInvalid?: () => void;
  min?: string;
  max?: string;
  className?: string;
}) {
  const { m, locale } = useCatalog();
  const ownId = useId();
  const inputId = id ?? ownId;
  const errorId = `${inputId}-error`;
  const [text, setText] = useState(formatDayMonthYear(value));
  const [open, setOpen] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const wrapRef = useRef<HTMLDivElement>(null);

  // A date set from outside (the address, "now") shows as the app writes dates; while the text
  // is not a date the value may be empty, and the text stays as typed.
  useEffect(() => {
    setText((t) => (value === '' || parseDayMonthYear(t) === value ? t : formatDayMonthYear(value)));
  }, [value]);

  const inRange = (iso: string) => (!min || iso >= min) && (!max || iso <= max);
  const parsed = parseDayMonthYear(text);
  const invalid = text.trim() !== '' && (parsed === null || !inRange(parsed));

  const take = (next: string) => {
    setText(next);
    if (next.trim() === '') return onChange('');
    const iso = parseDayMonthYear(next);
    if (iso && inRange(iso)) {
      if (iso !== value) onChange(iso);
    } else onInvalid?.();
  };

  const choose = (iso: string) => {
    setText(formatDayMonthYear(iso));
    if (iso !== value) onChange(iso);
    setOpen(false);
    inputRef.current?.focus();
  };

  const onInputKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.altKey && e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      return;
    }
    if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return;
    e.preventDefault();
    const from = parsed ?? value ?? businessDate();
    const next = addDays(from || businessDate(), e.key === 'ArrowUp' ? 1 : -1);
    if (inRange(next)) choose(next);
  };

  return (
    <div ref={wrapRef} className={cn('relative', className)}>
      <div className="flex gap-1">
        <Input
          ref={inputRef}
          id={inputId}
          aria-label={label}
          className="h-9 w-32"
          inputMode="numeric"
          autoComplete="off"
          placeholder={m.period.datePlaceholder}
          value={text}
          onChange={(e) => take(e.target.value)}
          onBlur={() => {
            if (parsed) setText(formatDayMonthYear(parsed));
          }}
          onKeyDown={onInputKey}
          aria-invalid={invalid || undefined}
          aria-describedby={invalid ? errorId : undefined}
        />
        <Button
          type="button"
          variant="outline"
          size="icon"
          className="size-9"
          aria-label={`${m.period.pickDate}: ${label}`}
          aria-expanded={open}
          onClick={() => setOpen((o) => !o)}
        >
          <CalendarDays aria-hidden />
        </Button>
      </div>
      {invalid ? (
        <p id={errorId} role="alert" className="mt-1 max-w-64 text-xs text-destructive">
          {m.period.invalidDate}
        </p>
      ) : null}
      {open ? (
        <Calendar
          label={label}
          locale={locale}
          selected={parsed ?? (value || null)}
          inRange={inRange}
          onChoose={choose}
          onClose={() => {
            setOpen(false);
            inputRef.current?.focus();
          }}
          container={wrapRef}
        />
      ) : null}
    </div>
  );
}

function Calendar({
  label,
  locale,
  selected,
  inRange,
  onChoose,
  onClose,
  container,
}: {
  label: string;
  locale: string;
  selected: string | null;
  inRange: (iso: string) => boolean;
  onChoose: (iso: string) => void;
  onClose: () => void;
  container: RefObject<HTMLDivElement | null>;
}) {
  const { m } = useCatalog();
  const [focused, setFocused] = useState(selected ?? businessDate());
  const month = focused.slice(0, 7);
  const gridRef = useRef<HTMLDivElement>(null);
  const today = businessDate();

  useEffect(() => {
    gridRef.current?.querySelector<HTMLButtonElement>(`[data-day="${focused}"]`)?.focus();
  }, [focused]);

  // A click outside the field and its calendar closes the calendar.
  useEffect(() => {
    const away = (e: MouseEvent) => {
      if (!container.current?.contains(e.target as Node)) onClose();
    };
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [container, onClose]);

  const [y, mo] = month.split('-').map(Number) as [number, number];
  // Midday UTC is the same calendar day in every zone the branches use.
  const title = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, mo - 1, 1, 12)),
  );
  const weekdays = Array.from({ length: 7 }, (_, i) =>
    new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' }).format(
      new Date(Date.UTC(2024, 0, 1 + i, 12)),
    ),
  );
  const long = new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeZone: 'UTC' });

  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const steps: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onClose();
    } else if (e.key in steps) {
      e.preventDefault();
      setFocused((f) => addDays(f, steps[e.key]!));
    } else if (e.key === 'PageUp' || e.key === 'PageDown') {
      e.preventDefault();
      setFocused((f) => `${shiftMonth(f.slice(0, 7), e.key === 'PageUp' ? -1 : 1)}-01`);
    }
  };

  return (
    <div
      role="dialog"
      aria-label={`${m.period.pickDate}: ${label}`}
      className="absolute left-0 top-full z-50 mt-1 w-72 rounded-md border bg-card p-3 text-card-foreground shadow-md"
      onKeyDown={onKey}
      data-testid="calendar"
    >
      <div className="mb-2 flex items-center justify-between">
        <Button
          type="button"
          variant="ghost"
          size="icon"
          className="size-8"
          aria-label={m.period.prevMonth}
          onClick={() => setFocused(`${shiftMonth(month, -1)}-01`)}
        >
          <ChevronLeft aria-hidden />
        </Button>
        <div className="text-sm font-medium capitalize" aria-live="polite">
          {title}
        </div>
        <Button
          type="button"
          variant="ghost"
          size="icon"
          className="size-8"
          aria-label={m.period.nextMonth}
          onClick={() => setFocused(`${shiftMonth(month, 1)}-01`)}
        >
          <ChevronRight aria-hidden />
        </Button>
      </div>
      <div ref={gridRef} role="grid" className="grid grid-cols-7 gap-0.5 text-center text-xs">
        {weekdays.map((w) => (
          <div key={w} role="columnheader" className="py-1 text-muted-foreground">
            {w}
          </div>
        ))}
        {monthPage(month).map((day) => {
          const [dy, dm, dd] = day.split('-').map(Number) as [number, number, number];
          const outside = day.slice(0, 7) !== month;
          const allowed = inRange(day);
          return (
            <button
              key={day}
              type="button"
              role="gridcell"
              data-day={day}
              tabIndex={day === focused ? 0 : -1}
              disabled={!allowed}
              aria-selected={day === selected}
              aria-label={long.format(new Date(Date.UTC(dy, dm - 1, dd, 12)))}
              onClick={() => onChoose(day)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  onChoose(day);
                }
              }}
              className={cn(
                'h-8 rounded text-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring disabled:opacity-30',
                outside && 'text-muted-foreground',
                day === today && 'font-semibold underline',
                day === selected ? 'bg-primary text-primary-foreground' : 'hover:bg-accent',
              )}
            >
              {dd}
            </button>
          );
        })}
      </div>
    </div>
  );
}
