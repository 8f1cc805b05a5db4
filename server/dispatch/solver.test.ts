import { describe, expect, it } from 'vitest';
import { random } from '../roads/graph/fixtures';
import { bruteForce, greedy, hungarian, type Pair } from './solver';

function randomInstance(seed: number): { rows: number; cols: number; pairs: Pair[] } {
  const rnd = random(seed);
  const rows = 1 + Math.floor(rnd() * 5);
  const cols = 1 + Math.floor(rnd() * 6);
  const pairs: Pair[] = [];
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) if (rnd() < 0.7) pairs.push({ row: r, col: c, score: Math.round(rnd() * 1000) / 1000 });
  return { rows, cols, pairs };
}

/** Checks the assignment is a matching of feasible pairs and its total is what it says. */
function checkValid(rows: number, pairs: readonly Pair[], colOf: Int32Array, total: number): void {
  const used = new Set<number>();
  let sum = 0;
  for (let r = 0; r < rows; r++) {
    const c = colOf[r]!;
    if (c < 0) continue;
    expect(used.has(c)).toBe(false);
    used.add(c);
    const pair = pairs.find((p) => p.row === r && p.col === c);
    expect(pair, `row ${r} got column ${c}, which it cannot take`).toBeDefined();
    sum += pair!.score;
  }
  expect(total).toBeCloseTo(sum, 9);
}

describe('the assignment solver', () => {
  it('finds the optimum on 500 small random instances (checked by brute force), rectangular either way, with infeasible pairs', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const { rows, cols, pairs } = randomInstance(seed);
      const h = hungarian(rows, cols, pairs);
      checkValid(rows, pairs, h.colOf, h.total);
      expect(h.total, `seed ${seed}`).toBeCloseTo(bruteForce(rows, cols, pairs), 9);
      const g = greedy(rows, pairs);
      checkValid(rows, pairs, g.colOf, g.total);
      expect(g.total).toBeLessThanOrEqual(h.total + 1e-9);
    }
  });

  it('beats greedy where the best single pair blocks two good ones', () => {
    // Request 0 likes both vehicles; request 1 can only take vehicle 0.
    const pairs: Pair[] = [
      { row: 0, col: 0, score: 0.9 },
      { row: 0, col: 1, score: 0.8 },
      { row: 1, col: 0, score: 0.7 },
    ];
    expect(greedy(2, pairs).total).toBeCloseTo(0.9);
    const h = hungarian(2, 2, pairs);
    expect(h.total).toBeCloseTo(1.5);
    expect([...h.colOf]).toEqual([1, 0]);
  });

  it('leaves a request without any feasible vehicle unassigned, and handles no requests', () => {
    const h = hungarian(2, 1, [{ row: 0, col: 0, score: 0.5 }]);
    expect([...h.colOf]).toEqual([0, -1]);
    expect(hungarian(0, 3, []).total).toBe(0);
  });
});
