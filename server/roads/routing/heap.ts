/**
 * A binary min-heap of (node, key, g) in typed arrays, reused across searches. Decrease-key is
 * done by pushing again; the search skips entries whose g is stale.
 */
export class NodeHeap {
  private nodes = new Int32Array(1024);
  private keys = new Float64Array(1024);
  private gs = new Float64Array(1024);
  length = 0;

  clear(): void {
    this.length = 0;
  }

  push(node: number, key: number, g: number): void {
    if (this.length === this.nodes.length) this.grow();
    let i = this.length++;
    const { nodes, keys, gs } = this;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pk = keys[parent]!;
      if (pk <= key) break;
      nodes[i] = nodes[parent]!;
      keys[i] = pk;
      gs[i] = gs[parent]!;
      i = parent;
    }
    nodes[i] = node;
    keys[i] = key;
    gs[i] = g;
  }

  /** Key of the top entry (Infinity when empty). */
  peekKey(): number {
    return this.length > 0 ? this.keys[0]! : Infinity;
  }

  /** Top entry's node and g are left in `topNode` / `topG`. */
  topNode = -1;
  topG = 0;

  pop(): void {
    const { nodes, keys, gs } = this;
    this.topNode = nodes[0]!;
    this.topG = gs[0]!;
    const n = --this.length;
    if (n === 0) return;
    const node = nodes[n]!;
    const key = keys[n]!;
    const g = gs[n]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && keys[child + 1]! < keys[child]!) child++;
      if (keys[child]! >= key) break;
      nodes[i] = nodes[child]!;
      keys[i] = keys[child]!;
      gs[i] = gs[child]!;
      i = child;
    }
    nodes[i] = node;
    keys[i] = key;
    gs[i] = g;
  }

  private grow(): void {
    const size = this.nodes.length * 2;
    const nodes = new Int32Array(size);
    nodes.set(this.nodes);
    const keys = new Float64Array(size);
    keys.set(this.keys);
    const gs = new Float64Array(size);
    gs.set(this.gs);
    this.nodes = nodes;
    this.keys = keys;
    this.gs = gs;
  }
}
