'use client';

import { useState } from 'react';
import { clearSession } from '@/components/session';
import { useRequiredSession } from '@/components/use-required-session';
import { AppHeader } from '@/components/ui/AppHeader';
import { AdminTabs } from '@/components/admin/console/AdminShell';
import { StateMessage } from '@/components/ui/StateMessage';
import type { PublicUser } from '@/server/protocol/auth';
import type { WebhookDto } from '@/server/protocol/webhooks';
import { CreateWebhookForm } from './CreateWebhookForm';
import { DeliveryLog, DeliveryStatusBadge } from './DeliveryLog';
import { useDeleteWebhook, usePing, useUpdateWebhook, useWebhooks } from './webhook-api';

const BUTTON = 'rounded-md border border-slate-300 px-2.5 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-50';

/** /admin/webhooks: the tenant's webhooks, a create form, ping, and each one's delivery log (admins). */
export function WebhooksPage() {
  const session = useRequiredSession();
  if (!session) return null;
  return <WebhooksScreen user={session.user} />;
}

function WebhooksScreen({ user }: { user: PublicUser }) {
  return (
    <div className="flex min-h-full flex-col">
      {/* Not a page of the top bar's links yet: none is marked current. */}
      <AppHeader user={user} page="webhooks" onSignOut={clearSession} />
      {user.role === 'admin' && <AdminTabs current="webhooks" role={user.role} />}
      {user.role !== 'admin' ? (
        <main className="mx-auto w-full max-w-xl p-4">
          <div className="rounded-xl bg-white shadow-sm ring-1 ring-slate-200" data-testid="webhooks-admins-only">
            <StateMessage kind="empty" title="Webhooks are for admins only" detail={`You are signed in as ${user.role}. Ask an admin of ${user.tenantName} to set up webhooks.`} />
          </div>
        </main>
      ) : (
        <main className="mx-auto grid w-full max-w-7xl flex-1 gap-4 p-4 lg:grid-cols-[340px_1fr]">
          <aside className="h-fit rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
            <h2 className="mb-3 text-sm font-semibold">New webhook</h2>
            <CreateWebhookForm />
          </aside>
          <WebhookList />
        </main>
      )}
    </div>
  );
}

function WebhookList() {
  const webhooks = useWebhooks();
  const [open, setOpen] = useState<string | null>(null);
  return (
    <section className="min-w-0 rounded-xl bg-white shadow-sm ring-1 ring-slate-200" aria-label="Webhooks">
      <div className="border-b border-slate-200 px-4 py-3">
        <h2 className="text-sm font-semibold">
          Webhooks {webhooks.data && <span className="font-normal text-slate-500">· {webhooks.data.length}</span>}
        </h2>
        <p className="mt-0.5 text-xs text-slate-500">Each receives the chosen events as signed POSTs, in order, retried for up to a day.</p>
      </div>
      {webhooks.isPending ? (
        <StateMessage kind="loading" title="Loading webhooks…" />
      ) : webhooks.isError ? (
        <StateMessage kind="error" title="Could not load webhooks" detail={webhooks.error.message} action={{ label: 'Retry', onClick: () => void webhooks.refetch() }} />
      ) : webhooks.data.length === 0 ? (
        <StateMessage kind="empty" title="No webhooks yet" detail="Create one with the form to send events to your systems." />
      ) : (
        <ul className="divide-y divide-slate-100" data-testid="webhook-list">
          {webhooks.data.map((webhook) => (
            <WebhookRow key={webhook.id} webhook={webhook} open={open === webhook.id} onToggleLog={() => setOpen(open === webhook.id ? null : webhook.id)} />
          ))}
        </ul>
      )}
    </section>
  );
}

