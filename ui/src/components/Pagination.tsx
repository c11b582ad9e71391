import { ChevronLeft, ChevronRight, ChevronsLeft, ChevronsRight } from 'lucide-react';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { fill, useCatalog } from '@/i18n/core';

/** First / previous / next / last, "Halaman 2 dari 5", a page number to jump to, and the
 * total count (`totalText` names what is counted, e.g. `{total} shift`; transactions by
 * default). */
export function Pagination({
  page,
  pages,
  total,
  onPage,
  totalText,
}: {
  page: number;
  pages: number;
  total: number;
  onPage: (p: number) => void;
  totalText?: string;
}) {
  const { m } = useCatalog();
  const last = Math.max(pages, 1);
  const [jump, setJump] = useState('');
  const go = () => {
    const n = Number(jump.trim());
    if (!Number.isInteger(n) || jump.trim() === '') return;
    onPage(Math.min(Math.max(n, 1), last));
    setJump('');
  };
  return (
    <div className="flex flex-wrap items-center justify-between gap-2 text-sm" data-testid="pagination">
      <span className="text-muted-foreground" data-testid="total-count">
        {fill(totalText ?? m.pager.total, { total })}
      </span>
      <div className="flex flex-wrap items-center gap-2">
        <Button variant="outline" size="sm" disabled={page <= 1} onClick={() => onPage(1)} aria-label={m.pager.first}>
          <ChevronsLeft aria-hidden />
        </Button>
        <Button variant="outline" size="sm" disabled={page <= 1} onClick={() => onPage(page - 1)}>
          <ChevronLeft aria-hidden />
          {m.pager.prev}
        </Button>
        <span aria-live="polite">{fill(m.pager.page, { page, pages: last })}</span>
        <Button variant="outline" size="sm" disabled={page >= pages} onClick={() => onPage(page + 1)}>
          {m.pager.next}
          <ChevronRight aria-hidden />
        </Button>
        <Button
          variant="outline"
          size="sm"
          disabled={page >= pages}
          onClick={() => onPage(last)}
          aria-label={m.pager.last}
        >
          <ChevronsRight aria-hidden />
        </Button>
        {last > 2 ? (
          <Input
            className="h-8 w-24 pointer-coarse:h-10"
            inputMode="numeric"
            aria-label={m.pager.jump}
            placeholder={m.pager.jump}
            value={jump}
            onChange={(e) => setJump(e.target.value.replace(/\D/g, ''))}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                go();
              }
            }}
          />
        ) : null}
      </div>
    </div>
  );
}
