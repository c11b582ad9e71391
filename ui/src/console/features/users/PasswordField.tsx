import { Dices } from 'lucide-react';
import { Field, errorProps } from '@/components/Field';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { useI18n } from '../../i18n';
import { generatePassword } from '../../lib/password';

/** A new password, typed or generated; `generated` says whether it is the random one (then
 * the owner sees it once after saving, to pass it on). */
export interface NewPassword {
  value: string;
  generated: boolean;
}

export const noPassword: NewPassword = { value: '', generated: false };

/** The password of a new user or a reset: typed (masked), or "generate" for 16 random
 * characters. `new-password` keeps the browser from filling in the owner's own. */
export function PasswordField({
  id,
  password,
  onChange,
  error,
}: {
  id: string;
  password: NewPassword;
  onChange: (next: NewPassword) => void;
  error?: string;
}) {
  const { m } = useI18n();
  return (
    <Field
      id={id}
      label={m.users.password}
      error={error}
      hint={password.generated ? m.users.generatedHint : m.users.passwordHint}
    >
      <div className="flex gap-2">
        <Input
          id={id}
          type="password"
          autoComplete="new-password"
          value={password.value}
          onChange={(e) => onChange({ value: e.target.value, generated: false })}
          {...errorProps(id, error)}
        />
        <Button variant="outline" onClick={() => onChange({ value: generatePassword(), generated: true })}>
          <Dices aria-hidden />
          {m.users.generate}
        </Button>
      </div>
    </Field>
  );
}
