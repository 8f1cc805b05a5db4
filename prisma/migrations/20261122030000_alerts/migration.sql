-- Alerts (REST /api/v1/alerts, live `alert` / `alert:read` / `alert:deleted` on /fleet): one row
-- per alert whatever its source (geofence events, presence, speed, battery, the system itself).
-- A deleted vehicle, fence or acknowledging user leaves the alert in place with a null id (the
-- message still names them); a deleted tenant takes its alerts along. Rows past `expires_at` are
-- invisible to every read and deleted by the server's expiry sweep.
CREATE TYPE "AlertType" AS ENUM ('geofence_violation', 'vehicle_offline', 'speed_violation', 'low_battery', 'system_error');

CREATE TABLE "alerts" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "type" "AlertType" NOT NULL,
    "severity" "Severity" NOT NULL,
    "message" TEXT NOT NULL,
    "vehicle_id" UUID,
    "geofence_id" UUID,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "geom" geometry(Point, 4326),
    "details" JSONB NOT NULL DEFAULT '{}',
    "read_at" TIMESTAMPTZ(3),
    "acknowledged_at" TIMESTAMPTZ(3),
    "acknowledged_by" UUID,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alerts_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "alerts_acknowledged_read_check" CHECK ("acknowledged_at" IS NULL OR "read_at" IS NOT NULL)
);

-- The feed: a tenant's alerts newest first (every filter narrows this scan).
CREATE INDEX "alerts_tenant_id_created_at_idx" ON "alerts"("tenant_id", "created_at" DESC);
-- Unread counts per severity (badges) and "unread only" lists.
CREATE INDEX "alerts_unread_idx" ON "alerts"("tenant_id", "severity") WHERE "read_at" IS NULL;
-- One vehicle's alerts; also serves ON DELETE SET NULL when a vehicle is deleted.
CREATE INDEX "alerts_vehicle_id_created_at_idx" ON "alerts"("vehicle_id", "created_at" DESC);
CREATE INDEX "alerts_geofence_id_idx" ON "alerts"("geofence_id");
CREATE INDEX "alerts_acknowledged_by_idx" ON "alerts"("acknowledged_by");
-- The expiry sweep.
CREATE INDEX "alerts_expires_at_idx" ON "alerts"("expires_at");

ALTER TABLE "alerts" ADD CONSTRAINT "alerts_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_vehicle_id_fkey" FOREIGN KEY ("vehicle_id") REFERENCES "vehicles"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_geofence_id_fkey" FOREIGN KEY ("geofence_id") REFERENCES "geofences"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_acknowledged_by_fkey" FOREIGN KEY ("acknowledged_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
