import { io, type Socket } from 'socket.io-client';
import type { PositionsFrame, SubscribeAck, SubscribeRequest, VehicleStatusEvent } from '../../server/protocol/fleet';
import { decodeEntries } from '../../server/protocol/fleet-frame';
import { injected } from './context';

export interface ApiResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export async function api<T = any>(path: string, options: { token?: string; method?: string; body?: unknown; raw?: string } = {}): Promise<ApiResult<T>> {
  const response = await fetch(`${injected('baseUrl')}${path}`, {
    method: options.method ?? (options.body !== undefined || options.raw !== undefined ? 'POST' : 'GET'),
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    body: options.raw ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}

/** JSON from a server that is not the shared one (tests that start their own). */
export async function fetchJson(base: string, path: string, init: { token?: string; body?: unknown; method?: string } = {}): Promise<any> {
  const response = await fetch(`${base}${path}`, {
    method: init.method ?? (init.body ? 'POST' : 'GET'),
    headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
    body: init.body ? JSON.stringify(init.body) : undefined,
  });
  return response.json();
}

export async function login(email: string, password: string): Promise<{ token: string; user: any }> {
  const result = await api('/api/v1/auth/login', { body: { email, password } });
  if (result.status !== 200) throw new Error(`login ${email} failed: ${result.status} ${JSON.stringify(result.body)}`);
  return result.body;
}

/** A connected Socket.IO client, or the connect_error it got. */
export function connect(namespace: '/fleet' | '/driver', token: string | undefined, reconnection = false): Promise<Socket> {
  const socket = io(`${injected('baseUrl')}${namespace}`, {
    auth: token === undefined ? {} : { token },
    transports: ['websocket'],
    reconnection,
    reconnectionDelay: 100,
    forceNew: true,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error: Error & { data?: unknown }) => {
      socket.close();
      reject(error);
    });
  });
}

export function emitAck<T>(socket: Socket, event: string, payload: unknown): Promise<T> {
  return socket.timeout(15_000).emitWithAck(event, payload) as Promise<T>;
}

/** Polls `probe` every `intervalMs` (25) until it returns something truthy (returned), or throws naming `what`. */
export async function waitUntil<T>(
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 8000,
  intervalMs = 25,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export const DEMO = {
  admin: ['admin@demo.geofleet.dev', 'demo-admin'],
  manager: ['manager@demo.geofleet.dev', 'demo-manager'],
  driver: ['driver@demo.geofleet.dev', 'demo-driver'],
  viewer: ['viewer@demo.geofleet.dev', 'demo-viewer'],
} as const;

/** A /fleet subscriber that decodes frames into per-vehicle state, as a dashboard does. */
export class FleetWatcher {
  readonly state = new Map<string, Record<string, unknown>>();
  readonly idOf = new Map<number, string>();
  readonly frames: PositionsFrame[] = [];
  readonly statuses: VehicleStatusEvent[] = [];
  private waiters: Array<() => void> = [];

  private constructor(readonly socket: Socket) {
    socket.on('positions', (frame: PositionsFrame) => {
      this.frames.push(frame);
      for (const info of frame.n ?? []) this.idOf.set(info.idx, info.id);
      decodeEntries(frame.v, frame.at, ({ idx, relative, ...fields }) => {
        const id = this.idOf.get(idx) ?? `unknown:${idx}`;
        const held = this.state.get(id) ?? {};
        if (relative) {
          // micro-degree arithmetic, as the encoder computed the differences
          const add = (base: unknown, d: number | undefined) => (d === undefined ? base : Math.round((Number(base) + d) * 1e6) / 1e6);
          fields.lng = add(held.lng, fields.lng) as number | undefined;
          fields.lat = add(held.lat, fields.lat) as number | undefined;
        }
        this.state.set(id, { ...held, ...fields });
      });
      for (const idx of frame.out ?? []) this.state.delete(this.idOf.get(idx) ?? '');
      this.wake();
    });
    socket.on('vehicle:status', (event: VehicleStatusEvent) => {
      this.statuses.push(event);
      this.wake();
    });
    // Any other event a test listens to (geofence:event, alert, …) may satisfy a wait too; its
    // own listener runs after this one, so the check runs once the event is handled.
    socket.onAny(() => setImmediate(() => this.wake()));
  }

  static async open(token: string, request: SubscribeRequest, reconnection = false): Promise<{ watcher: FleetWatcher; ack: SubscribeAck }> {
    const watcher = new FleetWatcher(await connect('/fleet', token, reconnection));
    const ack = await emitAck<SubscribeAck>(watcher.socket, 'subscribe', request);
    if (ack.ok) {
      for (const v of ack.vehicles) {
        watcher.idOf.set(v.idx, v.id);
        if (v.live) watcher.state.set(v.id, { ...v.live });
      }
    }
    return { watcher, ack };
  }

  /** Every vehicle idx any frame mentioned. */
  mentionedIdx(): Set<number> {
    const seen = new Set<number>();
    for (const f of this.frames) decodeEntries(f.v, f.at, ({ idx }) => seen.add(idx));
    return seen;
  }

  until(check: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
      const waiter = () => {
        if (!check()) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve();
      };
      this.waiters.push(waiter);
    });
  }

  close(): void {
    this.socket.close();
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
