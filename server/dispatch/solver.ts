/**
 * The assignment problem: requests (rows) × vehicles (columns), each feasible pair with a score;
 * pick at most one vehicle per request and one request per vehicle so the total score is the
 * largest possible. Solved exactly with the Hungarian method (Kuhn–Munkres, the O(n²·m)
 * potentials formulation), written here because no maintained JavaScript package in
 * node_modules solves rectangular, sparse-feasibility instances; `greedy` is the request-by-request
 * baseline it is measured against (bench:dispatch) and unit-tested to never beat.
 */

/** One feasible pair. */
export interface Pair {
  row: number;
  col: number;
  score: number;
}

export interface Assignment {
  /** Column assigned to each row, -1 when none. */
  colOf: Int32Array;
  total: number;
}

/**
 * Maximum-total-score assignment over `pairs` (scores ≥ 0; pairs absent are infeasible). A row
 * may stay unassigned (when every column it could take serves another row better, or it has
 * none). Exact.
 */
export function hungarian(rows: number, cols: number, pairs: readonly Pair[]): Assignment {
  const colOf = new Int32Array(rows).fill(-1);
  if (rows === 0) return { colOf, total: 0 };
  // Columns: the real ones, then one "nobody" column per row (cost 0), so every row can always be
  // matched and n ≤ m holds. Cost = −score for feasible pairs, a prohibitive cost for the rest.
  const m = cols + rows;
  const n = rows;
  const INF_COST = 1e9;
  const cost = new Float64Array(n * m).fill(INF_COST);
  for (let r = 0; r < n; r++) cost[r * m + cols + r] = 0;
  for (const p of pairs) {
    const i = p.row * m + p.col;
    if (-p.score < cost[i]!) cost[i] = -p.score;
  }
  // e-maxx formulation, 1-based: u (rows), v (columns), p[j] = row matched to column j, way[j].
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1);
  const way = new Int32Array(m + 1);
  const minv = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      const rowBase = (i0 - 1) * m - 1;
      const ui0 = u[i0]!;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = cost[rowBase + j]! - ui0 - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]!] = u[p[j]!]! + delta;
          v[j] = v[j]! - delta;
        } else minv[j] = minv[j]! - delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0);
  }
  let total = 0;
  for (let j = 1; j <= cols; j++) {
    const r = p[j]! - 1;
    if (r < 0) continue;
    const c = cost[r * m + j - 1]!;
    if (c >= INF_COST) continue; // an infeasible pair is never better than "nobody"; guard anyway
    colOf[r] = j - 1;
    total += -c;
  }
  return { colOf, total };
}

/** Request by request: the best remaining pair first (what most dispatchers do by hand). */
export function greedy(rows: number, pairs: readonly Pair[]): Assignment {
  const colOf = new Int32Array(rows).fill(-1);
  const taken = new Set<number>();
  let total = 0;
  const sorted = [...pairs].sort((a, b) => b.score - a.score);
  for (const p of sorted) {
    if (colOf[p.row] !== -1 || taken.has(p.col)) continue;
    colOf[p.row] = p.col;
    taken.add(p.col);
    total += p.score;
  }
  return { colOf, total };
}

/** Every partial assignment, for tests on small instances. */
export function bruteForce(rows: number, cols: number, pairs: readonly Pair[]): number {
  const score = new Map<number, number>();
  for (const p of pairs) score.set(p.row * cols + p.col, Math.max(score.get(p.row * cols + p.col) ?? -Infinity, p.score));
  const taken = new Uint8Array(cols);
  const go = (r: number): number => {
    if (r === rows) return 0;
    let best = go(r + 1); // row r unassigned
    for (let c = 0; c < cols; c++) {
      const s = score.get(r * cols + c);
      if (s === undefined || taken[c]) continue;
      taken[c] = 1;
      best = Math.max(best, s + go(r + 1));
      taken[c] = 0;
    }
    return best;
  };
  return go(0);
}
