import type { ITXClientDenyList } from '@prisma/client/runtime/client';
import type { Prisma } from '../database';
import { Prisma as P } from '../generated/prisma/client';
import { EVENT_CATALOGUE, type Actor, type AggregateType, type DomainEvent, type EventType, type NewEvent } from '../../protocol/events';
import { uuid7 } from '../../events/uuid7';

/** The root client or an interactive transaction: appends join the caller's transaction. */
export type Tx = Omit<Prisma, ITXClientDenyList>;

interface EventRow {
  tenant_id: string;
  seq: bigint | number | string;
  id: string;
  type: string;
  aggregate_type: string;
  aggregate_id: string;
  version: number;
  at: Date;
  actor: Actor;
  correlation_id: string | null;
  causation_id: string | null;
  data: unknown;
}

export function toEvent(row: EventRow): DomainEvent {
  return {
    id: row.id,
    seq: Number(row.seq),
    tenantId: row.tenant_id,
    type: row.type as EventType,
    aggregate: { type: row.aggregate_type as AggregateType, id: row.aggregate_id },
    version: row.version,
    at: row.at.toISOString(),
    actor: row.actor,
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    data: row.data as DomainEvent['data'],
  };
}

/**
 * Appends events in four set-based statements, inside `tx` (which must be a transaction: the
 * tenant counters stay locked until it commits, so seqs become visible in order). Per tenant,
 * seqs follow the order of `events`; per aggregate, so do versions. Counter rows are taken in
 * key order, so concurrent appends cannot deadlock.
 */
export async function appendEvents(tx: Tx, events: readonly NewEvent[], now = Date.now()): Promise<DomainEvent[]> {
  if (events.length === 0) return [];
  const perTenant = new Map<string, number>();
  const perAggregate = new Map<string, number>();
  const aggregateKey = (e: NewEvent) => `${e.tenantId}|${EVENT_CATALOGUE[e.type].aggregate}|${e.aggregateId}`;
  for (const e of events) {
    perTenant.set(e.tenantId, (perTenant.get(e.tenantId) ?? 0) + 1);
    const key = aggregateKey(e);
    perAggregate.set(key, (perAggregate.get(key) ?? 0) + 1);
  }
  const tenants = [...perTenant.keys()].sort();
  const streams = await tx.$queryRaw<Array<{ tenant_id: string; last_seq: bigint }>>`
    INSERT INTO event_streams (tenant_id, last_seq)
    SELECT t, n FROM unnest(${tenants}::uuid[], ${tenants.map((t) => perTenant.get(t)!)}::bigint[]) AS u(t, n) ORDER BY t
    ON CONFLICT (tenant_id) DO UPDATE SET last_seq = event_streams.last_seq + excluded.last_seq
    RETURNING tenant_id, last_seq`;
  const nextSeq = new Map(streams.map((r) => [r.tenant_id, Number(r.last_seq) - perTenant.get(r.tenant_id)! + 1]));

  const keys = [...perAggregate.keys()].sort();
  const parts = keys.map((k) => k.split('|') as [string, string, string]);
  const versions = await tx.$queryRaw<Array<{ tenant_id: string; aggregate_type: string; aggregate_id: string; version: number }>>`
    INSERT INTO aggregate_versions (tenant_id, aggregate_type, aggregate_id, version)
    SELECT t, ty, id, n FROM unnest(${parts.map((p) => p[0])}::uuid[], ${parts.map((p) => p[1])}::text[], ${parts.map((p) => p[2])}::text[], ${keys.map((k) => perAggregate.get(k)!)}::int[]) AS u(t, ty, id, n)
    ORDER BY t, ty, id
    ON CONFLICT (tenant_id, aggregate_type, aggregate_id) DO UPDATE SET version = aggregate_versions.version + excluded.version
    RETURNING tenant_id, aggregate_type, aggregate_id, version`;
  const nextVersion = new Map(
    versions.map((r) => {
      const key = `${r.tenant_id}|${r.aggregate_type}|${r.aggregate_id}`;
      return [key, r.version - perAggregate.get(key)! + 1];
    }),
  );

  const appended: DomainEvent[] = events.map((e) => {
    const seq = nextSeq.get(e.tenantId)!;
    nextSeq.set(e.tenantId, seq + 1);
    const key = aggregateKey(e);
    const version = nextVersion.get(key)!;
    nextVersion.set(key, version + 1);
    const at = e.at ?? now;
    return {
      id: uuid7(now),
      seq,
      tenantId: e.tenantId,
      type: e.type,
      aggregate: { type: EVENT_CATALOGUE[e.type].aggregate, id: e.aggregateId },
      version,
      at: new Date(at).toISOString(),
      actor: e.actor,
      correlationId: e.correlationId ?? null,
      causationId: e.causationId ?? null,
      data: e.data,
    };
  });
  const col = <T>(f: (e: DomainEvent) => T) => appended.map(f);
  await tx.$executeRaw`
    INSERT INTO domain_events (tenant_id, seq, id, type, aggregate_type, aggregate_id, version, at, actor, actor_id, correlation_id, causation_id, data)
    SELECT * FROM unnest(
      ${col((e) => e.tenantId)}::uuid[], ${col((e) => e.seq)}::bigint[], ${col((e) => e.id)}::uuid[], ${col((e) => e.type)}::text[],
      ${col((e) => e.aggregate.type)}::text[], ${col((e) => e.aggregate.id)}::text[], ${col((e) => e.version)}::int[],
      ${col((e) => e.at)}::timestamptz[], ${col((e) => JSON.stringify(e.actor))}::jsonb[], ${col((e) => actorId(e.actor))}::text[],
      ${col((e) => e.correlationId)}::uuid[], ${col((e) => e.causationId)}::uuid[], ${col((e) => JSON.stringify(e.data))}::jsonb[]
    )`;
  return appended;
}

