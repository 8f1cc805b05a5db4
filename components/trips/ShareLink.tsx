'use client';

import { useState } from 'react';
import type { TripShare } from '@/server/protocol/trips';

/** The rider link of a trip with a copy button (admins and managers get `share`). */
export function ShareLink({ share }: { share: TripShare }) {
  const [copied, setCopied] = useState(false);
  const url = typeof window === 'undefined' ? share.path : `${window.location.origin}${share.path}`;
  const copy = () => {
    void navigator.clipboard?.writeText(url).then(
      () => {
        setCopied(true);
        setTimeout(() => setCopied(false), 1500);
      },
      () => undefined,
    );
  };
  return (
    <span className="inline-flex items-center gap-1.5">
      <a href={share.path} target="_blank" rel="noreferrer" className="text-xs font-medium text-emerald-700 underline-offset-2 hover:underline" data-testid="share-link">
        Rider link
      </a>
      <button type="button" onClick={copy} className="rounded px-1 text-xs text-slate-500 hover:bg-slate-100 hover:text-slate-800" title={url}>
        {copied ? 'Copied' : 'Copy'}
      </button>
    </span>
  );
}
