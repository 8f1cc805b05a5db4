-- Driving behaviour (server/driving, docs/events.md driving.*): the phone's sensor vectors are
-- kept with each position, a `driver_event` alert type, and daily score counters.

-- Accelerometer (m/s²) and gyroscope (rad/s) in the device's axes, null when not sent.
ALTER TABLE "position_history"
  ADD COLUMN "accel_x" REAL, ADD COLUMN "accel_y" REAL, ADD COLUMN "accel_z" REAL,
  ADD COLUMN "gyro_x" REAL, ADD COLUMN "gyro_y" REAL, ADD COLUMN "gyro_z" REAL;

ALTER TYPE "AlertType" ADD VALUE IF NOT EXISTS 'driver_event';

-- Which driving events raise a driver_event alert, per tenant (null: the default list).
ALTER TABLE "tenants" ADD COLUMN "driving_settings" JSONB;

-- Counters per day (UTC) and per driver or vehicle, added to incrementally (never rescanned);
-- the 0–100 score is computed from them on read (server/driving/score.ts).
CREATE TABLE "driving_days" (
    "tenant_id" UUID NOT NULL,
    "subject_kind" TEXT NOT NULL,
    "subject_id" UUID NOT NULL,
    "day" DATE NOT NULL,
    "distance_m" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "driving_s" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "speeding_s" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "idle_s" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "harsh_brake" INTEGER NOT NULL DEFAULT 0,
    "harsh_acceleration" INTEGER NOT NULL DEFAULT 0,
    "harsh_corner" INTEGER NOT NULL DEFAULT 0,
    "speeding" INTEGER NOT NULL DEFAULT 0,
    "idle" INTEGER NOT NULL DEFAULT 0,
    "possible_collision" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "driving_days_pkey" PRIMARY KEY ("tenant_id", "subject_kind", "subject_id", "day"),
    CONSTRAINT "driving_days_subject_kind" CHECK ("subject_kind" IN ('driver', 'vehicle'))
);
CREATE INDEX "driving_days_tenant_day_idx" ON "driving_days" ("tenant_id", "day");
ALTER TABLE "driving_days" ADD CONSTRAINT "driving_days_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
