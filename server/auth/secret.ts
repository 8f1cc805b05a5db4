import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../log';

/**
 * The JWT secret: JWT_SECRET when set, else one generated on first start and kept in the data
 * folder (mode 600) so sessions survive restarts.
 */
export async function loadJwtSecret(configured: string | undefined, dataDir: string, log: Logger): Promise<string> {
  if (configured) return configured;
  const file = path.join(dataDir, 'jwt-secret');
  try {
    const stored = (await readFile(file, 'utf8')).trim();
    if (stored.length >= 32) return stored;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secret = randomBytes(48).toString('base64url');
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  log.warn({ file }, 'JWT_SECRET is not set: generated one and stored it in the data folder (set JWT_SECRET in production)');
  return secret;
}
