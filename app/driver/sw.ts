/// <reference lib="webworker" />
/**
 * The driver page's service worker (scope /driver), bundled by scripts/build-driver-sw.mjs after
 * `next build` into .next/driver-sw.js and served at /driver-sw.js.
 *
 * Precached at install: the /driver HTML shell, every JS/CSS chunk it loads, the web manifest and
 * the icons (the list is made from the build output). The shell is served cache-first, so the
 * page opens with no network at all; a new build brings a new worker with new revisions.
 * Navigations elsewhere in the scope try the network and fall back to the shell.
 * API requests (`/api/…`, e.g. the driver's trips) match no route: they go to the network
 * untouched and are never cached, so the trip card never shows a stale state as current.
 */
import { NetworkFirst, Serwist, type PrecacheEntry } from 'serwist';

/** Replaced at bundle time with the precache list. */
declare const __DRIVER_PRECACHE__: PrecacheEntry[];

const serwist = new Serwist({
  precacheEntries: __DRIVER_PRECACHE__,
  precacheOptions: { cleanupOutdatedCaches: true },
  skipWaiting: true,
  clientsClaim: true,
  runtimeCaching: [
    {
      matcher: ({ request, sameOrigin }) => sameOrigin && request.mode === 'navigate',
      handler: new NetworkFirst({ cacheName: 'driver-pages', networkTimeoutSeconds: 4 }),
    },
  ],
  fallbacks: { entries: [{ url: '/driver', matcher: ({ request }) => request.destination === 'document' }] },
});

serwist.addEventListeners();
