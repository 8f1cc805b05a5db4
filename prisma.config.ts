import { defineConfig } from 'prisma/config';

// Used by the Prisma CLI only (generate, and `migrate deploy` for users who have the CLI's
// engines). The server itself applies prisma/migrations at start-up (server/db/migrate.ts).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/geofleet' },
});
