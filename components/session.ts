'use client';

import { useSyncExternalStore } from 'react';
import type { LoginResponse } from '@/server/protocol/auth';

const STORAGE_KEY = 'geofleet.session';
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
  window.localStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  listeners.forEach((notify) => notify());
}

export function clearSession(): void {
  window.localStorage.removeItem(STORAGE_KEY);
  listeners.forEach((notify) => notify());
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

/** fetch with the session's Bearer token. */
export function authFetch(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const session = getSession();
  if (session) headers.set('Authorization', `Bearer ${session.token}`);
  return fetch(input, { ...init, headers });
}
