-- Admin console and sessions (docs/admin.md).

-- A deactivated user cannot sign in, and every token of theirs stops working at once. Tokens
-- issued before sessions_valid_after are refused (a role change, a password reset, deactivation).
ALTER TABLE "users"
  ADD COLUMN "active" BOOLEAN NOT NULL DEFAULT true,
  ADD COLUMN "sessions_valid_after" TIMESTAMPTZ(3);

-- The tenant's time zone (IANA name): the default for fences and reports.
ALTER TABLE "tenants" ADD COLUMN "time_zone" TEXT NOT NULL DEFAULT 'UTC';

-- Vehicle groups ("North depot"): a name per vehicle, a filter on the map and in the console.
ALTER TABLE "vehicles" ADD COLUMN "group_name" TEXT;
CREATE INDEX "vehicles_tenant_id_group_name_idx" ON "vehicles" ("tenant_id", "group_name");

-- Refresh tokens (httpOnly cookie): only their SHA-256 is stored. Each use rotates the token
-- (the old row is marked replaced); a replaced token used again revokes its whole family
-- (theft detection); logout revokes.
CREATE TABLE "refresh_tokens" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "family_id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "replaced_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    CONSTRAINT "refresh_tokens_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "refresh_tokens_token_hash_key" ON "refresh_tokens" ("token_hash");
CREATE INDEX "refresh_tokens_user_id_idx" ON "refresh_tokens" ("user_id");
CREATE INDEX "refresh_tokens_family_id_idx" ON "refresh_tokens" ("family_id");
ALTER TABLE "refresh_tokens" ADD CONSTRAINT "refresh_tokens_user_id_fkey"
  FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
