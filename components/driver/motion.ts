/**
 * The phone's motion sensors, summarised per GPS fix: of the DeviceMotion samples since the last
 * fix (≈ 60 Hz), the one with the strongest acceleration is sent with the fix (accelerometer in
 * m/s², gravity removed when the phone can, and the rotation rate then, in rad/s). The server
 * removes gravity itself when the phone cannot, and judges harsh manoeuvres from them.
 */
export interface Vector3 {
  x: number;
  y: number;
  z: number;
}

const G = 9.80665;
const DEG = Math.PI / 180;

/** The strongest sample since the last take(). */
export class MotionPeak {
  private accel: Vector3 | null = null;
  private gyro: Vector3 | null = null;
  private strength = -1;

  /** `withGravity`: the vector includes gravity (accelerationIncludingGravity). Rotation in °/s as DeviceMotion gives it. */
  add(accel: Vector3 | null, withGravity: boolean, rotationDegS: { alpha: number | null; beta: number | null; gamma: number | null } | null): void {
    if (!accel || ![accel.x, accel.y, accel.z].every(Number.isFinite)) return;
    const m = Math.hypot(accel.x, accel.y, accel.z);
    const strength = withGravity ? Math.abs(m - G) : m;
    if (strength <= this.strength) return;
    this.strength = strength;
    this.accel = { x: accel.x, y: accel.y, z: accel.z };
    const r = rotationDegS;
    this.gyro = r && [r.alpha, r.beta, r.gamma].every((v) => typeof v === 'number' && Number.isFinite(v)) ? { x: r.beta! * DEG, y: r.gamma! * DEG, z: r.alpha! * DEG } : null;
  }

  /** The peak since the last call, as position fields (empty when the phone sent no motion). */
  take(): { accelerometer?: Vector3; gyroscope?: Vector3 } {
    const out = { ...(this.accel ? { accelerometer: this.accel } : {}), ...(this.gyro ? { gyroscope: this.gyro } : {}) };
    this.accel = null;
    this.gyro = null;
    this.strength = -1;
    return out;
  }
}

/** iOS asks before a page may read motion: call from a tap (Start tracking). Elsewhere nothing to ask. */
export async function requestMotionPermission(): Promise<void> {
  const request = (globalThis.DeviceMotionEvent as unknown as { requestPermission?: () => Promise<string> } | undefined)?.requestPermission;
  if (typeof request === 'function') await request().catch(() => undefined);
}

/** Feeds DeviceMotion samples into `peak`; returns the function that stops. */
export function watchMotion(peak: MotionPeak): () => void {
  if (typeof window === 'undefined' || !('DeviceMotionEvent' in window)) return () => {};
  const onMotion = (e: DeviceMotionEvent) => {
    const linear = e.acceleration;
    const linearOk = linear && linear.x !== null && linear.y !== null && linear.z !== null;
    const withGravity = e.accelerationIncludingGravity;
    const pick = linearOk ? linear : withGravity;
    if (!pick || pick.x === null || pick.y === null || pick.z === null) return;
    peak.add({ x: pick.x, y: pick.y, z: pick.z }, !linearOk, e.rotationRate);
  };
  window.addEventListener('devicemotion', onMotion);
  return () => window.removeEventListener('devicemotion', onMotion);
}
