'use client';

import { StatusDot } from './AppHeader';
import { useCatalogLive, type LiveState } from './use-catalog-live';

const LIVE_LABEL: Record<LiveState, { label: string; dot: string }> = {
  connecting: { label: 'Connecting…', dot: 'bg-amber-400 animate-pulse' },
  live: { label: 'Live', dot: 'bg-emerald-400' },
  offline: { label: 'Offline', dot: 'bg-red-500' },
};

/**
 * Keeps the page's fence, route and trip lists live (useCatalogLive) and says whether they are:
 * Connecting…, Live or Offline, for the top bar.
 */
export function CatalogLiveBadge({ token, testId }: { token: string; testId: string }) {
  return <StatusDot {...LIVE_LABEL[useCatalogLive(token)]} testId={testId} />;
}
