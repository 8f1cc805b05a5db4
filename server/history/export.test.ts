import { describe, expect, it } from 'vitest';
import { csvCell, csvLines, gpxLines, kmlLines, xmlEscape, type Column, type Track } from './export';
import { summaryHtml } from './pdf';

async function text(parts: AsyncIterable<string>): Promise<string> {
  let out = '';
  for await (const p of parts) out += p;
  return out;
}

async function* pages<T>(...list: T[][]): AsyncGenerator<T[]> {
  for (const p of list) yield p;
}

describe('CSV cells', () => {
  it('quotes commas, quotes and line breaks; numbers stay numbers', () => {
    expect(csvCell('Van 7')).toBe('Van 7');
    expect(csvCell('Pratt St, Baltimore')).toBe('"Pratt St, Baltimore"');
    expect(csvCell('the "depot"')).toBe('"the ""depot"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(-76.6)).toBe('-76.6');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(null)).toBe('');
    expect(csvCell(new Date(Date.UTC(2026, 11, 7, 8, 5, 9)))).toBe('2026-12-07 08:05:09');
  });

  it('text a spreadsheet would run as a formula is defused', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
  });

  it('a header line with a byte-order mark, then one CRLF line per row of every page', async () => {
    const columns: Column<{ name: string; km: number }>[] = [
      { header: 'Vehicle', value: (r) => r.name },
      { header: 'Distance (km)', value: (r) => r.km },
    ];
    const csv = await text(csvLines(columns, pages([{ name: 'A', km: 1.5 }], [], [{ name: 'B, the second', km: 2 }])));
    expect(csv).toBe('\uFEFFVehicle,Distance (km)\r\nA,1.5\r\n"B, the second",2\r\n');
  });
});

describe('tracks', () => {
  const track: Track = {
    vehicleName: 'Van <1>',
    name: 'Van <1> 2026-12-07 08:00:00',
    description: '3 km & back',
    points: [
      { ts: Date.UTC(2026, 11, 7, 8), lng: -76.6, lat: 39.29, altitude: 12, speedKmh: 0 },
      { ts: Date.UTC(2026, 11, 7, 8, 0, 10), lng: -76.599, lat: 39.291, altitude: null, speedKmh: 36 },
    ],
  };
  async function* one() {
    yield track;
  }

  it('GPX 1.1: one track per journey, points with time (and elevation when known), names escaped', async () => {
    const gpx = await text(gpxLines(one()));
    expect(gpx).toContain('<gpx version="1.1" creator="GeoFleet" xmlns="http://www.topografix.com/GPX/1/1">');
    expect(gpx).toContain('<name>Van &lt;1&gt; 2026-12-07 08:00:00</name><desc>3 km &amp; back</desc>');
    expect(gpx).toContain('<trkpt lat="39.2900000" lon="-76.6000000"><ele>12.0</ele><time>2026-12-07T08:00:00.000Z</time></trkpt>');
    expect(gpx).toContain('<trkpt lat="39.2910000" lon="-76.5990000"><time>2026-12-07T08:00:10.000Z</time></trkpt>');
    expect(gpx.trim().endsWith('</gpx>')).toBe(true);
  });

  it('KML 2.2: a placemark with a line (lng,lat[,alt]) and its time span per journey', async () => {
    const kml = await text(kmlLines('Journeys & more', one()));
    expect(kml).toContain('<name>Journeys &amp; more</name>');
    expect(kml).toContain('<coordinates>-76.6000000,39.2900000,12.0 -76.5990000,39.2910000</coordinates>');
    expect(kml).toContain('<TimeSpan><begin>2026-12-07T08:00:00.000Z</begin><end>2026-12-07T08:00:10.000Z</end></TimeSpan>');
  });

  it('escapes every XML special character', () => {
    expect(xmlEscape(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
  });
});

describe('the summary page printed to PDF', () => {
  it('has the title, a row per vehicle with names escaped, the totals and a bar per day', () => {
    const row = { id: '1', name: 'Van <7>', trips: 3, distanceM: 12_345, drivingS: 3_900, idleS: 120, maxSpeedKmh: 61, avgSpeedKmh: 34.2, stops: 4, stoppedS: 600, visits: 2, alerts: 1, drivingEvents: 0 };
    const html = summaryHtml({
      title: 'Fleet summary 2026-12-06',
      subtitle: '1 vehicle',
      groupBy: 'vehicle',
      rows: [row],
      totals: { trips: 3, distanceM: 12_345, drivingS: 3_900, idleS: 120, maxSpeedKmh: 61, avgSpeedKmh: 34.2, stops: 4, visits: 2, alerts: 1, drivingEvents: 0 },
      days: [{ day: '2026-12-06', distanceM: 12_345, drivingS: 3_900, trips: 3 }],
    });
    expect(html).toContain('<title>Fleet summary 2026-12-06</title>');
    expect(html).toContain('<td>Van &lt;7&gt;</td><td class="n">3</td><td class="n">12.3</td><td class="n">1 h 05</td>');
    expect(html).toMatch(/<tfoot><tr><td>Total<\/td><td class="n">3<\/td><td class="n">12\.3<\/td>/);
    expect(html.match(/<rect /g)).toHaveLength(1);
    expect(html).not.toMatch(/<script|https?:\/\//);
  });
});
