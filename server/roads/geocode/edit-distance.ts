/**
 * Bounded edit distance (optimal string alignment: insert, delete, substitute, swap two
 * neighbours), for the typo fallback. Stops as soon as every cell of a row exceeds the bound,
 * so a clearly different word costs a row or two, not the whole table.
 */

const rows: Int32Array[] = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/**
 * Distance between `a` (typed) and `b` when it is at most `max`, else `max + 1`. With `prefix`,
 * the distance between `a` and the closest PREFIX of `b` (a word still being typed: "pratr" is
 * one edit from "pratt" of "prattle").
 */
export function boundedDistance(a: string, b: string, max: number, prefix = false): number {
  const n = a.length;
  const m = b.length;
  if (!prefix && Math.abs(n - m) > max) return max + 1;
  if (n === 0) return 0;
  if (m + 1 > rows[0]!.length) for (let i = 0; i < 3; i++) rows[i] = new Int32Array(m + 1);
  // Rows over a (typed), columns over b.
  let prev2 = rows[0]!;
  let prev = rows[1]!;
  let cur = rows[2]!;
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= m; j++) {
      const cb = b.charCodeAt(j - 1);
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (ca === cb ? 0 : 1));
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  let result = prev[m]!;
  if (prefix) for (let j = 0; j < m; j++) if (prev[j]! < result) result = prev[j]!;
  return result > max ? max + 1 : result;
}
