import { AlertTriangle, Inbox, Loader2 } from 'lucide-react';
import type { ReactNode } from 'react';
import { ApiError } from '@/api/client';
import { Button } from '@/components/ui/button';
import { useI18n } from '@/i18n';

/** A spinner with a word, for a part of a screen that is loading. */
export function Loading({ label }: { label?: string }) {
  const { m } = useI18n();
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

/** The message of any failed call, in the user's language where the code is known. */
export function useErrorText() {
  const { m } = useI18n();
  return (error: unknown): string => {
    if (error instanceof ApiError) {
      if (error.isNetwork) return m.api.network;
      const known = (m.errors as Record<string, string>)[error.code];
      return error.message && error.message !== known
        ? `${known ?? m.common.error}: ${error.message}`
        : (known ?? m.common.error);
    }
    return error instanceof Error ? error.message : m.common.error;
  };
}

/** A failed load with a retry button. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { m } = useI18n();
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
