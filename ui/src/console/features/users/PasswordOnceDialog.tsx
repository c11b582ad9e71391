import { AlertTriangle } from 'lucide-react';
import { Alert, AlertDescription } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import { SecretBox } from '../../components/SecretBox';
import { fill, useI18n } from '../../i18n';

/** Who gets a generated password, and the password: shown this once, then forgotten. */
export interface PasswordToPass {
  email: string;
  password: string;
}

/** A generated password after HQ took it, the only time the console shows it: to copy and
 * pass on to its user. */
export function PasswordOnceDialog({ shown, onClose }: { shown: PasswordToPass | null; onClose: () => void }) {
  const { m } = useI18n();
  return (
    <Dialog open={shown !== null} onOpenChange={(open) => (open ? undefined : onClose())}>
      <DialogContent closeLabel={m.common.close} data-testid="password-dialog">
        <DialogHeader>
          <DialogTitle>{fill(m.passwordOnce.title, { email: shown?.email ?? '' })}</DialogTitle>
          <DialogDescription>{fill(m.passwordOnce.body, { email: shown?.email ?? '' })}</DialogDescription>
        </DialogHeader>
        <Alert variant="warning">
          <AlertTriangle aria-hidden />
          <AlertDescription>{m.passwordOnce.warning}</AlertDescription>
        </Alert>
        <SecretBox
          secret={shown?.password ?? ''}
          label={m.passwordOnce.label}
          copyFailed={m.passwordOnce.copyFailed}
          testId="password-once"
        />
        <DialogFooter>
          <Button onClick={onClose}>{m.passwordOnce.done}</Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
