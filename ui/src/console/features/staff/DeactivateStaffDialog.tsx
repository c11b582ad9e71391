import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import type { BranchStaff } from '../../api/types';
import { fill, useI18n } from '../../i18n';

/** Asks before deactivating: the member cannot sign in at the branch once its PC has synced. */
export function DeactivateStaffDialog({
  member,
  busy,
  onConfirm,
  onCancel,
}: {
  member: BranchStaff | null;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { m } = useI18n();
  return (
    <Dialog open={member !== null} onOpenChange={(open) => (open ? undefined : onCancel())}>
      <DialogContent closeLabel={m.common.close}>
        <DialogHeader>
          <DialogTitle>{m.staff.deactivateTitle}</DialogTitle>
          <DialogDescription>{member ? fill(m.staff.deactivateBody, { name: member.name }) : null}</DialogDescription>
        </DialogHeader>
        <DialogFooter>
          <Button variant="outline" onClick={onCancel}>
            {m.common.cancel}
          </Button>
          <Button variant="destructive" onClick={onConfirm} disabled={busy}>
            {m.staff.deactivateConfirm}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
