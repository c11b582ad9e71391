import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import type { StaffUser } from '../../api/types';
import { fill, useI18n } from '../../i18n';

/** Asks before disabling: the user cannot sign in and their sessions end at once. */
export function DisableUserDialog({
  user,
  busy,
  onConfirm,
  onCancel,
}: {
  user: StaffUser | null;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { m } = useI18n();
  return (
    <Dialog open={user !== null} onOpenChange={(open) => (open ? undefined : onCancel())}>
      <DialogContent closeLabel={m.common.close}>
        <DialogHeader>
          <DialogTitle>{m.users.disableTitle}</DialogTitle>
          <DialogDescription>{user ? fill(m.users.disableBody, { email: user.email }) : null}</DialogDescription>
        </DialogHeader>
        <DialogFooter>
          <Button variant="outline" onClick={onCancel}>
            {m.common.cancel}
          </Button>
          <Button variant="destructive" onClick={onConfirm} disabled={busy}>
            {m.users.disableConfirm}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
