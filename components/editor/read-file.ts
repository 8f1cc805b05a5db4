'use client';

import type { Feature } from 'geojson';
import { parseGeoFile } from './import-file';

/** A picked file's features (GeoJSON, KML or GPX), parsed in the browser. */
export async function readGeoFile(file: File): Promise<Feature[]> {
  const text = await file.text();
  return parseGeoFile(file.name, text, (xml) => new DOMParser().parseFromString(xml, 'application/xml'));
}
