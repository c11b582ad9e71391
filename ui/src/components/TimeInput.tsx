import { useEffect, useState } from 'react';
import { Input } from '@/components/ui/input';
import { useI18n } from '@/i18n';

/** Reads `14:05`, `14.05`, `9:05` or `1405` as `14:05` (24-hour); null if it is not a time. */
export function parseTime(text: string): string | null {
  const t = text.trim();
  const m = /^(\d{1,2})[:.](\d{2})$/.exec(t) ?? /^(\d{2})(\d{2})$/.exec(t);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 23 || min > 59) return null;
  return `${String(h).padStart(2, '0')}:${m[2]}`;
}

/**
 * A 24-hour time typed as hh:mm, whatever the browser's locale (its own time input shows
 * AM/PM in an English one). `onChange` gets `HH:mm`, or null while the text is not a time.
 */
export function TimeInput({
  value,
  onChange,
  label,
}: {
  value: string;
  onChange: (time: string | null) => void;
  label: string;
}) {
  const { m } = useI18n();
  const [text, setText] = useState(value);
  // A time set from outside ("now" ticking, the Sekarang button) shows; while the text is not a
  // time the value is empty and the text stays as typed.
  useEffect(() => {
    setText((t) => (value === '' || parseTime(t) === value ? t : value));
  }, [value]);
  const parsed = parseTime(text);
  return (
    <Input
      aria-label={label}
      className="h-9 w-20"
      inputMode="numeric"
      autoComplete="off"
      placeholder={m.period.timePlaceholder}
      value={text}
      aria-invalid={(text.trim() !== '' && parsed === null) || undefined}
      onChange={(e) => {
        setText(e.target.value);
        const next = parseTime(e.target.value);
        if (next !== value) onChange(next);
      }}
      onBlur={() => {
        if (parsed) setText(parsed);
      }}
    />
  );
}
