import { fixFromGeolocation, type Fix } from './fix';
import { MotionPeak, watchMotion } from './motion';

/** Why the phone gives no position, each with its own message and way forward in the UI. */
export type GeoProblem =
  /** The user or the browser settings refused location access. */
  | 'denied'
  /** Location services are off or no position can be determined. */
  | 'unavailable'
  /** No fix arrived in time (under a roof, in a tunnel): still trying. */
  | 'timeout'
  /** No Geolocation API here, or the page is not on HTTPS. */
  | 'unsupported';

/** How long one fix may take before the browser reports a timeout (the watch keeps going). */
const FIX_TIMEOUT_MS = 30_000;

export function geolocationSupported(): boolean {
  return typeof navigator !== 'undefined' && 'geolocation' in navigator && window.isSecureContext;
}

/**
 * watchPosition with high accuracy and no cached positions: every new fix goes to `onFix`, every
 * failure to `onProblem`. Returns the function that stops watching. Check geolocationSupported() first.
 */
export function watchFixes(onFix: (fix: Fix) => void, onProblem: (problem: GeoProblem) => void): () => void {
  // Each fix carries the strongest motion the phone felt since the previous one (when it has sensors).
  const peak = new MotionPeak();
  const stopMotion = watchMotion(peak);
  const id = navigator.geolocation.watchPosition(
    (position) => onFix({ ...fixFromGeolocation(position), ...peak.take() }),
    (error) => onProblem(problemOf(error)),
    { enableHighAccuracy: true, maximumAge: 0, timeout: FIX_TIMEOUT_MS },
  );
  return () => {
    navigator.geolocation.clearWatch(id);
    stopMotion();
  };
}

function problemOf(error: GeolocationPositionError): GeoProblem {
  if (error.code === error.PERMISSION_DENIED) return 'denied';
  if (error.code === error.TIMEOUT) return 'timeout';
  return 'unavailable';
}

/** The geolocation permission as the Permissions API reports it, following changes; null where unknown. */
export async function watchGeoPermission(onChange: (state: PermissionState) => void): Promise<() => void> {
  try {
    const status = await navigator.permissions.query({ name: 'geolocation' });
    const notify = () => onChange(status.state);
    notify();
    status.addEventListener('change', notify);
    return () => status.removeEventListener('change', notify);
  } catch {
    return () => {};
  }
}
