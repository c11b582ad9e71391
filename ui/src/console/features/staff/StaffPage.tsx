import { Info, UserPlus } from 'lucide-react';
import { useEffect, useState } from 'react';
import { ApiError } from '@/api/client';
import { Empty, ErrorState, Loading } from '@/components/States';
import { Button } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import { Label } from '@/components/ui/label';
import { Select } from '@/components/ui/select';
import { toast } from '@/components/ui/use-toast';
import type { BranchStaff, BranchStaffWithPin, HqBranch } from '../../api/types';
import { useChangeFailed } from '../../components/useChangeFailed';
import { useBranches } from '../../hooks/useBranches';
import { useChangeStaff, useStaff } from '../../hooks/useStaff';
import { fill, useI18n } from '../../i18n';
import { useSearchParams } from '../../router';
import { canManageStaff } from '../../session/roles';
import { useUser } from '../../session/SessionGate';
import { AddStaffDialog } from './AddStaffDialog';
import { DeactivateStaffDialog } from './DeactivateStaffDialog';
import { EditStaffDialog } from './EditStaffDialog';
import { PinOnceDialog, type PinToPass } from './PinOnceDialog';
import { ResetPinDialog } from './ResetPinDialog';
import { StaffRow } from './StaffRow';

/** The branch in the address (`?branch_id=`), else the first active branch (the first of all
 * when every one is disabled), then written to the address so a reload or a shared link shows
 * the same branch; null while there is none to show. */
function useChosenBranch(branches: HqBranch[] | undefined): [string | null, (id: string) => void] {
  const [params, setParams] = useSearchParams();
  const asked = params.get('branch_id');
  const choose = (id: string) => {
    const next = new URLSearchParams(params);
    next.set('branch_id', id);
    setParams(next);
  };
  const fallback = (branches?.find((b) => !b.disabled_at) ?? branches?.[0])?.id;
  useEffect(() => {
    if (!asked && fallback) choose(fallback);
    // `choose` is made anew each render from the same address: not a reason to run again.
  }, [asked, fallback]);
  return [asked || fallback || null, choose];
}

/** The branch picker: every branch by name and code, disabled ones said so. */
function BranchPicker({
  branches,
  value,
  onChange,
}: {
  branches: HqBranch[];
  value: string;
  onChange: (id: string) => void;
}) {
  const { m } = useI18n();
  const known = branches.some((b) => b.id === value);
  return (
    <div className="grid max-w-sm gap-1.5">
      <Label htmlFor="staff-branch">{m.staff.branch}</Label>
      <Select id="staff-branch" value={value} onChange={(e) => onChange(e.target.value)} data-testid="staff-branch">
        {known ? null : <option value={value}>{value}</option>}
        {branches.map((b) => (
          <option key={b.id} value={b.id}>
            {fill(b.disabled_at ? m.staff.branchDisabled : m.staff.branchOption, { name: b.name, code: b.code })}
          </option>
        ))}
      </Select>
    </div>
  );
}

/** Staf cabang: one branch's cashiers and supervisors, who sign in at the branch PC with a
 * 6-digit PIN. The owner and finance add them (the PIN is shown once), rename them or change
 * their role, deactivate or reactivate them and reset their PIN; viewers read. Every change
 * reaches the branch PC at its next sync. */
