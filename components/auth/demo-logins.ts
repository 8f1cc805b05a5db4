import type { Role } from '@/server/protocol/auth';

/** Accounts the server seeds in demo mode. */
export const DEMO_LOGINS: ReadonlyArray<{ role: Role; email: string; password: string }> = [
  { role: 'manager', email: 'manager@demo.geofleet.dev', password: 'demo-manager' },
  { role: 'admin', email: 'admin@demo.geofleet.dev', password: 'demo-admin' },
  { role: 'viewer', email: 'viewer@demo.geofleet.dev', password: 'demo-viewer' },
  { role: 'driver', email: 'driver@demo.geofleet.dev', password: 'demo-driver' },
];
