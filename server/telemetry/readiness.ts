/**
 * Readiness (`GET /api/ready`): may a load balancer send this instance traffic? Liveness is
 * `/api/health`; this one also says no while the instance shuts down, so it is drained first.
 */
export interface ReadinessProbe {
  /** Resolves with the migrations recorded as applied (one cheap query); rejects when the database does not answer. */
  appliedMigrations(): Promise<number>;
  /** Migrations the code ships with (prisma/migrations). */
  expectedMigrations: number;
  queueDepth(): number;
  queueLimit: number;
  shuttingDown(): boolean;
  /** Longest wait for the database (ms) before it counts as unreachable. */
  timeoutMs: number;
}

export interface Readiness {
  ready: boolean;
  reasons: string[];
}

/** Share of the ingest queue beyond which the instance stops taking new work. */
export const QUEUE_READY_SHARE = 0.9;

export async function checkReadiness(probe: ReadinessProbe): Promise<Readiness> {
  const reasons: string[] = [];
  if (probe.shuttingDown()) reasons.push('shutting down');
  const depth = probe.queueDepth();
  if (depth >= probe.queueLimit * QUEUE_READY_SHARE) reasons.push(`ingest queue at ${depth} of ${probe.queueLimit} positions`);
  let timer: NodeJS.Timeout | undefined;
  try {
    const applied = await Promise.race([
      probe.appliedMigrations(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${probe.timeoutMs} ms`)), probe.timeoutMs);
      }),
    ]);
    if (applied < probe.expectedMigrations) reasons.push(`migrations pending: ${applied} of ${probe.expectedMigrations} applied`);
  } catch (error) {
    reasons.push(`database unreachable: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    clearTimeout(timer);
  }
  return { ready: reasons.length === 0, reasons };
}
