import type { TxType } from '@/api/types';
import { formatRupiah } from '@/lib/money';
import { cn } from '@/lib/cn';

/** An amount through the one Rupiah formatter; income green, expense red when a type is given. */
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
      {type === 'OUT' ? '−' : ''}
      {formatRupiah(amount)}
    </span>
  );
}
