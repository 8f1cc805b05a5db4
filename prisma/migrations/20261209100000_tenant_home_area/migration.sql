-- A tenant's home area (server/protocol/home-area.ts): [west, south, east, north] as set in the
-- admin console's tenant settings. Every map opens on it; trip and dispatch points far outside it
-- are refused. NULL: not set (maps open on the road network's extent, points are not checked).
ALTER TABLE tenants ADD COLUMN home_area jsonb;
