-- Position history is read by vehicle and time (history, trips, replay, reports: the primary key
-- (vehicle_id, ts)) and by tenant and time; no query searches it by place (live spatial queries
-- read vehicle_states, which keeps its GiST index). Maintaining a GiST index on every stored
-- position nearly doubled the cost of each insert (7.2 → 13.6 µs a row here), on the path every
-- position takes. Dropping the parent's index drops it on every partition.
DROP INDEX IF EXISTS "position_history_geom_idx";
