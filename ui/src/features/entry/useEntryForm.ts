import { useCallback, useRef, useState } from 'react';
import { ApiError } from '@/api/client';
import { approvalOf } from '@/features/lock/ApprovalFields';
import type { FieldIssue, Lists, NewTransaction, Transaction, TxType } from '@/api/types';
import { useFieldIssueText } from '@/components/States';
import { useCreateTransaction } from '@/hooks/useCreateTransaction';
import { useLists } from '@/hooks/useLists';
import { activeChannels, defaultChannelId, listedCategory } from '@/lib/lists';
import { readAmount, type AmountProblem } from '@/lib/money';
import { fromLocalInput } from '@/lib/time';
import { newId } from '@/lib/uuid';

export type EntryField = 'type' | 'amount' | 'category' | 'channel_id' | 'description' | 'occurred_at';
export type FieldErrors = Partial<Record<EntryField, string>>;

export interface EntryValues {
  type: TxType;
  /** The amount field's text, exactly as typed or pasted. */
  amountText: string;
  category: string;
  /** The payment channel picked, or null for the default one (cash). */
  channelId: string | null;
  description: string;
  /** A datetime-local value in branch time, or null for "now" (the server's clock). */
  occurredAt: string | null;
}

const FIELDS: EntryField[] = ['type', 'amount', 'category', 'channel_id', 'description', 'occurred_at'];

/** The field whose error a value's change clears, where the names differ. */
const FIELD_OF: Partial<Record<keyof EntryValues, EntryField>> = {
  amountText: 'amount',
  channelId: 'channel_id',
  occurredAt: 'occurred_at',
};

function emptyValues(type: TxType): EntryValues {
  return { type, amountText: '', category: '', channelId: null, description: '', occurredAt: null };
}

export interface EntryMessages {
  required: string;
  /** For a date or time the form cannot read. */
  badTime: string;
  /** What to say for each way an amount field's text is not an amount. */
  amountProblem: Record<AmountProblem, string>;
  /** For a category outside HQ's list when HQ allows no new ones. */
  categoryNotListed: string;
  /** For a payment channel HQ does not know or no longer uses. */
  channelInactive: string;
}

/** The problems shown while typing; an empty or zero amount is only named when saving. */
export function liveAmountProblem(text: string): AmountProblem | null {
  const reading = readAmount(text);
  return reading.ok || reading.problem === 'empty' || reading.problem === 'zero' ? null : reading.problem;
}

/** What the form sends; null with errors when it cannot be sent yet. Without HQ's lists (not
 * loaded yet, or the server did not answer) any category goes and the server picks the
 * channel (cash). */
export function toRequest(
  id: string,
  v: EntryValues,
  msg: EntryMessages,
  lists?: Lists,
): { body: NewTransaction | null; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const reading = readAmount(v.amountText);
  const amount = reading.ok ? reading.amount : 0;
  if (!reading.ok) errors.amount = msg.amountProblem[reading.problem];
  const typed = v.category.trim();
  // A listed category is sent in HQ's spelling, whatever the case and spaces typed.
  const listed = listedCategory(lists, v.type, typed);
  const category = listed ?? typed;
  if (!category) errors.category = msg.required;
  else if (lists && !lists.allow_new_categories && !listed) errors.category = msg.categoryNotListed;
  const channelId = v.channelId ?? defaultChannelId(lists);
  if (lists && !channelId) errors.channel_id = msg.required;
  else if (lists && v.channelId && !activeChannels(lists).some((c) => c.id === v.channelId)) {
    errors.channel_id = msg.channelInactive;
  }
  let occurred: string | undefined;
  if (v.occurredAt) {
    const at = fromLocalInput(v.occurredAt);
    if (!at) errors.occurred_at = msg.badTime;
    else occurred = at.toISOString();
  }
  if (Object.keys(errors).length > 0) return { body: null, errors };
  const body: NewTransaction = { id, type: v.type, amount, category };
  if (channelId) body.channel_id = channelId;
  const description = v.description.trim();
  if (description) body.description = description;
  if (occurred) body.occurred_at = occurred;
  return { body, errors };
}

