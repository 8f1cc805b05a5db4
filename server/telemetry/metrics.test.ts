import { describe, expect, it } from 'vitest';
import type { Position } from '../protocol/position';
import { sampleAgeSeconds, timedPersist, timedStage } from './instrument';
import { createTelemetry, noTelemetry } from './metrics';
import { fakeSources } from './test-sources';

/** The value of one sample line of the exposition (`name{labels} value`). */
function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const position = (vehicleId: string, ts: number) => ({ vehicleId, ts }) as Position;

describe('createTelemetry', () => {
  it('reads running totals at scrape time, the same on every scrape (no double counting)', async () => {
    const telemetry = createTelemetry(fakeSources());
    for (let i = 0; i < 2; i++) {
      const { body, contentType } = await telemetry.scrape();
      expect(contentType).toContain('text/plain');
      expect(value(body, 'geofleet_positions_accepted_total{way="socket"}')).toBe(120);
      expect(value(body, 'geofleet_positions_accepted_total{way="osmand"}')).toBe(0);
      expect(value(body, 'geofleet_positions_rejected_total{way="socket",code="RATE_LIMITED"}')).toBe(4);
      expect(value(body, 'geofleet_ingest_queue_depth')).toBe(7);
      expect(value(body, 'geofleet_ingest_queue_limit')).toBe(300);
      expect(value(body, 'geofleet_events_appended_total')).toBe(42);
      expect(value(body, 'geofleet_webhook_deliveries_total{outcome="delivered"}')).toBe(9);
      expect(value(body, 'geofleet_db_pool_connections{state="in_use"}')).toBe(2);
      expect(value(body, 'geofleet_database_info{kind="embedded"}')).toBe(1);
      expect(value(body, 'geofleet_socket_connections{namespace="/driver"}')).toBe(5);
      expect(value(body, 'geofleet_tenants_connected')).toBe(2);
      expect(value(body, 'geofleet_socket_messages_total{direction="out"}')).toBe(70);
      expect(value(body, 'geofleet_vehicles_off_route')).toBe(1);
      expect(body).toContain('nodejs_eventloop_lag_p99_seconds');
      expect(body).toContain('process_cpu_seconds_total');
    }
  });

  it('follows the sources as they change', async () => {
    let depth = 1;
    const telemetry = createTelemetry(fakeSources({ queueDepth: () => depth }));
    expect(value((await telemetry.scrape()).body, 'geofleet_ingest_queue_depth')).toBe(1);
    depth = 99;
    expect(value((await telemetry.scrape()).body, 'geofleet_ingest_queue_depth')).toBe(99);
  });

  it('records requests by route template, batches and stages in histograms', async () => {
    const telemetry = createTelemetry(fakeSources());
    telemetry.httpRequest('/api/v1/vehicles/[id]', 'GET', 200, 0.003);
    telemetry.httpRequest('/api/v1/vehicles/[id]', 'GET', 404, 0.002);
    telemetry.batchCommitted(250, 0.02, 0.4);
    telemetry.batchCommitted(10, 0.004, null);
    telemetry.batchPublished(0.001);
    telemetry.stageEvaluated('geofence', 260, 0.005);
    const { body } = await telemetry.scrape();
    expect(value(body, 'geofleet_http_requests_total{route="/api/v1/vehicles/[id]",method="GET",status="200"}')).toBe(1);
    expect(value(body, 'geofleet_http_request_duration_seconds_count{route="/api/v1/vehicles/[id]",method="GET"}')).toBe(2);
    expect(value(body, 'geofleet_ingest_batch_size_sum')).toBe(260);
    expect(value(body, 'geofleet_ingest_batch_size_bucket{le="250"}')).toBe(2);
    expect(value(body, 'geofleet_ingest_commit_seconds_count')).toBe(2);
    expect(value(body, 'geofleet_ingest_device_to_commit_seconds_count')).toBe(1);
    expect(value(body, 'geofleet_ingest_commit_to_publish_seconds_count')).toBe(1);
    expect(value(body, 'geofleet_stage_positions_total{stage="geofence"}')).toBe(260);
    expect(value(body, 'geofleet_stage_seconds_count{stage="geofence"}')).toBe(1);
  });

  it('keeps registries apart (two servers in one process do not share series)', async () => {
    const a = createTelemetry(fakeSources());
    const b = createTelemetry(fakeSources());
    a.httpRequest('/x', 'GET', 200, 0.001);
    expect((await b.scrape()).body).not.toContain('route="/x"');
  });
});

describe('instrumentation', () => {
  it('samples one position per batch for the device→commit age', () => {
    const batch = [position('a', 1000), position('b', 2000), position('c', 3000)];
    expect(sampleAgeSeconds(batch, 5000, () => 0)).toBe(4);
    expect(sampleAgeSeconds(batch, 5000, () => 0.99)).toBe(2);
    expect(sampleAgeSeconds([], 5000)).toBeNull();
  });

  it('times the writer and the stages, and wraps nothing with metrics off', async () => {
    const calls: unknown[][] = [];
    const telemetry = { ...noTelemetry, enabled: true, batchCommitted: (...a: unknown[]) => void calls.push(['batch', ...a]), stageEvaluated: (...a: unknown[]) => void calls.push(['stage', ...a]) };
    const persist = async (batch: Position[]) => batch.slice(1);
    const fresh = await timedPersist(persist, telemetry)([position('a', Date.now()), position('b', Date.now())]);
    expect(fresh).toHaveLength(1);
    expect(calls[0]![0]).toBe('batch');
    expect(calls[0]![1]).toBe(2);
    const stage = { name: 'geofence', observe: () => [] };
    timedStage(stage, telemetry).observe([position('a', 1)]);
    expect(calls[1]!.slice(0, 3)).toEqual(['stage', 'geofence', 1]);
    expect(timedPersist(persist, noTelemetry)).toBe(persist);
    expect(timedStage(stage, noTelemetry)).toBe(stage);
  });
});
