import { ApiError } from '@/api/client';
import { useFieldIssueText } from '@/components/States';
import { useI18n } from '../../i18n';

/** The fields of the staff dialogs HQ may name in a 400. */
export type StaffField = 'name' | 'role' | 'pin';

/** What is wrong with a PIN as typed, before asking HQ: empty (HQ makes one) or 6 digits. HQ
 * alone judges whether it is too easy to guess. */
export function pinProblem(pin: string, m: { staff: { pinFormat: string } }): string | undefined {
  return pin === '' || /^[0-9]{6}$/.test(pin) ? undefined : m.staff.pinFormat;
}

/** A failed staff change as words under the dialog's fields: a 409 (a member of that name in
 * the branch) under the name, a 400 `validation_failed` under each field it names (a PIN's
 * `format` and `weak` in words of their own). Null when it names none of the fields (then the
 * change failed as a whole). */
export function useStaffErrors() {
  const { m } = useI18n();
  const issueText = useFieldIssueText();
  return <F extends StaffField>(error: unknown, fields: readonly F[]): Partial<Record<F, string>> | null => {
    if (!(error instanceof ApiError)) return null;
    const out: Partial<Record<StaffField, string>> = {};
    if (error.code === 'conflict' && (fields as readonly StaffField[]).includes('name')) out.name = m.staff.nameTaken;
    else if (error.code === 'validation_failed') {
      for (const f of fields) {
        const d = error.fieldDetail(f);
        if (!d) continue;
        if (f === 'pin' && d.rule === 'format') out.pin = m.staff.pinFormat;
        else if (f === 'pin' && d.rule === 'weak') out.pin = m.staff.pinWeak;
        else out[f] = issueText(d);
      }
    }
    return Object.keys(out).length > 0 ? (out as Partial<Record<F, string>>) : null;
  };
}
