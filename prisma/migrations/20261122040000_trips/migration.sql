-- Trips (REST /api/v1/trips, rider page /track/<share token>). A trip moves
-- PENDING → EN_ROUTE → ARRIVED → IN_PROGRESS → COMPLETED, or to CANCELLED from any non-final
-- state (server/trips/transitions.ts); each state's entry time has its own column.
CREATE TYPE "TripStatus" AS ENUM ('PENDING', 'EN_ROUTE', 'ARRIVED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED');

CREATE TABLE "trips" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "vehicle_id" UUID NOT NULL,
    "driver_id" UUID NOT NULL,
    "pickup" geometry(Point, 4326) NOT NULL,
    "pickup_label" TEXT,
    "dropoff" geometry(Point, 4326) NOT NULL,
    "dropoff_label" TEXT,
    -- The route capability owns routes; the foreign key comes with it.
    "route_id" UUID,
    "status" "TripStatus" NOT NULL DEFAULT 'PENDING',
    "en_route_at" TIMESTAMPTZ(3),
    "arrived_at" TIMESTAMPTZ(3),
    "in_progress_at" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),
    "cancelled_at" TIMESTAMPTZ(3),
    -- Set on completion: meters along the vehicle's positions (PostGIS geography length) and
    -- seconds from the first state after PENDING.
    "distance_m" DOUBLE PRECISION,
    "duration_s" DOUBLE PRECISION,
    -- ≥ 128 random bits, base64url: the rider page's capability. NULL expiry while the trip is
    -- active; set to the final state's time + TRIP_SHARE_GRACE_S when it ends.
    "share_token" TEXT NOT NULL,
    "share_expires_at" TIMESTAMPTZ(3),
    "created_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "trips_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "trips_share_token_length" CHECK (length("share_token") >= 22),
    CONSTRAINT "trips_points_range" CHECK (
      ST_X("pickup") BETWEEN -180 AND 180 AND ST_Y("pickup") BETWEEN -90 AND 90 AND
      ST_X("dropoff") BETWEEN -180 AND 180 AND ST_Y("dropoff") BETWEEN -90 AND 90),
    CONSTRAINT "trips_completed_check" CHECK (("status" = 'COMPLETED') = ("completed_at" IS NOT NULL)),
    CONSTRAINT "trips_cancelled_check" CHECK (("status" = 'CANCELLED') = ("cancelled_at" IS NOT NULL))
);

CREATE UNIQUE INDEX "trips_share_token_key" ON "trips"("share_token");
CREATE INDEX "trips_tenant_id_created_at_idx" ON "trips"("tenant_id", "created_at");
CREATE INDEX "trips_vehicle_id_idx" ON "trips"("vehicle_id");
CREATE INDEX "trips_driver_id_idx" ON "trips"("driver_id");
-- At most one active (non-final) trip per vehicle: a second one is 409 CONFLICT.
CREATE UNIQUE INDEX "trips_one_active_per_vehicle" ON "trips"("vehicle_id") WHERE "status" NOT IN ('COMPLETED', 'CANCELLED');

ALTER TABLE "trips" ADD CONSTRAINT "trips_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "trips" ADD CONSTRAINT "trips_vehicle_id_fkey" FOREIGN KEY ("vehicle_id") REFERENCES "vehicles"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "trips" ADD CONSTRAINT "trips_driver_id_fkey" FOREIGN KEY ("driver_id") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE CASCADE;
ALTER TABLE "trips" ADD CONSTRAINT "trips_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
