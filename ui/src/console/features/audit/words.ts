import type { AuditEntry } from '../../api/types';
import type { ConsoleMessages } from '../../i18n/id';

/** What a change did, in words; an action this console does not know yet, as HQ names it. */
export const actionText = (m: ConsoleMessages, action: string): string =>
  (m.audit.actions as Record<string, string>)[action] ?? action;

/** Who made a change: a user's email, or the admin token or HQ's command line in words. */
export const actorText = (m: ConsoleMessages, actor: string): string =>
  (m.audit.actors as Record<string, string>)[actor] ?? actor;

/** Keeps the changes whose actor (as stored or in words) or item contains the text, in any case. */
export function filterAudit(m: ConsoleMessages, entries: AuditEntry[], text: string): AuditEntry[] {
  const q = text.trim().toLocaleLowerCase();
  if (!q) return entries;
  return entries.filter((e) =>
    [e.actor, actorText(m, e.actor), e.target ?? ''].some((s) => s.toLocaleLowerCase().includes(q)),
  );
}
