import type { ReactNode } from 'react';
import { Money } from '@/components/Money';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { useHqSettings } from '../../hooks/useHqSettings';
import { fill, useI18n } from '../../i18n';

/** What a branch applies when HQ does not say (DESIGN 9's default). */
const DEFAULT_THRESHOLD = 10_000;

function Rule({ label, children, testId }: { label: string; children: ReactNode; testId: string }) {
  return (
    <div className="flex flex-wrap items-baseline justify-between gap-x-4 border-t pt-1 first:border-0 first:pt-0">
      <dt>{label}</dt>
      <dd className="font-medium" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

/** Aturan kas cabang: the rules of every branch's cash shifts, read-only (set in kh-cloud's own
 * settings, the defaults of an older HQ that does not say them). */
export function CashRulesCard() {
  const { m } = useI18n();
  const settings = useHqSettings().data;
  if (!settings) return null;
  return (
    <Card data-testid="cash-rules">
      <CardHeader>
        <CardTitle>{m.cashRules.title}</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-3">
        <dl className="grid gap-1 text-sm">
          <Rule label={m.cashRules.threshold} testId="rule-threshold">
            {m.cashRules.over} <Money amount={settings.cash_difference_threshold ?? DEFAULT_THRESHOLD} />
          </Rule>
          <Rule label={m.cashRules.blind} testId="rule-blind">
            {settings.blind_close ? m.cashRules.yes : m.cashRules.no}
          </Rule>
          <Rule label={m.cashRules.dayStart} testId="rule-day-start">
            {fill(m.cashRules.at, { time: settings.business_day_starts_at ?? '00:00' })}
          </Rule>
        </dl>
        <p className="break-words text-xs text-muted-foreground">{m.cashRules.help}</p>
      </CardContent>
    </Card>
  );
}
