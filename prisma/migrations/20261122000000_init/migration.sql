-- GeoFleet foundation: tenants, users, vehicles and their current state.
CREATE EXTENSION IF NOT EXISTS postgis;

-- Rejects invalid geometry with PostGIS's reason and location (e.g. "Self-intersection[1 2]").
-- Attach to any table with a `geom` column: BEFORE INSERT OR UPDATE OF geom.
CREATE OR REPLACE FUNCTION geofleet_assert_valid_geometry() RETURNS trigger AS $$
BEGIN
  IF NEW.geom IS NOT NULL THEN
    IF ST_SRID(NEW.geom) <> 4326 THEN
      RAISE EXCEPTION 'invalid geometry: SRID must be 4326, got %', ST_SRID(NEW.geom)
        USING ERRCODE = '22023';
    END IF;
    IF NOT ST_IsValid(NEW.geom) THEN
      RAISE EXCEPTION 'invalid geometry: %', ST_IsValidReason(NEW.geom) USING ERRCODE = '22023';
    END IF;
    IF ST_XMin(NEW.geom) < -180 OR ST_XMax(NEW.geom) > 180 OR ST_YMin(NEW.geom) < -90 OR ST_YMax(NEW.geom) > 90 THEN
      RAISE EXCEPTION 'invalid geometry: coordinates out of range (longitude -180..180, latitude -90..90)'
        USING ERRCODE = '22023';
    END IF;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('admin', 'manager', 'driver', 'viewer');

-- CreateTable
CREATE TABLE "tenants" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "reception_enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tenants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "vehicles" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "plate" TEXT,
    "type" TEXT NOT NULL DEFAULT 'van',
    "device_id" TEXT NOT NULL,
    "device_token" TEXT NOT NULL,
    "driver_id" UUID,
    "reception_enabled" BOOLEAN NOT NULL DEFAULT true,
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "vehicles_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "vehicle_states" (
    "vehicle_id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "geom" geometry(Point, 4326),
    "speed" DOUBLE PRECISION,
    "heading" DOUBLE PRECISION,
    "accuracy" DOUBLE PRECISION,
    "altitude" DOUBLE PRECISION,
    "battery" DOUBLE PRECISION,
    "ts" TIMESTAMPTZ(3),
    "received_at" TIMESTAMPTZ(3),

    CONSTRAINT "vehicle_states_pkey" PRIMARY KEY ("vehicle_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "tenants_slug_key" ON "tenants"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE INDEX "users_tenant_id_idx" ON "users"("tenant_id");

-- CreateIndex
CREATE UNIQUE INDEX "vehicles_device_token_key" ON "vehicles"("device_token");

-- CreateIndex
CREATE INDEX "vehicles_tenant_id_idx" ON "vehicles"("tenant_id");

-- CreateIndex
CREATE UNIQUE INDEX "vehicles_tenant_id_device_id_key" ON "vehicles"("tenant_id", "device_id");

-- CreateIndex
CREATE INDEX "vehicle_states_geom_idx" ON "vehicle_states" USING GIST ("geom");

-- CreateIndex
CREATE INDEX "vehicle_states_tenant_id_idx" ON "vehicle_states"("tenant_id");

-- AddForeignKey
ALTER TABLE "users" ADD CONSTRAINT "users_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vehicles" ADD CONSTRAINT "vehicles_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vehicles" ADD CONSTRAINT "vehicles_driver_id_fkey" FOREIGN KEY ("driver_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vehicle_states" ADD CONSTRAINT "vehicle_states_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vehicle_states" ADD CONSTRAINT "vehicle_states_vehicle_id_fkey" FOREIGN KEY ("vehicle_id") REFERENCES "vehicles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Geometry validation in the database
CREATE TRIGGER "vehicle_states_valid_geom" BEFORE INSERT OR UPDATE OF "geom" ON "vehicle_states"
  FOR EACH ROW EXECUTE FUNCTION geofleet_assert_valid_geometry();
