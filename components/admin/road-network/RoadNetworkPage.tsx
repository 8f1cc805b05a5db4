'use client';

import { useRef, useState } from 'react';
import { clearSession } from '@/components/session';
import { useRequiredSession } from '@/components/use-required-session';
import { AppHeader } from '@/components/ui/AppHeader';
import { AdminTabs } from '@/components/admin/console/AdminShell';
import { Spinner, StateMessage } from '@/components/ui/StateMessage';
import type { PublicUser } from '@/server/protocol/auth';
import type { RoadNetworkSummary } from '@/server/protocol/road-network';
import { useRoadNetwork, useUploadRoadNetwork } from './road-network-api';

/** Road classes from the biggest to the smallest, for the table; others follow by name. */
const CLASS_ORDER = [
  'motorway', 'motorway_link', 'trunk', 'trunk_link', 'primary', 'primary_link', 'secondary', 'secondary_link',
  'tertiary', 'tertiary_link', 'unclassified', 'residential', 'living_street', 'service', 'road', 'track', 'pedestrian',
];

const nf = new Intl.NumberFormat('en-US');
const km = (v: number) => `${v.toLocaleString('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 })} km`;

/** /admin/road-network: the tenant's imported road network and an upload that replaces it (admins). */
export function RoadNetworkPage() {
  const session = useRequiredSession();
  if (!session) return null;
  return <RoadNetworkScreen user={session.user} />;
}

function RoadNetworkScreen({ user }: { user: PublicUser }) {
  return (
    <div className="flex min-h-full flex-col">
      <AppHeader user={user} page="road-network" onSignOut={clearSession} />
      {user.role === 'admin' && <AdminTabs current="road-network" role={user.role} />}
      {user.role !== 'admin' ? (
        <main className="mx-auto w-full max-w-xl p-4">
          <div className="rounded-xl bg-white shadow-sm ring-1 ring-slate-200" data-testid="road-network-admins-only">
            <StateMessage kind="empty" title="The road network is managed by admins" detail={`You are signed in as ${user.role}. Ask an admin of ${user.tenantName} to import a road network.`} />
          </div>
        </main>
      ) : (
        <main className="mx-auto grid w-full max-w-6xl flex-1 gap-4 p-4 lg:grid-cols-[360px_1fr]">
          <aside className="h-fit rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
            <h2 className="mb-1 text-sm font-semibold">Import a road network</h2>
            <p className="mb-3 text-xs text-slate-500">
              An OpenStreetMap extract of your region (.osm.pbf, .osm, .osm.gz) or a GeoJSON file of road lines. It replaces the current network in one step: if the
              file is refused, nothing changes.
            </p>
            <UploadForm />
          </aside>
          <CurrentNetwork />
        </main>
      )}
      <footer className="px-4 pb-3 text-center text-[11px] text-slate-400">Map data © OpenStreetMap contributors (ODbL)</footer>
    </div>
  );
}

