-- Routes (REST /api/v1/routes) and which vehicle drives which route.
--
-- A route is one LineString in 4326, as drawn or imported. Its length in meters on the WGS 84
-- spheroid is computed by PostGIS (generated column, so it can never disagree with the line).
-- Snapping (later) loads the lines into memory (vertices + cumulative length) and keeps PostGIS
-- for cross-checks and for "routes near a point" through the GIST index.
CREATE TABLE "routes" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "color" TEXT NOT NULL DEFAULT '#2563eb',
    "geom" geometry(LineString, 4326) NOT NULL,
    "length_m" DOUBLE PRECISION GENERATED ALWAYS AS (ST_Length("geom"::geography)) STORED,
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "routes_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "routes_color_check" CHECK ("color" ~ '^#[0-9a-f]{6}$')
);

CREATE INDEX "routes_tenant_id_idx" ON "routes"("tenant_id");
CREATE INDEX "routes_geom_idx" ON "routes" USING GIST ("geom");

ALTER TABLE "routes" ADD CONSTRAINT "routes_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TRIGGER "routes_valid_geom" BEFORE INSERT OR UPDATE OF "geom" ON "routes"
  FOR EACH ROW EXECUTE FUNCTION geofleet_assert_valid_geometry();

-- A vehicle drives at most one route (primary key on the vehicle). Deleting the route or the
-- vehicle removes the assignment. The row is where snapping will keep per-vehicle progress.
CREATE TABLE "route_assignments" (
    "vehicle_id" UUID NOT NULL,
    "route_id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "assigned_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "route_assignments_pkey" PRIMARY KEY ("vehicle_id")
);

CREATE INDEX "route_assignments_route_id_idx" ON "route_assignments"("route_id");
CREATE INDEX "route_assignments_tenant_id_idx" ON "route_assignments"("tenant_id");

ALTER TABLE "route_assignments" ADD CONSTRAINT "route_assignments_vehicle_id_fkey" FOREIGN KEY ("vehicle_id") REFERENCES "vehicles"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "route_assignments" ADD CONSTRAINT "route_assignments_route_id_fkey" FOREIGN KEY ("route_id") REFERENCES "routes"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "route_assignments" ADD CONSTRAINT "route_assignments_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
