-- Deleting an alert hides it at once and keeps the row for ALERT_UNDO_SECONDS, so the person who
-- deleted it can undo; the service (and the expiry sweep, after a restart) then deletes it for good.
ALTER TABLE alerts ADD COLUMN deleted_at timestamptz(3);
CREATE INDEX alerts_deleted_at_idx ON alerts (deleted_at) WHERE deleted_at IS NOT NULL;
