-- A trip's optional route is one of the tenant's routes (the trips and routes tables arrived
-- side by side); deleting the route leaves the trip without one.
ALTER TABLE "trips"
  ADD CONSTRAINT "trips_route_id_fkey" FOREIGN KEY ("route_id") REFERENCES "routes"("id") ON DELETE SET NULL ON UPDATE CASCADE;
CREATE INDEX "trips_route_id_idx" ON "trips"("route_id");
