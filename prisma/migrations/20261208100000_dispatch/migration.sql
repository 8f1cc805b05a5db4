-- Dispatch (server/dispatch, docs/dispatch.md): requests and their decisions, and per-tenant
-- scoring weights. Every state a request is in lives here, so a restart resumes where it was:
-- QUEUED and due ones are decided, DEFERRED ones retried at retry_at, OFFERED ones expire at
-- offer_expires_at and pass to the next candidate.
CREATE TABLE "dispatch_requests" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "priority" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'QUEUED',
    "service_type" TEXT NOT NULL,
    "emergency_type" TEXT,
    "severity" INTEGER,
    "location" geometry(Point, 4326) NOT NULL,
    "location_label" TEXT NOT NULL,
    "location_source" TEXT NOT NULL,
    "dropoff" geometry(Point, 4326),
    "dropoff_label" TEXT,
    "dropoff_source" TEXT,
    "capabilities" TEXT[] NOT NULL DEFAULT '{}',
    "capacity" INTEGER,
    "estimated_duration_min" INTEGER,
    "notes" TEXT,
    "scheduled_time" TIMESTAMPTZ(3),
    "window_min" INTEGER,
    -- Recurring scheduled requests: the RRULE, the series' first time, and whether this
    -- occurrence has queued the next one yet.
    "recurrence" TEXT,
    "series_start" TIMESTAMPTZ(3),
    "rolled_forward" BOOLEAN NOT NULL DEFAULT false,
    "dispatch_at" TIMESTAMPTZ(3) NOT NULL,
    "vehicle_id" UUID,
    "trip_id" UUID,
    "offer_expires_at" TIMESTAMPTZ(3),
    "eta_s" DOUBLE PRECISION,
    "distance_m" DOUBLE PRECISION,
    "score" DOUBLE PRECISION,
    "route" JSONB,
    "reason" TEXT,
    "retry_at" TIMESTAMPTZ(3),
    "declined_vehicle_ids" UUID[] NOT NULL DEFAULT '{}',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "created_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "dispatch_requests_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "dispatch_requests_kind_check" CHECK ("kind" IN ('service', 'emergency', 'scheduled')),
    CONSTRAINT "dispatch_requests_priority_check" CHECK ("priority" IN ('low', 'normal', 'high', 'emergency')),
    CONSTRAINT "dispatch_requests_status_check" CHECK ("status" IN ('QUEUED', 'OFFERED', 'ASSIGNED', 'DEFERRED', 'REJECTED', 'CANCELLED'))
);
ALTER TABLE "dispatch_requests" ADD CONSTRAINT "dispatch_requests_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "dispatch_requests" ADD CONSTRAINT "dispatch_requests_vehicle_id_fkey" FOREIGN KEY ("vehicle_id") REFERENCES "vehicles"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "dispatch_requests" ADD CONSTRAINT "dispatch_requests_trip_id_fkey" FOREIGN KEY ("trip_id") REFERENCES "trips"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "dispatch_requests" ADD CONSTRAINT "dispatch_requests_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
CREATE INDEX "dispatch_requests_tenant_created_idx" ON "dispatch_requests" ("tenant_id", "created_at");
-- The scheduler's scan: open requests only.
CREATE INDEX "dispatch_requests_open_idx" ON "dispatch_requests" ("status", "dispatch_at") WHERE "status" IN ('QUEUED', 'OFFERED', 'DEFERRED');
-- At most one open offer or accepted job per vehicle that has not started is enforced by the service.

-- Scoring weights per tenant (null row: the seed's defaults).
CREATE TABLE "dispatch_settings" (
    "tenant_id" UUID NOT NULL,
    "weights" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "dispatch_settings_pkey" PRIMARY KEY ("tenant_id")
);
ALTER TABLE "dispatch_settings" ADD CONSTRAINT "dispatch_settings_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
