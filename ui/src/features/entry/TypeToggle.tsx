import { ArrowDownLeft, ArrowUpRight } from 'lucide-react';
import { useRef, type KeyboardEvent } from 'react';
import type { TxType } from '@/api/types';
import { cn } from '@/lib/cn';
import { useI18n } from '@/i18n';

const order: TxType[] = ['OUT', 'IN'];

/** Pengeluaran / Pemasukan as a radio group: arrows or Space choose, Tab moves on. */
export function TypeToggle({ value, onChange, id }: { value: TxType; onChange: (t: TxType) => void; id: string }) {
  const { m } = useI18n();
  const refs = useRef<Record<TxType, HTMLButtonElement | null>>({ IN: null, OUT: null });
  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>) => {
    if (!['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown'].includes(e.key)) return;
    e.preventDefault();
    const next = value === 'IN' ? 'OUT' : 'IN';
    onChange(next);
    refs.current[next]?.focus();
  };
  return (
    <div id={id} role="radiogroup" aria-label={m.entry.type} className="grid grid-cols-2 gap-2">
      {order.map((t) => {
        const selected = value === t;
        const Icon = t === 'IN' ? ArrowDownLeft : ArrowUpRight;
        return (
          <button
            key={t}
            ref={(el) => {
              refs.current[t] = el;
            }}
            type="button"
            role="radio"
            aria-checked={selected}
            tabIndex={selected ? 0 : -1}
            onClick={() => onChange(t)}
            onKeyDown={onKeyDown}
            data-testid={`type-${t}`}
            className={cn(
              'flex h-11 items-center justify-center gap-2 rounded-md border text-sm font-semibold focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-offset-2',
              selected && t === 'OUT' && 'border-expense bg-red-50 text-expense',
              selected && t === 'IN' && 'border-income bg-emerald-50 text-income',
              !selected && 'text-muted-foreground hover:bg-accent',
            )}
          >
            <Icon className="size-4" aria-hidden />
            {t === 'IN' ? m.common.in : m.common.out}
          </button>
        );
      })}
    </div>
  );
}
