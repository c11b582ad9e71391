import { Calculator, EyeOff, Loader2, PlayCircle } from 'lucide-react';
import { useEffect, useState } from 'react';
import { ApiError } from '@/api/client';
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
import { AmountInput } from '@/features/entry/AmountInput';
import { ApprovalFields, approvalOf, useApprovalError } from '@/features/lock/ApprovalFields';
import { useCashRules } from '@/hooks/useBranchSettings';
import { useSession } from '@/lib/session';
import { fill, useI18n } from '@/i18n';
import { formatRupiah, readAmount } from '@/lib/money';
import { formatDateTime } from '@/lib/time';
import { ShiftHistory } from './ShiftHistory';
import { ShiftReportView } from './ShiftReportView';
import { DENOMINATIONS, countTotal, useCloseShift, useCurrentShift, useOpenShift, type ShiftReport } from './useShift';

function OpenShiftDialog({
  open,
  onOpenChange,
  suggested,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  suggested: number | null;
}) {
  const { m } = useI18n();
  const errorText = useErrorText();
  const openShift = useOpenShift();
  const [text, setText] = useState('');
  const [note, setNote] = useState('');
  useEffect(() => {
    if (open) {
      setText(suggested ? String(suggested) : '0');
      setNote('');
      openShift.reset();
    }
  }, [open]);
  const reading = readAmount(text);
  const float = reading.ok ? reading.amount : text.trim() === '0' || text.trim() === '' ? 0 : null;
  const differs = suggested !== null && float !== null && float !== suggested;
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent closeLabel={m.common.close} data-testid="open-shift-dialog">
        <form
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            if (float === null) return;
            openShift.mutate(
              { opening_float: float, note: note.trim() || undefined },
              { onSuccess: () => onOpenChange(false) },
            );
          }}
        >
          <DialogHeader>
            <DialogTitle>{m.shift.openTitle}</DialogTitle>
            <DialogDescription>
              {suggested !== null ? fill(m.shift.suggested, { amount: formatRupiah(suggested) }) : m.shift.firstShift}
            </DialogDescription>
          </DialogHeader>
          <Field id="shift-float" label={m.shift.float} error={float === null ? m.shift.floatInvalid : undefined}>
            <AmountInput id="shift-float" text={text} onTextChange={setText} autoFocus />
          </Field>
          {differs ? (
            <Field id="shift-open-note" label={m.shift.openingNote}>
              <Input id="shift-open-note" value={note} maxLength={200} onChange={(e) => setNote(e.target.value)} />
            </Field>
          ) : null}
          {openShift.error ? (
            <p role="alert" className="text-sm text-destructive">
              {errorText(openShift.error)}
            </p>
          ) : null}
          <DialogFooter>
            <Button variant="outline" onClick={() => onOpenChange(false)}>
              {m.common.cancel}
            </Button>
            <Button type="submit" disabled={openShift.isPending || float === null} data-testid="open-shift-confirm">
              {openShift.isPending ? <Loader2 className="animate-spin" aria-hidden /> : <PlayCircle aria-hidden />}
              {m.shift.open}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

