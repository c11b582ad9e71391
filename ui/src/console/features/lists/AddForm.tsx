import { Plus } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { useI18n } from '../../i18n';

/** A name and a choice (a category's use, a channel's kind), added in one line. */
export function AddForm<C extends string>({
  label,
  choiceLabel,
  choices,
  initial,
  busy,
  onAdd,
}: {
  label: string;
  choiceLabel: string;
  choices: { value: C; label: string }[];
  initial: C;
  busy: boolean;
  onAdd: (name: string, choice: C, done: () => void) => void;
}) {
  const { m } = useI18n();
  const [name, setName] = useState('');
  const [choice, setChoice] = useState<C>(initial);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return;
    onAdd(name.trim(), choice, () => setName(''));
  };
  return (
    <form className="flex flex-wrap items-end gap-2" onSubmit={submit} aria-label={label}>
      <Input
        className="h-9 w-56 pointer-coarse:h-10"
        aria-label={`${label}: ${m.lists.name}`}
        placeholder={m.lists.name}
        value={name}
        onChange={(e) => setName(e.target.value)}
      />
      <Select
        className="h-9 w-44 pointer-coarse:h-10"
        aria-label={choiceLabel}
        value={choice}
        onChange={(e) => setChoice(e.target.value as C)}
      >
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </Select>
      <Button type="submit" size="sm" disabled={busy || !name.trim()}>
        <Plus aria-hidden />
        {label}
      </Button>
    </form>
  );
}
