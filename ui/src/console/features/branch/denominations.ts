/** One denomination of a drawer count: pieces of a note or coin and what they add up to. An
 * unknown key (a denomination newer than this console) has no value and no subtotal. */
export interface CountLine {
  key: string;
  kind: 'note' | 'coin' | null;
  value: number | null;
  pieces: number;
  subtotal: number | null;
}

const KEY = /^(note|coin)_(\d+)$/;

/** The counted denominations (`note_50000: 3` …) in the order a drawer is counted: notes, then
 * coins, the largest first, unknown keys last; denominations with no pieces are left out. The
 * value comes from the key, so a new note needs no change here. */
export function countLines(counts: Record<string, number>): CountLine[] {
  const lines = Object.entries(counts)
    .filter(([, pieces]) => pieces > 0)
    .map(([key, pieces]): CountLine => {
      const match = KEY.exec(key);
      if (!match) return { key, kind: null, value: null, pieces, subtotal: null };
      const value = Number(match[2]);
      return { key, kind: match[1] as 'note' | 'coin', value, pieces, subtotal: value * pieces };
    });
  const rank = (l: CountLine) => (l.kind === 'note' ? 0 : l.kind === 'coin' ? 1 : 2);
  return lines.sort((a, b) => rank(a) - rank(b) || (b.value ?? 0) - (a.value ?? 0) || a.key.localeCompare(b.key));
}

/** What the counted lines add up to. */
export function countTotal(lines: CountLine[]): number {
  return lines.reduce((sum, l) => sum + (l.subtotal ?? 0), 0);
}
