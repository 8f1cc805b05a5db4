import type { Metadata } from 'next';
import Link from 'next/link';

export const metadata: Metadata = { title: 'Page not found · GeoFleet' };

/** Any app path no page serves (API paths answer JSON NOT_FOUND instead: app/api/[...unmatched]). */
export default function NotFound() {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center gap-3 p-6 text-center" data-testid="not-found">
      <span className="h-6 w-6 rounded-full border-[5px] border-emerald-500 bg-white" aria-hidden />
      <h1 className="text-xl font-semibold text-slate-900">This page does not exist</h1>
      <p className="max-w-sm text-sm text-slate-600">The address may be mistyped, or the page was moved. Everything else is one click away.</p>
      <div className="mt-2 flex gap-3">
        <Link href="/" className="rounded-md bg-emerald-600 px-4 py-2 text-sm font-medium text-white shadow-sm hover:bg-emerald-700">
          Go to the live map
        </Link>
        <Link href="/alerts" className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm text-slate-700 hover:bg-slate-50">
          Alerts
        </Link>
      </div>
    </main>
  );
}
