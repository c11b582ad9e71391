import { ChevronLeft, ChevronRight } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { fill, useI18n } from '@/i18n';

/** Previous / next with "Halaman 2 dari 5" and the total count. */
export function Pagination({
  page,
  pages,
  total,
  onPage,
}: {
  page: number;
  pages: number;
  total: number;
  onPage: (p: number) => void;
}) {
  const { m } = useI18n();
  return (
    <div className="flex items-center justify-between gap-2 text-sm" data-testid="pagination">
      <span className="text-muted-foreground" data-testid="total-count">
        {fill(m.history.total, { total })}
      </span>
      <div className="flex items-center gap-2">
        <Button variant="outline" size="sm" disabled={page <= 1} onClick={() => onPage(page - 1)}>
          <ChevronLeft aria-hidden />
          {m.history.prev}
        </Button>
        <span aria-live="polite">{fill(m.history.page, { page, pages: Math.max(pages, 1) })}</span>
        <Button variant="outline" size="sm" disabled={page >= pages} onClick={() => onPage(page + 1)}>
          {m.history.next}
          <ChevronRight aria-hidden />
        </Button>
      </div>
    </div>
  );
}
