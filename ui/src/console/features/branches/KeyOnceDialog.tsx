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
import type { BranchWithKey } from '../../api/types';
import { SecretBox } from '../../components/SecretBox';
import { fill, useI18n } from '../../i18n';

/** A branch's key, the only time HQ shows it: the key, a copy button and a plain warning. */
export function KeyOnceDialog({ branch, onClose }: { branch: BranchWithKey | null; onClose: () => void }) {
  const { m } = useI18n();
  return (
    <Dialog open={branch !== null} onOpenChange={(open) => (open ? undefined : onClose())}>
      <DialogContent closeLabel={m.common.close} data-testid="key-dialog">
        <DialogHeader>
          <DialogTitle>{m.keyOnce.title}</DialogTitle>
          <DialogDescription>
            {branch ? fill(m.keyOnce.body, { code: branch.code, name: branch.name }) : null}
          </DialogDescription>
        </DialogHeader>
        <Alert variant="warning">
          <AlertTriangle aria-hidden />
          <AlertDescription>{m.keyOnce.warning}</AlertDescription>
        </Alert>
        <SecretBox
          secret={branch?.api_key ?? ''}
          label={m.keyOnce.key}
          copyFailed={m.keyOnce.copyFailed}
          testId="api-key"
        />
        <DialogFooter>
          <Button onClick={onClose}>{m.keyOnce.done}</Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
