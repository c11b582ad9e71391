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

/** Whose PIN it is, and the PIN: shown this once, then forgotten. */
export interface PinToPass {
  name: string;
  pin: string;
}

/** A member's PIN after HQ set it (added, or reset), the only time the console shows it: to
 * copy or write down and hand to that person. */
export function PinOnceDialog({ shown, onClose }: { shown: PinToPass | null; onClose: () => void }) {
  const { m } = useI18n();
  const name = shown?.name ?? '';
  return (
    <Dialog open={shown !== null} onOpenChange={(open) => (open ? undefined : onClose())}>
      <DialogContent closeLabel={m.common.close} data-testid="pin-dialog">
        <DialogHeader>
          <DialogTitle>{fill(m.pinOnce.title, { name })}</DialogTitle>
          <DialogDescription>{fill(m.pinOnce.body, { name })}</DialogDescription>
        </DialogHeader>
        <Alert variant="warning">
          <AlertTriangle aria-hidden />
          <AlertDescription>{m.pinOnce.warning}</AlertDescription>
        </Alert>
        <SecretBox
          secret={shown?.pin ?? ''}
          label={m.pinOnce.label}
          copyFailed={m.pinOnce.copyFailed}
          testId="staff-pin"
        />
        <DialogFooter>
          <Button onClick={onClose}>{m.pinOnce.done}</Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
