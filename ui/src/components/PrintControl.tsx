import { Printer } from 'lucide-react';
import { useId } from 'react';
import { Button } from '@/components/ui/button';
import { Select } from '@/components/ui/select';
import { fill, useI18n } from '@/i18n';
import { cn } from '@/lib/cn';
import { PRINT_PAPERS, printReport, usePrintPaper, type PrintPaper, type PrintTarget } from '@/lib/print';

/**
 * "Cetak": the paper (A4, or an 80 mm receipt printer's roll; remembered in this browser) and
 * a button that opens the browser's print dialog for one report, only its printer's copy on
 * the page (the report's `.print-only` element named `target`).
 */
export function PrintControl({
  target,
  what,
  testId,
  paperTestId,
  className,
}: {
  target: PrintTarget;
  /** What is printed, for the controls' names (`laporan harian`: "Cetak laporan harian"). */
  what: string;
  /** The print button's test id. */
  testId: string;
  /** The paper select's test id. */
  paperTestId: string;
  className?: string;
}) {
  const { m } = useI18n();
  const [paper, setPaper] = usePrintPaper();
  const hintId = useId();
  const names: Record<PrintPaper, string> = { a4: m.print.a4, '80mm': m.print.receipt };
  return (
    <div
      className={cn('flex items-center gap-2', className)}
      role="group"
      aria-label={fill(m.print.printWhat, { what })}
    >
      <Select
        className="w-36"
        aria-label={fill(m.print.paperWhat, { what })}
        aria-describedby={hintId}
        value={paper}
        onChange={(e) => setPaper(e.target.value as PrintPaper)}
        data-testid={paperTestId}
      >
        {PRINT_PAPERS.map((p) => (
          <option key={p} value={p}>
            {names[p]}
          </option>
        ))}
      </Select>
      <span id={hintId} className="sr-only">
        {m.print.hint}
      </span>
      <Button
        variant="outline"
        title={m.print.hint}
        aria-label={fill(m.print.printWhat, { what })}
        onClick={() => printReport(target, paper)}
        data-testid={testId}
      >
        <Printer aria-hidden />
        {m.print.print}
      </Button>
    </div>
  );
}
