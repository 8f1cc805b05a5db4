import { apiJson, RequestError } from '@/components/ui/api-fetch';
import type { LoginResponse } from '@/server/protocol/auth';

/** POST /api/v1/auth/login; rejects with the server's error message. */
export async function requestLogin(email: string, password: string): Promise<LoginResponse> {
  try {
    // A browser session: short-lived access token, refresh token in an httpOnly cookie.
    return await apiJson<LoginResponse>('/api/v1/auth/login', { body: { email, password, session: true } });
  } catch (error) {
    throw error instanceof RequestError && error.code === 'HTTP' ? new Error(`Sign-in failed (HTTP ${error.status}).`) : error;
  }
}
