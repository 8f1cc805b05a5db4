import type { NextConfig } from 'next';
import { securityHeaders } from './server/http/security-headers';

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The custom server (server/index.ts) owns the HTTP listener; Next only renders.
  serverExternalPackages: ['pino', 'pg', '@prisma/client', '@prisma/adapter-pg', '@electric-sql/pglite'],
  typescript: { ignoreBuildErrors: false },
  // CSP, frame-ancestors, referrer policy, nosniff (server/http/security-headers.ts).
  headers: async () => securityHeaders(process.env.NODE_ENV !== 'production'),
};

export default nextConfig;
