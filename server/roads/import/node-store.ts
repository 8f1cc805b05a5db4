/**
 * Coordinates of every node read, in three typed arrays (16 bytes a node: id as float64 — OSM
 * ids stay far below 2^53 — and lon/lat as int32 in 1e-7 degrees, OSM's own precision), looked
 * up by binary search. Extracts are sorted by id, so adding keeps the arrays sorted; an
 * unsorted file is sorted once in `finish()`. A Map of ids would cost ≈5× the memory.
 */
export class NodeStore {
  private ids = new Float64Array(1024);
  private lons = new Int32Array(1024);
  private lats = new Int32Array(1024);
  private n = 0;
  private sorted = true;
  private finished = false;

  get size(): number {
    return this.n;
  }

  add(id: number, lon: number, lat: number): void {
    if (this.finished) throw new Error('NodeStore: add after finish');
    if (this.n === this.ids.length) this.grow();
    if (this.n > 0 && id <= this.ids[this.n - 1]!) this.sorted = false;
    this.ids[this.n] = id;
    this.lons[this.n] = Math.round(lon * 1e7);
    this.lats[this.n] = Math.round(lat * 1e7);
    this.n++;
  }

  /** Sorts by id if needed (a later duplicate id wins over an earlier one) and trims the arrays. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (!this.sorted) {
      const order = new Uint32Array(this.n);
      for (let i = 0; i < this.n; i++) order[i] = i;
      const ids = this.ids;
      // Stable by position for equal ids, so the last duplicate ends last.
      order.sort((a, b) => ids[a]! - ids[b]! || a - b);
      const nIds = new Float64Array(this.n);
      const nLons = new Int32Array(this.n);
      const nLats = new Int32Array(this.n);
      let m = 0;
      for (let k = 0; k < this.n; k++) {
        const i = order[k]!;
        if (m > 0 && nIds[m - 1] === ids[i]) m--; // duplicate id: keep the later one
        nIds[m] = ids[i]!;
        nLons[m] = this.lons[i]!;
        nLats[m] = this.lats[i]!;
        m++;
      }
      this.ids = nIds;
      this.lons = nLons;
      this.lats = nLats;
      this.n = m;
    } else {
      this.ids = this.ids.slice(0, this.n);
      this.lons = this.lons.slice(0, this.n);
      this.lats = this.lats.slice(0, this.n);
    }
  }

  /** The node's index, or -1 when the file did not contain it (a way leaving the extract). */
  indexOf(id: number): number {
    let lo = 0;
    let hi = this.n - 1;
    const ids = this.ids;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = ids[mid]!;
      if (v < id) lo = mid + 1;
      else if (v > id) hi = mid - 1;
      else return mid;
    }
    return -1;
  }

  lon(index: number): number {
    return this.lons[index]! / 1e7;
  }

  lat(index: number): number {
    return this.lats[index]! / 1e7;
  }

  private grow(): void {
    const size = this.ids.length * 2;
    const ids = new Float64Array(size);
    ids.set(this.ids);
    const lons = new Int32Array(size);
    lons.set(this.lons);
    const lats = new Int32Array(size);
    lats.set(this.lats);
    this.ids = ids;
    this.lons = lons;
    this.lats = lats;
  }
}
