import { describe, expect, it } from 'vitest';
import type { GeofenceDto } from '@/server/protocol/geofences';
import { drawableFences, FenceFlashes, FLASH_MS, flashLevel } from './fence-style';

describe('fence drawing', () => {
  it('turns circles into closed polygons and keeps polygons', () => {
    const props = { name: 'c', type: 'DEPOT', radius: 500 } as GeofenceDto['properties'];
    const square: GeofenceDto = { type: 'Feature', id: 'sq', geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }, properties: { ...props, radius: undefined } };
    const circle: GeofenceDto = { type: 'Feature', id: 'c', geometry: { type: 'Point', coordinates: [13.4, 52.5] }, properties: props };
    const [a, b] = drawableFences([square, circle]);
    expect(a!.geometry).toBe(square.geometry);
    expect(b!.geometry.type).toBe('Polygon');
    const ring = (b!.geometry as { coordinates: number[][][] }).coordinates[0]!;
    expect(ring.length).toBeGreaterThan(32);
    expect(ring[0]).toEqual(ring[ring.length - 1]);
    expect(b!.properties.id).toBe('c');
  });

  it('flashes three times within FLASH_MS of a breach, then stays calm', () => {
    expect(flashLevel(undefined, 1000)).toBe(0);
    expect(flashLevel(1000, 1000 + FLASH_MS / 6)).toBeCloseTo(1, 6);
    expect(flashLevel(1000, 1000 + FLASH_MS / 3)).toBeCloseTo(0, 6);
    expect(flashLevel(1000, 1000 + FLASH_MS)).toBe(0);
    expect(flashLevel(1000, 999)).toBe(0);
  });

  it('tells listeners about new flashes', () => {
    const flashes = new FenceFlashes();
    let heard = 0;
    const stop = flashes.onFlash(() => heard++);
    flashes.flash(['a', 'b'], 50);
    stop();
    flashes.flash(['a'], 60);
    expect(heard).toBe(1);
    expect([...flashes.started]).toEqual([['a', 60], ['b', 50]]);
  });
});
