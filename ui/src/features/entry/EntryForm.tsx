import { Clock, Loader2, Save } from 'lucide-react';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { Transaction } from '@/api/types';
import { Field, errorProps } from '@/components/Field';
import { useErrorText } from '@/components/States';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Skeleton } from '@/components/ui/skeleton';
import { ApprovalFields, useApprovalError } from '@/features/lock/ApprovalFields';
import { ApiError } from '@/api/client';
import { useCategories } from '@/hooks/useCategories';
import { fill, useI18n } from '@/i18n';
import { formatRupiah } from '@/lib/money';
import { branchZoneLabel, toLocalInput } from '@/lib/time';
import { DateInput } from '@/components/DateInput';
import { TimeInput } from '@/components/TimeInput';
import { toast } from '@/components/ui/use-toast';
import { activeChannels, categorySuggestions, defaultChannelId } from '@/lib/lists';
import { AmountInput } from './AmountInput';
import { CategoryCombobox } from './CategoryCombobox';
import { ChannelPicker } from './ChannelPicker';
import { TypeToggle } from './TypeToggle';
import { liveAmountProblem, useEntryForm } from './useEntryForm';
import { LIMITS } from '@/lib/limits';

/** "Now" in the date field, kept current while the cashier has not picked another time. */
function useNowInput(): string {
  const [now, setNow] = useState(() => toLocalInput());
  useEffect(() => {
    const t = window.setInterval(() => setNow(toLocalInput()), 15_000);
    return () => window.clearInterval(t);
  }, []);
  return now;
}

/** Catat Transaksi: type, amount, category, description, payment channel, time; Enter saves. The
 * channel comes after the description so that amount, Tab, category, Tab, description stays the
 * path for cash; F3 changes it from any field. */
