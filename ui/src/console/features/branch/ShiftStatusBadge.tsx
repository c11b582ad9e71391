import { Badge } from '@/components/ui/badge';
import type { ShiftStatus } from '../../api/types';
import { useI18n } from '../../i18n';

/** Terbuka (still counting at the branch) or Ditutup (closed, its figures final). */
export function ShiftStatusBadge({ status }: { status: ShiftStatus }) {
  const { m } = useI18n();
  return <Badge variant={status === 'open' ? 'warning' : 'secondary'}>{m.shifts.statuses[status]}</Badge>;
}
