/**
 * Why an import was refused. Every refusal leaves the tenant's previous network untouched (the
 * replacement only starts once the whole file has been read and built).
 */
export type RoadImportErrorCode =
  /** The file has no bytes. */
  | 'EMPTY'
  /** Neither OSM PBF, OSM XML (plain or gzip) nor a GeoJSON FeatureCollection. */
  | 'UNSUPPORTED_FORMAT'
  /** The format was recognized but the content is broken: a cut-off PBF, malformed XML or JSON. */
  | 'MALFORMED'
  /** The file is readable but holds no road a vehicle may drive on. */
  | 'NO_ROADS';

export class RoadImportError extends Error {
  override readonly name = 'RoadImportError';
  constructor(
    readonly code: RoadImportErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isRoadImportError(error: unknown): error is RoadImportError {
  return error instanceof RoadImportError;
}
