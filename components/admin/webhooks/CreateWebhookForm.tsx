'use client';

import { useState, type FormEvent } from 'react';
import { EVENT_TYPES } from '@/server/protocol/events';
import type { WebhookCreatedDto } from '@/server/protocol/webhooks';
import { useCreateWebhook } from './webhook-api';

const INPUT = 'w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm shadow-sm focus:border-emerald-500 focus:outline-none focus:ring-1 focus:ring-emerald-500';
const LABEL = 'block text-xs font-medium text-slate-600';

/** The catalogue grouped by what it is about (vehicle, geofence, …), for the type picker. */
const GROUPS = EVENT_TYPES.reduce<Record<string, string[]>>((groups, type) => {
  (groups[type.split('.')[0]!] ??= []).push(type);
  return groups;
}, {});

/** Creates a webhook; its secret is shown once, right here, with a copy button. */
export function CreateWebhookForm() {
  const create = useCreateWebhook();
  const [types, setTypes] = useState<string[]>([]);
  const [created, setCreated] = useState<WebhookCreatedDto | null>(null);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    create.mutate(
      { url: String(data.get('url') ?? ''), description: String(data.get('description') ?? ''), types },
      {
        onSuccess: (webhook) => {
          form.reset();
          setTypes([]);
          setCreated(webhook);
        },
      },
    );
  };
  const toggle = (type: string) => setTypes((current) => (current.includes(type) ? current.filter((t) => t !== type) : [...current, type]));

  return (
    <div className="space-y-3">
      {created && <SecretOnce webhook={created} onDone={() => setCreated(null)} />}
      <form onSubmit={submit} className="space-y-3" aria-label="New webhook" data-testid="create-webhook-form">
        <label className={LABEL}>
          Endpoint URL
          <input name="url" type="url" required className={INPUT} placeholder="https://example.com/hooks/geofleet" maxLength={2048} data-testid="webhook-url" />
        </label>
        <label className={LABEL}>
          Description
          <input name="description" className={INPUT} placeholder="What receives these events" maxLength={500} />
        </label>
        <fieldset>
          <legend className={`${LABEL} mb-1`}>
            Event types <span className="font-normal text-slate-400">· {types.length === 0 ? 'none chosen: every event' : `${types.length} chosen`}</span>
          </legend>
          <div className="max-h-56 space-y-2 overflow-y-auto rounded-md border border-slate-200 p-2" data-testid="webhook-types">
            {Object.entries(GROUPS).map(([group, list]) => (
              <div key={group}>
                <p className="text-[11px] font-semibold uppercase tracking-wide text-slate-400">{group}</p>
                <div className="mt-0.5 flex flex-wrap gap-1">
                  {list.map((type) => (
                    <label key={type} className={`cursor-pointer rounded-full border px-2 py-0.5 text-[11px] ${types.includes(type) ? 'border-emerald-500 bg-emerald-50 text-emerald-800' : 'border-slate-200 text-slate-600 hover:border-slate-300'}`}>
                      <input type="checkbox" className="sr-only" checked={types.includes(type)} onChange={() => toggle(type)} />
                      {type.slice(group.length + 1)}
                    </label>
                  ))}
                </div>
              </div>
            ))}
          </div>
        </fieldset>
        {create.error && (
          <p role="alert" className="text-xs text-red-700">
            {create.error.message}
          </p>
        )}
        <button type="submit" disabled={create.isPending} className="w-full rounded-md bg-emerald-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-emerald-700 disabled:opacity-50" data-testid="webhook-create">
          {create.isPending ? 'Creating…' : 'Create webhook'}
        </button>
      </form>
    </div>
  );
}

function SecretOnce({ webhook, onDone }: { webhook: WebhookCreatedDto; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  const copy = () => void navigator.clipboard?.writeText(webhook.secret).then(() => setCopied(true));
  return (
    <div role="status" className="space-y-2 rounded-lg border border-amber-300 bg-amber-50 p-3" data-testid="webhook-secret">
      <p className="text-xs font-semibold text-amber-900">Signing secret — shown only now</p>
      <p className="text-[11px] text-amber-800">Store it with the receiver of {webhook.url}. It verifies X-GeoFleet-Signature and cannot be shown again.</p>
      <div className="flex gap-1.5">
        <code className="min-w-0 flex-1 truncate rounded bg-white px-2 py-1 font-mono text-[11px] text-slate-800 ring-1 ring-amber-200" data-testid="webhook-secret-value">
          {webhook.secret}
        </code>
        <button type="button" onClick={copy} className="rounded-md border border-amber-300 bg-white px-2 py-1 text-xs font-medium text-amber-900 hover:bg-amber-100">
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <button type="button" onClick={onDone} className="text-xs font-medium text-amber-900 underline">
        I have stored it
      </button>
    </div>
  );
}
