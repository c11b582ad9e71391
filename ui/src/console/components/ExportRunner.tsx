import { Download, Loader2, X } from 'lucide-react';
import { useEffect, useRef, type ReactNode } from 'react';
import { ApiError } from '@/api/client';
import { useErrorText } from '@/components/States';
import { FailureAlert } from '@/components/FailureAlert';
import { Button } from '@/components/ui/button';
import { toast } from '@/components/ui/use-toast';
import { formatBytes } from '@/lib/files';
import { useHqExport, type ExportRequest } from '../hooks/useHqExport';
import { fill, useI18n } from '../i18n';

export interface ExportRunnerProps {
  /** The prefix of the parts' test ids: `<prefix>start`, `progress`, `cancel`, `error`. */
  testid: string;
  /** The start button's words, which also name the group. */
  label: string;
  /** What the start button downloads, on hover. */
  hint: string;
  /** The file to ask for now; null when the inputs cannot make one (they say why). */
  request: () => ExportRequest | null;
  /** The words for `not_found` (an unknown branch), when the file is about one. */
  notFoundText?: string;
  /** The inputs before the button (a format, a month), given whether a file is coming. */
  children?: (running: boolean) => ReactNode;
}

/** The failure of an export in the user's words: a broken connection, a period too long (in
 * days), a role that may not, an unknown branch, else the error's code and fields. */
function useFailureText(notFoundText?: string) {
  const { m, locale } = useI18n();
  const errorText = useErrorText();
  return (error: unknown): string => {
    if (error instanceof ApiError) {
      if (error.code === 'interrupted') return m.exports.interrupted;
      if (error.code === 'validation_failed') {
        const tooLong = error.details.find((d) => (d.field === 'to' || d.field === 'from') && d.rule === 'range');
        if (tooLong?.limit !== undefined) return fill(m.exports.tooLong, { days: tooLong.limit });
        const tooMany = error.details.find((d) => d.field === 'format' && d.rule === 'range');
        if (tooMany?.limit !== undefined)
          return fill(m.exports.tooManyRows, { rows: tooMany.limit.toLocaleString(locale) });
      }
      if (error.code === 'forbidden') return m.exports.forbidden;
      if (error.code === 'not_found' && notFoundText) return notFoundText;
    }
    return errorText(error);
  };
}

/**
 * A download from HQ with its inputs: while the file comes the bytes so far show with a button
 * to cancel (the keyboard's focus goes from one button to the other); a finished file is
 * saved and told in a toast; a refusal shows below in words, and nothing is saved.
 */
export function ExportRunner({ testid, label, hint, request, notFoundText, children }: ExportRunnerProps) {
  const { m, locale } = useI18n();
  const failureText = useFailureText(notFoundText);
  const { state, start, cancel, dismiss } = useHqExport();
  const startButton = useRef<HTMLButtonElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const running = state.status === 'running';

  // The pressed button gives way to the other one: the focus goes along to it (but is not
  // taken from wherever the user has gone meanwhile).
  const wasRunning = useRef(running);
  useEffect(() => {
    if (wasRunning.current === running) return;
    wasRunning.current = running;
    if (document.activeElement && document.activeElement !== document.body) return;
    (running ? cancelButton : startButton).current?.focus();
  }, [running]);

  const exportNow = () => {
    const asked = request();
    if (!asked) return;
    void start(asked).then((file) => {
      if (!file) return;
      toast({
        variant: 'success',
        title: m.exports.done,
        description: fill(m.exports.doneBody, { file: file.fileName, size: formatBytes(file.bytes, locale) }),
      });
    });
  };

  return (
    <div className="grid min-w-0 gap-2">
      <div className="flex flex-wrap items-center gap-2" role="group" aria-label={label}>
        {children?.(running)}
        {running ? (
          <>
            <span
              className="flex items-center gap-2 whitespace-nowrap text-sm text-muted-foreground"
              role="status"
              data-testid={`${testid}progress`}
            >
              <Loader2 className="size-4 animate-spin" aria-hidden />
              {fill(m.exports.running, { size: formatBytes(state.bytes, locale) })}
            </span>
            <Button
              ref={cancelButton}
              variant="outline"
              aria-label={fill(m.exports.cancel, { what: label })}
              onClick={cancel}
              data-testid={`${testid}cancel`}
            >
              <X aria-hidden />
              {m.common.cancel}
            </Button>
          </>
        ) : (
          <Button ref={startButton} variant="outline" title={hint} onClick={exportNow} data-testid={`${testid}start`}>
            <Download aria-hidden />
            {label}
          </Button>
        )}
      </div>
      {state.status === 'failed' ? (
        <FailureAlert
          testId={`${testid}error`}
          title={m.exports.failed}
          description={failureText(state.error)}
          closeLabel={m.common.close}
          onDismiss={dismiss}
        />
      ) : null}
    </div>
  );
}
