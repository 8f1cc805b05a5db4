import { PassThrough, Readable } from 'node:stream';
import { csvCell } from './csv';
import * as ExcelJSModule from 'exceljs';

export { csvCell, isoSeconds } from './csv';

// exceljs is CommonJS: under Node's ESM loader its API is the namespace's `default`.
const ExcelJS = ((ExcelJSModule as unknown as { default?: typeof ExcelJSModule }).default ?? ExcelJSModule) as typeof ExcelJSModule;

/**
 * Report files, streamed: rows come in pages (keyset reads) and leave as bytes while the next
 * page is read, so a 100k-row export holds one page in memory, not the file. CSV is written
 * here (RFC 4180); XLSX by exceljs's streaming WorkbookWriter; GPX and KML tracks as text.
 */
export interface Column<R> {
  header: string;
  value: (row: R) => string | number | Date | null;
  /** XLSX column width in characters. */
  width?: number;
}

const encoder = new TextEncoder();

/** A pull-based byte stream of text produced on demand (backpressure: nothing is read ahead). */
export function textStream(parts: AsyncIterable<string>): ReadableStream<Uint8Array> {
  const it = parts[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await it.next();
        if (done) controller.close();
        else controller.enqueue(encoder.encode(value));
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await it.return?.();
    },
  });
}

export async function* csvLines<R>(columns: readonly Column<R>[], pages: AsyncIterable<R[]>): AsyncGenerator<string> {
  // A byte-order mark so spreadsheet programs read UTF-8 names correctly.
  yield `\uFEFF${columns.map((c) => csvCell(c.header)).join(',')}\r\n`;
  for await (const page of pages) {
    if (page.length === 0) continue;
    let chunk = '';
    for (const row of page) chunk += `${columns.map((c) => csvCell(c.value(row))).join(',')}\r\n`;
    yield chunk;
  }
}

export function csvStream<R>(columns: readonly Column<R>[], pages: AsyncIterable<R[]>): ReadableStream<Uint8Array> {
  return textStream(csvLines(columns, pages));
}

/** Bytes exceljs may have produced and the client not yet taken before reading more rows waits. */
const XLSX_BUFFER_BYTES = 4 * 1024 * 1024;

/**
 * An XLSX workbook of one sheet, streamed: exceljs's WorkbookWriter commits each row as it is
 * added (no shared strings, so nothing grows with the row count), and reading the next page of
 * rows waits while the client is behind.
 */
export function xlsxStream<R>(sheetName: string, columns: readonly Column<R>[], pages: AsyncIterable<R[]>, totals?: R): ReadableStream<Uint8Array> {
  const out = new PassThrough({ highWaterMark: 256 * 1024 });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'GeoFleet';
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c, i) => ({ header: c.header, key: `c${i}`, width: c.width ?? 16 }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  const behind = () => out.readableLength + out.writableLength > XLSX_BUFFER_BYTES;
  const produce = async () => {
    try {
      for await (const page of pages) {
        for (const row of page) {
          const cells = columns.map((c) => c.value(row));
          const added = sheet.addRow(cells);
          cells.forEach((v, i) => {
            if (v instanceof Date) added.getCell(i + 1).numFmt = 'yyyy-mm-dd hh:mm:ss';
          });
          added.commit();
        }
        while (behind()) await new Promise((resolve) => setTimeout(resolve, 5));
      }
      if (totals) {
        const row = sheet.addRow(columns.map((c) => c.value(totals)));
        row.font = { bold: true };
        row.commit();
      }
      sheet.commit();
      await workbook.commit();
    } catch (error) {
      out.destroy(error as Error);
    }
  };
  void produce();
  return Readable.toWeb(out) as unknown as ReadableStream<Uint8Array>;
}

export function xmlEscape(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** One journey's track: its positions in time order. */
export interface Track {
  vehicleName: string;
  name: string;
  description: string;
  points: Array<{ ts: number; lng: number; lat: number; altitude: number | null; speedKmh: number | null }>;
}

/** GPX 1.1: one <trk> per journey (named after the vehicle and its start), one segment. */
export async function* gpxLines(tracks: AsyncIterable<Track>): AsyncGenerator<string> {
  yield '<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="GeoFleet" xmlns="http://www.topografix.com/GPX/1/1">\n';
  for await (const t of tracks) {
    let s = `<trk><name>${xmlEscape(t.name)}</name><desc>${xmlEscape(t.description)}</desc><trkseg>\n`;
    for (const p of t.points) {
      s += `<trkpt lat="${p.lat.toFixed(7)}" lon="${p.lng.toFixed(7)}">${p.altitude !== null ? `<ele>${p.altitude.toFixed(1)}</ele>` : ''}<time>${new Date(p.ts).toISOString()}</time></trkpt>\n`;
    }
    yield `${s}</trkseg></trk>\n`;
  }
  yield '</gpx>\n';
}

/** KML 2.2: one Placemark with a LineString per journey, in a Folder per vehicle order of appearance. */
export async function* kmlLines(title: string, tracks: AsyncIterable<Track>): AsyncGenerator<string> {
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>${xmlEscape(title)}</name>\n` +
    '<Style id="journey"><LineStyle><color>ffd97706</color><width>4</width></LineStyle></Style>\n';
  for await (const t of tracks) {
    const coords = t.points.map((p) => `${p.lng.toFixed(7)},${p.lat.toFixed(7)}${p.altitude !== null ? `,${p.altitude.toFixed(1)}` : ''}`).join(' ');
    const first = t.points[0];
    const last = t.points.at(-1);
    const span = first && last ? `<TimeSpan><begin>${new Date(first.ts).toISOString()}</begin><end>${new Date(last.ts).toISOString()}</end></TimeSpan>` : '';
    yield `<Placemark><name>${xmlEscape(t.name)}</name><description>${xmlEscape(t.description)}</description>${span}<styleUrl>#journey</styleUrl>` +
      `<LineString><tessellate>1</tessellate><coordinates>${coords}</coordinates></LineString></Placemark>\n`;
  }
  yield '</Document></kml>\n';
}
