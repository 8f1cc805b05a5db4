import { describe, expect, it } from 'vitest';
import { splitAtJunctions } from './split';

describe('splitAtJunctions', () => {
  it('cuts ways at nodes they share, never at a way end', () => {
    //   0 - 1 - 2 - 3        way A
    //           |
    //           4            way B: 4-2-5 crosses A at 2
    //           5
    expect(splitAtJunctions([[0, 1, 2, 3], [4, 2, 5]], 6)).toEqual([
      [[0, 1, 2], [2, 3]],
      [[4, 2], [2, 5]],
    ]);
  });

  it('keeps ways meeting end to end whole', () => {
    expect(splitAtJunctions([[0, 1, 2], [2, 3, 4]], 5)).toEqual([[[0, 1, 2]], [[2, 3, 4]]]);
  });

  it('cuts a way at a node it visits twice (a loop), and keeps a closed ring whole when nothing touches it', () => {
    expect(splitAtJunctions([[0, 1, 2, 3, 1, 4]], 5)).toEqual([[[0, 1], [1, 2, 3, 1], [1, 4]]]);
    expect(splitAtJunctions([[0, 1, 2, 0]], 3)).toEqual([[[0, 1, 2, 0]]]);
  });

  it('cuts at missing nodes and drops single-node pieces', () => {
    expect(splitAtJunctions([[0, 1, -1, 2, 3]], 4)).toEqual([[[0, 1], [2, 3]]]);
    expect(splitAtJunctions([[0, -1, 1, 2]], 3)).toEqual([[[1, 2]]]);
    expect(splitAtJunctions([[-1, 0, -1]], 1)).toEqual([[]]);
  });

  it('collapses repeated consecutive nodes without treating them as a junction', () => {
    expect(splitAtJunctions([[0, 1, 1, 2]], 3)).toEqual([[[0, 1, 2]]]);
    expect(splitAtJunctions([[0, 0]], 1)).toEqual([[]]);
  });

  it('every piece ends at a junction or a way end and has no junction inside', () => {
    // A grid of 4 horizontal and 4 vertical ways over a 4×4 lattice of nodes.
    const id = (x: number, y: number) => y * 4 + x;
    const ways: number[][] = [];
    for (let y = 0; y < 4; y++) ways.push([0, 1, 2, 3].map((x) => id(x, y)));
    for (let x = 0; x < 4; x++) ways.push([0, 1, 2, 3].map((y) => id(x, y)));
    const pieces = splitAtJunctions(ways, 16).flat();
    expect(pieces).toHaveLength(8 * 3);
    expect(pieces.every((p) => p.length === 2)).toBe(true);
  });
});
