'use client';

import { useSyncExternalStore } from 'react';
import type { LoginResponse } from '@/server/protocol/auth';

const STORAGE_KEY = 'geofleet.session';
/** Why the last session ended ('ended': it expired or was revoked; 'signed-out': the user chose to). */
const END_REASON_KEY = 'geofleet.sessionEnd';
const listeners = new Set<() => void>();

let cachedRaw: string | null = null;
let cachedSession: LoginResponse | null = null;

function parse(raw: string | null): LoginResponse | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<LoginResponse>;
    return typeof value.token === 'string' && value.user && typeof value.user.id === 'string'
      ? (value as LoginResponse)
      : null;
  } catch {
    return null;
  }
}

export function getSession(): LoginResponse | null {
  const raw = window.localStorage.getItem(STORAGE_KEY);
  if (raw !== cachedRaw) {
    cachedRaw = raw;
    cachedSession = parse(raw);
  }
  return cachedSession;
}

export function setSession(session: LoginResponse): void {
  window.localStorage.removeItem(END_REASON_KEY);
  window.localStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  listeners.forEach((notify) => notify());
}

/**
 * Ends the session in this browser (every tab: they share the storage). Signing out also revokes
 * the refresh token on the server; an ended session (expired, revoked) has nothing left to revoke.
 */
export function clearSession(reason?: 'signed-out' | 'ended' | unknown): void {
  // Also used directly as an onClick handler (which passes the click event): anything but 'ended' signs out.
  const ended = reason === 'ended';
  if (!ended) void fetch('/api/v1/auth/logout', { method: 'POST', keepalive: true }).catch(() => {});
  window.localStorage.setItem(END_REASON_KEY, ended ? 'ended' : 'signed-out');
  window.localStorage.removeItem(STORAGE_KEY);
  listeners.forEach((notify) => notify());
}

/** How the last session ended, for the sign-in page's message. */
export function lastSessionEnd(): 'signed-out' | 'ended' | null {
  const value = window.localStorage.getItem(END_REASON_KEY);
  return value === 'ended' || value === 'signed-out' ? value : null;
}

/** The sign-in page's address that comes back to `path` afterwards. */
export function loginUrl(path: string, ended: boolean): string {
  const params = new URLSearchParams();
  if (path && path !== '/' && !path.startsWith('/login')) params.set('next', path);
  if (ended) params.set('ended', '1');
  const query = params.toString();
  return query ? `/login?${query}` : '/login';
}

/** Where a user lands after signing in: a safe same-site `next`, else their home page. */
export function homeFor(session: LoginResponse, next: string | null): string {
  if (next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login')) return next;
  return session.user.role === 'driver' ? '/driver' : '/map';
}

/** The session ended (expired and not renewable, or revoked): to sign-in with a message, then back here. */
export function endSession(): void {
  if (!getSession() && window.location.pathname.startsWith('/login')) return;
  clearSession('ended');
  window.location.assign(loginUrl(window.location.pathname + window.location.search, true));
}

let refreshing: Promise<LoginResponse | null> | null = null;

/**
 * A new access token from the refresh cookie (rotated by the server). One request at a time per
 * tab; null when the session cannot be renewed (signed out elsewhere, revoked, deactivated).
 */
export function refreshSession(): Promise<LoginResponse | null> {
  refreshing ??= (async () => {
    try {
      const response = await fetch('/api/v1/auth/refresh', { method: 'POST', credentials: 'same-origin' });
      if (response.status === 401) return null;
      if (!response.ok) throw new Error(`refresh answered ${response.status}`);
      const session = (await response.json()) as LoginResponse;
      setSession(session);
      return session;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/**
 * Renews the session, or ends it (to sign-in) when it cannot be renewed; true when renewed.
 * On the driver pages it does not navigate: they say so and keep the phone's queued fixes.
 */
export async function renewOrEnd(): Promise<boolean> {
  try {
    if (await refreshSession()) return true;
  } catch {
    return false; // the server could not be reached: not a verdict on the session
  }
  // The driver app keeps its queued fixes and offers "Sign in again" itself (it works offline).
  if (!window.location.pathname.startsWith('/driver')) endSession();
  return false;
}

function subscribe(notify: () => void): () => void {
  listeners.add(notify);
  window.addEventListener('storage', notify);
  return () => {
    listeners.delete(notify);
    window.removeEventListener('storage', notify);
  };
}

/** The stored session; `undefined` while rendering on the server (storage not readable yet). */
export function useSession(): LoginResponse | null | undefined {
  return useSyncExternalStore<LoginResponse | null | undefined>(subscribe, getSession, () => undefined);
}

/**
 * fetch with the session's Bearer token. A 401 on a request that carried one renews the session
 * once (refresh cookie) and repeats the request; when it cannot be renewed, the app goes to
 * sign-in ("Your session ended") and comes back to this page afterwards.
 */
export async function authFetch(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
  const send = (session: LoginResponse | null) => {
    const headers = new Headers(init.headers);
    if (session) headers.set('Authorization', `Bearer ${session.token}`);
    return fetch(input, { ...init, headers });
  };
  const session = getSession();
  const response = await send(session);
  if (response.status !== 401 || !session || /\/api\/v1\/auth\/(login|refresh|logout)/.test(String(input))) return response;
  // Another tab may have renewed it meanwhile.
  const current = getSession();
  if (current && current.token !== session.token) return send(current);
  return (await renewOrEnd()) ? send(getSession()) : response;
}

/** Socket.IO `auth` that reads the current token on every (re)connection. */
export function socketAuth(fallback?: string): (cb: (data: object) => void) => void {
  return (cb) => cb({ token: getSession()?.token ?? fallback ?? '' });
}
