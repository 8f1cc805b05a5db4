-- A tenant's alert rules (server/alerts/policy.ts): one row per tenant that changed the defaults.
-- `rules`, `quiet_hours` and `flood` are validated by server/protocol/alert-rules.ts.
CREATE TABLE alert_rules (
  tenant_id   uuid PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
  rules       jsonb NOT NULL DEFAULT '[]',
  quiet_hours jsonb,
  flood       jsonb NOT NULL,
  updated_at  timestamptz(3) NOT NULL DEFAULT now(),
  updated_by  uuid REFERENCES users(id) ON DELETE SET NULL
);

-- Snoozes: alerts about one fence, or of one type, are not raised until `until`.
CREATE TABLE alert_snoozes (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id   uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  geofence_id uuid REFERENCES geofences(id) ON DELETE CASCADE,
  alert_type  "AlertType",
  until       timestamptz(3) NOT NULL,
  created_by  uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at  timestamptz(3) NOT NULL DEFAULT now(),
  CHECK ((geofence_id IS NULL) <> (alert_type IS NULL))
);
CREATE INDEX alert_snoozes_tenant_until_idx ON alert_snoozes (tenant_id, until);
CREATE INDEX alert_snoozes_geofence_id_idx ON alert_snoozes (geofence_id);
CREATE INDEX alert_rules_updated_by_idx ON alert_rules (updated_by);
CREATE INDEX alert_snoozes_created_by_idx ON alert_snoozes (created_by);
