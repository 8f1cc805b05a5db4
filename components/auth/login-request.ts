import type { LoginResponse } from '@/server/protocol/auth';
import type { ApiErrorBody } from '@/server/protocol/errors';

/** POST /api/v1/auth/login; rejects with the server's error message. */
export async function requestLogin(email: string, password: string): Promise<LoginResponse> {
  let response: Response;
  try {
    response = await fetch('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
  } catch {
    throw new Error('Cannot reach the server. Check your connection and try again.');
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) return body as LoginResponse;
  const message = (body as Partial<ApiErrorBody> | null)?.error?.message;
  throw new Error(message ?? `Sign-in failed (HTTP ${response.status}).`);
}
