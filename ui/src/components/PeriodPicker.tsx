import { DateInput } from '@/components/DateInput';
import { cn } from '@/lib/cn';
import type { Period, PeriodKind } from '@/lib/period';
import { periodRange } from '@/lib/period';
import { useCatalog } from '@/i18n/core';

const kinds: PeriodKind[] = ['today', 'week', 'month', 'all', 'custom'];

/** Today / this week / this month / all / custom dates, as a row of toggle buttons. */
export function PeriodPicker({
  value,
  onChange,
  withAll = true,
}: {
  value: Period;
  onChange: (p: Period) => void;
  withAll?: boolean;
}) {
  const { m } = useCatalog();
  const shown = kinds.filter((k) => withAll || k !== 'all');
  return (
    <div className="flex flex-wrap items-end gap-2">
      <div role="group" aria-label={m.period.label} className="inline-flex rounded-md border bg-background p-0.5">
        {shown.map((k) => (
          <button
            key={k}
            type="button"
            aria-pressed={value.kind === k}
            onClick={() => onChange(k === 'custom' ? { kind: k, ...periodRange(value) } : { kind: k })}
            className={cn(
              'rounded px-3 py-1.5 text-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring pointer-coarse:min-h-10',
              value.kind === k ? 'bg-primary text-primary-foreground' : 'hover:bg-accent',
            )}
          >
            {m.period[k]}
          </button>
        ))}
      </div>
      {value.kind === 'custom' ? (
        <div className="flex flex-wrap items-start gap-2">
          <div className="grid gap-1 text-xs text-muted-foreground">
            <span aria-hidden>{m.period.from}</span>
            <DateInput
              label={m.period.from}
              value={value.from ?? ''}
              max={value.to || undefined}
              onChange={(from) => onChange({ ...value, from })}
            />
          </div>
          <div className="grid gap-1 text-xs text-muted-foreground">
            <span aria-hidden>{m.period.to}</span>
            <DateInput
              label={m.period.to}
              value={value.to ?? ''}
              min={value.from || undefined}
              onChange={(to) => onChange({ ...value, to })}
            />
          </div>
        </div>
      ) : null}
    </div>
  );
}
