import { AlertTriangle, X } from 'lucide-react';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';

/** Why something failed (an export, a download), in the user's words, with a button that
 * puts it away. Both apps show their export failures with it. */
export function FailureAlert({
  title,
  description,
  closeLabel,
  onDismiss,
  className,
  testId,
}: {
  title: string;
  description: string;
  closeLabel: string;
  onDismiss: () => void;
  className?: string;
  testId?: string;
}) {
  return (
    <Alert variant="destructive" className={className} data-testid={testId}>
      <AlertTriangle aria-hidden />
      <div className="flex items-start justify-between gap-3">
        <div>
          <AlertTitle>{title}</AlertTitle>
          <AlertDescription>{description}</AlertDescription>
        </div>
        <Button variant="ghost" size="sm" onClick={onDismiss} aria-label={closeLabel}>
          <X aria-hidden />
        </Button>
      </div>
    </Alert>
  );
}