export function EntryForm() {
  const { m } = useI18n();
  const errorText = useErrorText();
  const approvalError = useApprovalError();
  const amountRef = useRef<HTMLInputElement>(null);
  const categories = useCategories();
  const now = useNowInput();
  const zone = branchZoneLabel();

  const onSaved = (tx: Transaction) => {
    toast({
      variant: 'success',
      title: m.entry.success,
      description: fill(m.entry.successBody, {
        type: tx.type === 'IN' ? m.common.in : m.common.out,
        amount: formatRupiah(tx.amount),
        category: tx.category,
      }),
    });
    amountRef.current?.focus();
  };
  const form = useEntryForm(
    {
      required: m.entry.required,
      badTime: m.entry.badTime,
      amountProblem: m.entry.amountProblem,
      categoryNotListed: m.entry.categoryNotListed,
      channelInactive: m.entry.channelInactive,
    },
    onSaved,
  );
  const { values, set } = form;
  const lists = form.lists.data;
  const apiError = form.formError instanceof ApiError ? form.formError : null;
  const approvalProblem = form.needsApproval
    ? approvalError(
        apiError?.code,
        apiError?.status,
        apiError?.details.find((d) => d.field.startsWith('approval.'))?.field,
      )
    : undefined;
  const channels = useMemo(() => activeChannels(lists), [lists]);
  const channelId = values.channelId ?? defaultChannelId(lists);
  const onlyListed = lists?.allow_new_categories === false;
  // The time the entry is for, as two fields in branch time (dd/mm/yyyy and 24-hour hh:mm).
  const [shownDate = '', shownTime = ''] = (values.occurredAt ?? now).split('T');
  const liveProblem = liveAmountProblem(values.amountText);
  const errors = {
    ...form.errors,
    amount: form.errors.amount ?? (liveProblem ? m.entry.amountProblem[liveProblem] : undefined),
  };

  useEffect(() => {
    amountRef.current?.focus();
  }, []);

  const suggestions = useMemo(
    () => categorySuggestions(lists, categories.data ?? [], values.type),
    [lists, categories.data, values.type],
  );

  // F2 switches Pengeluaran / Pemasukan from any field, and the focus stays where it is.
  // Enter saves from any field; buttons other than the radios (type, method) keep their own Enter.
  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    if (e.key === 'F2') {
      e.preventDefault();
      set('type', values.type === 'IN' ? 'OUT' : 'IN');
      return;
    }
    // F3 goes to the next payment channel, the same way.
    if (e.key === 'F3') {
      e.preventDefault();
      const at = channels.findIndex((c) => c.id === channelId);
      const next = channels[(at + 1) % channels.length];
      if (next) set('channelId', next.id);
      return;
    }
    if (e.key !== 'Enter' || e.nativeEvent.isComposing || e.shiftKey) return;
    const target = e.target as HTMLElement;
    if (target.tagName === 'TEXTAREA') return;
    if (target.tagName === 'BUTTON' && target.getAttribute('role') !== 'radio') return;
    e.preventDefault();
    form.submit();
  };

  return (
    <form
      noValidate
      aria-label={m.entry.title}
      onSubmit={(e) => {
        e.preventDefault();
        form.submit();
      }}
      onKeyDown={onKeyDown}
      className="grid gap-4"
    >
      <Field id="entry-type" label={m.entry.type} error={errors.type}>
        <TypeToggle id="entry-type" value={values.type} onChange={(t) => set('type', t)} />
      </Field>
      <Field id="entry-amount" label={m.entry.amount} error={errors.amount}>
        <AmountInput
          ref={amountRef}
          id="entry-amount"
          name="amount"
          placeholder={m.entry.amountPlaceholder}
          text={values.amountText}
          onTextChange={(t) => set('amountText', t)}
          {...errorProps('entry-amount', errors.amount)}
        />
      </Field>
      <Field
        id="entry-category"
        label={m.entry.category}
        error={errors.category}
        hint={onlyListed ? <span data-testid="entry-category-listed">{m.entry.categoryListOnly}</span> : undefined}
      >
        <CategoryCombobox
          id="entry-category"
          name="category"
          placeholder={m.entry.categoryPlaceholder}
          value={values.category}
          onValueChange={(v) => set('category', v)}
          suggestions={suggestions}
          maxLength={LIMITS.category.maxChars}
          {...errorProps('entry-category', errors.category)}
        />
      </Field>
      <Field id="entry-description" label={m.entry.description} error={errors.description}>
        <Input
          id="entry-description"
          name="description"
          placeholder={m.entry.descriptionPlaceholder}
          value={values.description}
          onChange={(e) => set('description', e.target.value)}
          maxLength={LIMITS.description.maxChars}
          autoComplete="off"
          {...errorProps('entry-description', errors.description)}
        />
      </Field>
      <Field id="entry-channel" label={m.common.channel} error={errors.channel_id}>
        {lists ? (
          <ChannelPicker
            id="entry-channel"
            label={m.common.channel}
            channels={channels}
            value={channelId}
            onChange={(id) => set('channelId', id)}
            {...errorProps('entry-channel', errors.channel_id)}
          />
        ) : form.lists.isPending ? (
          <Skeleton className="h-10 w-full" />
        ) : (
          <p className="text-sm text-muted-foreground" data-testid="entry-channel-unavailable">
            {m.entry.channelsUnavailable}
          </p>
        )}
      </Field>
      <Field id="entry-occurred-at" label={m.entry.occurredAt} error={errors.occurred_at}>
        <div className="flex flex-wrap items-start gap-2">
          <DateInput
            id="entry-occurred-at"
            label={m.entry.date}
            value={shownDate}
            onChange={(d) => set('occurredAt', `${d}T${shownTime}`)}
            onInvalid={() => set('occurredAt', `T${shownTime}`)}
          />
          <TimeInput
            label={m.entry.time}
            value={shownTime}
            onChange={(t) => set('occurredAt', `${shownDate}T${t ?? ''}`)}
          />
          {zone ? (
            <span className="self-center text-sm text-muted-foreground" data-testid="entry-zone">
              {zone}
            </span>
          ) : null}
          <Button variant="outline" onClick={() => set('occurredAt', null)} disabled={values.occurredAt === null}>
            <Clock aria-hidden />
            {m.entry.now}
          </Button>
        </div>
      </Field>
      {form.needsApproval ? (
        <ApprovalFields id="entry" value={form.approval} onChange={form.setApproval} error={approvalProblem} />
      ) : null}
      {form.formError && !approvalProblem ? (
        <Alert variant="destructive" data-testid="entry-error">
          <AlertTitle>{m.entry.failed}</AlertTitle>
          <AlertDescription>
            <p>{errorText(form.formError)}</p>
            <p>{m.entry.retryHint}</p>
          </AlertDescription>
        </Alert>
      ) : null}
      <div className="flex items-center gap-3">
        <Button type="submit" size="lg" disabled={form.saving} data-testid="entry-submit">
          {form.saving ? <Loader2 className="animate-spin" aria-hidden /> : <Save aria-hidden />}
          {form.saving ? m.entry.saving : m.entry.submit}
        </Button>
        <span className="text-xs text-muted-foreground">{m.entry.hint}</span>
      </div>
    </form>
  );
}
