import type { ReactNode } from 'react';
import { Money } from '@/components/Money';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { formatNumericDateTime } from '@/lib/time';
import type { HqTransaction } from '../../api/types';
import { useI18n } from '../../i18n';

/** Every field of one entry, with its payment channel's name and when HQ received it. */
export function EntryDetail({ tx }: { tx: HqTransaction }) {
  const { m, locale } = useI18n();
  const rows: [string, ReactNode][] = [
    [m.entry.type, tx.type === 'IN' ? m.common.in : m.common.out],
    [m.entry.amount, <Money key="a" amount={tx.amount} type={tx.type} />],
    [m.entry.category, tx.category],
    [m.entry.description, tx.description ?? m.common.none],
    [m.entry.channel, tx.channel_name],
    [m.entry.recordedBy, tx.recorded_by_name ?? m.entry.nobody],
    [m.entry.occurredAt, formatNumericDateTime(tx.occurred_at, locale)],
    [m.entry.createdAt, formatNumericDateTime(tx.created_at, locale)],
    [m.entry.receivedAt, formatNumericDateTime(tx.received_at, locale)],
    [m.entry.id, <code key="i">{tx.id}</code>],
  ];
  if (tx.approved_by_name) rows.push([m.entry.approvedBy, tx.approved_by_name]);
  if (tx.reverses_id) rows.push([m.entry.reverses, <code key="r">{tx.reverses_id}</code>]);
  if (tx.voided_by) rows.push([m.entry.voidedBy, <code key="v">{tx.voided_by}</code>]);
  return (
    <Card data-testid="entry-detail">
      <CardHeader>
        <CardTitle>{m.entry.title}</CardTitle>
      </CardHeader>
      <CardContent>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          {rows.map(([label, value]) => (
            <div key={label} className="contents">
              <dt className="text-muted-foreground">{label}</dt>
              <dd className="min-w-0 break-words">{value}</dd>
            </div>
          ))}
        </dl>
      </CardContent>
    </Card>
  );
}
