import { Field, errorProps } from '@/components/Field';
import { Select } from '@/components/ui/select';
import type { StaffRole } from '../../api/types';
import { useI18n } from '../../i18n';

export const STAFF_ROLES: StaffRole[] = ['cashier', 'supervisor'];

/** Cashier or supervisor, with what the role may do at the branch. */
export function RoleField({
  id,
  value,
  onChange,
  error,
}: {
  id: string;
  value: StaffRole;
  onChange: (role: StaffRole) => void;
  error?: string;
}) {
  const { m } = useI18n();
  return (
    <Field id={id} label={m.staff.role} error={error} hint={m.staff.roleHints[value]}>
      <Select id={id} value={value} onChange={(e) => onChange(e.target.value as StaffRole)} {...errorProps(id, error)}>
        {STAFF_ROLES.map((r) => (
          <option key={r} value={r}>
            {m.staff.roles[r]}
          </option>
        ))}
      </Select>
    </Field>
  );
}
