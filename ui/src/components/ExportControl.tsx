import { Download, Loader2, X } from 'lucide-react';
import { useEffect, useId, useRef, useState } from 'react';
import { ApiError, type ApiQuery } from '@/api/client';
import type { ExportChoice } from '@/api/types';
import { useErrorText } from '@/components/States';
import { FailureAlert } from '@/components/FailureAlert';
import { Button } from '@/components/ui/button';
import { Select } from '@/components/ui/select';
import { toast } from '@/components/ui/use-toast';
import { useFileExport } from '@/hooks/useFileExport';
import { fill, useI18n } from '@/i18n';
import { exportParams } from '@/lib/exports';
import { formatBytes } from '@/lib/files';
import { cn } from '@/lib/cn';

/** The words of an export's failure: a connection lost half-way, a period longer than an
 * export may cover (how long it may be, in days), or the server's error as anywhere else. */
export function useExportFailureText() {
  const { m, locale } = useI18n();
  const errorText = useErrorText();
  return (error: unknown): string => {
    if (error instanceof ApiError && error.code === 'interrupted') return m.export.interrupted;
    const range = error instanceof ApiError && error.code === 'validation_failed' ? error.details : [];
    const tooLong = range.find((d) => (d.field === 'to' || d.field === 'from') && d.rule === 'range');
    if (tooLong?.limit !== undefined) return fill(m.export.tooLong, { days: tooLong.limit });
    const tooMany = range.find((d) => d.field === 'format' && d.rule === 'range');
    if (tooMany?.limit !== undefined) return fill(m.export.tooManyRows, { rows: tooMany.limit.toLocaleString(locale) });
    return errorText(error);
  };
}

/** Says in a toast which file was saved and how large it is. */
export function useExportDoneToast() {
  const { m, locale } = useI18n();
  return (file: { fileName: string; bytes: number }) =>
    toast({
      variant: 'success',
      title: m.export.done,
      description: fill(m.export.doneBody, { file: file.fileName, size: formatBytes(file.bytes, locale) }),
    });
}

export interface ExportControlProps {
  /** The export's endpoint under `/api/v1`, e.g. `/dashboard/daily/export`. */
  path: string;
  /** The screen's filters as the endpoint takes them (never `page`/`limit`); the format, the
   * separator and the language are added. */
  query: ApiQuery;
  /** What the format list offers, the first chosen at the start. */
  formats: ExportChoice[];
  /** The file's name when the server gives none, without its extension (`harian`). */
  fallbackName: string;
  /** Put before every test id: `daily-` gives `daily-export-format`, `daily-export-start`, … */
  testIdPrefix?: string;
  /** What is exported, for the controls' names when a screen has more than one (`laporan
   * harian`: "Ekspor laporan harian"); without it they are plain "Ekspor", "Format ekspor". */
  what?: string;
  /** The start button's tooltip. */
  title?: string;
  className?: string;
}

/**
 * "Ekspor": a format (CSV `;`-separated for Excel in Indonesian or `,`-separated, Excel XLSX,
 * PDF where the endpoint makes one) and a button that downloads what the screen's filters
 * show as a file, its words in the app's language. While the file comes the bytes so far show,
 * with a button to cancel; the server's refusal (or a connection lost half-way) shows below,
 * and no file is saved.
 */
export function ExportControl({
  path,
  query,
  formats,
  fallbackName,
  testIdPrefix = '',
  what,
  title,
  className,
}: ExportControlProps) {
  const { m, lang, locale } = useI18n();
  const failureText = useExportFailureText();
  const done = useExportDoneToast();
  const { state, start, cancel, dismiss } = useFileExport(path, fallbackName);
  const [choice, setChoice] = useState<ExportChoice>(formats[0] ?? ';');
  const startButton = useRef<HTMLButtonElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const hintId = useId();
  const running = state.status === 'running';
  const id = (name: string) => `${testIdPrefix}${name}`;
  const named = (plain: string, template: string) => (what ? fill(template, { what }) : plain);

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
    void start({ ...query, ...exportParams(choice, lang) }).then((file) => {
      if (file) done(file);
    });

  const label: Record<ExportChoice, string> = {
    ';': m.export.semicolon,
    ',': m.export.comma,
    xlsx: m.export.xlsx,
    pdf: m.export.pdf,
  };
  const hint = formats.includes('pdf') ? `${m.export.formatHint} ${m.export.pdfHint}` : m.export.formatHint;

  return (
    <>
      <div
        className={cn('flex items-center gap-2', className)}
        role="group"
        aria-label={named(m.export.export, m.export.exportWhat)}
      >
        <Select
          className="w-28"
          aria-label={named(m.export.format, m.export.formatWhat)}
          aria-describedby={hintId}
          title={hint}
          value={choice}
          onChange={(e) => setChoice(e.target.value as ExportChoice)}
          disabled={running}
          data-testid={id('export-format')}
        >
          {formats.map((f) => (
            <option key={f} value={f}>
              {label[f]}
            </option>
          ))}
        </Select>
        <span id={hintId} className="sr-only">
          {hint}
        </span>
        {running ? (
          <>
            <span
              className="flex items-center gap-2 whitespace-nowrap text-sm text-muted-foreground"
              role="status"
              data-testid={id('export-progress')}
            >
              <Loader2 className="size-4 animate-spin" aria-hidden />
              {fill(m.export.exporting, { size: formatBytes(state.bytes, locale) })}
            </span>
            <Button
              ref={cancelButton}
              variant="outline"
              aria-label={named(m.export.cancel, m.export.cancelWhat)}
              onClick={cancel}
              data-testid={id('export-cancel')}
            >
              <X aria-hidden />
              {m.common.cancel}
            </Button>
          </>
        ) : (
          <Button
            ref={startButton}
            variant="outline"
            title={title}
            aria-label={what ? fill(m.export.exportWhat, { what }) : undefined}
            onClick={exportNow}
            data-testid={id('export-start')}
          >
            <Download aria-hidden />
            {m.export.export}
          </Button>
        )}
      </div>
      {state.status === 'failed' ? (
        <FailureAlert
          className="basis-full"
          testId={id('export-error')}
          title={m.export.failed}
          description={failureText(state.error)}
          closeLabel={m.common.close}
          onDismiss={dismiss}
        />
      ) : null}
    </>
  );
}
