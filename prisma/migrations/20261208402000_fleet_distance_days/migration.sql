-- "Distance today" per tenant and local day (server/metrics/distance-store.ts): saved every 30 s
-- and at shutdown, read back at start, so the KPI survives a restart.
CREATE TABLE fleet_distance_days (
  tenant_id  uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  day        date NOT NULL,
  distance_m double precision NOT NULL,
  updated_at timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, day)
);
