import { describe, expect, it } from 'vitest';
import { bannerText } from './banner';
import { isPretty } from './log';

describe('start-up banner', () => {
  it('lists URL, database, metrics and the demo logins aligned, one per line', () => {
    const text = bannerText({
      url: 'http://localhost:3000',
      database: 'embedded PostGIS in /srv/.data/pgdata',
      metrics: 'http://localhost:3000/metrics (this machine only)',
      osmand: null,
      demoLogins: [
        { role: 'admin', email: 'admin@demo.geofleet.dev', password: 'demo-admin' },
        { role: 'manager', email: 'manager@demo.geofleet.dev', password: 'demo-manager' },
      ],
      ms: 12_345,
    });
    expect(text.split('\n')).toEqual([
      'GeoFleet listening on http://localhost:3000  (started in 12.3 s)',
      '  database  embedded PostGIS in /srv/.data/pgdata',
      '  metrics   http://localhost:3000/metrics (this machine only)',
      '  demo logins:',
      '    admin    admin@demo.geofleet.dev  /  demo-admin',
      '    manager  manager@demo.geofleet.dev  /  demo-manager',
    ]);
  });

  it('logs pretty on a terminal and JSON elsewhere unless LOG_PRETTY says', () => {
    expect(isPretty(undefined, true)).toBe(true);
    expect(isPretty(undefined, false)).toBe(false);
    expect(isPretty(false, true)).toBe(false);
    expect(isPretty(true, false)).toBe(true);
  });
});