/**
 * State and saving of the entry form. The entry's id is made when the form is first filled and
 * kept until the save succeeds, so a double submit or a retry after a lost answer saves once.
 */
export function useEntryForm(msg: EntryMessages, onSaved: (tx: Transaction) => void) {
  const create = useCreateTransaction();
  const lists = useLists();
  const issueText = useFieldIssueText();
  const [values, setValues] = useState<EntryValues>(() => emptyValues('OUT'));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<unknown>(null);
  // Set when kh-local says a supervisor must approve (an entry dated more than 24 hours back,
  // by a cashier): the form then asks for the supervisor and their PIN.
  const [needsApproval, setNeedsApproval] = useState(false);
  const [approval, setApproval] = useState({ staffId: '', pin: '' });
  const idRef = useRef<string | null>(null);
  const inFlight = useRef(false);
  const savedAt = useRef(0);

  const ensureId = () => {
    idRef.current ??= newId();
    return idRef.current;
  };

  const set = useCallback(<K extends keyof EntryValues>(key: K, value: EntryValues[K]) => {
    idRef.current ??= newId();
    setValues((v) => ({ ...v, [key]: value }));
    const field = FIELD_OF[key] ?? (key as EntryField);
    setErrors((e) => (e[field] ? { ...e, [field]: undefined } : e));
  }, []);

  // A name outside HQ's list is said in the form's words, not as an unknown choice.
  const fieldText = (d: FieldIssue): string => {
    if (d.rule === 'one_of' && d.field === 'category') return msg.categoryNotListed;
    if (d.rule === 'one_of' && d.field === 'channel_id') return msg.channelInactive;
    return issueText(d);
  };

  const submit = () => {
    if (inFlight.current) return;
    // The second click of a double click that came after the first save finished: ignore it
    // rather than complain that the fresh form is empty.
    if (idRef.current === null && Date.now() - savedAt.current < 1500) return;
    const id = ensureId();
    const { body, errors: local } = toRequest(id, values, msg, lists.data);
    setErrors(local);
    setFormError(null);
    if (!body) return;
    inFlight.current = true;
    const given = needsApproval ? approvalOf(approval) : undefined;
    create.mutate(given ? { ...body, approval: given } : body, {
      onSuccess: (tx) => {
        idRef.current = null;
        savedAt.current = Date.now();
        setValues(emptyValues(values.type));
        setErrors({});
        setNeedsApproval(false);
        setApproval({ staffId: '', pin: '' });
        onSaved(tx);
      },
      onError: (error) => {
        setApproval((a) => ({ ...a, pin: '' }));
        if (error instanceof ApiError && error.code === 'approval_required') setNeedsApproval(true);
        if (error instanceof ApiError && error.code === 'validation_failed') {
          const byField: FieldErrors = {};
          const other: string[] = [];
          for (const d of error.details) {
            if ((FIELDS as string[]).includes(d.field)) byField[d.field as EntryField] = fieldText(d);
            else other.push(`${d.field}: ${d.issue}`);
          }
          // The server's lists were newer than the form's.
          if (byField.category || byField.channel_id) void lists.refetch();
          setErrors(byField);
          if (other.length > 0 || Object.keys(byField).length === 0) setFormError(error);
          return;
        }
        // The same id with other content was stored by an earlier try: a new id saves this one.
        if (error instanceof ApiError && error.code === 'conflict') idRef.current = newId();
        setFormError(error);
      },
      onSettled: () => {
        inFlight.current = false;
      },
    });
  };

  return {
    values,
    set,
    errors,
    formError,
    submit,
    needsApproval,
    approval,
    setApproval,
    saving: create.isPending,
    currentId: () => idRef.current,
    lists,
  };
}
