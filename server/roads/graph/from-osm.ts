/**
 * Road segment rows straight from an OSM file, through the import's reader and builder, without
 * a database: for benchmarks and the pgRouting comparison.
 */
import { createReadStream } from 'node:fs';
import { NetworkBuilder } from '../import/builder';
import { readOsm } from '../import/readers';
import type { RoadSegmentRow } from './types';

export async function readRoadSegmentRows(file: string): Promise<RoadSegmentRow[]> {
  const builder = new NetworkBuilder();
  await readOsm(createReadStream(file, { highWaterMark: 256 * 1024 }), builder, () => {});
  return builder.finish().segments.map((s, i) => ({ id: i + 1, lengthM: null, ...s }));
}
