import http from 'node:http';
import https from 'node:https';
import { guardedLookup, isPrivateAddress } from './address-guard';

/** What one POST to a receiver came to. Only a 2xx answer is a delivery. */
export interface Attempt {
  ok: boolean;
  /** The receiver's HTTP status; null when it never answered. */
  status: number | null;
  ms: number;
  error: string | null;
}

export interface SendOptions {
  timeoutMs: number;
  /** WEBHOOK_ALLOW_PRIVATE: skip the address guard. */
  allowPrivate: boolean;
  /** Aborts the attempt (server shutting down); it then resolves with `error: 'aborted'`. */
  signal?: AbortSignal;
  /** Connection pools to reuse (keep-alive); without them each attempt may open its own connection. */
  agents?: Agents;
}

/** One keep-alive pool per scheme: a webhook's URL may change from http to https. */
export interface Agents {
  http: http.Agent;
  https: https.Agent;
}

/**
 * Keep-alive pools for one webhook: a new TCP (and TLS) connection per event costs more than the
 * POST itself. Connections are still opened through the address guard's `lookup`, so reusing one
 * reuses an address that was checked.
 */
export function keepAliveAgents(maxSockets: number): Agents {
  const options = { keepAlive: true, maxSockets, maxFreeSockets: maxSockets };
  return { http: new http.Agent(options), https: new https.Agent(options) };
}

export function destroyAgents(agents: Agents): void {
  agents.http.destroy();
  agents.https.destroy();
}

const MAX_ERROR = 500;

/**
 * POSTs `body` to `url` and resolves (never rejects) once the receiver's status line arrives or
 * the attempt fails. node:http rather than global fetch because its `lookup` hook lets the address
 * guard check the very address the socket connects to (fetch would resolve the name again after
 * any check of ours), and it follows no redirects: a 3xx is a failed attempt, not a new target.
 * The response body is discarded unread.
 */
export function send(url: string, body: string, headers: Record<string, string>, options: SendOptions): Promise<Attempt> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (status: number | null, error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      const ok = status !== null && status >= 200 && status < 300;
      resolve({ ok, status, ms: elapsed(), error: ok ? null : (error ?? `receiver answered ${status}`).slice(0, MAX_ERROR) });
    };
    const target = new URL(url);
    // Literal IPs never reach `lookup`.
    if (!options.allowPrivate && isPrivateAddress(target.hostname)) return finish(null, `${target.hostname} is a private, loopback or link-local address`);
    const secure = target.protocol === 'https:';
    const request = (secure ? https : http).request(target, {
      method: 'POST',
      ...(options.agents ? { agent: secure ? options.agents.https : options.agents.http } : {}),
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'GeoFleet-Webhooks/1', ...headers },
      ...(options.allowPrivate ? {} : { lookup: guardedLookup }),
    });
    timer = setTimeout(() => request.destroy(new Error(`no answer within ${options.timeoutMs / 1000} s`)), options.timeoutMs);
    const onAbort = () => request.destroy(new Error('aborted'));
    options.signal?.addEventListener('abort', onAbort);
    if (options.signal?.aborted) onAbort();
    request.on('response', (response) => {
      response.resume();
      finish(response.statusCode ?? null, null);
    });
    request.on('error', (error) => finish(null, error.message || String(error)));
    request.end(body);
  });
}
