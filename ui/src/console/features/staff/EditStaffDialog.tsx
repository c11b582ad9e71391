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
import type { BranchStaff, BranchStaffChange, StaffRole } from '../../api/types';
import { useChangeFailed } from '../../components/useChangeFailed';
import { useChangeStaff } from '../../hooks/useStaff';
import { useI18n } from '../../i18n';
import { RoleField } from './RoleField';
import { useStaffErrors } from './staffErrors';

const FIELDS = ['name', 'role'] as const;
type Errors = Partial<Record<(typeof FIELDS)[number], string>>;

/** The form of one member, filled with what they are now; sends only what changed. */
function EditForm({
  member,
  onCancel,
  onDone,
}: {
  member: BranchStaff;
  onCancel: () => void;
  onDone: (member: BranchStaff) => void;
}) {
  const { m } = useI18n();
  const change = useChangeStaff();
  const failed = useChangeFailed();
  const serverErrors = useStaffErrors();
  const [name, setName] = useState(member.name);
  const [role, setRole] = useState<StaffRole>(member.role);
  const [errors, setErrors] = useState<Errors>({});

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return setErrors({ name: m.staff.required });
    setErrors({});
    const body: BranchStaffChange = {
      ...(trimmed !== member.name ? { name: trimmed } : {}),
      ...(role !== member.role ? { role } : {}),
    };
    if (Object.keys(body).length === 0) return onCancel();
    change.mutate(
      { id: member.id, change: body },
      {
        onSuccess: onDone,
        onError: (error) => {
          const fields = serverErrors(error, FIELDS);
          if (fields) setErrors(fields);
          else failed(error);
        },
      },
    );
  };

  return (
    <form className="grid gap-4" onSubmit={submit} noValidate>
      <DialogHeader>
        <DialogTitle>{m.staff.editTitle}</DialogTitle>
        <DialogDescription>{m.staff.editBody}</DialogDescription>
      </DialogHeader>
      <Field id="edit-staff-name" label={m.staff.name} error={errors.name}>
        <Input
          id="edit-staff-name"
          autoComplete="off"
          value={name}
          autoFocus
          onChange={(e) => setName(e.target.value)}
          {...errorProps('edit-staff-name', errors.name)}
        />
      </Field>
      <RoleField id="edit-staff-role" value={role} onChange={setRole} error={errors.role} />
      <DialogFooter>
        <Button variant="outline" onClick={onCancel}>
          {m.common.cancel}
        </Button>
        <Button type="submit" disabled={change.isPending}>
          {m.common.save}
        </Button>
      </DialogFooter>
    </form>
  );
}

/** Renames a member or changes their role (the branch sees it at its next sync). */
export function EditStaffDialog({
  member,
  onClose,
  onDone,
}: {
  member: BranchStaff | null;
  onClose: () => void;
  onDone: (member: BranchStaff) => void;
}) {
  const { m } = useI18n();
  return (
    <Dialog open={member !== null} onOpenChange={(open) => (open ? undefined : onClose())}>
      <DialogContent closeLabel={m.common.close}>
        {member ? <EditForm key={member.id} member={member} onCancel={onClose} onDone={onDone} /> : null}
      </DialogContent>
    </Dialog>
  );
}
