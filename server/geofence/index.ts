import Flatbush from 'flatbush';
import type { Bbox } from './geometry';

/**
 * Immutable spatial index over fence boxes (flatbush, packed Hilbert R-tree). Each box is the
 * fence's bounding box grown by its hysteresis (`expandBbox`), so a position outside every box
 * returned for it is at least `hysteresis` meters outside those fences. Never mutated after
 * construction: the engine builds a new one when fences change and swaps it in, so an
 * evaluation in progress keeps the index it started with.
 */
export class FenceIndex {
  private readonly tree: Flatbush | null;

  /** `boxes[i]` belongs to item `i`; search returns those item numbers. */
  constructor(boxes: readonly Bbox[]) {
    if (boxes.length === 0) {
      this.tree = null;
      return;
    }
    const tree = new Flatbush(boxes.length);
    for (const b of boxes) tree.add(b.minX, b.minY, b.maxX, b.maxY);
    tree.finish();
    this.tree = tree;
  }

  get size(): number {
    return this.tree?.numItems ?? 0;
  }

  /** Items whose box intersects or touches the query box. */
  search(minX: number, minY: number, maxX: number, maxY: number): number[] {
    return this.tree ? this.tree.search(minX, minY, maxX, maxY) : [];
  }
}
