import { AlertTriangle, CheckCircle2 } from 'lucide-react';
import { formatDayMonthYear } from '@/components/DateInput';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { formatCount } from '@/i18n/core';
import { formatRupiah } from '@/lib/money';
import { formatNumericDateTime } from '@/lib/time';
import { Difference } from '../../components/Difference';
import { LastContact, useAgoText } from '../../components/LastContact';
import { fill, useI18n } from '../../i18n';
import { branchPath, navigate } from '../../router';
import type { Attention } from './attention';

function Reason({ item }: { item: Attention }) {
  const { m, locale } = useI18n();
  const ago = useAgoText();
  if (item.kind === 'never') return <span>{m.attention.never}</span>;
  if (item.kind === 'stale') {
    return (
      <span>
        {m.attention.stale} <LastContact at={item.since} />
      </span>
    );
  }
  if (item.kind === 'refused') {
    return (
      <span>
        {fill(m.attention.refused, { count: item.count })} <LastContact at={item.at} />
      </span>
    );
  }
  if (item.kind === 'shift_open') {
    return (
      <span>
        {fill(m.attention.shiftOpen, {
          name: item.shift.opened_by_name ?? m.attention.unnamed,
          hours: item.hours,
          at: formatNumericDateTime(item.shift.opened_at, locale),
          ago: ago(item.shift.opened_at),
        })}
      </span>
    );
  }
  if (item.kind === 'shift_difference') {
    return (
      <span>
        {fill(m.attention.shiftDifference, {
          date: formatDayMonthYear(item.shift.business_date),
          name: item.shift.closed_by_name ?? item.shift.opened_by_name ?? m.attention.unnamed,
          threshold: formatRupiah(item.threshold),
        })}{' '}
        <Difference amount={item.shift.difference ?? 0} words className="font-medium" />
      </span>
    );
  }
  if (item.kind === 'held') {
    return <span>{fill(m.attention.held, { pc: item.device.slice(0, 8), count: item.count })}</span>;
  }
  if (item.kind === 'device') {
    return (
      <span>
        {fill(m.attention.device, { pc: item.device.slice(0, 8) })} <LastContact at={item.since} />
      </span>
    );
  }
  const pct = formatCount(Math.round(item.share * 100));
  return (
    <span>{fill(m.attention.voids, { pct, count: item.branch.voided_count, all: item.branch.transaction_count })}</span>
  );
}

/** What an item is about within its branch: a PC, a shift, or the branch itself. */
function subject(item: Attention): string {
  if (item.kind === 'device' || item.kind === 'held') return item.device;
  if (item.kind === 'shift_open' || item.kind === 'shift_difference') return item.shift.id;
  return '';
}

/** Perlu perhatian: branches silent for over a day or whose rows HQ refused, PCs quiet or
 * holding rows apart, cash shifts left open or closed with a large difference, and branches
 * voiding unusually much. */
export function AttentionPanel({ items }: { items: Attention[] }) {
  const { m } = useI18n();
  return (
    <Card data-testid="attention">
      <CardHeader>
        <CardTitle>{m.attention.title}</CardTitle>
      </CardHeader>
      <CardContent>
        {items.length === 0 ? (
          <p className="flex items-center gap-2 text-sm text-income">
            <CheckCircle2 className="size-4" aria-hidden />
            {m.attention.none}
          </p>
        ) : (
          <ul className="grid gap-2">
            {items.map((item) => (
              <li
                key={`${item.kind}-${item.branch.branch_id}-${subject(item)}`}
                className={
                  item.kind === 'voids' || item.kind === 'shift_open'
                    ? 'flex items-start gap-2 rounded-md border border-amber-300 bg-amber-50 p-2 text-sm text-amber-950'
                    : 'flex items-start gap-2 rounded-md border border-red-300 bg-red-50 p-2 text-sm text-red-900'
                }
                data-testid="attention-item"
                data-kind={item.kind}
              >
                <AlertTriangle className="mt-0.5 size-4 shrink-0" aria-hidden />
                <div>
                  <a
                    href={branchPath(item.branch.branch_id)}
                    className="font-medium underline-offset-2 hover:underline pointer-coarse:inline-flex pointer-coarse:min-h-10 pointer-coarse:items-center"
                    onClick={(e) => {
                      e.preventDefault();
                      navigate(branchPath(item.branch.branch_id));
                    }}
                  >
                    {item.branch.code} · {item.branch.name}
                  </a>
                  <div>
                    <Reason item={item} />
                  </div>
                </div>
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}
