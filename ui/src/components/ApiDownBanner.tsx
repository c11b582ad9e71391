import { ServerCrash } from 'lucide-react';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { useI18n } from '@/i18n';

/** Shown above every screen while kh-local does not answer; the screens stay usable. */
export function ApiDownBanner() {
  const { m } = useI18n();
  return (
    <Alert variant="destructive" data-testid="api-down">
      <ServerCrash aria-hidden />
      <AlertTitle>{m.api.downTitle}</AlertTitle>
      <AlertDescription>{m.api.downBody}</AlertDescription>
    </Alert>
  );
}
