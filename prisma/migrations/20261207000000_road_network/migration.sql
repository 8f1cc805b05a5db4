-- A tenant's road network and map data, imported from OpenStreetMap (or GeoJSON).
--
-- One import replaces all four tables' rows for the tenant in one transaction: a refused file
-- leaves the previous network as it was. road_segments feed the routing graph (built in memory
-- at start-up), the street-level basemap and reverse geocoding; map_features the basemap's
-- water, parks, landuse, buildings and place labels; addresses the address search.

CREATE TABLE "road_networks" (
    "tenant_id" UUID NOT NULL,
    "source" TEXT NOT NULL,
    "imported_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    -- {ways, segments, kmByClass: {motorway: 12.3, …}, features, addresses, bbox: [w, s, e, n]}
    "summary" JSONB NOT NULL,
    -- The extent of the roads, for fitting maps and ranking search results by proximity.
    "bbox" geometry(Polygon, 4326),

    CONSTRAINT "road_networks_pkey" PRIMARY KEY ("tenant_id")
);

ALTER TABLE "road_networks" ADD CONSTRAINT "road_networks_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- One row per OSM way piece between junctions or as imported (a way may be split): the
-- routing graph makes its nodes at shared vertices.
CREATE TABLE "road_segments" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" UUID NOT NULL,
    "way_id" BIGINT,
    "name" TEXT,
    "ref" TEXT,
    -- OSM highway value: motorway, trunk, primary, secondary, tertiary, unclassified,
    -- residential, service, living_street, *_link, …
    "class" TEXT NOT NULL,
    -- Posted limit in km/h ("25 mph" → 40.2); NULL when unknown (the graph uses the class default).
    "maxspeed_kmh" REAL,
    -- 0 both ways, 1 only in the line's direction, -1 only against it ("oneway=-1").
    "oneway" SMALLINT NOT NULL DEFAULT 0,
    "geom" geometry(LineString, 4326) NOT NULL,
    "length_m" DOUBLE PRECISION GENERATED ALWAYS AS (ST_Length("geom"::geography)) STORED,

    CONSTRAINT "road_segments_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "road_segments_oneway_check" CHECK ("oneway" IN (-1, 0, 1))
);

CREATE INDEX "road_segments_tenant_id_idx" ON "road_segments"("tenant_id");
CREATE INDEX "road_segments_geom_idx" ON "road_segments" USING GIST ("geom");

ALTER TABLE "road_segments" ADD CONSTRAINT "road_segments_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Everything else the basemap draws: layer water | park | landuse | building | place | poi,
-- kind the OSM value (riverbank, harbour, grass, city, suburb, restaurant, …).
CREATE TABLE "map_features" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" UUID NOT NULL,
    "layer" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT,
    "geom" geometry(Geometry, 4326) NOT NULL,

    CONSTRAINT "map_features_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "map_features_tenant_layer_idx" ON "map_features"("tenant_id", "layer");
CREATE INDEX "map_features_geom_idx" ON "map_features" USING GIST ("geom");

ALTER TABLE "map_features" ADD CONSTRAINT "map_features_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- House addresses (addr:*) as points (a building's address at its centroid).
CREATE TABLE "addresses" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" UUID NOT NULL,
    "housenumber" TEXT,
    "street" TEXT,
    "postcode" TEXT,
    "city" TEXT,
    -- The named place at that address, if any (a shop, a school).
    "name" TEXT,
    "geom" geometry(Point, 4326) NOT NULL,

    CONSTRAINT "addresses_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "addresses_tenant_id_idx" ON "addresses"("tenant_id");
CREATE INDEX "addresses_geom_idx" ON "addresses" USING GIST ("geom");

ALTER TABLE "addresses" ADD CONSTRAINT "addresses_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
