-- Domain events: one durable log of everything that happens in a tenant (docs/events.md).
-- `seq` is strictly increasing per tenant without gaps: each append takes the tenant's counter
-- row in `event_streams` (locked until commit), so events become visible in seq order and a
-- reader paging by seq never skips one committed later. `version` counts per aggregate, kept in
-- `aggregate_versions` the same way. The log is partitioned by month of `recorded_at` (append
-- time, always increasing) and whole months are dropped after EVENT_RETENTION_DAYS.
CREATE TABLE "event_streams" (
    "tenant_id" UUID NOT NULL,
    "last_seq" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "event_streams_pkey" PRIMARY KEY ("tenant_id")
);
ALTER TABLE "event_streams" ADD CONSTRAINT "event_streams_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "aggregate_versions" (
    "tenant_id" UUID NOT NULL,
    "aggregate_type" TEXT NOT NULL,
    "aggregate_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "aggregate_versions_pkey" PRIMARY KEY ("tenant_id", "aggregate_type", "aggregate_id")
);
ALTER TABLE "aggregate_versions" ADD CONSTRAINT "aggregate_versions_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "domain_events" (
    "tenant_id" UUID NOT NULL,
    "seq" BIGINT NOT NULL,
    "id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "aggregate_type" TEXT NOT NULL,
    "aggregate_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "actor" JSONB NOT NULL,
    "actor_id" TEXT,
    "correlation_id" UUID,
    "causation_id" UUID,
    "data" JSONB NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "domain_events_pkey" PRIMARY KEY ("tenant_id", "seq", "recorded_at")
) PARTITION BY RANGE ("recorded_at");

CREATE TABLE "domain_events_default" PARTITION OF "domain_events" DEFAULT;

CREATE INDEX "domain_events_id_idx" ON "domain_events" ("id");
CREATE INDEX "domain_events_aggregate_idx" ON "domain_events" ("tenant_id", "aggregate_type", "aggregate_id", "version");
CREATE INDEX "domain_events_type_at_idx" ON "domain_events" ("tenant_id", "type", "at");
CREATE INDEX "domain_events_actor_idx" ON "domain_events" ("tenant_id", "actor_id", "seq");
ALTER TABLE "domain_events" ADD CONSTRAINT "domain_events_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Webhooks: integrators' endpoints. Each delivers the tenant's log in seq order from its own
-- durable cursor (`delivered_seq`), so a restart resumes where it stopped and nothing is lost.
CREATE TABLE "webhooks" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "types" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "active" BOOLEAN NOT NULL DEFAULT true,
    "description" TEXT NOT NULL DEFAULT '',
    "secret" TEXT NOT NULL,
    "delivered_seq" BIGINT NOT NULL DEFAULT 0,
    "failing_since" TIMESTAMPTZ(3),
    "disabled_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhooks_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "webhooks_tenant_id_idx" ON "webhooks"("tenant_id");
ALTER TABLE "webhooks" ADD CONSTRAINT "webhooks_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- One row per delivery of one event to one webhook (a ping has no event), with its attempts.
CREATE TABLE "webhook_deliveries" (
    "id" UUID NOT NULL,
    "webhook_id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "event_id" UUID,
    "event_seq" BIGINT,
    "event_type" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "response_status" INTEGER,
    "response_ms" INTEGER,
    "error" TEXT,
    "next_attempt_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "webhook_deliveries_webhook_id_created_at_idx" ON "webhook_deliveries"("webhook_id", "created_at" DESC);
CREATE INDEX "webhook_deliveries_tenant_id_idx" ON "webhook_deliveries"("tenant_id");
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_webhook_id_fkey" FOREIGN KEY ("webhook_id") REFERENCES "webhooks"("id") ON DELETE CASCADE ON UPDATE CASCADE;
