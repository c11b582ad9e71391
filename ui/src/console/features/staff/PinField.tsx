import { Field, errorProps } from '@/components/Field';
import { Input } from '@/components/ui/input';
import { useI18n } from '../../i18n';

/** An optional 6-digit PIN: a numeric keypad on touch screens, digits only, at most six; empty
 * means HQ makes a random one. The hint (what is allowed) is read with the field. */
export function PinField({
  id,
  value,
  onChange,
  error,
}: {
  id: string;
  value: string;
  onChange: (pin: string) => void;
  error?: string;
}) {
  const { m } = useI18n();
  const hintId = `${id}-hint`;
  return (
    <Field id={id} label={m.staff.pin} error={error} hint={<span id={hintId}>{m.staff.pinHint}</span>}>
      <Input
        id={id}
        className="w-40 font-mono tracking-widest"
        inputMode="numeric"
        pattern="[0-9]*"
        maxLength={6}
        autoComplete="off"
        spellCheck={false}
        value={value}
        onChange={(e) => onChange(e.target.value.replace(/[^0-9]/g, ''))}
        aria-describedby={error ? undefined : hintId}
        {...errorProps(id, error)}
      />
    </Field>
  );
}