function CurrentNetwork() {
  const network = useRoadNetwork();
  return (
    <section className="min-w-0 rounded-xl bg-white shadow-sm ring-1 ring-slate-200" aria-label="Current road network">
      <div className="border-b border-slate-200 px-4 py-3">
        <h2 className="text-sm font-semibold">Current road network</h2>
        <p className="mt-0.5 text-xs text-slate-500">Roads for routing and map matching, and the basemap&apos;s water, parks, buildings, places and addresses.</p>
      </div>
      {network.isPending ? (
        <StateMessage kind="loading" title="Loading the road network…" />
      ) : network.isError ? (
        <StateMessage kind="error" title="Could not load the road network" detail={network.error.message} action={{ label: 'Retry', onClick: () => void network.refetch() }} />
      ) : !network.data.network ? (
        <div data-testid="road-network-empty">
          <StateMessage kind="empty" title="No road network yet" detail="Import an OpenStreetMap extract of your region with the form." />
        </div>
      ) : (
        <div className="p-4" data-testid="road-network-summary">
          <dl className="mb-4 grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
            <Figure label="Source" value={network.data.network.source} mono />
            <Figure label="Imported" value={new Date(network.data.network.importedAt).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' })} />
            <Figure label="Roads (OSM ways)" value={nf.format(network.data.network.summary.ways)} />
            <Figure label="Segments" value={nf.format(network.data.network.summary.segments)} />
            <Figure label="Map features" value={nf.format(network.data.network.summary.features)} />
            <Figure label="Addresses" value={nf.format(network.data.network.summary.addresses)} />
            <Figure label="Extent (W S E N)" value={network.data.network.summary.bbox.map((v) => v.toFixed(3)).join(' ')} mono wide />
          </dl>
          <KmByClass summary={network.data.network.summary} />
        </div>
      )}
    </section>
  );
}

function Figure({ label, value, mono, wide }: { label: string; value: string; mono?: boolean; wide?: boolean }) {
  return (
    <div className={`min-w-0 ${wide ? 'col-span-2' : ''}`}>
      <dt className="text-[11px] uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className={`truncate font-medium text-slate-800 ${mono ? 'font-mono text-xs leading-5' : ''}`} title={value}>
        {value}
      </dd>
    </div>
  );
}

function KmByClass({ summary }: { summary: RoadNetworkSummary }) {
  const rows = Object.entries(summary.kmByClass).sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
  const total = rows.reduce((s, [, v]) => s + v, 0);
  const max = Math.max(...rows.map(([, v]) => v), 1);
  return (
    <table className="w-full text-sm" data-testid="road-network-classes">
      <thead>
        <tr className="text-left text-[11px] uppercase tracking-wide text-slate-500">
          <th className="py-1 font-medium">Class</th>
          <th className="py-1 text-right font-medium">Length</th>
          <th className="w-1/2 py-1" aria-hidden />
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map(([cls, value]) => (
          <tr key={cls}>
            <td className="py-1 font-mono text-xs text-slate-700">{cls}</td>
            <td className="py-1 text-right tabular-nums">{km(value)}</td>
            <td className="py-1 pl-3">
              <div className="h-2 rounded-full bg-emerald-500/80" style={{ width: `${(value / max) * 100}%` }} />
            </td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr className="border-t border-slate-200 font-medium">
          <td className="py-1">Total</td>
          <td className="py-1 text-right tabular-nums">{km(total)}</td>
          <td />
        </tr>
      </tfoot>
    </table>
  );
}

function rank(cls: string): number {
  const i = CLASS_ORDER.indexOf(cls);
  return i < 0 ? CLASS_ORDER.length : i;
}

function UploadForm() {
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [sent, setSent] = useState<{ loaded: number; total: number } | null>(null);
  const upload = useUploadRoadNetwork((loaded, total) => setSent({ loaded, total }));
  const uploading = upload.isPending && sent !== null && sent.loaded < sent.total;
  const percent = sent && sent.total > 0 ? Math.round((sent.loaded / sent.total) * 100) : 0;
  return (
    <form
      className="flex flex-col gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        if (!file) return;
        setSent({ loaded: 0, total: file.size });
        upload.mutate(file);
      }}
    >
      <input
        ref={input}
        type="file"
        accept=".pbf,.osm,.gz,.geojson,.json"
        className="block w-full text-xs text-slate-600 file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-1.5 file:text-xs file:font-medium file:text-slate-700 hover:file:bg-slate-200"
        disabled={upload.isPending}
        onChange={(e) => {
          setFile(e.target.files?.[0] ?? null);
          upload.reset();
          setSent(null);
        }}
        data-testid="road-network-file"
      />
      <button
        type="submit"
        disabled={!file || upload.isPending}
        className="rounded-md bg-emerald-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-emerald-700 disabled:opacity-50"
        data-testid="road-network-import"
      >
        {upload.isPending ? 'Importing…' : 'Import and replace'}
      </button>
      {upload.isPending && (
        <div role="status" className="text-xs text-slate-600" data-testid="road-network-progress">
          <div className="mb-1 h-2 overflow-hidden rounded-full bg-slate-100">
            <div className="h-full bg-emerald-500 transition-[width]" style={{ width: `${percent}%` }} />
          </div>
          {uploading ? (
            `Uploading ${percent} % (${(sent!.loaded / 1048576).toFixed(1)} of ${(sent!.total / 1048576).toFixed(1)} MB)`
          ) : (
            <span className="flex items-center gap-2">
              <Spinner className="h-3 w-3" /> Uploaded; reading roads and writing the network…
            </span>
          )}
        </div>
      )}
      {upload.isError && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-xs text-red-700" data-testid="road-network-error">
          {upload.error.message} The current network was kept.
        </p>
      )}
      {upload.isSuccess && (
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-xs text-emerald-800" data-testid="road-network-result">
          Imported {nf.format(upload.data.summary.ways)} roads as {nf.format(upload.data.summary.segments)} segments, {nf.format(upload.data.summary.features)} map features and{' '}
          {nf.format(upload.data.summary.addresses)} addresses ({upload.data.format.toUpperCase()}).
        </p>
      )}
    </form>
  );
}