function WebhookRow({ webhook, open, onToggleLog }: { webhook: WebhookDto; open: boolean; onToggleLog: () => void }) {
  const update = useUpdateWebhook();
  const remove = useDeleteWebhook();
  const ping = usePing(webhook.id);
  const error = update.error ?? remove.error ?? ping.error;
  return (
    <li className="px-4 py-3" data-testid="webhook-row" data-webhook-id={webhook.id}>
      <div className="flex flex-wrap items-start gap-3">
        <div className="min-w-0 flex-1">
          <div className="flex items-center gap-2">
            <span className={`h-2 w-2 shrink-0 rounded-full ${webhook.active ? (webhook.failingSince ? 'bg-amber-500' : 'bg-emerald-500') : 'bg-slate-300'}`} aria-hidden />
            <span className="truncate font-mono text-sm" title={webhook.url}>
              {webhook.url}
            </span>
          </div>
          {webhook.description && <p className="mt-0.5 truncate text-xs text-slate-600">{webhook.description}</p>}
          <div className="mt-1 flex flex-wrap gap-1">
            {(webhook.types.length ? webhook.types : ['all events']).map((t) => (
              <span key={t} className="rounded-full bg-slate-100 px-2 py-0.5 text-[11px] text-slate-600">
                {t}
              </span>
            ))}
          </div>
          <p className="mt-1 flex items-center gap-1.5 text-[11px] text-slate-500">
            {webhook.lastDelivery ? (
              <>
                Last delivery <DeliveryStatusBadge status={webhook.lastDelivery.status} />
                {webhook.lastDelivery.responseStatus !== null && <span>HTTP {webhook.lastDelivery.responseStatus}</span>}
                <span>· {new Date(webhook.lastDelivery.at).toLocaleString([], { dateStyle: 'short', timeStyle: 'medium' })}</span>
              </>
            ) : (
              'No deliveries yet'
            )}
            {webhook.failingSince && <span className="text-amber-700">· failing since {new Date(webhook.failingSince).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' })}</span>}
          </p>
          {webhook.disabledReason && (
            <p className="mt-1 text-[11px] text-red-700" data-testid="webhook-disabled-reason">
              Disabled by the server: {webhook.disabledReason}
            </p>
          )}
        </div>
        <div className="flex flex-col items-end gap-1.5">
          <div className="flex items-center gap-1.5">
            <label className="mr-1 flex cursor-pointer items-center gap-1.5 text-xs text-slate-600">
              <input
                type="checkbox"
                className="h-3.5 w-3.5 accent-emerald-600"
                checked={webhook.active}
                disabled={update.isPending}
                onChange={(e) => update.mutate({ id: webhook.id, patch: { active: e.target.checked } })}
                data-testid="webhook-active"
              />
              Active
            </label>
            <button type="button" className={BUTTON} disabled={ping.isPending} onClick={() => ping.mutate()} data-testid="webhook-ping">
              {ping.isPending ? 'Pinging…' : 'Ping'}
            </button>
            <button type="button" className={BUTTON} onClick={onToggleLog} aria-expanded={open} data-testid="webhook-log-toggle">
              {open ? 'Hide deliveries' : 'Deliveries'}
            </button>
            <button
              type="button"
              className={`${BUTTON} hover:border-red-400 hover:text-red-700`}
              disabled={remove.isPending}
              onClick={() => {
                if (window.confirm(`Delete the webhook to ${webhook.url}? Its delivery log goes with it.`)) remove.mutate(webhook.id);
              }}
              data-testid="webhook-delete"
            >
              Delete
            </button>
          </div>
          {ping.data && (
            <p className={`text-xs ${ping.data.status === 'delivered' ? 'text-emerald-700' : 'text-red-700'}`} role="status" data-testid="webhook-ping-result">
              Ping {ping.data.status === 'delivered' ? 'delivered' : 'failed'}
              {ping.data.responseStatus !== null && ` · HTTP ${ping.data.responseStatus}`}
              {ping.data.responseMs !== null && ` · ${ping.data.responseMs} ms`}
              {ping.data.error && ` · ${ping.data.error}`}
            </p>
          )}
          {error && (
            <p role="alert" className="max-w-xs text-right text-xs text-red-700">
              {error.message}
            </p>
          )}
        </div>
      </div>
      {open && <DeliveryLog webhookId={webhook.id} />}
    </li>
  );
}
