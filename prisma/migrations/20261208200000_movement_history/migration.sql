-- History, replay and reports (server/history, docs/reports.md): movement trips ("journeys",
-- what a vehicle did — not the dispatched trips of server/trips), stops, geofence visits and
-- daily summaries, derived once from committed positions and geofence events. Small next to
-- position_history, and kept when its partitions are dropped: reports older than the hot window
-- work from them. Rebuildable for a date range: `npm run history -- rebuild --from --to`.

CREATE TABLE "vehicle_trips" (
    "vehicle_id" UUID NOT NULL,
    "start_ts" TIMESTAMPTZ(3) NOT NULL,
    "end_ts" TIMESTAMPTZ(3) NOT NULL,
    "tenant_id" UUID NOT NULL,
    "driver_id" UUID,
    "start_lng" DOUBLE PRECISION NOT NULL,
    "start_lat" DOUBLE PRECISION NOT NULL,
    "end_lng" DOUBLE PRECISION NOT NULL,
    "end_lat" DOUBLE PRECISION NOT NULL,
    "start_place" TEXT,
    "end_place" TEXT,
    "distance_m" DOUBLE PRECISION NOT NULL,
    "driving_s" DOUBLE PRECISION NOT NULL,
    "idle_s" DOUBLE PRECISION NOT NULL,
    "max_speed_kmh" DOUBLE PRECISION NOT NULL,
    "avg_speed_kmh" DOUBLE PRECISION NOT NULL,
    "positions" INTEGER NOT NULL,

    CONSTRAINT "vehicle_trips_pkey" PRIMARY KEY ("vehicle_id", "start_ts")
);
CREATE INDEX "vehicle_trips_tenant_start_idx" ON "vehicle_trips" ("tenant_id", "start_ts");
CREATE INDEX "vehicle_trips_driver_start_idx" ON "vehicle_trips" ("driver_id", "start_ts") WHERE "driver_id" IS NOT NULL;
ALTER TABLE "vehicle_trips" ADD CONSTRAINT "vehicle_trips_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "vehicle_trips" ADD CONSTRAINT "vehicle_trips_vehicle_id_fkey" FOREIGN KEY ("vehicle_id") REFERENCES "vehicles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "vehicle_stops" (
    "vehicle_id" UUID NOT NULL,
    "start_ts" TIMESTAMPTZ(3) NOT NULL,
    "end_ts" TIMESTAMPTZ(3) NOT NULL,
    "tenant_id" UUID NOT NULL,
    "driver_id" UUID,
    "lng" DOUBLE PRECISION NOT NULL,
    "lat" DOUBLE PRECISION NOT NULL,
    "place" TEXT,

    CONSTRAINT "vehicle_stops_pkey" PRIMARY KEY ("vehicle_id", "start_ts")
);
CREATE INDEX "vehicle_stops_tenant_start_idx" ON "vehicle_stops" ("tenant_id", "start_ts");
CREATE INDEX "vehicle_stops_driver_start_idx" ON "vehicle_stops" ("driver_id", "start_ts") WHERE "driver_id" IS NOT NULL;
ALTER TABLE "vehicle_stops" ADD CONSTRAINT "vehicle_stops_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "vehicle_stops" ADD CONSTRAINT "vehicle_stops_vehicle_id_fkey" FOREIGN KEY ("vehicle_id") REFERENCES "vehicles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Arrival and departure in a fence (departed_at null while inside); the fence's name is kept so
-- a visit still reads well after the fence is deleted.
CREATE TABLE "geofence_visits" (
    "vehicle_id" UUID NOT NULL,
    "geofence_id" UUID NOT NULL,
    "arrived_at" TIMESTAMPTZ(3) NOT NULL,
    "departed_at" TIMESTAMPTZ(3),
    "tenant_id" UUID NOT NULL,
    "geofence_name" TEXT,

    CONSTRAINT "geofence_visits_pkey" PRIMARY KEY ("vehicle_id", "geofence_id", "arrived_at")
);
CREATE INDEX "geofence_visits_tenant_arrived_idx" ON "geofence_visits" ("tenant_id", "arrived_at");
CREATE INDEX "geofence_visits_open_idx" ON "geofence_visits" ("vehicle_id", "geofence_id") WHERE "departed_at" IS NULL;
ALTER TABLE "geofence_visits" ADD CONSTRAINT "geofence_visits_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "geofence_visits" ADD CONSTRAINT "geofence_visits_vehicle_id_fkey" FOREIGN KEY ("vehicle_id") REFERENCES "vehicles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- One row per vehicle (and per driver) and UTC day, recomputed from the tables above for the
-- days a write touched (a journey or stop counts on the day it started).
CREATE TABLE "history_days" (
    "tenant_id" UUID NOT NULL,
    "subject_kind" TEXT NOT NULL,
    "subject_id" UUID NOT NULL,
    "day" DATE NOT NULL,
    "trips" INTEGER NOT NULL DEFAULT 0,
    "distance_m" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "driving_s" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "idle_s" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "max_speed_kmh" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "stops" INTEGER NOT NULL DEFAULT 0,
    "stopped_s" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "visits" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "history_days_pkey" PRIMARY KEY ("tenant_id", "subject_kind", "subject_id", "day"),
    CONSTRAINT "history_days_subject_kind" CHECK ("subject_kind" IN ('driver', 'vehicle'))
);
CREATE INDEX "history_days_tenant_day_idx" ON "history_days" ("tenant_id", "day");
ALTER TABLE "history_days" ADD CONSTRAINT "history_days_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
