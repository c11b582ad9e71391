import type { BranchFigures, HqBranch, HqShift, ShiftAttention } from '../../api/types';

/** A branch is out of touch after this long without contact, unless HQ says otherwise
 * (`KH_STALE_HOURS`, in `GET /settings`). */
export const STALE_HOURS = 24;
/** Voids above this share of a period's rows are unusual. */
export const VOID_SHARE_LIMIT = 0.1;

export type Attention =
  | { kind: 'never'; branch: BranchFigures }
  | { kind: 'stale'; branch: BranchFigures; since: string }
  | { kind: 'voids'; branch: BranchFigures; share: number }
  | { kind: 'device'; branch: BranchFigures; device: string; since: string }
  | { kind: 'held'; branch: BranchFigures; device: string; count: number }
  | { kind: 'refused'; branch: BranchFigures; count: number; at: string }
  | { kind: 'shift_open'; branch: BranchFigures; shift: HqShift; hours: number }
  | { kind: 'shift_difference'; branch: BranchFigures; shift: HqShift; threshold: number };

/** Refusals older than this are history, not news. */
export const REFUSED_RECENT_DAYS = 7;

/** Voided rows over all rows of the period (voided ones are counted apart from the rest). */
export function voidShare(b: Pick<BranchFigures, 'transaction_count' | 'voided_count'>): number {
  const all = b.transaction_count + b.voided_count;
  return all === 0 ? 0 : b.voided_count / all;
}

/** The branches needing a look: no contact for over `staleHours` (or ever), then rows HQ
 * refused lately, then a cash shift left open too long (oldest first), then a recent close
 * with a difference over HQ's threshold (newest first), then a PC holding apart rows from HQ
 * its book could not take, then a PC of an otherwise active branch that went quiet (switched
 * off, broken, its key never entered again), then unusually many voids in the period; the
 * longest silence first. The shifts come as `GET /shifts/attention` found them; without them
 * (not loaded, or an HQ older than shifts) there are no shift items. */
export function needsAttention(
  branches: BranchFigures[],
  period: BranchFigures[],
  now = new Date(),
  staleHours = STALE_HOURS,
  devices: Pick<HqBranch, 'id' | 'devices'>[] = [],
  shifts?: ShiftAttention,
): Attention[] {
  const limit = staleHours * 3_600_000;
  const quiet = (at: string) => now.getTime() - new Date(at).getTime() > limit;
  const silent: Array<Attention & { kind: 'never' | 'stale' }> = [];
  const pcs: Array<Attention & { kind: 'device' }> = [];
  const held: Attention[] = [];
  for (const b of branches) {
    for (const d of devices.find((x) => x.id === b.branch_id)?.devices ?? []) {
      const count = d.pull_quarantined ?? 0;
      if (count > 0) held.push({ kind: 'held', branch: b, device: d.id, count });
    }
    if (!b.last_seen_at) silent.push({ kind: 'never', branch: b });
    else if (quiet(b.last_seen_at)) {
      silent.push({ kind: 'stale', branch: b, since: b.last_seen_at });
    } else {
      const own = devices.find((d) => d.id === b.branch_id)?.devices ?? [];
      for (const d of own) {
        if (d.last_seen_at && quiet(d.last_seen_at)) {
          pcs.push({ kind: 'device', branch: b, device: d.id, since: d.last_seen_at });
        }
      }
    }
  }
  pcs.sort((a, b) => a.since.localeCompare(b.since));
  // Never first, then the oldest contact.
  const since = (a: (typeof silent)[number]) => (a.kind === 'never' ? '' : a.since);
  silent.sort((a, b) => since(a).localeCompare(since(b)));
  const voids: Attention[] = period
    .filter((b) => voidShare(b) > VOID_SHARE_LIMIT)
    .map((b) => ({ kind: 'voids' as const, branch: b, share: voidShare(b) }))
    .sort((a, b) => b.share - a.share);
  // Rows HQ refused lately: they are missing from every figure here until fixed at the branch.
  const recent = REFUSED_RECENT_DAYS * 86_400_000;
  const refused: Attention[] = branches
    .filter(
      (b) =>
        (b.refused_count ?? 0) > 0 &&
        b.last_refused_at &&
        now.getTime() - new Date(b.last_refused_at).getTime() <= recent,
    )
    .map((b) => ({ kind: 'refused' as const, branch: b, count: b.refused_count ?? 0, at: b.last_refused_at ?? '' }));
  // A shift of a branch the summary does not list (there is none) has nothing to link to.
  const branchOf = (s: HqShift) => branches.find((b) => b.branch_id === s.branch_id);
  const time = (iso: string | null) => (iso ? Date.parse(iso) : 0);
  const open: Attention[] = [];
  for (const shift of [...(shifts?.open_long ?? [])].sort((a, b) => time(a.opened_at) - time(b.opened_at))) {
    const branch = branchOf(shift);
    if (branch && shifts) open.push({ kind: 'shift_open', branch, shift, hours: shifts.open_hours });
  }
  const differences: Attention[] = [];
  for (const shift of [...(shifts?.large_differences ?? [])].sort((a, b) => time(b.closed_at) - time(a.closed_at))) {
    const branch = branchOf(shift);
    if (branch && shifts) differences.push({ kind: 'shift_difference', branch, shift, threshold: shifts.threshold });
  }
  return [...silent, ...refused, ...open, ...differences, ...held, ...pcs, ...voids];
}
