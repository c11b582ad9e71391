import type { KeyboardEvent } from 'react';
import type { Transaction } from '@/api/types';
import { useI18n } from '@/i18n';
import { TransactionRow } from './TransactionRow';

/** Up and Down move between the rows (Enter on one opens its detail). */
function moveBetweenRows(e: KeyboardEvent<HTMLTableSectionElement>) {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
  const buttons = [...e.currentTarget.querySelectorAll<HTMLButtonElement>('button[data-row-open]')];
  const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
  if (at < 0) return;
  e.preventDefault();
  const next = e.key === 'ArrowDown' ? Math.min(at + 1, buttons.length - 1) : Math.max(at - 1, 0);
  buttons[next]?.focus();
}

/** The page of entries as a table. */
export function TransactionTable({
  items,
  selectedId,
  onSelect,
}: {
  items: Transaction[];
  selectedId: string | null;
  onSelect: (id: string) => void;
}) {
  const { m } = useI18n();
  return (
    <div className="overflow-x-auto">
      <table className="w-full border-collapse" data-testid="tx-table">
        <thead>
          <tr className="border-b text-left text-xs uppercase tracking-wide text-muted-foreground">
            <th className="w-32 px-3 py-2 font-medium">{m.history.date}</th>
            <th className="px-3 py-2 font-medium">
              {m.history.category} / {m.history.description}
            </th>
            <th className="px-3 py-2 font-medium">{m.common.channel}</th>
            <th className="px-3 py-2 text-right font-medium">{m.history.amount}</th>
            <th className="px-3 py-2 font-medium">{m.history.syncState}</th>
          </tr>
        </thead>
        <tbody onKeyDown={moveBetweenRows}>
          {items.map((tx) => (
            <TransactionRow key={tx.id} tx={tx} selected={tx.id === selectedId} onSelect={() => onSelect(tx.id)} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
