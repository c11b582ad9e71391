import { KeyRound, Plus, Power, PowerOff } from 'lucide-react';
import { useState } from 'react';
import { Empty, ErrorState, Loading } from '@/components/States';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import { toast } from '@/components/ui/use-toast';
import { formatNumericDateTime } from '@/lib/time';
import type { BranchWithKey, HqBranch } from '../../api/types';
import { LastContact } from '../../components/LastContact';
import { useChangeFailed } from '../../components/useChangeFailed';
import { useRotateKey, useSetBranchEnabled } from '../../hooks/useBranchActions';
import { useBranches } from '../../hooks/useBranches';
import { fill, useI18n } from '../../i18n';
import { branchPath, navigate } from '../../router';
import { canManageBranches } from '../../session/roles';
import { useUser } from '../../session/SessionGate';
import { CashRulesCard } from './CashRulesCard';
import { CreateBranchDialog } from './CreateBranchDialog';
import { KeyOnceDialog } from './KeyOnceDialog';
import { RotateKeyDialog } from './RotateKeyDialog';

function Devices({ branch }: { branch: HqBranch }) {
  const { m, locale } = useI18n();
  if (branch.devices.length === 0) return <span className="text-muted-foreground">{m.branches.noDevices}</span>;
  return (
    <ul className="grid gap-0.5 text-xs">
      {branch.devices.map((d) => (
        <li key={d.id} title={fill(m.branches.firstSeen, { at: formatNumericDateTime(d.first_seen_at, locale) })}>
          <code>{d.id.slice(0, 8)}</code> · <LastContact at={d.last_seen_at} />
          {(d.pull_quarantined ?? 0) > 0 && (
            <span className="ml-1 rounded bg-amber-100 px-1 text-amber-950">
              {fill(m.branches.held, { count: d.pull_quarantined ?? 0 })}
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}

/** Cabang: every branch with its devices and last contact, and the cash rules HQ sets for all of
 * them; the owner creates branches, rotates keys and disables or enables a branch. */
export function BranchesPage() {
  const { m } = useI18n();
  const user = useUser();
  const manage = canManageBranches(user.role);
  const branches = useBranches();
  const rotate = useRotateKey();
  const setEnabled = useSetBranchEnabled();
  const failed = useChangeFailed();
  const [creating, setCreating] = useState(false);
  const [rotating, setRotating] = useState<HqBranch | null>(null);
  const [keyShown, setKeyShown] = useState<BranchWithKey | null>(null);

  const confirmRotate = () => {
    if (!rotating) return;
    rotate.mutate(rotating.id, {
      onSuccess: (b) => {
        setRotating(null);
        setKeyShown(b);
      },
      onError: (e) => {
        setRotating(null);
        failed(e);
      },
    });
  };
  const toggle = (b: HqBranch) =>
    setEnabled.mutate(
      { id: b.id, enabled: b.disabled_at !== null },
      {
        onSuccess: () =>
          toast({
            title: fill(b.disabled_at ? m.branches.enabledDone : m.branches.disabledDone, { code: b.code }),
            variant: 'success',
          }),
        onError: failed,
      },
    );

  return (
    <div className="grid gap-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">{m.branches.title}</h1>
        {manage ? (
          <Button onClick={() => setCreating(true)}>
            <Plus aria-hidden />
            {m.branches.create}
          </Button>
        ) : (
          <p className="text-sm text-muted-foreground" data-testid="read-only">
            {m.branches.ownerOnly}
          </p>
        )}
      </div>
      {branches.isPending ? <Loading /> : null}
      {branches.isError ? <ErrorState error={branches.error} onRetry={() => void branches.refetch()} /> : null}
      {branches.data && branches.data.length === 0 ? <Empty>{m.overview.noBranches}</Empty> : null}
      {branches.data && branches.data.length > 0 ? (
        <Card>
          <CardContent className="overflow-x-auto p-0">
            <table className="w-full border-collapse text-sm" data-testid="branches-table">
              <caption className="sr-only">{m.branches.title}</caption>
              <thead>
                <tr className="border-b text-left text-xs uppercase tracking-wide text-muted-foreground">
                  <th scope="col" className="px-3 py-2 font-medium">
                    {m.branches.branch}
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    {m.branches.status}
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    {m.branches.lastContact}
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    {m.branches.devices}
                  </th>
                  {manage ? (
                    <th scope="col" className="px-3 py-2 font-medium">
                      <span className="sr-only">{m.branches.actions}</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {branches.data.map((b) => (
                  <tr key={b.id} className="border-b align-top last:border-0" data-testid="branch-row">
                    <td className="px-3 py-2">
                      <a
                        href={branchPath(b.id)}
                        className="font-medium underline-offset-2 hover:underline pointer-coarse:inline-flex pointer-coarse:min-h-10 pointer-coarse:items-center"
                        onClick={(e) => {
                          e.preventDefault();
                          navigate(branchPath(b.id));
                        }}
                      >
                        {b.name}
                      </a>
                      <div className="text-xs text-muted-foreground">{b.code}</div>
                    </td>
                    <td className="px-3 py-2">
                      {b.disabled_at ? (
                        <Badge variant="destructive">{m.branches.disabled}</Badge>
                      ) : (
                        <Badge variant="success">{m.branches.active}</Badge>
                      )}
                    </td>
                    <td className="px-3 py-2">
                      <LastContact at={b.last_seen_at} />
                    </td>
                    <td className="px-3 py-2">
                      <Devices branch={b} />
                    </td>
                    {manage ? (
                      <td className="px-3 py-2">
                        <div className="flex flex-wrap justify-end gap-2">
                          <Button
                            variant="outline"
                            size="sm"
                            onClick={() => setRotating(b)}
                            aria-label={`${m.branches.rotate}: ${b.code}`}
                          >
                            <KeyRound aria-hidden />
                            {m.branches.rotate}
                          </Button>
                          <Button
                            variant="outline"
                            size="sm"
                            onClick={() => toggle(b)}
                            disabled={setEnabled.isPending}
                            aria-label={`${b.disabled_at ? m.branches.enable : m.branches.disable}: ${b.code}`}
                          >
                            {b.disabled_at ? <Power aria-hidden /> : <PowerOff aria-hidden />}
                            {b.disabled_at ? m.branches.enable : m.branches.disable}
                          </Button>
                        </div>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </CardContent>
        </Card>
      ) : null}
      <CashRulesCard />
      {manage ? (
        <>
          <CreateBranchDialog
            open={creating}
            onOpenChange={setCreating}
            onCreated={(b) => {
              setCreating(false);
              setKeyShown(b);
            }}
          />
          <RotateKeyDialog
            branch={rotating}
            busy={rotate.isPending}
            onConfirm={confirmRotate}
            onCancel={() => setRotating(null)}
          />
        </>
      ) : null}
      <KeyOnceDialog branch={keyShown} onClose={() => setKeyShown(null)} />
    </div>
  );
}
