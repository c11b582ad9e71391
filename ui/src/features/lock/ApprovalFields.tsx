import type { Approval } from '@/api/types';
import { Field } from '@/components/Field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { useI18n } from '@/i18n';
import { useRoster } from './useLock';

/** A supervisor's approval in the same dialog (DESIGN 10.2): pick the supervisor, who types
 * their PIN. `value` is null until both are given. `hint` says why, when it is not the usual
 * (a void or an entry dated back). */
export function ApprovalFields({
  id,
  value,
  onChange,
  error,
  hint,
}: {
  id: string;
  value: { staffId: string; pin: string };
  onChange: (v: { staffId: string; pin: string }) => void;
  error?: string;
  hint?: string;
}) {
  const { m } = useI18n();
  const supervisors = (useRoster().data?.staff ?? []).filter((s) => s.role === 'supervisor');
  return (
    <fieldset className="grid gap-3 rounded-md border border-amber-300 bg-amber-50 p-3" data-testid={`${id}-approval`}>
      <legend className="px-1 text-sm font-medium text-amber-950">{m.lock.approvalTitle}</legend>
      <p className="text-xs text-amber-950">{hint ?? m.lock.approvalHint}</p>
      <Field id={`${id}-supervisor`} label={m.lock.supervisor}>
        <Select
          id={`${id}-supervisor`}
          value={value.staffId}
          onChange={(e) => onChange({ ...value, staffId: e.target.value })}
        >
          <option value="">{m.lock.pickSupervisor}</option>
          {supervisors.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </Select>
      </Field>
      <Field id={`${id}-pin`} label={m.lock.supervisorPin} error={error}>
        <Input
          id={`${id}-pin`}
          type="password"
          inputMode="numeric"
          autoComplete="off"
          maxLength={6}
          value={value.pin}
          onChange={(e) => onChange({ ...value, pin: e.target.value.replace(/\D/g, '').slice(0, 6) })}
        />
      </Field>
    </fieldset>
  );
}

/** The approval to send, when both parts are given. */
export function approvalOf(v: { staffId: string; pin: string }): Approval | undefined {
  return v.staffId && v.pin.length === 6 ? { staff_id: v.staffId, pin: v.pin } : undefined;
}

/** The words for an approval the server refused, or undefined when it was not about that. */
export function useApprovalError() {
  const { m } = useI18n();
  return (code: string | undefined, status: number | undefined, field?: string): string | undefined => {
    if (code === 'approval_required') return m.lock.approvalNeeded;
    if (code === 'validation_failed' && field?.startsWith('approval.')) return m.lock.wrongPin;
    if (status === 429) return m.lock.approverLocked;
    if (code === 'forbidden') return m.lock.notSupervisor;
    return undefined;
  };
}
