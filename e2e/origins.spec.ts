import { expect, test, type Page } from '@playwright/test';

/**
 * ALLOWED_ORIGINS in a real browser: a page served from another origin cannot open a socket to
 * /fleet (the browser sends its Origin, the handshake is refused) nor read the REST API, while
 * our own pages can. The foreign page is fulfilled by Playwright under http://elsewhere.test.
 */
const probe = (page: Page, base: string) =>
  page.evaluate(async (base) => {
    const ws = await new Promise<string>((resolve) => {
      const socket = new WebSocket(`${base.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
      socket.onopen = () => (socket.close(), resolve('open'));
      socket.onerror = () => resolve('refused');
    });
    const rest = await fetch(`${base}/api/health`).then(
      (r) => String(r.status),
      () => 'blocked',
    );
    return { ws, rest };
  }, base);

test('a page from another origin cannot open /fleet or read the API; our own page can', async ({ page, baseURL }) => {
  await page.route('http://elsewhere.test/**', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>elsewhere</title>' }));
  await page.goto('http://elsewhere.test/');
  expect(await probe(page, baseURL!)).toEqual({ ws: 'refused', rest: 'blocked' });

  await page.goto('/login');
  expect(await probe(page, baseURL!)).toEqual({ ws: 'open', rest: '200' });
});
