import { KeyRound, UserCheck, UserX } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { formatNumericDateTime } from '@/lib/time';
import type { StaffUser } from '../../api/types';
import { fill, useI18n } from '../../i18n';

/** One user: email, role in words, when made, whether disabled, and the owner's actions. The
 * signed-in owner's own row has no disable button: they would lock themself out. */
export function UserRow({
  user,
  isMe,
  busy,
  onReset,
  onDisable,
  onEnable,
}: {
  user: StaffUser;
  isMe: boolean;
  busy: boolean;
  onReset: () => void;
  onDisable: () => void;
  onEnable: () => void;
}) {
  const { m, locale } = useI18n();
  return (
    <tr className="border-b align-top last:border-0" data-testid="user-row">
      <td className="px-3 py-2">
        <span className="font-medium">{user.email}</span>
        {isMe ? (
          <Badge variant="outline" className="ml-2">
            {m.users.you}
          </Badge>
        ) : null}
      </td>
      <td className="px-3 py-2">{m.roles[user.role]}</td>
      <td className="whitespace-nowrap px-3 py-2">{formatNumericDateTime(user.created_at, locale)}</td>
      <td className="px-3 py-2">
        {user.disabled_at ? (
          <Badge variant="destructive" title={formatNumericDateTime(user.disabled_at, locale)}>
            {fill(m.users.disabledSince, { at: formatNumericDateTime(user.disabled_at, locale) })}
          </Badge>
        ) : (
          <Badge variant="success">{m.users.active}</Badge>
        )}
      </td>
      <td className="px-3 py-2">
        <div className="flex flex-wrap justify-end gap-2">
          <Button variant="outline" size="sm" onClick={onReset} aria-label={`${m.users.reset}: ${user.email}`}>
            <KeyRound aria-hidden />
            {m.users.reset}
          </Button>
          {user.disabled_at ? (
            <Button
              variant="outline"
              size="sm"
              onClick={onEnable}
              disabled={busy}
              aria-label={`${m.users.enable}: ${user.email}`}
            >
              <UserCheck aria-hidden />
              {m.users.enable}
            </Button>
          ) : isMe ? null : (
            <Button
              variant="outline"
              size="sm"
              onClick={onDisable}
              disabled={busy}
              aria-label={`${m.users.disable}: ${user.email}`}
            >
              <UserX aria-hidden />
              {m.users.disable}
            </Button>
          )}
        </div>
      </td>
    </tr>
  );
}
