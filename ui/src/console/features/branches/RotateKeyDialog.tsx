import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import type { HqBranch } from '../../api/types';
import { fill, useI18n } from '../../i18n';

/** Asks before rotating: the branch's PC stops syncing until someone types the new key. */
export function RotateKeyDialog({
  branch,
  busy,
  onConfirm,
  onCancel,
}: {
  branch: HqBranch | null;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { m } = useI18n();
  return (
    <Dialog open={branch !== null} onOpenChange={(open) => (open ? undefined : onCancel())}>
      <DialogContent closeLabel={m.common.close}>
        <DialogHeader>
          <DialogTitle>{m.branches.rotateTitle}</DialogTitle>
          <DialogDescription>
            {branch ? fill(m.branches.rotateBody, { code: branch.code, name: branch.name }) : null}
          </DialogDescription>
        </DialogHeader>
        <DialogFooter>
          <Button variant="outline" onClick={onCancel}>
            {m.common.cancel}
          </Button>
          <Button variant="destructive" onClick={onConfirm} disabled={busy}>
            {m.branches.rotateConfirm}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
