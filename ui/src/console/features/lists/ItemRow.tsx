import { Pencil, Power, PowerOff } from 'lucide-react';
import { useState, type ReactNode } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { useI18n } from '../../i18n';

/** One category or channel: its name (renamed in place), what it is, whether it is active,
 * and, for those who may, rename and (de)activate. */
export function ItemRow({
  name,
  what,
  active,
  editable,
  busy,
  onRename,
  onActive,
}: {
  name: string;
  what: ReactNode;
  active: boolean;
  editable: boolean;
  busy: boolean;
  onRename: (name: string, done: () => void) => void;
  onActive: (active: boolean) => void;
}) {
  const { m } = useI18n();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(name);
  const save = () => {
    const next = text.trim();
    if (!next || next === name) return setEditing(false);
    onRename(next, () => setEditing(false));
  };
  return (
    <tr className="border-b last:border-0" data-testid="list-row">
      <td className="px-3 py-2">
        {editing ? (
          <form
            className="flex gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              save();
            }}
          >
            <Input
              className="h-9 pointer-coarse:h-10"
              aria-label={`${m.lists.newName}: ${name}`}
              value={text}
              autoFocus
              onChange={(e) => setText(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Escape') setEditing(false);
              }}
            />
            <Button type="submit" size="sm" disabled={busy}>
              {m.common.save}
            </Button>
            <Button size="sm" variant="outline" onClick={() => setEditing(false)}>
              {m.common.cancel}
            </Button>
          </form>
        ) : (
          <span className={active ? 'font-medium' : 'text-muted-foreground'}>{name}</span>
        )}
      </td>
      <td className="px-3 py-2">{what}</td>
      <td className="px-3 py-2">
        {active ? (
          <Badge variant="success">{m.lists.active}</Badge>
        ) : (
          <Badge variant="secondary">{m.lists.inactive}</Badge>
        )}
      </td>
      {editable ? (
        <td className="px-3 py-2">
          <div className="flex flex-wrap justify-end gap-2">
            {!editing ? (
              <Button
                variant="outline"
                size="sm"
                aria-label={`${m.lists.rename}: ${name}`}
                onClick={() => {
                  setText(name);
                  setEditing(true);
                }}
              >
                <Pencil aria-hidden />
                {m.lists.rename}
              </Button>
            ) : null}
            <Button
              variant="outline"
              size="sm"
              disabled={busy}
              aria-label={`${active ? m.lists.deactivate : m.lists.activate}: ${name}`}
              onClick={() => onActive(!active)}
            >
              {active ? <PowerOff aria-hidden /> : <Power aria-hidden />}
              {active ? m.lists.deactivate : m.lists.activate}
            </Button>
          </div>
        </td>
      ) : null}
    </tr>
  );
}
