/** Script and scope of the driver page's service worker (served by app/driver-sw.js/route.ts). */
export const DRIVER_SW_URL = '/driver-sw.js';
export const DRIVER_SW_SCOPE = '/driver';

/**
 * Registers the service worker that keeps the driver page's shell for offline starts. Production
 * builds only: in development the bundles change on every edit and there is no precache list.
 */
export function registerDriverServiceWorker(): void {
  if (process.env.NODE_ENV !== 'production' || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register(DRIVER_SW_URL, { scope: DRIVER_SW_SCOPE }).catch((error: unknown) => {
    console.warn('GeoFleet driver: service worker not registered, the page will not open offline', error);
  });
}
