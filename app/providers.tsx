'use client';

import { onlineManager, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { SessionKeeper } from '@/components/auth/SessionKeeper';

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(() => {
    // TanStack Query assumes a network until the first `offline` event. A page opened with none
    // (the driver page, served by its service worker) starts from what the browser knows, so its
    // queries wait for the network instead of failing one by one.
    if (typeof window !== 'undefined') onlineManager.setOnline(window.navigator.onLine);
    return new QueryClient({ defaultOptions: { queries: { retry: 1 } } });
  });
  return (
    <QueryClientProvider client={queryClient}>
      <SessionKeeper />
      {children}
    </QueryClientProvider>
  );
}
