import { AlertTriangle, Inbox, Loader2 } from 'lucide-react';
import type { ReactNode } from 'react';
import { ApiError } from '@/api/client';
import { Button } from '@/components/ui/button';
import { fill, useCatalog } from '@/i18n/core';
import type { FieldIssue } from '@/api/types';
import { formatRupiah } from '@/lib/money';
import { formatDateTime } from '@/lib/time';

/** A spinner with a word, for a part of a screen that is loading. */
export function Loading({ label }: { label?: string }) {
  const { m } = useCatalog();
  return (
    <div className="flex items-center gap-2 p-6 text-sm text-muted-foreground" role="status">
      <Loader2 className="size-4 animate-spin" aria-hidden />
      {label ?? m.common.loading}
    </div>
  );
}

/** Nothing to show, said plainly. */
export function Empty({ children }: { children: ReactNode }) {
  return (
    <div className="flex flex-col items-center gap-2 p-8 text-center text-sm text-muted-foreground">
      <Inbox className="size-8 opacity-60" aria-hidden />
      {children}
    </div>
  );
}

/**
 * One field's problem in the user's language, from the rule the server names (its `issue` is
 * English); a rule this app does not know yet falls back to the server's words.
 */
export function useFieldIssueText() {
  const { m } = useCatalog();
  return (d: FieldIssue): string => {
    const text = d.rule ? (m.rules as Record<string, string>)[d.rule] : undefined;
    if (!text) return d.issue;
    const number = (n: number | undefined) => (n === undefined ? '' : d.rule === 'range' ? formatRupiah(n) : String(n));
    return fill(text, { limit: number(d.limit), min: number(d.min) });
  };
}

/** The message of any failed call in the user's language, built from the error's code and,
 * for invalid input, each field's name and rule; never from the server's English words. */
export function useErrorText() {
  const { m, locale } = useCatalog();
  const issueText = useFieldIssueText();
  return (error: unknown): string => {
    if (error instanceof ApiError) {
      if (error.isNetwork) return m.api.network;
      // The PC's clock is too wrong for HQ to take what it stamps: say so, with its reading.
      if (error.code === 'validation_failed' && error.fieldIssue('clock')) {
        return fill(m.errors.clock, { now: formatDateTime(new Date().toISOString(), locale) });
      }
      if (error.code === 'validation_failed' && error.details.length > 0) {
        const fields = m.fields as Record<string, string>;
        const parts = error.details.map((d) => `${fields[d.field] ?? d.field}: ${issueText(d)}`);
        return `${m.errors.validation_failed}: ${parts.join('; ')}`;
      }
      const known = (m.errors as Record<string, string>)[error.code];
      return known ?? fill(m.errors.unknown, { code: error.code });
    }
    return error instanceof Error ? error.message : m.common.error;
  };
}

/** A failed load with a retry button. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { m } = useCatalog();
  const text = useErrorText();
  return (
    <div className="flex flex-col items-center gap-3 p-6 text-center text-sm" role="alert">
      <AlertTriangle className="size-6 text-destructive" aria-hidden />
      <p>{text(error)}</p>
      {onRetry ? (
        <Button variant="outline" size="sm" onClick={onRetry}>
          {m.common.retry}
        </Button>
      ) : null}
    </div>
  );
}
