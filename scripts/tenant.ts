/**
 * Operator tool: create a tenant with its first admin, against the configured database
 * (DATABASE_URL, or the embedded one in DATA_DIR — stop the server first when embedded).
 *
 *   npm run tenant -- create --name "Acme Freight" --slug acme \
 *       --admin-email ops@acme.example --admin-password '…' [--admin-name "Ops"]
 */
import { parseArgs } from 'node:util';
import { parseConfig } from '../server/config';
import { openDatabase } from '../server/db/database';
import { createLogger } from '../server/log';
import { parseOrThrow } from '../server/protocol/errors';
import { createTenantRequest } from '../server/protocol/users';
import { createTenant } from '../server/tenants/create-tenant';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    name: { type: 'string' },
    slug: { type: 'string' },
    'admin-email': { type: 'string' },
    'admin-password': { type: 'string' },
    'admin-name': { type: 'string', default: 'Administrator' },
  },
});

async function main(): Promise<void> {
  if (positionals[0] !== 'create') throw new Error('usage: npm run tenant -- create --name N --slug S --admin-email E --admin-password P');
  const input = parseOrThrow(createTenantRequest, {
    name: values.name,
    slug: values.slug,
    admin: { email: values['admin-email'], password: values['admin-password'], name: values['admin-name'] },
  });
  const config = parseConfig();
  const db = await openDatabase(config, createLogger('warn', false));
  try {
    const created = await createTenant(db.prisma, input);
    console.log(JSON.stringify({ ...created, slug: input.slug, adminEmail: input.admin.email }));
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(`tenant: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
