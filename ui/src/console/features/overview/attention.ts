import type { BranchFigures } from '../../api/types';

/** A branch is out of touch after this long without contact. */
export const STALE_HOURS = 24;
/** Voids above this share of a period's rows are unusual. */
export const VOID_SHARE_LIMIT = 0.1;

export type Attention =
  | { kind: 'never'; branch: BranchFigures }
  | { kind: 'stale'; branch: BranchFigures; since: string }
  | { kind: 'voids'; branch: BranchFigures; share: number };

/** Voided rows over all rows of the period (voided ones are counted apart from the rest). */
export function voidShare(b: Pick<BranchFigures, 'transaction_count' | 'voided_count'>): number {
  const all = b.transaction_count + b.voided_count;
  return all === 0 ? 0 : b.voided_count / all;
}

/** The branches needing a look: no contact for over a day (or ever), then unusually many voids
 * in the period; the longest silence first. */
export function needsAttention(branches: BranchFigures[], period: BranchFigures[], now = new Date()): Attention[] {
  const silent: Array<Attention & { kind: 'never' | 'stale' }> = [];
  for (const b of branches) {
    if (!b.last_seen_at) silent.push({ kind: 'never', branch: b });
    else if (now.getTime() - new Date(b.last_seen_at).getTime() > STALE_HOURS * 3_600_000) {
      silent.push({ kind: 'stale', branch: b, since: b.last_seen_at });
    }
  }
  // Never first, then the oldest contact.
  const since = (a: (typeof silent)[number]) => (a.kind === 'never' ? '' : a.since);
  silent.sort((a, b) => since(a).localeCompare(since(b)));
  const voids: Attention[] = period
    .filter((b) => voidShare(b) > VOID_SHARE_LIMIT)
    .map((b) => ({ kind: 'voids' as const, branch: b, share: voidShare(b) }))
    .sort((a, b) => b.share - a.share);
  return [...silent, ...voids];
}
