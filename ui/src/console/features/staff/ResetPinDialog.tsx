import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import type { BranchStaff, BranchStaffWithPin } from '../../api/types';
import { useChangeFailed } from '../../components/useChangeFailed';
import { useResetStaffPin } from '../../hooks/useStaff';
import { fill, useI18n } from '../../i18n';
import { PinField } from './PinField';
import { pinProblem, useStaffErrors } from './staffErrors';

/** A new PIN for one member: typed, or left empty for HQ to make one. */
function ResetForm({
  member,
  onCancel,
  onDone,
}: {
  member: BranchStaff;
  onCancel: () => void;
  onDone: (member: BranchStaffWithPin) => void;
}) {
  const { m } = useI18n();
  const resetPin = useResetStaffPin();
  const failed = useChangeFailed();
  const serverErrors = useStaffErrors();
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | undefined>();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problem = pinProblem(pin, m);
    setError(problem);
    if (problem) return;
    resetPin.mutate(
      { id: member.id, pin },
      {
        onSuccess: (changed) => {
          setPin('');
          resetPin.reset();
          onDone(changed);
        },
        onError: (err) => {
          const fields = serverErrors(err, ['pin'] as const);
          if (fields) setError(fields.pin);
          else failed(err);
        },
      },
    );
  };

  return (
    <form className="grid gap-4" onSubmit={submit} noValidate>
      <DialogHeader>
        <DialogTitle>{fill(m.staff.resetTitle, { name: member.name })}</DialogTitle>
        <DialogDescription>{m.staff.resetBody}</DialogDescription>
      </DialogHeader>
      <PinField id="reset-pin-input" value={pin} onChange={setPin} error={error} />
      <DialogFooter>
        <Button variant="outline" onClick={onCancel}>
          {m.common.cancel}
        </Button>
        <Button type="submit" disabled={resetPin.isPending}>
          {m.staff.resetSubmit}
        </Button>
      </DialogFooter>
    </form>
  );
}

/** Sets a member's PIN anew; `onDone` gets the new PIN, to show once. */
export function ResetPinDialog({
  member,
  onClose,
  onDone,
}: {
  member: BranchStaff | null;
  onClose: () => void;
  onDone: (member: BranchStaffWithPin) => void;
}) {
  const { m } = useI18n();
  return (
    <Dialog open={member !== null} onOpenChange={(open) => (open ? undefined : onClose())}>
      <DialogContent closeLabel={m.common.close}>
        {member ? <ResetForm key={member.id} member={member} onCancel={onClose} onDone={onDone} /> : null}
      </DialogContent>
    </Dialog>
  );
}
