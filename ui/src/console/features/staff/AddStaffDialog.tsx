import { useState, type FormEvent } from 'react';
import { Field, errorProps } from '@/components/Field';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import type { BranchStaffWithPin, HqBranch, StaffRole } from '../../api/types';
import { useChangeFailed } from '../../components/useChangeFailed';
import { useAddStaff } from '../../hooks/useStaff';
import { fill, useI18n } from '../../i18n';
import { PinField } from './PinField';
import { RoleField } from './RoleField';
import { pinProblem, useStaffErrors } from './staffErrors';

const FIELDS = ['name', 'role', 'pin'] as const;
type Errors = Partial<Record<(typeof FIELDS)[number], string>>;

/** A new cashier or supervisor of a branch: name, role and a PIN (typed, or left empty for HQ
 * to make one). A name the branch has, a PIN too easy to guess and HQ's other field problems are
 * said under their fields. `onCreated` gets the member with the PIN, to show once. */
export function AddStaffDialog({
  branch,
  open,
  onOpenChange,
  onCreated,
}: {
  branch: HqBranch;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onCreated: (member: BranchStaffWithPin) => void;
}) {
  const { m } = useI18n();
  const add = useAddStaff();
  const failed = useChangeFailed();
  const serverErrors = useStaffErrors();
  const [name, setName] = useState('');
  const [role, setRole] = useState<StaffRole>('cashier');
  const [pin, setPin] = useState('');
  const [errors, setErrors] = useState<Errors>({});

  const reset = () => {
    setName('');
    setRole('cashier');
    setPin('');
    setErrors({});
  };
  const close = (next: boolean) => {
    if (!next) reset();
    onOpenChange(next);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next: Errors = { name: name.trim() ? undefined : m.staff.required, pin: pinProblem(pin, m) };
    setErrors(next);
    if (next.name || next.pin) return;
    add.mutate(
      { branch_id: branch.id, name: name.trim(), role, ...(pin ? { pin } : {}) },
      {
        onSuccess: (member) => {
          reset();
          add.reset();
          onCreated(member);
        },
        onError: (error) => {
          const fields = serverErrors(error, FIELDS);
          if (fields) setErrors(fields);
          else failed(error);
        },
      },
    );
  };

  return (
    <Dialog open={open} onOpenChange={close}>
      <DialogContent closeLabel={m.common.close}>
        <form className="grid gap-4" onSubmit={submit} noValidate>
          <DialogHeader>
            <DialogTitle>{fill(m.staff.createTitle, { branch: branch.name })}</DialogTitle>
            <DialogDescription>{m.staff.nextSync}</DialogDescription>
          </DialogHeader>
          <Field id="staff-name" label={m.staff.name} error={errors.name}>
            <Input
              id="staff-name"
              autoComplete="off"
              value={name}
              autoFocus
              onChange={(e) => setName(e.target.value)}
              {...errorProps('staff-name', errors.name)}
            />
          </Field>
          <RoleField id="staff-role" value={role} onChange={setRole} error={errors.role} />
          <PinField id="staff-pin-input" value={pin} onChange={setPin} error={errors.pin} />
          <DialogFooter>
            <Button variant="outline" onClick={() => close(false)}>
              {m.common.cancel}
            </Button>
            <Button type="submit" disabled={add.isPending}>
              {m.staff.createSubmit}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
