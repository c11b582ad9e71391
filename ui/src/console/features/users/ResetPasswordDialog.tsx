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
import type { StaffUser } from '../../api/types';
import { useChangeFailed } from '../../components/useChangeFailed';
import { useResetPassword } from '../../hooks/useUserActions';
import { fill, useI18n } from '../../i18n';
import { PASSWORD_MAX, PASSWORD_MIN, passwordLength } from '../../lib/password';
import { useServerFieldErrors } from './fieldErrors';
import { noPassword, PasswordField, type NewPassword } from './PasswordField';

/** A new password for a user (typed or generated); the user's sessions end. `onDone` gets the
 * password only when generated. */
export function ResetPasswordDialog({
  user,
  onClose,
  onDone,
}: {
  user: StaffUser | null;
  onClose: () => void;
  onDone: (user: StaffUser, generated: string | null) => void;
}) {
  const { m } = useI18n();
  const resetPassword = useResetPassword();
  const failed = useChangeFailed();
  const serverErrors = useServerFieldErrors();
  const [password, setPassword] = useState<NewPassword>(noPassword);
  const [error, setError] = useState<string | undefined>();

  const close = () => {
    setPassword(noPassword);
    setError(undefined);
    onClose();
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!user) return;
    const length = passwordLength(password.value);
    if (length < PASSWORD_MIN || length > PASSWORD_MAX) return setError(m.users.passwordLength);
    setError(undefined);
    resetPassword.mutate(
      { id: user.id, password: password.value },
      {
        onSuccess: (changed) => {
          const generated = password.generated ? password.value : null;
          setPassword(noPassword);
          onDone(changed, generated);
        },
        onError: (err) => {
          const fields = serverErrors(err, ['password'] as const);
          if (fields) setError(fields.password);
          else failed(err);
        },
      },
    );
  };

  return (
    <Dialog open={user !== null} onOpenChange={(open) => (open ? undefined : close())}>
      <DialogContent closeLabel={m.common.close}>
        <form className="grid gap-4" onSubmit={submit} noValidate>
          <DialogHeader>
            <DialogTitle>{m.users.resetTitle}</DialogTitle>
            <DialogDescription>{user ? fill(m.users.resetBody, { email: user.email }) : null}</DialogDescription>
          </DialogHeader>
          <PasswordField id="reset-password" password={password} onChange={setPassword} error={error} />
          <DialogFooter>
            <Button variant="outline" onClick={close}>
              {m.common.cancel}
            </Button>
            <Button type="submit" disabled={resetPassword.isPending}>
              {m.users.resetSubmit}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
