import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The custom server (server/index.ts) owns the HTTP listener; Next only renders.
  serverExternalPackages: ['pino', 'pg', '@prisma/client', '@prisma/adapter-pg', '@electric-sql/pglite'],
  typescript: { ignoreBuildErrors: false },
};

export default nextConfig;
