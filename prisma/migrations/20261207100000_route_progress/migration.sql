-- Route progress: a route's stops (in order, each {name, position: [lng, lat]}; snapped onto the
-- line in memory), and the route_deviation alert a vehicle leaving its route raises.

ALTER TABLE "routes" ADD COLUMN "stops" JSONB NOT NULL DEFAULT '[]';

ALTER TYPE "AlertType" ADD VALUE IF NOT EXISTS 'route_deviation';
