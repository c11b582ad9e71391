import { AlertTriangle, Download, Loader2, X } from 'lucide-react';
import { useEffect, useId, useRef, useState } from 'react';
import { ApiError } from '@/api/client';
import type { ExportChoice } from '@/api/types';
import { useErrorText } from '@/components/States';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Select } from '@/components/ui/select';
import { toast } from '@/components/ui/use-toast';
import { useTransactionExport } from '@/hooks/useTransactionExport';
import { fill, useI18n } from '@/i18n';
import { formatBytes } from '@/lib/files';
import { toExportQuery, type HistoryFilters } from './filters';

/**
 * "Ekspor": every entry the list's filters match (all its pages, not just the one shown) as a
 * CSV file, `;`-separated for Excel in Indonesian or `,`-separated, its header row in the app's
 * language. While the file comes the bytes so far show, with a button to cancel; the server's
 * refusal (or a connection lost half-way) shows below the filters, and no file is saved.
 */
export function ExportControl({ filters }: { filters: HistoryFilters }) {
  const { m, lang, locale } = useI18n();
  const errorText = useErrorText();
  const { state, start, cancel, dismiss } = useTransactionExport();
  const [sep, setSep] = useState<ExportChoice>(';');
  const startButton = useRef<HTMLButtonElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const hintId = useId();
  const running = state.status === 'running';

  // The pressed button gives way to the other one: the keyboard's focus goes along to it (but
  // is not taken from wherever the user has gone meanwhile).
  const wasRunning = useRef(running);
  useEffect(() => {
    if (wasRunning.current === running) return;
    wasRunning.current = running;
    if (document.activeElement && document.activeElement !== document.body) return;
    (running ? cancelButton : startButton).current?.focus();
  }, [running]);

  const exportNow = () =>
    void start(toExportQuery(filters, sep, lang)).then((file) => {
      if (!file) return;
      toast({
        variant: 'success',
        title: m.history.exportDone,
        description: fill(m.history.exportDoneBody, { file: file.fileName, size: formatBytes(file.bytes, locale) }),
      });
    });

  const failureText = (error: unknown): string => {
    if (error instanceof ApiError && error.code === 'interrupted') return m.history.exportInterrupted;
    // A period longer than an export may cover: say how long it may be, in days.
    const range = error instanceof ApiError && error.code === 'validation_failed' ? error.details : [];
    const tooLong = range.find((d) => (d.field === 'to' || d.field === 'from') && d.rule === 'range');
    if (tooLong?.limit !== undefined) return fill(m.history.exportTooLong, { days: tooLong.limit });
    return errorText(error);
  };

  return (
    <>
      <div className="ml-auto flex items-center gap-2" role="group" aria-label={m.history.export}>
        <Select
          className="w-28"
          aria-label={m.history.exportFormat}
          aria-describedby={hintId}
          title={m.history.exportFormatHint}
          value={sep}
          onChange={(e) => setSep(e.target.value as ExportChoice)}
          disabled={running}
          data-testid="export-format"
        >
          <option value=";">{m.history.exportSemicolon}</option>
          <option value=",">{m.history.exportComma}</option>
          <option value="xlsx">{m.history.exportXlsx}</option>
        </Select>
        <span id={hintId} className="sr-only">
          {m.history.exportFormatHint}
        </span>
        {running ? (
          <>
            <span
              className="flex items-center gap-2 whitespace-nowrap text-sm text-muted-foreground"
              role="status"
              data-testid="export-progress"
            >
              <Loader2 className="size-4 animate-spin" aria-hidden />
              {fill(m.history.exporting, { size: formatBytes(state.bytes, locale) })}
            </span>
            <Button
              ref={cancelButton}
              variant="outline"
              aria-label={m.history.exportCancel}
              onClick={cancel}
              data-testid="export-cancel"
            >
              <X aria-hidden />
              {m.common.cancel}
            </Button>
          </>
        ) : (
          <Button
            ref={startButton}
            variant="outline"
            title={m.history.exportTitle}
            onClick={exportNow}
            data-testid="export-start"
          >
            <Download aria-hidden />
            {m.history.export}
          </Button>
        )}
      </div>
      {state.status === 'failed' ? (
        <Alert variant="destructive" className="basis-full" data-testid="export-error">
          <AlertTriangle aria-hidden />
          <div className="flex items-start justify-between gap-3">
            <div>
              <AlertTitle>{m.history.exportFailed}</AlertTitle>
              <AlertDescription>{failureText(state.error)}</AlertDescription>
            </div>
            <Button variant="ghost" size="sm" onClick={dismiss} aria-label={m.common.close}>
              <X aria-hidden />
            </Button>
          </div>
        </Alert>
      ) : null}
    </>
  );
}
