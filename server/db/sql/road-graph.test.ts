import { describe, expect, it } from 'vitest';
import { lineStringFromWkb } from './road-graph';

function wkb(points: number[], little: boolean, type = 2): Uint8Array {
  const buf = new ArrayBuffer(9 + points.length * 8);
  const view = new DataView(buf);
  view.setUint8(0, little ? 1 : 0);
  view.setUint32(1, type, little);
  view.setUint32(5, points.length / 2, little);
  points.forEach((v, i) => view.setFloat64(9 + i * 8, v, little));
  // Offset inside a larger buffer, as drivers hand out slices of one.
  const outer = new Uint8Array(buf.byteLength + 3);
  outer.set(new Uint8Array(buf), 3);
  return outer.subarray(3);
}

describe('lineStringFromWkb', () => {
  it('decodes a LineString in either byte order', () => {
    const points = [-76.61, 39.29, -76.6, 39.3, -76.59, 39.31];
    expect(Array.from(lineStringFromWkb(wkb(points, true)))).toEqual(points);
    expect(Array.from(lineStringFromWkb(wkb(points, false)))).toEqual(points);
  });

  it('refuses other geometry types', () => {
    expect(() => lineStringFromWkb(wkb([1, 2], true, 1))).toThrow(/LineString/);
  });
});
