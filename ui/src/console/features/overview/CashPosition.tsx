import { Balance, Money } from '@/components/Money';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import type { ReportSummary } from '../../api/types';
import { LastContact } from '../../components/LastContact';
import { useI18n } from '../../i18n';

/** The cash position: the all-time balance of the business and of each branch, each "as of"
 * that branch's last contact (what HQ has not received yet is not in it). */
export function CashPosition({ summary }: { summary: ReportSummary }) {
  const { m } = useI18n();
  const lastContact = summary.branches.reduce<string | null>(
    (latest, b) => (b.last_seen_at && (!latest || b.last_seen_at > latest) ? b.last_seen_at : latest),
    null,
  );
  return (
    <Card data-testid="cash-position">
      <CardHeader>
        <CardTitle>{m.overview.cashPosition}</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-3">
        <div className="text-2xl font-semibold" data-testid="cash-total">
          <Balance amount={summary.total.balance} />
        </div>
        <p className="text-xs text-muted-foreground">{m.overview.cashPositionHint}</p>
        <ul className="grid gap-1 text-sm" aria-label={m.overview.perBranch}>
          {summary.branches.map((b) => (
            <li
              key={b.branch_id}
              className="flex flex-wrap items-baseline justify-between gap-x-3 border-t pt-1"
              data-testid="branch-cash"
            >
              <span className="font-medium">{b.name}</span>
              <span className="flex items-baseline gap-2">
                <Money amount={b.balance} className={b.balance < 0 ? 'text-destructive' : undefined} />
                <span className="text-xs text-muted-foreground">
                  <LastContact at={b.last_seen_at} prefix />
                </span>
              </span>
            </li>
          ))}
        </ul>
        {lastContact ? (
          <p className="text-xs text-muted-foreground">
            {m.overview.latestContact} <LastContact at={lastContact} />
          </p>
        ) : null}
      </CardContent>
    </Card>
  );
}
