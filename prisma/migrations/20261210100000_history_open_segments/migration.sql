-- Journeys and stops under way (server/history/service.ts, docs/reports.md): each vehicle's open
-- movement state (server/history/segment.ts `SegmentState`, versioned JSON), saved every
-- checkpoint and at shutdown, read back and deleted at start, so a journey under way while the
-- server restarts is not split. One row per vehicle; nothing here is needed to rebuild history.
CREATE TABLE IF NOT EXISTS history_open_segments (
  tenant_id  uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  vehicle_id uuid PRIMARY KEY REFERENCES vehicles(id) ON DELETE CASCADE,
  state      jsonb NOT NULL,
  saved_at   timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS history_open_segments_tenant_id_idx ON history_open_segments (tenant_id);
