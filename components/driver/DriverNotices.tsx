import { accuracyLabel } from './format';
import { POOR_ACCURACY_M } from './fix';
import { Notice } from './Notice';
import type { TrackerView } from './tracker';

/** A fix older than this no longer says anything about the signal now. */
const FRESH_FIX_MS = 60_000;

/** Every condition that needs the driver, each with what it means and what to do. */
export function DriverNotices({
  view,
  now,
  sessionRejected,
  onRetryGps,
  onSignInAgain,
}: {
  view: TrackerView;
  now: number;
  sessionRejected: boolean;
  onRetryGps: () => void;
  onSignInAgain: () => void;
}) {
  const kept =
    view.queued === 1
      ? ' The fix on this phone is kept and sent after you sign in.'
      : view.queued > 1
        ? ` The ${view.queued} fixes on this phone are kept and sent after you sign in.`
        : '';
  const weak = view.tracking && view.lastFix && view.lastFix.accuracy > POOR_ACCURACY_M && now - view.lastFix.timestamp < FRESH_FIX_MS;
  return (
    <>
      {(view.link.phase === 'unauthorized' || sessionRejected) && (
        <Notice tone="error" title="Your sign-in has ended" action={{ label: 'Sign in again', onClick: onSignInAgain }}>
          Your session expired or was revoked, so positions cannot be sent.{kept}
        </Notice>
      )}
      {view.link.phase === 'forbidden' && (
        <Notice tone="error" title="This account may not send positions">
          {view.link.message}. Ask your dispatcher to check your role.
        </Notice>
      )}
      {view.problem === 'denied' && (
        <Notice tone="error" title="Location access is blocked" action={{ label: 'Try again', onClick: onRetryGps }}>
          GeoFleet needs your location to track the vehicle. Allow location for this site (browser menu → Site settings →
          Location → Allow), then try again.
        </Notice>
      )}
      {view.problem === 'unsupported' && (
        <Notice tone="error" title="Location is not available here">
          This browser cannot share your location
          {typeof window !== 'undefined' && !window.isSecureContext ? ' because the page is not on a secure (https) connection' : ''}.
          Open GeoFleet over https in Chrome or Safari.
        </Notice>
      )}
      {view.problem === 'unavailable' && (
        <Notice tone="warning" title="No GPS position" action={{ label: 'Try again', onClick: onRetryGps }}>
          The phone cannot determine its position. Turn on location services (high accuracy), or move away from cover.
        </Notice>
      )}
      {view.problem === 'timeout' && (
        <Notice tone="info" title="Searching for GPS…">
          No fix for 30 s (a tunnel or a garage?). Tracking keeps trying and resumes by itself.
        </Notice>
      )}
      {weak && view.lastFix && (
        <Notice tone="warning" title={`Weak GPS signal (${accuracyLabel(view.lastFix.accuracy)})`}>
          Fixes are still recorded, but may be off by that much. Keep the phone where it sees the sky and turn on
          high-accuracy location.
        </Notice>
      )}
      {view.refused && (
        <Notice tone="warning" title={`${view.refused.count} ${view.refused.count === 1 ? 'fix was' : 'fixes were'} refused`}>
          The server refused them for good: {view.refused.message}.
        </Notice>
      )}
      {view.storage === 'memory' && (
        <Notice tone="warning" title="Fixes cannot be stored on this phone">
          This browser does not allow offline storage here (private mode?). Fixes are kept only while the page stays open.
        </Notice>
      )}
      {view.storage === 'failing' && (
        <Notice tone="error" title="Fixes could not be saved">
          The phone’s storage refused a fix (storage full?). Free some space; tracking continues.
        </Notice>
      )}
    </>
  );
}
