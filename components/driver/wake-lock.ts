/** Whether the screen is kept on while tracking: the Screen Wake Lock API, where supported. */
export type WakeLockState = 'off' | 'on' | 'unsupported' | 'refused';

/**
 * Holds a screen wake lock until released, taking it again when the page becomes visible (the
 * browser drops it whenever the page is hidden). Reports each change of state.
 */
export function holdScreenOn(onState: (state: WakeLockState) => void): () => void {
  if (typeof navigator === 'undefined' || !('wakeLock' in navigator)) {
    onState('unsupported');
    return () => {};
  }
  let sentinel: WakeLockSentinel | null = null;
  let released = false;
  const acquire = async () => {
    if (released || document.visibilityState !== 'visible' || (sentinel && !sentinel.released)) return;
    try {
      sentinel = await navigator.wakeLock.request('screen');
      if (released) {
        void sentinel.release();
        return;
      }
      onState('on');
      sentinel.addEventListener('release', () => {
        if (!released) onState('off');
      });
    } catch {
      if (!released) onState('refused');
    }
  };
  const onVisibility = () => void acquire();
  document.addEventListener('visibilitychange', onVisibility);
  void acquire();
  return () => {
    released = true;
    document.removeEventListener('visibilitychange', onVisibility);
    void sentinel?.release();
    onState('off');
  };
}
