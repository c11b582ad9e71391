import { useRef, useState } from 'react';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { businessDate } from '@/lib/time';
import { ExportRunner } from '../../components/ExportRunner';
import { fill, useI18n } from '../../i18n';
import { isMonth, previousMonth } from '../../lib/exports';

const INPUT_ID = 'monthly-month';

/** Laporan bulanan: the accountant's workbook of one month (`GET /reports/monthly`), a summary
 * sheet and a sheet per branch; the month before the current one (in HQ's calendar) unless
 * another is picked. */
export function MonthlyPack() {
  const { m, lang } = useI18n();
  const today = businessDate();
  const [month, setMonth] = useState(() => previousMonth(today));
  const [invalid, setInvalid] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const errorId = `${INPUT_ID}-error`;

  const request = () => {
    if (!isMonth(month)) {
      setInvalid(true);
      input.current?.focus();
      return null;
    }
    return { path: '/reports/monthly', query: { month, lang }, fallbackName: `bulanan_${month}.xlsx` };
  };

  return (
    <Card data-testid="monthly">
      <CardHeader>
        <CardTitle>{m.monthly.title}</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-3">
        <p className="text-sm text-muted-foreground">{m.monthly.body}</p>
        <ExportRunner testid="monthly-" label={m.monthly.start} hint={m.monthly.hint} request={request}>
          {(running) => (
            <>
              <Label htmlFor={INPUT_ID}>{m.monthly.month}</Label>
              <Input
                ref={input}
                id={INPUT_ID}
                type="month"
                className="w-44"
                value={month}
                max={today.slice(0, 7)}
                placeholder={m.monthly.placeholder}
                onChange={(e) => {
                  setMonth(e.target.value);
                  setInvalid(false);
                }}
                disabled={running}
                aria-invalid={invalid || undefined}
                aria-describedby={invalid ? errorId : undefined}
                data-testid="monthly-month"
              />
            </>
          )}
        </ExportRunner>
        {invalid ? (
          <p id={errorId} className="text-sm font-medium text-destructive" data-testid={errorId}>
            {fill(m.monthly.invalid, { example: previousMonth(today) })}
          </p>
        ) : null}
      </CardContent>
    </Card>
  );
}
