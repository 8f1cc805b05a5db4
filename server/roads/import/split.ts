/**
 * Splitting road ways at junctions. Pure.
 *
 * A junction is a node used more than once by the road ways: by two ways, or twice by one way
 * (a loop). Each way is cut at every interior junction node, so every resulting segment starts
 * and ends at a way end or a junction, and never has a junction inside: the routing graph makes
 * its nodes at segment ends. A node missing from the file (a way running out of the extract)
 * cuts the way too, and pieces of fewer than two nodes are dropped. Repeated consecutive nodes
 * are collapsed.
 */

/**
 * @param ways each way's node indices (-1 for a node the file lacks)
 * @param nodeCount the number of distinct node indices
 * @returns for each way, its pieces as arrays of node indices (possibly none)
 */
export function splitAtJunctions(ways: ReadonlyArray<ArrayLike<number>>, nodeCount: number): number[][][] {
  // How many times road ways use each node, saturating at 2 (all we need to know).
  const uses = new Uint8Array(nodeCount);
  for (const refs of ways) {
    let prev = -2;
    for (let i = 0; i < refs.length; i++) {
      const r = refs[i]!;
      if (r < 0 || r === prev) {
        prev = r;
        continue;
      }
      prev = r;
      if (uses[r]! < 2) uses[r]!++;
    }
  }
  // A closed way uses its first node twice, which is right: it is an end either way.

  return ways.map((refs) => {
    const pieces: number[][] = [];
    let current: number[] = [];
    const close = () => {
      if (current.length >= 2) pieces.push(current);
      current = [];
    };
    for (let i = 0; i < refs.length; i++) {
      const r = refs[i]!;
      if (r < 0) {
        close();
        continue;
      }
      if (current.length > 0 && current[current.length - 1] === r) continue;
      current.push(r);
      if (uses[r]! >= 2 && current.length >= 2 && i < refs.length - 1) {
        close();
        current.push(r);
      }
    }
    close();
    return pieces;
  });
}
