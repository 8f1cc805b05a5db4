import { keepsRate, type Fix } from './fix';
import { memoryFixQueue, openFixQueue, type FixQueue } from './fix-queue';
import { DriverLink, type LinkState } from './driver-link';
import { recall, remember } from './driver-memory';
import { requestMotionPermission } from './motion';
import { geolocationSupported, watchFixes, watchGeoPermission, type GeoProblem } from './geolocation';
import { FixUploader } from './uploader';
import { holdScreenOn, type WakeLockState } from './wake-lock';

/** Everything the driver page shows, replaced (never mutated) on every change. */
export interface TrackerView {
  tracking: boolean;
  link: LinkState;
  queued: number;
  /** Where fixes wait: IndexedDB, or page memory when the browser refuses IndexedDB; `failing` when a write failed. */
  storage: 'indexeddb' | 'memory' | 'opening' | 'failing';
  lastFix: Fix | null;
  lastAckAt: number | null;
  problem: GeoProblem | null;
  /** Fixes the server refused for good (they were dropped), with the latest reason. */
  refused: { count: number; message: string } | null;
  /** Why the last send has to be repeated, until the next acknowledgement. */
  retrying: { code: string; message: string; inMs: number } | null;
  wakeLock: WakeLockState;
}

export interface TrackerOptions {
  userId: string;
  token: string;
  vehicleId: string;
  /** The tenant's live positions per second per vehicle. */
  rate: number;
}

/**
 * The driver's tracking outside React: GPS watch → IndexedDB queue → in-order acknowledged
 * replay over the /driver socket, plus wake lock and what the page remembers across reloads.
 * React reads it with useSyncExternalStore.
 */
export class DriverTracker {
  private view: TrackerView;
  private readonly listeners = new Set<() => void>();
  private readonly link: DriverLink;
  private queue: FixQueue | null = null;
  private uploader: FixUploader | null = null;
  private stopWatch: (() => void) | null = null;
  private releaseWakeLock: (() => void) | null = null;
  private stopPermissionWatch: (() => void) | null = null;
  /** Time of the newest fix queued; a fix not newer than this is the same reading again (or too soon). */
  private lastKeptTs: number | null;
  /** Queue writes in fix order. */
  private writes: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: TrackerOptions) {
    const memory = recall(options.userId);
    // A restarted GPS watch may report the last reading again: that fix is already queued.
    this.lastKeptTs = memory.lastFix?.timestamp ?? null;
    this.view = {
      tracking: false,
      link: { phase: 'connecting' },
      queued: 0,
      storage: 'opening',
      lastFix: memory.lastFix,
      lastAckAt: memory.lastAckAt,
      problem: null,
      refused: null,
      retrying: null,
      wakeLock: 'off',
    };
    this.link = new DriverLink(
      options.token,
      (link) => this.update({ link }),
      () => this.uploader?.resume(),
    );
  }

  /** Opens the queue, connects, and resumes tracking when the driver left it on. */
  async open(): Promise<void> {
    let storage: TrackerView['storage'] = 'indexeddb';
    try {
      this.queue = await openFixQueue();
    } catch {
      this.queue = memoryFixQueue();
      storage = 'memory';
    }
    if (this.closed) return;
    this.uploader = new FixUploader(this.queue, this.options.userId, this.link, {
      acknowledged: (at) => {
        remember(this.options.userId, { lastAckAt: at });
        this.update({ lastAckAt: at, retrying: null });
      },
      refused: (count, _code, message) => this.update({ refused: { count: (this.view.refused?.count ?? 0) + count, message } }),
      retrying: (code, message, inMs) => this.update({ retrying: { code, message, inMs } }),
      queueChanged: () => void this.countQueue(),
    });
    this.update({ storage });
    await this.countQueue();
    if (this.closed) return;
    this.link.start();
    if (!geolocationSupported()) this.update({ problem: 'unsupported' });
    else if (recall(this.options.userId).tracking) this.start();
    // Allowed in the browser's settings after a refusal: the notice goes, Start works again.
    const stopPermissionWatch = await watchGeoPermission((permission) => {
      if (permission === 'granted' && this.view.problem === 'denied') this.update({ problem: null });
    });
    if (this.closed) stopPermissionWatch();
    else this.stopPermissionWatch = stopPermissionWatch;
  }

  start(): void {
    if (this.closed) return;
    if (!geolocationSupported()) {
      this.update({ problem: 'unsupported' });
      return;
    }
    this.stopWatch?.();
    // iOS: motion sensors need a yes, asked from this tap (harsh braking and cornering use them).
    void requestMotionPermission();
    remember(this.options.userId, { tracking: true });
    this.update({ tracking: true, problem: null });
    this.releaseWakeLock ??= holdScreenOn((wakeLock) => this.update({ wakeLock }));
    this.stopWatch = watchFixes(
      (fix) => this.receive(fix),
      (problem) => this.onProblem(problem),
    );
  }

  stop(): void {
    this.stopWatch?.();
    this.stopWatch = null;
    this.releaseWakeLock?.();
    this.releaseWakeLock = null;
    remember(this.options.userId, { tracking: false });
    this.update({ tracking: false, problem: null });
  }

  close(): void {
    this.closed = true;
    this.stopWatch?.();
    this.releaseWakeLock?.();
    this.stopPermissionWatch?.();
    this.uploader?.close();
    this.link.close();
    this.listeners.clear();
  }

  readonly subscribe = (notify: () => void): (() => void) => {
    this.listeners.add(notify);
    return () => this.listeners.delete(notify);
  };

  readonly getSnapshot = (): TrackerView => this.view;

  private receive(fix: Fix): void {
    if (this.view.problem) this.update({ problem: null });
    if (!keepsRate(this.lastKeptTs, fix.timestamp, this.options.rate)) return;
    remember(this.options.userId, { lastFix: fix });
    this.update({ lastFix: fix });
    this.lastKeptTs = fix.timestamp;
    const queue = this.queue;
    if (!queue) return;
    this.writes = this.writes
      .then(() => queue.add(this.options.userId, this.options.vehicleId, fix))
      .then(() => this.countQueue())
      .then(() => this.uploader?.kick())
      .catch(() => this.update({ storage: 'failing' }));
  }

  private onProblem(problem: GeoProblem): void {
    // Denied: watching on cannot help; the notice says how to allow location and start again.
    if (problem === 'denied') this.stop();
    this.update({ problem });
  }

  private async countQueue(): Promise<void> {
    if (!this.queue) return;
    const queued = await this.queue.count(this.options.userId);
    if (queued !== this.view.queued) this.update({ queued });
  }

  private update(patch: Partial<TrackerView>): void {
    if (this.closed) return;
    this.view = { ...this.view, ...patch };
    this.listeners.forEach((notify) => notify());
  }
}
