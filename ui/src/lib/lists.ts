// What a new entry may use from HQ's lists (`GET /lists`), decided the way the servers decide.

import type { CategorySuggestion, Channel, Lists, TxType } from '@/api/types';

/** A category's key: its words in lower case, one space apart. Both servers compare names by
 * it, so "bahan  baku" is "Bahan Baku". */
export function categoryKey(name: string): string {
  return name.trim().split(/\s+/).join(' ').toLowerCase();
}

/** HQ's active categories for an entry of `type` (its own type or BOTH), in list order. */
export function offeredCategories(lists: Lists | undefined, type: TxType): string[] {
  return (lists?.categories ?? []).filter((c) => c.active && (c.type === type || c.type === 'BOTH')).map((c) => c.name);
}

/** HQ's spelling of `text` when it is one of the categories offered for `type`. */
export function listedCategory(lists: Lists | undefined, type: TxType, text: string): string | undefined {
  const key = categoryKey(text);
  return offeredCategories(lists, type).find((name) => categoryKey(name) === key);
}

/** What the category field suggests for an entry of `type`: HQ's categories for it first, then
 * the others this branch used (this type first), one spelling each; only HQ's when HQ allows
 * no others. */
export function categorySuggestions(lists: Lists | undefined, used: CategorySuggestion[], type: TxType): string[] {
  const listed = offeredCategories(lists, type);
  if (lists?.allow_new_categories === false) return listed;
  // A name HQ lists is offered only as HQ offers it: not once retired, not for the other type.
  const hq = new Set((lists?.categories ?? []).map((c) => categoryKey(c.name)));
  const fresh = used.filter((c) => !hq.has(categoryKey(c.name)));
  const names = [
    ...listed,
    ...fresh.filter((c) => c.type === type).map((c) => c.name),
    ...fresh.filter((c) => c.type !== type).map((c) => c.name),
  ];
  const byKey = new Map<string, string>();
  for (const name of names) if (!byKey.has(categoryKey(name))) byKey.set(categoryKey(name), name);
  return [...byKey.values()];
}

/** The channels a new entry may go through, in HQ's order (cash first). */
export function activeChannels(lists: Lists | undefined): Channel[] {
  return (lists?.channels ?? []).filter((c) => c.active);
}

/** The channel a new entry takes unless the cashier picks another, as the server picks it: the
 * cash channel, or while that one is inactive the first active cash channel. */
export function defaultChannelId(lists: Lists | undefined): string | undefined {
  const active = activeChannels(lists);
  return (active.find((c) => c.id === lists?.cash_channel_id) ?? active.find((c) => c.kind === 'cash'))?.id;
}