function CloseShiftDialog({
  shift,
  open,
  onOpenChange,
}: {
  shift: ShiftReport;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const { m } = useI18n();
  const errorText = useErrorText();
  const approvalError = useApprovalError();
  const session = useSession();
  const rules = useCashRules();
  const close = useCloseShift();
  const [counts, setCounts] = useState<Record<string, string>>({});
  const [note, setNote] = useState('');
  const [approval, setApproval] = useState({ staffId: '', pin: '' });
  const [report, setReport] = useState<ShiftReport | null>(null);
  // What the server's answer said the close needs (a blind count cannot know it beforehand): a
  // note for the count it was sent, a supervisor; then the field to go to.
  const [noteAskedFor, setNoteAskedFor] = useState<string | null>(null);
  const [supervisorAsked, setSupervisorAsked] = useState(false);
  const [focusNext, setFocusNext] = useState<string | null>(null);
  useEffect(() => {
    if (open) {
      setCounts({});
      setNote('');
      setApproval({ staffId: '', pin: '' });
      setReport(null);
      setNoteAskedFor(null);
      setSupervisorAsked(false);
      close.reset();
    }
  }, [open]);
  useEffect(() => {
    if (focusNext === null) return;
    document.getElementById(focusNext)?.focus();
    setFocusNext(null);
  }, [focusNext]);

  const pieces = Object.fromEntries(
    DENOMINATIONS.map((d) => [d.key, /^\d+$/.test(counts[d.key] ?? '') ? Number(counts[d.key]) : 0]),
  );
  const counted = countTotal(pieces);
  const countKey = DENOMINATIONS.map((d) => pieces[d.key]).join(' ');
  // Blind close (HQ's rule; the server then leaves the open shift's figures out): the count is
  // made without seeing what the book expects, so there is no difference to show until the close.
  const expected = rules.blind ? null : shift.expected;
  const difference = expected === null ? null : counted - expected;
  const blind = difference === null;
  const needsNote = (difference !== null && difference !== 0) || noteAskedFor === countKey;
  const needsSupervisor =
    (difference !== null && Math.abs(difference) > rules.threshold && session?.staff.role === 'cashier') ||
    supervisorAsked;
  const apiError = close.error instanceof ApiError ? close.error : null;
  // The server's 400 on `note` is said at the field.
  const noteRefused = apiError?.code === 'validation_failed' && apiError.fieldDetail('note') !== undefined;
  const approvalProblem = needsSupervisor
    ? approvalError(
        apiError?.code,
        apiError?.status,
        apiError?.details.find((d) => d.field.startsWith('approval.'))?.field,
      )
    : undefined;
  const noteMissing = needsNote && note.trim() === '';

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent
        closeLabel={m.common.close}
        data-testid="close-shift-dialog"
        className="max-h-[95vh] overflow-y-auto"
      >
        {report ? (
          <>
            <DialogHeader>
              <DialogTitle>{m.shift.closedTitle}</DialogTitle>
            </DialogHeader>
            <ShiftReportView report={report} />
          </>
        ) : (
          <form
            className="grid gap-4"
            onSubmit={(e) => {
              e.preventDefault();
              if (noteMissing) return;
              const sent = countKey;
              const supervisorShown = needsSupervisor;
              close.mutate(
                {
                  id: shift.id,
                  counts: pieces,
                  note: note.trim() || undefined,
                  approval: needsSupervisor ? approvalOf(approval) : undefined,
                },
                {
                  onSuccess: (closed) => setReport(closed),
                  onError: (error) => {
                    setApproval((a) => ({ ...a, pin: '' }));
                    if (!(error instanceof ApiError)) return;
                    if (error.code === 'validation_failed' && error.fieldDetail('note')) {
                      setNoteAskedFor(sent);
                      setFocusNext('shift-close-note');
                    } else if (error.code === 'approval_required') {
                      // The server asks for the note first: this count differs, and over the threshold.
                      setNoteAskedFor(sent);
                      setSupervisorAsked(true);
                      if (!supervisorShown) setFocusNext('close-supervisor');
                    }
                  },
                },
              );
            }}
          >
            <DialogHeader>
              <DialogTitle>{m.shift.closeTitle}</DialogTitle>
              <DialogDescription>{m.shift.closeHint}</DialogDescription>
            </DialogHeader>
            {blind ? (
              <div className="flex gap-2 rounded-md border bg-muted/40 p-3 text-sm" data-testid="close-blind">
                <EyeOff className="mt-0.5 size-4 shrink-0" aria-hidden />
                <p>
                  <span className="font-medium">{m.shift.blindHint}</span>{' '}
                  {fill(m.shift.blindRules, { amount: formatRupiah(rules.threshold) })}
                </p>
              </div>
            ) : null}
            <table className="w-full text-sm" data-testid="denomination-counter">
              <caption className="sr-only">{m.shift.countTitle}</caption>
              <tbody>
                {DENOMINATIONS.map((d) => {
                  const label = fill(d.coin ? m.shift.coin : m.shift.note, { value: formatRupiah(d.value) });
                  return (
                    <tr key={d.key}>
                      <td className="py-0.5">
                        <label htmlFor={`count-${d.key}`}>{label}</label>
                      </td>
                      <td className="w-24 py-0.5">
                        <Input
                          id={`count-${d.key}`}
                          inputMode="numeric"
                          autoComplete="off"
                          className="h-9 text-right tabular"
                          value={counts[d.key] ?? ''}
                          placeholder="0"
                          onChange={(e) =>
                            setCounts((c) => ({ ...c, [d.key]: e.target.value.replace(/\D/g, '').slice(0, 6) }))
                          }
                        />
                      </td>
                      <td className="w-32 py-0.5 text-right tabular text-muted-foreground">
                        {formatRupiah(d.value * (pieces[d.key] ?? 0))}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <dl className="grid gap-1 rounded-md border p-3 text-sm">
              <div className="flex justify-between font-semibold">
                <dt>{m.shift.counted}</dt>
                <dd className="tabular" data-testid="close-counted">
                  {formatRupiah(counted)}
                </dd>
              </div>
              {expected !== null && difference !== null ? (
                <>
                  <div className="flex justify-between">
                    <dt>{m.shift.expected}</dt>
                    <dd className="tabular">{formatRupiah(expected)}</dd>
                  </div>
                  <div className="flex justify-between font-semibold">
                    <dt>{m.shift.difference}</dt>
                    <dd
                      className={
                        difference < 0 ? 'tabular text-expense' : difference > 0 ? 'tabular text-income' : 'tabular'
                      }
                      data-testid="close-difference"
                    >
                      {formatRupiah(difference)}
                    </dd>
                  </div>
                </>
              ) : null}
            </dl>
            {needsNote || blind ? (
              <Field
                id="shift-close-note"
                label={m.shift.noteLabel}
                error={noteMissing ? m.shift.noteRequired : undefined}
                hint={blind ? m.shift.noteWhenAsked : undefined}
              >
                <Input
                  id="shift-close-note"
                  value={note}
                  maxLength={200}
                  onChange={(e) => setNote(e.target.value)}
                  {...errorProps('shift-close-note', noteMissing ? m.shift.noteRequired : undefined)}
                />
              </Field>
            ) : null}
            {needsSupervisor ? (
              <ApprovalFields
                id="close"
                value={approval}
                onChange={setApproval}
                error={approvalProblem}
                hint={fill(m.shift.approvalHint, { amount: formatRupiah(rules.threshold) })}
              />
            ) : null}
            {close.error && !approvalProblem && !noteRefused ? (
              <p role="alert" className="text-sm text-destructive" data-testid="close-error">
                {apiError?.code === 'conflict' ? m.shift.movedWhileCounting : errorText(close.error)}
              </p>
            ) : null}
            <DialogFooter>
              <Button variant="outline" onClick={() => onOpenChange(false)}>
                {m.common.cancel}
              </Button>
              <Button type="submit" disabled={close.isPending || noteMissing} data-testid="close-shift-confirm">
                {close.isPending ? <Loader2 className="animate-spin" aria-hidden /> : <Calculator aria-hidden />}
                {m.shift.close}
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}

/** The shift bar above every screen: who opened the shift and when, the cash the drawer should
 * hold so far (not on a blind close: after the count), and "Tutup kasir"; or that no shift is
 * open, with "Buka shift". */
export function ShiftBar() {
  const { m, locale } = useI18n();
  const current = useCurrentShift();
  // Asked for with the bar, so the close dialog opens with the branch's rules known.
  const rules = useCashRules();
  const [opening, setOpening] = useState(false);
  // The shift being closed stays here after the close (the report is shown while the bar
  // already says no shift is open).
  const [closing, setClosing] = useState<ShiftReport | null>(null);
  if (!current.data) return null;
  const shift = current.data.shift;
  return (
    <div
      className="flex flex-wrap items-center gap-3 rounded-md border bg-muted/40 px-3 py-2 text-sm print:hidden"
      data-testid="shift-bar"
    >
      {shift ? (
        <>
          <span>
            {fill(m.shift.openSince, { at: formatDateTime(shift.opened_at, locale) })}
            {shift.opened_by_name ? ` · ${shift.opened_by_name}` : ''}
          </span>
          {shift.expected === null || rules.blind ? (
            <span className="text-muted-foreground" data-testid="shift-blind">
              {m.shift.blindBar}
            </span>
          ) : (
            <span className="font-medium" data-testid="shift-expected">
              {fill(m.shift.expectedSoFar, { amount: formatRupiah(shift.expected) })}
            </span>
          )}
          <Button size="sm" className="ml-auto" onClick={() => setClosing(shift)} data-testid="close-shift-open">
            <Calculator aria-hidden />
            {m.shift.closeButton}
          </Button>
        </>
      ) : (
        <>
          <span className="text-muted-foreground">{m.shift.none}</span>
          <Button
            size="sm"
            variant="outline"
            className="ml-auto"
            onClick={() => setOpening(true)}
            data-testid="open-shift-open"
          >
            <PlayCircle aria-hidden />
            {m.shift.openButton}
          </Button>
          <OpenShiftDialog open={opening} onOpenChange={setOpening} suggested={current.data.suggested_float} />
        </>
      )}
      <ShiftHistory />
      {closing ? (
        <CloseShiftDialog shift={closing} open onOpenChange={(o) => (o ? undefined : setClosing(null))} />
      ) : null}
    </div>
  );
}
