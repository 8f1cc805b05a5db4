import { readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The interactive reference at /api/docs: Swagger UI from the swagger-ui-dist package, served from
 * our own origin (no CDN, works offline), plus a page of the Socket.IO events and domain events
 * rendered from /api/asyncapi.json. No inline script: the page's CSP allows 'self' scripts only.
 */
export const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self' data:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'Content-Security-Policy': DOCS_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

export const DOCS_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>GeoFleet API reference</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css"><link rel="stylesheet" href="/api/docs/docs.css">
</head><body>
<nav class="gf-nav"><strong>GeoFleet API</strong>
<a href="#rest">REST (OpenAPI 3.1)</a> <a href="#realtime">Socket.IO &amp; domain events (AsyncAPI 3.0)</a>
<a href="/api/openapi.json">openapi.json</a> <a href="/api/asyncapi.json">asyncapi.json</a></nav>
<section id="rest"><div id="swagger-ui"></div></section>
<section id="realtime" class="gf-realtime"><h2>Real-time: Socket.IO namespaces and the domain event catalogue</h2><div id="asyncapi">Loading…</div></section>
<script src="/api/docs/swagger-ui-bundle.js"></script><script src="/api/docs/init.js"></script>
</body></html>`;

const INIT_JS = `(function () {
  window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui', deepLinking: true, docExpansion: 'list', defaultModelsExpandDepth: 0, tryItOutEnabled: false, validatorUrl: null });
  function el(tag, text, cls) { var e = document.createElement(tag); if (text) e.textContent = text; if (cls) e.className = cls; return e; }
  fetch('/api/asyncapi.json').then(function (r) { return r.json(); }).then(function (doc) {
    var root = document.getElementById('asyncapi'); root.textContent = '';
    Object.keys(doc.channels).forEach(function (key) {
      var ch = doc.channels[key]; var box = el('div', null, 'gf-channel');
      box.appendChild(el('h3', ch.address)); box.appendChild(el('p', ch.description));
      Object.keys(ch.messages).forEach(function (id) {
        var m = doc.components.messages[id]; var op = doc.operations[id];
        var d = el('details'); var s = el('summary');
        s.appendChild(el('code', m.name)); s.appendChild(document.createTextNode(' ' + (op ? (op.action === 'receive' ? '(client → server) ' : '(server → client) ') : '') + m.summary));
        d.appendChild(s); d.appendChild(el('pre', JSON.stringify(m.payload, null, 2))); box.appendChild(d);
      });
      root.appendChild(box);
    });
  }).catch(function (e) { document.getElementById('asyncapi').textContent = 'Could not load /api/asyncapi.json: ' + e; });
})();`;

const DOCS_CSS = `.gf-nav{font:14px system-ui,sans-serif;padding:10px 20px;border-bottom:1px solid #ddd;display:flex;gap:16px;align-items:center}
.gf-realtime{font:14px system-ui,sans-serif;max-width:1460px;margin:0 auto;padding:0 20px 40px}
.gf-channel{border:1px solid #ddd;border-radius:6px;padding:8px 16px;margin:12px 0}
.gf-channel details{margin:4px 0}.gf-channel pre{background:#f6f6f6;padding:8px;overflow:auto;max-height:400px;font-size:12px}`;

const ASSETS: Record<string, { type: string; file?: string; text?: string }> = {
  'swagger-ui-bundle.js': { type: 'text/javascript; charset=utf-8', file: 'swagger-ui-bundle.js' },
  'swagger-ui.css': { type: 'text/css; charset=utf-8', file: 'swagger-ui.css' },
  'init.js': { type: 'text/javascript; charset=utf-8', text: INIT_JS },
  'docs.css': { type: 'text/css; charset=utf-8', text: DOCS_CSS },
};

export function docsPage(): Response {
  return new Response(DOCS_HTML, { headers: { 'Content-Type': 'text/html; charset=utf-8', ...SECURITY_HEADERS } });
}

/** One of the viewer's files, or null when there is no such asset. */
export async function docsAsset(name: string): Promise<Response | null> {
  const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name]! : null;
  if (!asset) return null;
  const body = asset.text ?? (await readFile(path.join(process.cwd(), 'node_modules', 'swagger-ui-dist', asset.file!)));
  return new Response(body, { headers: { 'Content-Type': asset.type, 'Cache-Control': 'public, max-age=3600', ...SECURITY_HEADERS } });
}
