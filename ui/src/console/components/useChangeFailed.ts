import { ApiError } from '@/api/client';
import { useErrorText } from '@/components/States';
import { toast } from '@/components/ui/use-toast';
import { useI18n } from '../i18n';

/** What a failed change says: a 403 is the role not allowing it; a 401 is handled by the
 * session (back to sign-in), so it says nothing here. */
export function useChangeFailed() {
  const { m } = useI18n();
  const errorText = useErrorText();
  return (error: unknown) => {
    if (error instanceof ApiError && error.status === 401) return;
    const description = error instanceof ApiError && error.status === 403 ? m.errors.forbidden : errorText(error);
    toast({ title: m.common.notSaved, description, variant: 'destructive' });
  };
}
