import { KeyRound, Pencil, UserCheck, UserX } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import type { BranchStaff } from '../../api/types';
import { useI18n } from '../../i18n';

/** One cashier or supervisor: name, role, whether they may sign in, and, for those who manage
 * staff, edit, (de)activate and reset the PIN. */
export function StaffRow({
  member,
  manage,
  busy,
  onEdit,
  onDeactivate,
  onActivate,
  onResetPin,
}: {
  member: BranchStaff;
  manage: boolean;
  busy: boolean;
  onEdit: () => void;
  onDeactivate: () => void;
  onActivate: () => void;
  onResetPin: () => void;
}) {
  const { m } = useI18n();
  const { name, active } = member;
  return (
    <tr className="border-b align-top last:border-0" data-testid="staff-row">
      <td className={active ? 'px-3 py-2 font-medium' : 'px-3 py-2 text-muted-foreground'}>{name}</td>
      <td className="px-3 py-2">{m.staff.roles[member.role]}</td>
      <td className="px-3 py-2">
        {active ? (
          <Badge variant="success">{m.staff.active}</Badge>
        ) : (
          <Badge variant="secondary">{m.staff.inactive}</Badge>
        )}
      </td>
      {manage ? (
        <td className="px-3 py-2">
          <div className="flex flex-wrap justify-end gap-2">
            <Button variant="outline" size="sm" onClick={onEdit} aria-label={`${m.staff.edit}: ${name}`}>
              <Pencil aria-hidden />
              {m.staff.edit}
            </Button>
            <Button variant="outline" size="sm" onClick={onResetPin} aria-label={`${m.staff.resetPin}: ${name}`}>
              <KeyRound aria-hidden />
              {m.staff.resetPin}
            </Button>
            <Button
              variant="outline"
              size="sm"
              onClick={active ? onDeactivate : onActivate}
              disabled={busy}
              aria-label={`${active ? m.staff.deactivate : m.staff.activate}: ${name}`}
            >
              {active ? <UserX aria-hidden /> : <UserCheck aria-hidden />}
              {active ? m.staff.deactivate : m.staff.activate}
            </Button>
          </div>
        </td>
      ) : null}
    </tr>
  );
}
