import { ShieldAlert } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { useI18n } from '../i18n';
import { navigate } from '../router';

/** A screen the signed-in role may not open (its address typed or kept from another user). */
export function NotAllowed() {
  const { m } = useI18n();
  return (
    <div className="flex flex-col items-center gap-3 p-8 text-center" role="alert" data-testid="not-allowed">
      <ShieldAlert className="size-8 text-destructive" aria-hidden />
      <h1 className="text-xl font-semibold">{m.notAllowed.title}</h1>
      <p className="text-sm text-muted-foreground">{m.notAllowed.body}</p>
      <Button variant="outline" onClick={() => navigate('/')}>
        {m.notAllowed.back}
      </Button>
    </div>
  );
}
