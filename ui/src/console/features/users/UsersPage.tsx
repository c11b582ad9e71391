import { UserPlus } from 'lucide-react';
import { useState } from 'react';
import { ApiError } from '@/api/client';
import { Empty, ErrorState, Loading } from '@/components/States';
import { Button } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import { toast } from '@/components/ui/use-toast';
import type { StaffUser } from '../../api/types';
import { NotAllowed } from '../../components/NotAllowed';
import { useChangeFailed } from '../../components/useChangeFailed';
import { useSetUserEnabled } from '../../hooks/useUserActions';
import { useUsers } from '../../hooks/useUsers';
import { fill, useI18n } from '../../i18n';
import { useUser } from '../../session/SessionGate';
import { AddUserDialog } from './AddUserDialog';
import { DisableUserDialog } from './DisableUserDialog';
import { PasswordOnceDialog, type PasswordToPass } from './PasswordOnceDialog';
import { ResetPasswordDialog } from './ResetPasswordDialog';
import { UserRow } from './UserRow';

/** Pengguna (owners only): HQ's users; add one, disable or enable, reset a password. A
 * generated password is shown once, after HQ took it. */
export function UsersPage() {
  const { m } = useI18n();
  const me = useUser();
  const users = useUsers();
  const setEnabled = useSetUserEnabled();
  const failed = useChangeFailed();
  const [adding, setAdding] = useState(false);
  const [disabling, setDisabling] = useState<StaffUser | null>(null);
  const [resetting, setResetting] = useState<StaffUser | null>(null);
  const [once, setOnce] = useState<PasswordToPass | null>(null);

  const done = (text: string) => toast({ title: text, variant: 'success' });
  const setUserEnabled = (u: StaffUser, enabled: boolean) =>
    setEnabled.mutate(
      { id: u.id, enabled },
      {
        onSuccess: () => {
          setDisabling(null);
          done(fill(enabled ? m.users.enabledDone : m.users.disabledDone, { email: u.email }));
        },
        onError: (e) => {
          setDisabling(null);
          failed(e);
        },
      },
    );
  const passOn = (text: string) => (user: StaffUser, generated: string | null) => {
    if (generated) setOnce({ email: user.email, password: generated });
    else done(fill(text, { email: user.email }));
  };

  // The role changed since signing in (HQ says 403): say so rather than an error.
  if (users.error instanceof ApiError && users.error.status === 403) return <NotAllowed />;
  return (
    <div className="grid gap-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">{m.users.title}</h1>
        <Button onClick={() => setAdding(true)}>
          <UserPlus aria-hidden />
          {m.users.create}
        </Button>
      </div>
      {users.isPending ? <Loading /> : null}
      {users.isError ? <ErrorState error={users.error} onRetry={() => void users.refetch()} /> : null}
      {users.data && users.data.length === 0 ? <Empty>{m.users.none}</Empty> : null}
      {users.data && users.data.length > 0 ? (
        <Card>
          <CardContent className="overflow-x-auto p-0">
            <table className="w-full border-collapse text-sm" data-testid="users-table">
              <caption className="sr-only">{m.users.title}</caption>
              <thead>
                <tr className="border-b text-left text-xs uppercase tracking-wide text-muted-foreground">
                  <th scope="col" className="px-3 py-2 font-medium">
                    {m.users.email}
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    {m.users.role}
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    {m.users.created}
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    {m.users.status}
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    <span className="sr-only">{m.users.actions}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {users.data.map((u) => (
                  <UserRow
                    key={u.id}
                    user={u}
                    isMe={u.id === me.id}
                    busy={setEnabled.isPending}
                    onReset={() => setResetting(u)}
                    onDisable={() => setDisabling(u)}
                    onEnable={() => setUserEnabled(u, true)}
                  />
                ))}
              </tbody>
            </table>
          </CardContent>
        </Card>
      ) : null}
      <AddUserDialog
        open={adding}
        onOpenChange={setAdding}
        onCreated={(u, generated) => {
          setAdding(false);
          passOn(m.users.createdDone)(u, generated);
        }}
      />
      <DisableUserDialog
        user={disabling}
        busy={setEnabled.isPending}
        onConfirm={() => (disabling ? setUserEnabled(disabling, false) : undefined)}
        onCancel={() => setDisabling(null)}
      />
      <ResetPasswordDialog
        user={resetting}
        onClose={() => setResetting(null)}
        onDone={(u, generated) => {
          setResetting(null);
          passOn(m.users.resetDone)(u, generated);
        }}
      />
      <PasswordOnceDialog shown={once} onClose={() => setOnce(null)} />
    </div>
  );
}
