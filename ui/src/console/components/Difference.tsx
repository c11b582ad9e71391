import { formatRupiah } from '@/lib/money';
import { cn } from '@/lib/cn';
import { useI18n } from '../i18n';

/** A cash difference (selisih, counted − expected): short in red with a minus, over in amber
 * with a plus, none as "pas". `words` adds "kurang" / "lebih"; `exact: false` shows a zero as
 * Rp 0 (a sum of differences that cancel out is not a drawer that matched). */
export function Difference({
  amount,
  words = false,
  exact = true,
  className,
}: {
  amount: number;
  words?: boolean;
  exact?: boolean;
  className?: string;
}) {
  const { m } = useI18n();
  if (amount === 0) {
    return (
      <span className={cn('tabular whitespace-nowrap', exact && 'text-income', className)}>
        {exact ? m.shifts.exact : formatRupiah(0)}
      </span>
    );
  }
  const short = amount < 0;
  return (
    <span className={cn('tabular whitespace-nowrap', short ? 'text-expense' : 'text-amber-700', className)}>
      {short ? '' : '+'}
      {formatRupiah(amount)}
      {words ? ` (${short ? m.shifts.short : m.shifts.over})` : ''}
    </span>
  );
}
