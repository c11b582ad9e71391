import { useState, type FormEvent } from 'react';
import { ApiError } from '@/api/client';
import { Field, errorProps } from '@/components/Field';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import type { Role, StaffUser } from '../../api/types';
import { useChangeFailed } from '../../components/useChangeFailed';
import { useCreateUser } from '../../hooks/useUserActions';
import { useI18n } from '../../i18n';
import { PASSWORD_MAX, PASSWORD_MIN, passwordLength } from '../../lib/password';
import { useServerFieldErrors } from './fieldErrors';
import { noPassword, PasswordField, type NewPassword } from './PasswordField';

const ROLES: Role[] = ['viewer', 'finance', 'owner'];
const FIELDS = ['email', 'role', 'password'] as const;
type Errors = Partial<Record<(typeof FIELDS)[number], string>>;

/** A new user: email, role and password (typed or generated). A taken email and HQ's field
 * problems are said under their fields. `onCreated` gets the password only when generated. */
export function AddUserDialog({
  open,
  onOpenChange,
  onCreated,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onCreated: (user: StaffUser, generated: string | null) => void;
}) {
  const { m } = useI18n();
  const create = useCreateUser();
  const failed = useChangeFailed();
  const serverErrors = useServerFieldErrors();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [password, setPassword] = useState<NewPassword>(noPassword);
  const [errors, setErrors] = useState<Errors>({});

  const reset = () => {
    setEmail('');
    setRole('viewer');
    setPassword(noPassword);
    setErrors({});
  };
  const close = (next: boolean) => {
    if (!next) reset();
    onOpenChange(next);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const length = passwordLength(password.value);
    const next: Errors = {
      email: email.trim() ? undefined : m.users.required,
      password: length >= PASSWORD_MIN && length <= PASSWORD_MAX ? undefined : m.users.passwordLength,
    };
    setErrors(next);
    if (next.email || next.password) return;
    create.mutate(
      { email: email.trim(), role, password: password.value },
      {
        onSuccess: (user) => {
          const generated = password.generated ? password.value : null;
          reset();
          onCreated(user, generated);
        },
        onError: (error) => {
          const fields = serverErrors(error, FIELDS);
          if (error instanceof ApiError && error.code === 'conflict') setErrors({ email: m.users.emailTaken });
          else if (fields) setErrors(fields);
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
            <DialogTitle>{m.users.createTitle}</DialogTitle>
          </DialogHeader>
          <Field id="user-email" label={m.users.email} error={errors.email}>
            <Input
              id="user-email"
              type="email"
              autoComplete="off"
              value={email}
              autoFocus
              onChange={(e) => setEmail(e.target.value)}
              {...errorProps('user-email', errors.email)}
            />
          </Field>
          <Field id="user-role" label={m.users.role} error={errors.role} hint={m.users.roleHints[role]}>
            <Select
              id="user-role"
              value={role}
              onChange={(e) => setRole(e.target.value as Role)}
              {...errorProps('user-role', errors.role)}
            >
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {m.roles[r]}
                </option>
              ))}
            </Select>
          </Field>
          <PasswordField id="user-password" password={password} onChange={setPassword} error={errors.password} />
          <DialogFooter>
            <Button variant="outline" onClick={() => close(false)}>
              {m.common.cancel}
            </Button>
            <Button type="submit" disabled={create.isPending}>
              {m.users.createSubmit}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
