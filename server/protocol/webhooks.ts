/**
 * Webhooks: integrators' endpoints that receive the tenant's domain events as signed POSTs
 * (docs/webhooks.md). The contract between the webhook service (server/events/webhooks), REST
 * (`/api/v1/webhooks`) and the admin page.
 */
import { z } from 'zod';
import { typeList } from './events';

/** Headers of every delivery. */
export const WEBHOOK_HEADERS = {
  event: 'X-GeoFleet-Event',
  delivery: 'X-GeoFleet-Delivery',
  timestamp: 'X-GeoFleet-Timestamp',
  signature: 'X-GeoFleet-Signature',
} as const;

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One webhook as REST reads it: never with its secret. Times are ISO 8601. */
export interface WebhookDto {
  id: string;
  url: string;
  /** Event types (or `prefix.*`) delivered; empty: every type. */
  types: string[];
  active: boolean;
  description: string;
  /** The last event seq delivered (or given up on): the webhook's cursor into the tenant's log. */
  deliveredSeq: number;
  /** Since when every attempt has failed; null while deliveries succeed. */
  failingSince: string | null;
  /** Why the server disabled it (failing too long); null when active or turned off by a person. */
  disabledReason: string | null;
  /** The newest delivery (status and when), or null before the first. */
  lastDelivery: { status: DeliveryStatus; responseStatus: number | null; at: string } | null;
  createdAt: string;
  updatedAt: string;
}

/** The answer to POST: the only time the secret is shown. */
export interface WebhookCreatedDto extends WebhookDto {
  secret: string;
}

export interface WebhookDeliveryDto {
  id: string;
  /** The event delivered; null for a ping. */
  eventId: string | null;
  eventSeq: number | null;
  /** The event's type, or `ping`. */
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  /** HTTP status of the last attempt; null when it got no answer. */
  responseStatus: number | null;
  /** Duration of the last attempt. */
  responseMs: number | null;
  /** Why the last attempt failed. */
  error: string | null;
  /** When the next retry is due (pending only). */
  nextAttemptAt: string | null;
  createdAt: string;
  updatedAt: string;
}

// ── REST inputs ────────────────────────────────────────────────────────────────────────────

export const MAX_WEBHOOK_URL = 2048;
export const DEFAULT_DELIVERIES_LIMIT = 50;
export const MAX_DELIVERIES_LIMIT = 500;

const url = z
  .string({ error: 'must be a URL' })
  .trim()
  .max(MAX_WEBHOOK_URL, `must be at most ${MAX_WEBHOOK_URL} characters`)
  .superRefine((value, ctx) => {
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be an absolute http(s) URL such as https://example.com/hooks/geofleet' });
      return;
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') ctx.addIssue({ code: 'custom', message: `must use http or https, not ${parsed.protocol.slice(0, -1)}` });
  });

/** Each entry a known event type or a `prefix.*` (the `types` semantics of GET /api/v1/events); `[]`: all. */
const types = z
  .array(z.string({ error: 'must be an event type' }), { error: 'must be a list of event types' })
  .max(100, 'must list at most 100 types')
  .superRefine((list, ctx) => {
    list.forEach((type, i) => {
      const result = type.trim() === '' ? null : typeList.safeParse(type);
      if (!result?.success || result.data?.length !== 1) {
        ctx.addIssue({ code: 'custom', path: [i], message: result?.error?.issues[0]?.message ?? 'must be an event type' });
      }
    });
  })
  .transform((list) => [...new Set(list.map((t) => t.trim()))]);

const description = z.string({ error: 'must be text' }).trim().max(500, 'must be at most 500 characters');

export const webhookCreate = z
  .object({ url, types: types.default([]), active: z.boolean({ error: 'must be true or false' }).default(true), description: description.default('') })
  .strict();
export type WebhookCreateRequest = z.input<typeof webhookCreate>;

export const webhookPatch = z
  .object({ url: url.optional(), types: types.optional(), active: z.boolean({ error: 'must be true or false' }).optional(), description: description.optional() })
  .strict();
export type WebhookPatchRequest = z.input<typeof webhookPatch>;

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const LIMIT = `must be an integer from 1 to ${MAX_DELIVERIES_LIMIT}`;

/** GET …/deliveries: `?limit` (newest first). */
export const deliveriesQuery = z
  .object({
    limit: z.preprocess(
      (v) => {
        const b = blank(v);
        return typeof b === 'string' && /^\s*-?\d+\s*$/.test(b) ? Number(b) : b;
      },
      z.number({ error: LIMIT }).int(LIMIT).min(1, LIMIT).max(MAX_DELIVERIES_LIMIT, LIMIT).default(DEFAULT_DELIVERIES_LIMIT),
    ),
  })
  .strict();
