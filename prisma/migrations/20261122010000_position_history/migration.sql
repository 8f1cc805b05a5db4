-- Position history, time-partitioned by day (partitions are created ahead and dropped after the
-- retention window by server/db/partitions.ts), idempotent by (vehicle, timestamp).
-- Per-tenant live rate limit per vehicle.
ALTER TABLE "tenants" ADD COLUMN "vehicle_rate_limit" DOUBLE PRECISION NOT NULL DEFAULT 1;

CREATE TABLE "position_history" (
    "vehicle_id" UUID NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "tenant_id" UUID NOT NULL,
    "geom" geometry(Point, 4326) NOT NULL,
    "speed" DOUBLE PRECISION,
    "heading" DOUBLE PRECISION,
    "accuracy" DOUBLE PRECISION,
    "altitude" DOUBLE PRECISION,
    "battery" DOUBLE PRECISION,
    "attributes" JSONB,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "position_history_pkey" PRIMARY KEY ("vehicle_id", "ts"),
    CONSTRAINT "position_history_geom_range" CHECK (ST_X("geom") BETWEEN -180 AND 180 AND ST_Y("geom") BETWEEN -90 AND 90)
) PARTITION BY RANGE ("ts");

-- Rows outside every daily partition (e.g. replays older than the oldest partition) land here.
CREATE TABLE "position_history_default" PARTITION OF "position_history" DEFAULT;

CREATE INDEX "position_history_geom_idx" ON "position_history" USING GIST ("geom");
CREATE INDEX "position_history_tenant_id_ts_idx" ON "position_history" ("tenant_id", "ts");

ALTER TABLE "position_history" ADD CONSTRAINT "position_history_vehicle_id_fkey" FOREIGN KEY ("vehicle_id") REFERENCES "vehicles"("id") ON DELETE CASCADE ON UPDATE CASCADE;
