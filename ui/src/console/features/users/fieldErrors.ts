import { ApiError } from '@/api/client';
import { useFieldIssueText } from '@/components/States';
import { useI18n } from '../../i18n';

/** A 400 `validation_failed` as words under the named fields; null when the error names none of
 * them (then it is said as a whole). A password's problem is always its length (HQ names it as
 * a `range`, whose numbers the shared words would print as rupiah). */
export function useServerFieldErrors() {
  const { m } = useI18n();
  const issueText = useFieldIssueText();
  return <F extends string>(error: unknown, fields: readonly F[]): Partial<Record<F, string>> | null => {
    if (!(error instanceof ApiError) || error.code !== 'validation_failed') return null;
    const out: Partial<Record<F, string>> = {};
    for (const f of fields) {
      const d = error.fieldDetail(f);
      if (d) out[f] = f === 'password' ? m.users.passwordLength : issueText(d);
    }
    return Object.keys(out).length > 0 ? out : null;
  };
}
