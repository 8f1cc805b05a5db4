import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Principal } from '../auth/tokens';
import type { Prisma } from '../db/database';
import { selectRoadNetwork } from '../db/sql/roads';
import { Audit } from '../events/audit';
import type { EventLog } from '../events/log';
import type { Logger } from '../log';
import { ApiError } from '../protocol/errors';
import type { RoadNetworkDto, RoadNetworkSummary } from '../protocol/road-network';
import { notifyRoadNetworkChanged } from './changes';
import { IMPORT_TRANSACTION, importRoadNetwork, RoadImportError, type InputFormat } from './import';

/** REST's road network: read the tenant's summary, import a file (admins) with its audit event. */
export class RoadNetworkService {
  constructor(
    private readonly prisma: Prisma,
    private readonly events: EventLog,
    private readonly log: Logger,
  ) {}

  async get(principal: Principal): Promise<RoadNetworkDto> {
    const row = await selectRoadNetwork(this.prisma, principal.tenantId);
    return { network: row ? { source: row.source, importedAt: row.importedAt.toISOString(), summary: row.summary as RoadNetworkSummary } : null };
  }

  /**
   * Imports an uploaded file (streamed, never held whole) for the caller's tenant, replacing its
   * network and appending `road_network.imported` in one transaction; then tells the
   * onRoadNetworkChanged listeners. Refused input is a VALIDATION_ERROR whose details.reason is
   * the RoadImportError code; the previous network stays.
   */
  async import(principal: Principal, body: WebReadableStream<Uint8Array> | Readable, file: { name: string; size: number | null }): Promise<{ summary: RoadNetworkSummary; format: InputFormat }> {
    const audit = new Audit(principal);
    const stream = body instanceof Readable ? body : Readable.fromWeb(body);
    const started = Date.now();
    try {
      const result = await importRoadNetwork(this.prisma, principal.tenantId, { stream, size: file.size, name: file.name }, {
        transact: (work, { format }) =>
          this.events.transact(async (tx, emit) => {
            const summary = await work(tx);
            emit(
              audit.event('road_network.imported', principal.tenantId, {
                source: file.name,
                format,
                ways: summary.ways,
                segments: summary.segments,
                features: summary.features,
                addresses: summary.addresses,
                km: Math.round(Object.values(summary.kmByClass).reduce((a, b) => a + b, 0) * 1000) / 1000,
                bbox: summary.bbox,
              }),
            );
            return summary;
          }, IMPORT_TRANSACTION),
      });
      this.log.info({ tenantId: principal.tenantId, source: file.name, ms: Date.now() - started, ...result.summary }, 'road network imported');
      await notifyRoadNetworkChanged(principal.tenantId, (error) => this.log.error({ err: error, tenantId: principal.tenantId }, 'road network listener failed'));
      return result;
    } catch (error) {
      stream.destroy();
      if (error instanceof RoadImportError) throw new ApiError('VALIDATION_ERROR', error.message, 'body', { reason: error.code });
      throw error;
    }
  }
}