export function StaffPage() {
  const { m } = useI18n();
  const user = useUser();
  const manage = canManageStaff(user.role);
  const branches = useBranches();
  const [branchId, chooseBranch] = useChosenBranch(branches.data);
  const branch = branches.data?.find((b) => b.id === branchId) ?? null;
  const staff = useStaff(branchId);
  const change = useChangeStaff();
  const failed = useChangeFailed();
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<BranchStaff | null>(null);
  const [deactivating, setDeactivating] = useState<BranchStaff | null>(null);
  const [resetting, setResetting] = useState<BranchStaff | null>(null);
  const [once, setOnce] = useState<PinToPass | null>(null);

  const done = (text: string) => toast({ title: text, variant: 'success' });
  const showPin = (member: BranchStaffWithPin) => setOnce({ name: member.name, pin: member.pin });
  const setActive = (member: BranchStaff, active: boolean) =>
    change.mutate(
      { id: member.id, change: { active } },
      {
        onSuccess: () => {
          setDeactivating(null);
          done(fill(active ? m.staff.activatedDone : m.staff.deactivatedDone, { name: member.name }));
        },
        onError: (e) => {
          setDeactivating(null);
          failed(e);
        },
      },
    );

  const unknownBranch = staff.error instanceof ApiError && staff.error.status === 404;
  const rows = staff.data;
  return (
    <div className="grid gap-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">{m.staff.title}</h1>
        {manage ? (
          <Button onClick={() => setAdding(true)} disabled={!branch}>
            <UserPlus aria-hidden />
            {m.staff.create}
          </Button>
        ) : (
          <p className="text-sm text-muted-foreground" data-testid="read-only">
            {m.staff.readOnly}
          </p>
        )}
      </div>
      <p className="flex items-start gap-2 text-sm text-muted-foreground" data-testid="next-sync">
        <Info className="mt-0.5 size-4 shrink-0" aria-hidden />
        <span>
          {m.staff.intro} {m.staff.nextSync}
        </span>
      </p>
      {branches.isPending ? <Loading /> : null}
      {branches.isError ? <ErrorState error={branches.error} onRetry={() => void branches.refetch()} /> : null}
      {branches.data && branchId === null ? <Empty>{m.overview.noBranches}</Empty> : null}
      {branches.data && branchId !== null ? (
        <BranchPicker branches={branches.data} value={branchId} onChange={chooseBranch} />
      ) : null}
      {branchId !== null && staff.isPending ? <Loading /> : null}
      {unknownBranch ? (
        <p role="alert" className="text-sm font-medium text-destructive" data-testid="unknown-branch">
          {m.staff.unknownBranch}
        </p>
      ) : null}
      {staff.isError && !unknownBranch ? <ErrorState error={staff.error} onRetry={() => void staff.refetch()} /> : null}
      {rows && rows.length === 0 ? <Empty>{m.staff.none}</Empty> : null}
      {rows && rows.length > 0 ? (
        <Card>
          <CardContent className="overflow-x-auto p-0">
            <table className="w-full border-collapse text-sm" data-testid="staff-table">
              <caption className="sr-only">{fill(m.staff.caption, { branch: branch?.name ?? '' })}</caption>
              <thead>
                <tr className="border-b text-left text-xs uppercase tracking-wide text-muted-foreground">
                  <th scope="col" className="px-3 py-2 font-medium">
                    {m.staff.name}
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    {m.staff.role}
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    {m.staff.status}
                  </th>
                  {manage ? (
                    <th scope="col" className="px-3 py-2 font-medium">
                      <span className="sr-only">{m.staff.actions}</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {rows.map((s) => (
                  <StaffRow
                    key={s.id}
                    member={s}
                    manage={manage}
                    busy={change.isPending}
                    onEdit={() => setEditing(s)}
                    onDeactivate={() => setDeactivating(s)}
                    onActivate={() => setActive(s, true)}
                    onResetPin={() => setResetting(s)}
                  />
                ))}
              </tbody>
            </table>
          </CardContent>
        </Card>
      ) : null}
      {manage && branch ? (
        <>
          <AddStaffDialog
            key={branch.id}
            branch={branch}
            open={adding}
            onOpenChange={setAdding}
            onCreated={(member) => {
              setAdding(false);
              showPin(member);
            }}
          />
          <EditStaffDialog
            member={editing}
            onClose={() => setEditing(null)}
            onDone={(member) => {
              setEditing(null);
              done(fill(m.staff.saved, { name: member.name }));
            }}
          />
          <DeactivateStaffDialog
            member={deactivating}
            busy={change.isPending}
            onConfirm={() => (deactivating ? setActive(deactivating, false) : undefined)}
            onCancel={() => setDeactivating(null)}
          />
          <ResetPinDialog
            member={resetting}
            onClose={() => setResetting(null)}
            onDone={(member) => {
              setResetting(null);
              showPin(member);
            }}
          />
        </>
      ) : null}
      <PinOnceDialog shown={once} onClose={() => setOnce(null)} />
    </div>
  );
}
