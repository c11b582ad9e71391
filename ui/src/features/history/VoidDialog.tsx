import { Ban, Loader2 } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '@/api/client';
import type { Transaction } from '@/api/types';
import { Field, errorProps } from '@/components/Field';
import { useErrorText } from '@/components/States';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { toast } from '@/components/ui/use-toast';
import { ApprovalFields, approvalOf, useApprovalError } from '@/features/lock/ApprovalFields';
import { useSession } from '@/lib/session';
import { useVoidTransaction } from '@/hooks/useVoidTransaction';
import { fill, useI18n } from '@/i18n';
import { LIMITS } from '@/lib/limits';
import { formatRupiah } from '@/lib/money';

const MAX_REASON = LIMITS.voidReason.maxChars;

/** Asks for the reason and confirmation, then records the void. Esc or Batal closes it. */
export function VoidDialog({
  tx,
  open,
  onOpenChange,
}: {
  tx: Transaction;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const { m } = useI18n();
  const errorText = useErrorText();
  const voidTx = useVoidTransaction();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const reasonInput = useRef<HTMLInputElement>(null);
  const session = useSession();
  const approvalError = useApprovalError();
  // A cashier's void needs a supervisor (a supervisor approves their own); asked for at once,
  // and also when kh-local says so.
  const [asked, setAsked] = useState(false);
  const needsApproval = session?.staff.role === 'cashier' || asked;
  const [approval, setApproval] = useState({ staffId: '', pin: '' });

  useEffect(() => {
    if (open) {
      setReason('');
      setError(undefined);
      setAsked(false);
      setApproval({ staffId: '', pin: '' });
      voidTx.reset();
    }
  }, [open]);

  const confirm = () => {
    const text = reason.trim();
    if (!text) return setError(m.entry.required);
    if ([...text].length > MAX_REASON) return setError(m.history.voidTooLong);
    voidTx.mutate(
      { id: tx.id, reason: text, approval: needsApproval ? approvalOf(approval) : undefined },
      {
        onSuccess: () => {
          toast({
            variant: 'success',
            title: m.history.voidDone,
            description: `${tx.category} · ${formatRupiah(tx.amount)}`,
          });
          onOpenChange(false);
        },
        onError: (e) => {
          if (e instanceof ApiError && e.fieldIssue('reason')) setError(e.fieldIssue('reason'));
          if (e instanceof ApiError && e.code === 'approval_required') setAsked(true);
          setApproval((a) => ({ ...a, pin: '' }));
        },
      },
    );
  };

  const apiError = voidTx.error instanceof ApiError ? voidTx.error : null;
  const approvalField = apiError?.details.find((d) => d.field.startsWith('approval.'))?.field;
  const approvalProblem = needsApproval ? approvalError(apiError?.code, apiError?.status, approvalField) : undefined;
  const failure =
    voidTx.error && !approvalProblem && !(apiError && apiError.fieldIssue('reason')) ? errorText(voidTx.error) : null;

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent
        closeLabel={m.common.close}
        data-testid="void-dialog"
        // The reason field takes the focus once the dialog holds it (not with autoFocus, which
        // moves it before the dialog notes where it came from): Esc then puts it back there.
        onOpenAutoFocus={(e) => {
          e.preventDefault();
          reasonInput.current?.focus();
        }}
      >
        <form
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            confirm();
          }}
        >
          <DialogHeader>
            <DialogTitle>{m.history.voidTitle}</DialogTitle>
            <DialogDescription>
              {fill(m.history.voidBody, { amount: formatRupiah(tx.amount), category: tx.category })}
            </DialogDescription>
          </DialogHeader>
          <Field id="void-reason" label={m.history.voidReason} error={error}>
            <Input
              id="void-reason"
              ref={reasonInput}
              value={reason}
              maxLength={MAX_REASON}
              placeholder={m.history.voidReasonPlaceholder}
              onChange={(e) => {
                setReason(e.target.value);
                setError(undefined);
              }}
              {...errorProps('void-reason', error)}
            />
          </Field>
          {needsApproval ? (
            <ApprovalFields id="void" value={approval} onChange={setApproval} error={approvalProblem} />
          ) : null}
          {failure ? (
            <p className="text-sm text-destructive" role="alert">
              {failure}
            </p>
          ) : null}
          <DialogFooter>
            <Button variant="outline" onClick={() => onOpenChange(false)}>
              {m.common.cancel}
            </Button>
            <Button type="submit" variant="destructive" disabled={voidTx.isPending} data-testid="void-confirm">
              {voidTx.isPending ? <Loader2 className="animate-spin" aria-hidden /> : <Ban aria-hidden />}
              {m.history.voidConfirm}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
