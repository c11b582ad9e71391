import { AlertTriangle } from 'lucide-react';
import type { TxType } from '@/api/types';
import { useCatalog } from '@/i18n/core';
import { formatRupiah } from '@/lib/money';
import { cn } from '@/lib/cn';

/** An amount through the one Rupiah formatter; income green, expense red when a type is given
 * (an expense shows a minus sign, except a zero one). */
export function Money({ amount, type, className }: { amount: number; type?: TxType; className?: string }) {
  return (
    <span
      className={cn(
        'tabular whitespace-nowrap',
        type === 'IN' && 'text-income',
        type === 'OUT' && 'text-expense',
        className,
      )}
    >
      {type === 'OUT' && Math.trunc(amount) !== 0 ? '−' : ''}
      {formatRupiah(amount)}
    </span>
  );
}

/** Saldo Kas: the balance, and a warning under it when it is below zero (a cash box cannot
 * hold less than nothing: an entry is missing or wrong). */
export function Balance({ amount }: { amount: number }) {
  const { m } = useCatalog();
  if (amount >= 0) return <Money amount={amount} />;
  return (
    <span className="grid gap-1">
      <Money amount={amount} className="text-destructive" />
      <span
        role="status"
        className="flex items-center gap-1 text-xs font-normal text-destructive"
        data-testid="negative-balance"
      >
        <AlertTriangle className="size-3.5 shrink-0" aria-hidden />
        {m.balance.negative}
      </span>
    </span>
  );
}
