/**
 * Security headers of the pages (next.config.ts). The CSP allows what the live map needs: the
 * MapLibre worker from /public ('self') and blob: workers, data:/blob: images, inline styles
 * (MapLibre and React set style attributes), and Next's inline bootstrap scripts. connect-src and
 * img-src allow https: so an external MAP_STYLE_URL (chosen at run time, while these headers are
 * fixed at build time) keeps working; frames, plugins and foreign form targets are refused.
 */
export function pageContentSecurityPolicy(dev: boolean): string {
  return [
    "default-src 'self'",
    // Next inlines its bootstrap; React's dev build evaluates source maps.
    `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: https:",
    "font-src 'self' data:",
    `connect-src 'self' https:${dev ? ' ws: wss:' : ''}`,
    "worker-src 'self' blob:",
    "child-src 'self' blob:",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');
}

export function securityHeaders(dev: boolean): Array<{ source: string; headers: Array<{ key: string; value: string }> }> {
  return [
    {
      // Pages (not /api: JSON needs no CSP, and /api/docs sends its own, stricter one).
      source: '/((?!api/).*)',
      headers: [
        { key: 'Content-Security-Policy', value: pageContentSecurityPolicy(dev) },
        { key: 'X-Frame-Options', value: 'DENY' },
        // The rider page carries its share token in the URL: never send it to another origin.
        { key: 'Referrer-Policy', value: 'same-origin' },
        { key: 'Permissions-Policy', value: 'geolocation=(self), camera=(), microphone=(), payment=()' },
      ],
    },
    { source: '/:path*', headers: [{ key: 'X-Content-Type-Options', value: 'nosniff' }] },
  ];
}
