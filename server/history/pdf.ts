import { ApiError } from '../protocol/errors';
import { SUMMARY_ROW_LABEL, type SummaryDay, type SummaryGroupBy, type SummaryRow } from '../protocol/reports';
import { xmlEscape } from './export';

/**
 * The summary report as a PDF, rendered on the server: our own HTML page (table, totals and the
 * distance-per-day chart) printed by headless Chromium through playwright-core (loaded only when
 * a PDF is asked for). One browser at a time; each PDF opens and closes its own page.
 */
export interface SummaryDocument {
  title: string;
  subtitle: string;
  groupBy: SummaryGroupBy;
  rows: SummaryRow[];
  totals: Record<string, number>;
  days: SummaryDay[];
}

const km = (m: number) => (m / 1000).toLocaleString('en', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const hm = (s: number) => {
  const m = Math.round(s / 60);
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')}`;
};

/** The printable page (self-contained HTML: no scripts, no external requests). */
export function summaryHtml(doc: SummaryDocument): string {
  const max = Math.max(1, ...doc.days.map((d) => d.distanceM / 1000));
  const bw = doc.days.length > 0 ? 680 / doc.days.length : 0;
  const bars = doc.days
    .map((d, i) => {
      const h = ((d.distanceM / 1000) / max) * 110;
      const label = doc.days.length <= 31 || i % Math.ceil(doc.days.length / 31) === 0 ? `<text x="${40 + i * bw + bw / 2}" y="138" font-size="8" text-anchor="middle">${d.day.slice(8)}</text>` : '';
      return `<rect x="${40 + i * bw + bw * 0.15}" y="${120 - h}" width="${bw * 0.7}" height="${h}" fill="#10b981"/>${label}`;
    })
    .join('');
  const cells = (r: SummaryRow) =>
    [xmlEscape(r.name), r.trips, km(r.distanceM), hm(r.drivingS), hm(r.idleS), r.maxSpeedKmh, r.avgSpeedKmh, r.stops, r.visits, r.alerts, r.drivingEvents]
      .map((c, i) => `<td${i > 0 ? ' class="n"' : ''}>${c}</td>`)
      .join('');
  const t = doc.totals;
  return `<!doctype html><html><head><meta charset="utf-8"><title>${xmlEscape(doc.title)}</title><style>
body{font:11px system-ui,sans-serif;color:#0f172a;margin:24px}h1{font-size:18px;margin:0}p{color:#475569;margin:2px 0 12px}
table{border-collapse:collapse;width:100%}th,td{padding:3px 6px;border-bottom:1px solid #e2e8f0;text-align:left}th{font-size:10px;color:#475569}
.n{text-align:right;font-variant-numeric:tabular-nums}tfoot td{font-weight:600;border-top:2px solid #94a3b8}tr{break-inside:avoid}
</style></head><body>
<h1>${xmlEscape(doc.title)}</h1><p>${xmlEscape(doc.subtitle)}</p>
${doc.days.length > 0 ? `<svg width="720" height="145" role="img" aria-label="Distance per day"><text x="0" y="10" font-size="9" fill="#475569">km per day (max ${km(max * 1000)})</text>${bars}</svg>` : ''}
<table><thead><tr><th>${SUMMARY_ROW_LABEL[doc.groupBy]}</th><th class="n">Journeys</th><th class="n">Distance (km)</th><th class="n">Driving</th><th class="n">Idle</th><th class="n">Max km/h</th><th class="n">Avg km/h</th><th class="n">Stops</th><th class="n">Fence visits</th><th class="n">Alerts</th><th class="n">Driving events</th></tr></thead>
<tbody>${doc.rows.map((r) => `<tr>${cells(r)}</tr>`).join('')}</tbody>
<tfoot><tr><td>Total</td><td class="n">${t.trips ?? 0}</td><td class="n">${km(t.distanceM ?? 0)}</td><td class="n">${hm(t.drivingS ?? 0)}</td><td class="n">${hm(t.idleS ?? 0)}</td><td class="n">${t.maxSpeedKmh ?? 0}</td><td class="n">${t.avgSpeedKmh ?? 0}</td><td class="n">${t.stops ?? 0}</td><td class="n">${t.visits ?? 0}</td><td class="n">${t.alerts ?? 0}</td><td class="n">${t.drivingEvents ?? 0}</td></tr></tfoot>
</table></body></html>`;
}

type Launch = (options: { executablePath: string; args: string[] }) => Promise<{
  newPage(): Promise<{ setContent(html: string, o: { waitUntil: 'load' }): Promise<void>; pdf(o: Record<string, unknown>): Promise<Buffer>; close(): Promise<void> }>;
  close(): Promise<void>;
}>;

let queue: Promise<unknown> = Promise.resolve();

/** Prints the page to an A4 landscape PDF with headless Chromium at `chromiumPath`; one at a time. */
export function renderPdf(html: string, chromiumPath: string): Promise<Buffer> {
  const run = queue.catch(() => undefined).then(async () => {
    let launch: Launch;
    try {
      const mod = (await import('playwright-core')) as unknown as { chromium: { launch: Launch } };
      launch = mod.chromium.launch.bind(mod.chromium);
    } catch {
      throw new ApiError('UNAVAILABLE', 'PDF export needs playwright-core on the server');
    }
    let browser: Awaited<ReturnType<Launch>>;
    try {
      browser = await launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'] });
    } catch (error) {
      throw new ApiError('UNAVAILABLE', `PDF export needs Chromium at ${chromiumPath} (REPORT_PDF_CHROMIUM): ${(error as Error).message.split('\n')[0]}`);
    }
    try {
      const page = await browser.newPage();
      await page.setContent(html, { waitUntil: 'load' });
      return await page.pdf({ format: 'A4', landscape: true, printBackground: true, margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' } });
    } finally {
      await browser.close();
    }
  });
  queue = run;
  return run;
}
