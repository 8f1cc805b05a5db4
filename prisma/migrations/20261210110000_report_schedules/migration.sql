-- Scheduled reports (server/protocol/report-schedules.ts, docs/reports.md): a report with its
-- filters made daily or weekly at a UTC hour for the period just ended; each made file is kept
-- in report_files (behind a signed link) until expires_at, and the schedule's last delivery is
-- kept on the schedule.
CREATE TABLE report_schedules (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  name text NOT NULL,
  report text NOT NULL,
  format text NOT NULL,
  cadence text NOT NULL CHECK (cadence IN ('daily', 'weekly')),
  weekday smallint CHECK (weekday BETWEEN 1 AND 7),
  hour smallint NOT NULL CHECK (hour BETWEEN 0 AND 23),
  filters jsonb NOT NULL DEFAULT '{}',
  emails text[] NOT NULL DEFAULT '{}',
  active boolean NOT NULL DEFAULT true,
  next_run_at timestamptz(3),
  last_delivery jsonb,
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX report_schedules_tenant_id_idx ON report_schedules (tenant_id);
CREATE INDEX report_schedules_due_idx ON report_schedules (next_run_at) WHERE active;
CREATE INDEX report_schedules_created_by_idx ON report_schedules (created_by);

CREATE TABLE report_files (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  schedule_id uuid REFERENCES report_schedules(id) ON DELETE SET NULL,
  file_name text NOT NULL,
  content_type text NOT NULL,
  content bytea NOT NULL,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  expires_at timestamptz(3) NOT NULL
);
CREATE INDEX report_files_tenant_id_idx ON report_files (tenant_id);
CREATE INDEX report_files_schedule_id_idx ON report_files (schedule_id);
CREATE INDEX report_files_expires_at_idx ON report_files (expires_at);
