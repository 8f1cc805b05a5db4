-- Geofences (REST /api/v1/geofences), the events the engine emits for them, and the engine's
-- membership snapshot (so a vehicle inside before a restart is inside after it).
CREATE TYPE "GeofenceType" AS ENUM ('DEPOT', 'CHECKPOINT', 'RESTRICTED_ZONE', 'SERVICE_AREA', 'CUSTOM');
CREATE TYPE "Severity" AS ENUM ('low', 'medium', 'high', 'critical');
CREATE TYPE "GeofenceEventType" AS ENUM ('enter', 'exit', 'cross', 'predicted_enter');

-- A fence is always stored as a MultiPolygon (a circle also as its polygon: a geography buffer,
-- 128 segments); a circle keeps its exact center and radius too. `kind` says how the engine
-- evaluates it ('static' today) and `options` holds that kind's settings.
CREATE TABLE "geofences" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "type" "GeofenceType" NOT NULL DEFAULT 'CUSTOM',
    "kind" TEXT NOT NULL DEFAULT 'static',
    "geom" geometry(MultiPolygon, 4326) NOT NULL,
    "center" geometry(Point, 4326),
    "radius_m" DOUBLE PRECISION,
    "alert_on_entry" BOOLEAN NOT NULL DEFAULT true,
    "alert_on_exit" BOOLEAN NOT NULL DEFAULT true,
    "severity" "Severity" NOT NULL DEFAULT 'medium',
    "hysteresis_m" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "dwell_s" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "max_accuracy_m" DOUBLE PRECISION NOT NULL DEFAULT 100,
    "options" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "geofences_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "geofences_hysteresis_m_check" CHECK ("hysteresis_m" >= 0),
    CONSTRAINT "geofences_dwell_s_check" CHECK ("dwell_s" >= 0),
    CONSTRAINT "geofences_max_accuracy_m_check" CHECK ("max_accuracy_m" > 0),
    CONSTRAINT "geofences_circle_check" CHECK (("center" IS NULL) = ("radius_m" IS NULL) AND ("radius_m" IS NULL OR "radius_m" > 0))
);

CREATE INDEX "geofences_tenant_id_idx" ON "geofences"("tenant_id");
CREATE INDEX "geofences_geom_idx" ON "geofences" USING GIST ("geom");

ALTER TABLE "geofences" ADD CONSTRAINT "geofences_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TRIGGER "geofences_valid_geom" BEFORE INSERT OR UPDATE OF "geom" ON "geofences"
  FOR EACH ROW EXECUTE FUNCTION geofleet_assert_valid_geometry();

-- Append-only log of geofence events; `at` is the position time of the position that caused it.
CREATE TABLE "geofence_events" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" UUID NOT NULL,
    "geofence_id" UUID NOT NULL,
    "vehicle_id" UUID NOT NULL,
    "type" "GeofenceEventType" NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "geom" geometry(Point, 4326) NOT NULL,
    "eta_s" DOUBLE PRECISION,
    "confidence" DOUBLE PRECISION,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "geofence_events_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "geofence_events_geom_range" CHECK (ST_X("geom") BETWEEN -180 AND 180 AND ST_Y("geom") BETWEEN -90 AND 90),
    CONSTRAINT "geofence_events_confidence_check" CHECK ("confidence" IS NULL OR "confidence" BETWEEN 0 AND 1)
);

CREATE INDEX "geofence_events_tenant_id_at_idx" ON "geofence_events"("tenant_id", "at");
CREATE INDEX "geofence_events_geofence_id_at_idx" ON "geofence_events"("geofence_id", "at");
CREATE INDEX "geofence_events_vehicle_id_at_idx" ON "geofence_events"("vehicle_id", "at");

ALTER TABLE "geofence_events" ADD CONSTRAINT "geofence_events_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "geofence_events" ADD CONSTRAINT "geofence_events_geofence_id_fkey" FOREIGN KEY ("geofence_id") REFERENCES "geofences"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "geofence_events" ADD CONSTRAINT "geofence_events_vehicle_id_fkey" FOREIGN KEY ("vehicle_id") REFERENCES "vehicles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The engine's membership of one vehicle in one fence (state: the engine's own JSON).
CREATE TABLE "geofence_memberships" (
    "vehicle_id" UUID NOT NULL,
    "geofence_id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "state" JSONB NOT NULL DEFAULT '{}',
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "geofence_memberships_pkey" PRIMARY KEY ("vehicle_id", "geofence_id")
);

CREATE INDEX "geofence_memberships_geofence_id_idx" ON "geofence_memberships"("geofence_id");
CREATE INDEX "geofence_memberships_tenant_id_idx" ON "geofence_memberships"("tenant_id");

ALTER TABLE "geofence_memberships" ADD CONSTRAINT "geofence_memberships_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "geofence_memberships" ADD CONSTRAINT "geofence_memberships_geofence_id_fkey" FOREIGN KEY ("geofence_id") REFERENCES "geofences"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "geofence_memberships" ADD CONSTRAINT "geofence_memberships_vehicle_id_fkey" FOREIGN KEY ("vehicle_id") REFERENCES "vehicles"("id") ON DELETE CASCADE ON UPDATE CASCADE;
