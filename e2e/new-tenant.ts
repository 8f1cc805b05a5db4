/** The empty tenant scripts/e2e-server.ts creates for the admin console journey: a new customer. */
export const E2E_NEW_TENANT = {
  name: 'Harbor Couriers',
  slug: 'harbor',
  admin: { email: 'admin@harbor.example', password: 'harbor-admin-pw', name: 'Hana Harbor' },
};
