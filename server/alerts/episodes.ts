/**
 * Once-per-episode alerting, per vehicle: a reading that violates starts an episode (the moment
 * to raise one alert); readings during the episode raise nothing; a reading that clears ends it
 * and re-arms. Between "violating" and "cleared" (a hysteresis band) nothing changes. Memory: one
 * Set entry per vehicle currently in an episode. Cost per reading: nothing beyond a comparison
 * while no vehicle is in an episode, else one Set lookup.
 */
export class EpisodeTracker {
  private readonly active = new Set<string>();

  /** Feeds one reading of `key`; true when it starts an episode. */
  observe(key: string, violating: boolean, cleared: boolean): boolean {
    if (!violating && (!cleared || this.active.size === 0)) return false;
    if (this.active.has(key)) {
      if (cleared) this.active.delete(key);
      return false;
    }
    if (!violating) return false;
    this.active.add(key);
    return true;
  }

  /** Ends a key's episode without a reading (e.g. the vehicle was deleted). */
  forget(key: string): void {
    this.active.delete(key);
  }

  get size(): number {
    return this.active.size;
  }
}
