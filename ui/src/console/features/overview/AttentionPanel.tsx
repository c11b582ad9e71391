import { AlertTriangle, CheckCircle2 } from 'lucide-react';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { formatCount } from '@/i18n/core';
import { LastContact } from '../../components/LastContact';
import { fill, useI18n } from '../../i18n';
import { branchPath, navigate } from '../../router';
import type { Attention } from './attention';

function Reason({ item }: { item: Attention }) {
  const { m } = useI18n();
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

/** Perlu perhatian: branches silent for over a day, and branches voiding unusually much. */
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
                key={`${item.kind}-${item.branch.branch_id}-${item.kind === 'device' || item.kind === 'held' ? item.device : ''}`}
                className={
                  item.kind === 'voids'
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
