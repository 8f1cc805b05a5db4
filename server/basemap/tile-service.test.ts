import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Prisma } from '../db/database';
import { TileService } from './tile-service';

/**
 * A stand-in for Prisma's $queryRaw that recognises the two statements TileService runs: the
 * tenant's import time and the tile's features (the JS encoder's query). The SQL itself is
 * exercised against PostGIS by test/integration/basemap.test.ts.
 */
function fakeDatabase() {
  const state = { importedAt: new Date('2026-01-01T00:00:00Z'), tileQueries: 0, versionQueries: 0 };
  const prisma = {
    $queryRaw: async (strings: TemplateStringsArray) => {
      const text = strings.join('?');
      if (text.includes('FROM road_networks')) {
        state.versionQueries++;
        return [{ at: state.importedAt }];
      }
      state.tileQueries++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return [{ layer: 'roads', geometry: '{"type":"LineString","coordinates":[[0,0],[100,100]]}', props: { class: 'primary', name: 'Pratt Street' } }];
    },
  };
  return { prisma: prisma as unknown as Prisma, state };
}

const TENANT = '11111111-1111-4111-8111-111111111111';

afterEach(() => vi.useRealTimers());

describe('TileService', () => {
  it('builds a tile once and serves repeats from the cache', async () => {
    const { prisma, state } = fakeDatabase();
    const tiles = new TileService(prisma, { encoder: 'js' });
    const first = await tiles.tileAt(TENANT, '14', '4705', '6244.mvt');
    const tile = new VectorTile(new PbfReader(first));
    expect(tile.layers.roads?.feature(0).properties).toEqual({ class: 'primary', name: 'Pratt Street' });
    const again = await tiles.tileAt(TENANT, '14', '4705', '6244.pbf');
    expect(again).toBe(first);
    expect(state.tileQueries).toBe(1);
  });

  it('concurrent requests for one tile share one build', async () => {
    const { prisma, state } = fakeDatabase();
    const tiles = new TileService(prisma, { encoder: 'js' });
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => tiles.tile(TENANT, { z: 15, x: 1, y: 2 })));
    expect(a).toBe(b);
    expect(b).toBe(c);
    expect(state.tileQueries).toBe(1);
  });

  it('invalidate() rebuilds the tenant’s tiles; below the street zooms nothing is queried', async () => {
    const { prisma, state } = fakeDatabase();
    const tiles = new TileService(prisma, { encoder: 'js' });
    await tiles.tile(TENANT, { z: 14, x: 1, y: 1 });
    tiles.invalidate(TENANT);
    await tiles.tile(TENANT, { z: 14, x: 1, y: 1 });
    expect(state.tileQueries).toBe(2);
    expect((await tiles.tile(TENANT, { z: 5, x: 1, y: 1 })).byteLength).toBe(0);
    expect(state.tileQueries).toBe(2);
  });

  it('notices an import by another process within seconds (the import time changed)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-06-01T12:00:00Z'));
    const { prisma, state } = fakeDatabase();
    const tiles = new TileService(prisma, { encoder: 'js' });
    await tiles.tile(TENANT, { z: 14, x: 1, y: 1 });
    state.importedAt = new Date('2026-06-01T12:00:01Z');
    await tiles.tile(TENANT, { z: 14, x: 1, y: 1 });
    expect(state.tileQueries).toBe(1); // not looked up again yet
    vi.setSystemTime(new Date('2026-06-01T12:00:06Z'));
    await tiles.tile(TENANT, { z: 14, x: 1, y: 1 });
    expect(state.versionQueries).toBe(2);
    expect(state.tileQueries).toBe(2);
  });

  it('refuses a malformed address before touching the database', async () => {
    const { prisma, state } = fakeDatabase();
    const tiles = new TileService(prisma, { encoder: 'js' });
    await expect(tiles.tileAt(TENANT, '14', '99999', '1.mvt')).rejects.toMatchObject({ code: 'VALIDATION_ERROR', field: 'x' });
    expect(state.tileQueries + state.versionQueries).toBe(0);
  });
});
