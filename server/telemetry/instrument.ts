import type { Server as SocketServer } from 'socket.io';
import type { Stage } from '../events/stage';
import type { Position } from '../protocol/position';
import type { Telemetry } from './metrics';

/**
 * Thin wrappers that time the ingest pipeline's steps for the metrics, without the steps knowing:
 * the composition root (server/index.ts) wraps what it wires. With metrics off nothing is wrapped.
 */

/** Seconds since `start` (a performance.now() reading). */
export const since = (start: number) => (performance.now() - start) / 1000;

/** One position of a batch picked at random: its device→commit age stands for the batch's (a per-batch sample, not a per-position cost). */
export function sampleAgeSeconds(batch: readonly Position[], now: number, random = Math.random): number | null {
  if (batch.length === 0) return null;
  const sample = batch[Math.floor(random() * batch.length)]!;
  return (now - sample.ts) / 1000;
}

/** The batch writer, timed: batch size, commit duration, and one sampled position's device→commit age. */
export function timedPersist(persist: (batch: Position[]) => Promise<Position[]>, telemetry: Telemetry): (batch: Position[]) => Promise<Position[]> {
  if (!telemetry.enabled) return persist;
  return async (batch) => {
    const start = performance.now();
    const fresh = await persist(batch);
    telemetry.batchCommitted(batch.length, since(start), sampleAgeSeconds(batch, Date.now()));
    return fresh;
  };
}

/** A stage, timed per committed batch. */
export function timedStage(stage: Stage, telemetry: Telemetry): Stage {
  if (!telemetry.enabled) return stage;
  return {
    name: stage.name,
    observe(fresh) {
      const start = performance.now();
      try {
        return stage.observe(fresh);
      } finally {
        telemetry.stageEvaluated(stage.name, fresh.length, since(start));
      }
    },
  };
}

/**
 * Counts Socket.IO messages in and out at the engine (one `message` packet per event received, or
 * per client a broadcast reaches). Plain numbers: read when Prometheus scrapes.
 */
export function countSocketMessages(io: SocketServer): { in: number; out: number } {
  const counts = { in: 0, out: 0 };
  io.engine.on('connection', (raw: { on(event: string, listener: (packet: { type: string }) => void): void }) => {
    raw.on('packet', (packet) => {
      if (packet.type === 'message') counts.in += 1;
    });
    raw.on('packetCreate', (packet) => {
      if (packet.type === 'message') counts.out += 1;
    });
  });
  return counts;
}

/** Connected sockets per namespace and distinct tenants among them (walked at scrape time). */
export function socketCounts(io: SocketServer, namespaces: readonly string[], tenantOf: (namespace: string, data: unknown) => string | undefined): { byNamespace: Record<string, number>; tenants: number } {
  const byNamespace: Record<string, number> = {};
  const tenants = new Set<string>();
  for (const name of namespaces) {
    const sockets = io.of(name).sockets;
    byNamespace[name] = sockets.size;
    for (const socket of sockets.values()) {
      const tenant = tenantOf(name, socket.data);
      if (tenant) tenants.add(tenant);
    }
  }
  return { byNamespace, tenants: tenants.size };
}