/** The id an actor is found by (`actorId` filter): the user, or the device's vehicle. */
function actorId(actor: Actor): string | null {
  return actor.kind === 'user' ? actor.id : actor.kind === 'device' ? actor.vehicleId : null;
}

export interface EventFilter {
  types?: readonly string[];
  aggregateType?: string;
  aggregateId?: string;
  actorId?: string;
  from?: number;
  to?: number;
  /** seq > after */
  after?: number;
  /** seq < before */
  before?: number;
}

/** A tenant's events matching the filter, by seq (`asc` or `desc`), at most `limit`. */
export async function queryEvents(prisma: Tx, tenantId: string, f: EventFilter, order: 'asc' | 'desc', limit: number): Promise<DomainEvent[]> {
  const exact = (f.types ?? []).filter((t) => !t.endsWith('.*'));
  const prefixes = (f.types ?? []).filter((t) => t.endsWith('.*')).map((t) => t.slice(0, -1) + '%');
  const anyType = exact.length === 0 && prefixes.length === 0;
  const rows = await prisma.$queryRaw<EventRow[]>`
    SELECT tenant_id, seq, id, type, aggregate_type, aggregate_id, version, at, actor, correlation_id, causation_id, data
    FROM domain_events
    WHERE tenant_id = ${tenantId}::uuid
      AND (${anyType} OR type = ANY(${exact}::text[]) OR type LIKE ANY(${prefixes}::text[]))
      AND (${f.aggregateType ?? null}::text IS NULL OR aggregate_type = ${f.aggregateType ?? null})
      AND (${f.aggregateId ?? null}::text IS NULL OR aggregate_id = ${f.aggregateId ?? null})
      AND (${f.actorId ?? null}::text IS NULL OR actor_id = ${f.actorId ?? null})
      AND (${f.from ?? null}::float8 IS NULL OR at >= to_timestamp(${f.from ?? null}::float8 / 1000))
      AND (${f.to ?? null}::float8 IS NULL OR at < to_timestamp(${f.to ?? null}::float8 / 1000))
      AND (${f.after ?? null}::bigint IS NULL OR seq > ${f.after ?? null}::bigint)
      AND (${f.before ?? null}::bigint IS NULL OR seq < ${f.before ?? null}::bigint)
    ORDER BY seq ${P.raw(order === 'asc' ? 'ASC' : 'DESC')}
    LIMIT ${limit}`;
  return rows.map(toEvent);
}

export async function findEvent(prisma: Tx, tenantId: string, id: string): Promise<DomainEvent | null> {
  const rows = await prisma.$queryRaw<EventRow[]>`
    SELECT tenant_id, seq, id, type, aggregate_type, aggregate_id, version, at, actor, correlation_id, causation_id, data
    FROM domain_events WHERE tenant_id = ${tenantId}::uuid AND id = ${id}::uuid LIMIT 1`;
  return rows[0] ? toEvent(rows[0]) : null;
}

/** A tenant's last seq (0 before its first event). */
export async function lastSeq(prisma: Tx, tenantId: string): Promise<number> {
  const rows = await prisma.$queryRaw<Array<{ last_seq: bigint }>>`SELECT last_seq FROM event_streams WHERE tenant_id = ${tenantId}::uuid`;
  return rows[0] ? Number(rows[0].last_seq) : 0;
}
