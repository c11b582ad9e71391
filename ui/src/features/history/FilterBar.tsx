import { Search, X } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { SyncState, TxType } from '@/api/types';
import { ChannelSelect } from '@/components/ChannelSelect';
import { PeriodPicker } from '@/components/PeriodPicker';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { useRoster } from '@/features/lock/useLock';
import { useCategories } from '@/hooks/useCategories';
import { useI18n } from '@/i18n';
import { ExportControl } from './ExportControl';
import { initialFilters, type HistoryFilters } from './filters';

/** Period, type, category, payment channel, who recorded (when the branch has staff), text and
 * sync-state filters, any change going back to page 1; and the export of what they match. */
export function FilterBar({ value, onChange }: { value: HistoryFilters; onChange: (f: HistoryFilters) => void }) {
  const { m } = useI18n();
  const categories = useCategories();
  const staff = useRoster().data?.staff ?? [];
  const [q, setQ] = useState(value.q);
  const update = (patch: Partial<HistoryFilters>) => onChange({ ...value, ...patch, page: 1 });

  // Typing searches after a short pause, not on every key.
  useEffect(() => {
    if (q === value.q) return;
    const t = window.setTimeout(() => onChange({ ...value, q, page: 1 }), 300);
    return () => window.clearTimeout(t);
  }, [q, value, onChange]);

  const names = [...new Set((categories.data ?? []).map((c) => c.name))];
  const dirty = JSON.stringify({ ...value, page: 1 }) !== JSON.stringify(initialFilters);

  return (
    <div className="flex flex-col gap-3" data-testid="history-filters">
      <PeriodPicker value={value.period} onChange={(period) => update({ period })} />
      <div className="flex flex-wrap gap-2">
        <label className="relative min-w-64 flex-1">
          <span className="sr-only">{m.history.search}</span>
          <Search className="pointer-events-none absolute left-3 top-3 size-4 text-muted-foreground" aria-hidden />
          <Input
            type="search"
            className="pl-9"
            placeholder={m.history.searchPlaceholder}
            value={q}
            onChange={(e) => setQ(e.target.value)}
            data-testid="filter-q"
          />
        </label>
        <Select
          className="w-40"
          aria-label={m.history.type}
          value={value.type}
          onChange={(e) => update({ type: e.target.value as TxType | '' })}
          data-testid="filter-type"
        >
          <option value="">{m.history.allTypes}</option>
          <option value="IN">{m.common.in}</option>
          <option value="OUT">{m.common.out}</option>
        </Select>
        <Select
          className="w-44"
          aria-label={m.history.category}
          value={value.category}
          onChange={(e) => update({ category: e.target.value })}
          data-testid="filter-category"
        >
          <option value="">{m.history.allCategories}</option>
          {names.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </Select>
        <ChannelSelect
          className="w-48"
          value={value.channelId}
          onChange={(channelId) => update({ channelId })}
          data-testid="filter-channel"
        />
        {staff.length > 0 ? (
          <Select
            className="w-44"
            aria-label={m.history.recordedBy}
            value={value.recordedBy}
            onChange={(e) => update({ recordedBy: e.target.value })}
            data-testid="filter-recorded-by"
          >
            <option value="">{m.history.allStaff}</option>
            {staff.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </Select>
        ) : null}
        <Select
          className="w-48"
          aria-label={m.history.syncState}
          value={value.syncState}
          onChange={(e) => update({ syncState: e.target.value as SyncState | '' })}
          data-testid="filter-sync"
        >
          <option value="">{m.history.allStates}</option>
          <option value="pending">{m.syncState.pending}</option>
          <option value="synced">{m.syncState.synced}</option>
          <option value="rejected">{m.syncState.rejected}</option>
        </Select>
        <Button
          variant="ghost"
          disabled={!dirty && q === ''}
          onClick={() => {
            setQ('');
            onChange(initialFilters);
          }}
        >
          <X aria-hidden />
          {m.history.reset}
        </Button>
        <ExportControl filters={value} />
      </div>
    </div>
  );
}
