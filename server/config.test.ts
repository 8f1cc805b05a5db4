import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from './config';

describe('parseConfig', () => {
  it('has working defaults for a first start', () => {
    const config = parseConfig({});
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config).toMatchObject({ PORT: 3000, DEMO_SEED: true, SIMULATOR: true, INGEST_COALESCE_MS: 5, NODE_ENV: 'development' });
    expect(config.DATA_DIR).toBe(path.resolve('.data'));
  });

  it('reads booleans and numbers; empty values mean unset', () => {
    const config = parseConfig({ SIMULATOR: '0', DEMO_SEED: 'false', PORT: '8080', DATABASE_URL: '' });
    expect(config).toMatchObject({ SIMULATOR: false, DEMO_SEED: false, PORT: 8080 });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('lists every invalid variable in one message', () => {
    expect(() => parseConfig({ PORT: 'abc', JWT_SECRET: 'short', SIMULATOR: 'maybe' })).toThrow(/PORT[\s\S]*JWT_SECRET: must be at least 32 characters[\s\S]*SIMULATOR/);
  });

  it('MAP_PMTILES must name an existing file', () => {
    expect(parseConfig({ MAP_PMTILES: 'package.json' }).MAP_PMTILES).toBe('package.json');
    expect(() => parseConfig({ MAP_PMTILES: '/no/such/basemap.pmtiles' })).toThrow(/MAP_PMTILES: file not found/);
  });
});
