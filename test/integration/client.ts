import { io, type Socket } from 'socket.io-client';
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

export async function login(email: string, password: string): Promise<{ token: string; user: any }> {
  const result = await api('/api/v1/auth/login', { body: { email, password } });
  if (result.status !== 200) throw new Error(`login ${email} failed: ${result.status} ${JSON.stringify(result.body)}`);
  return result.body;
}

/** A connected Socket.IO client, or the connect_error it got. */
export function connect(namespace: '/fleet' | '/driver', token: string | undefined): Promise<Socket> {
  const socket = io(`${injected('baseUrl')}${namespace}`, {
    auth: token === undefined ? {} : { token },
    transports: ['websocket'],
    reconnection: false,
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

export const DEMO = {
  admin: ['admin@demo.geofleet.dev', 'demo-admin'],
  manager: ['manager@demo.geofleet.dev', 'demo-manager'],
  driver: ['driver@demo.geofleet.dev', 'demo-driver'],
  viewer: ['viewer@demo.geofleet.dev', 'demo-viewer'],
} as const;
