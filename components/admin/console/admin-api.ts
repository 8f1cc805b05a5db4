'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { authFetch } from '@/components/session';
import { apiJson, RequestError } from '@/components/ui/api-fetch';
import type { PublicUser, Role } from '@/server/protocol/auth';
import type { DeviceTokenResponse, UpdateUserRequest } from '@/server/protocol/admin';
import type { VehicleDto } from '@/server/protocol/vehicles';
import type { TenantDto } from '@/server/tenants/service';
import { TENANT_QUERY_KEY } from '@/components/map/use-home-area';
import type { ErrorCode } from '@/server/protocol/errors';
import type { UpdateTenantRequest } from '@/server/protocol/users';

/** REST for the admin console (/admin): vehicles, users, drivers and tenant settings. */
export const ADMIN_KEYS = {
  vehicles: ['admin', 'vehicles'] as const,
  users: ['admin', 'users'] as const,
  tenant: TENANT_QUERY_KEY,
  reception: ['admin', 'reception'] as const,
};

export function useAdminVehicles() {
  return useQuery({ queryKey: ADMIN_KEYS.vehicles, queryFn: async () => (await apiJson<{ vehicles: VehicleDto[] }>('/api/v1/vehicles')).vehicles });
}

export function useAdminUsers(enabled = true) {
  return useQuery({ queryKey: ADMIN_KEYS.users, enabled, queryFn: async () => (await apiJson<{ users: PublicUser[] }>('/api/v1/users')).users });
}

/** The tenant-wide reception switch with the count of positions refused while it was off. */
export function useReception() {
  return useQuery({
    queryKey: ADMIN_KEYS.reception,
    queryFn: () => apiJson<{ enabled: boolean; refused: number }>('/api/v1/reception'),
    refetchInterval: 5_000,
  });
}

function useInvalidating<I, O>(fn: (input: I) => Promise<O>, keys: ReadonlyArray<readonly string[]>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () => Promise.all(keys.map((queryKey) => client.invalidateQueries({ queryKey }))),
  });
}

export function useCreateVehicle() {
  return useInvalidating(async (input: Record<string, unknown>) => (await apiJson<{ vehicle: VehicleDto }>('/api/v1/vehicles', { body: input })).vehicle, [ADMIN_KEYS.vehicles]);
}

export function useUpdateVehicle() {
  return useInvalidating(
    async ({ id, patch }: { id: string; patch: Record<string, unknown> }) => (await apiJson<{ vehicle: VehicleDto }>(`/api/v1/vehicles/${id}`, { method: 'PATCH', body: patch })).vehicle,
    [ADMIN_KEYS.vehicles],
  );
}

export function useDeleteVehicle() {
  return useInvalidating((id: string) => apiJson<null>(`/api/v1/vehicles/${id}`, { method: 'DELETE' }), [ADMIN_KEYS.vehicles]);
}

export function useRotateToken() {
  return useInvalidating(
    async (id: string) => (await apiJson<DeviceTokenResponse>(`/api/v1/vehicles/${id}/device-token`, { method: 'POST' })).deviceToken,
    [ADMIN_KEYS.vehicles],
  );
}

/** POST the CSV file as it is; a refused file's row/column errors come back in error.details.errors. */
export function useImportVehicles() {
  return useInvalidating(async (csv: string) => {
    const response = await authFetch('/api/v1/vehicles/import', { method: 'POST', body: csv, headers: { 'content-type': 'text/csv' } });
    const body = (await response.json().catch(() => null)) as { imported?: number; error?: { code: ErrorCode; message: string; field?: string; details?: Record<string, unknown> } } | null;
    if (!response.ok) throw new RequestError(response.status, body?.error?.code ?? 'HTTP', body?.error?.message ?? `The server answered ${response.status}.`, body?.error?.field, body?.error?.details);
    return body?.imported ?? 0;
  }, [ADMIN_KEYS.vehicles]);
}

export function useCreateUser() {
  return useInvalidating(
    async (input: { email: string; name: string; password: string; role: Role }) => (await apiJson<{ user: PublicUser }>('/api/v1/users', { body: input })).user,
    [ADMIN_KEYS.users],
  );
}

export function useUpdateUser() {
  return useInvalidating(
    async ({ id, patch }: { id: string; patch: UpdateUserRequest }) => (await apiJson<{ user: PublicUser }>(`/api/v1/users/${id}`, { method: 'PATCH', body: patch })).user,
    [ADMIN_KEYS.users, ADMIN_KEYS.vehicles],
  );
}

export function useResetPassword() {
  return useInvalidating(({ id, password }: { id: string; password: string }) => apiJson<null>(`/api/v1/users/${id}/password`, { body: { password } }), [ADMIN_KEYS.users]);
}

export function useUpdateTenant() {
  return useInvalidating(
    async (patch: UpdateTenantRequest) => (await apiJson<{ tenant: TenantDto }>('/api/v1/tenant', { method: 'PATCH', body: patch })).tenant,
    [ADMIN_KEYS.tenant, ADMIN_KEYS.reception],
  );
}

export function useSetReception() {
  return useInvalidating((enabled: boolean) => apiJson<{ enabled: boolean }>('/api/v1/reception', { method: 'PUT', body: { enabled } }), [ADMIN_KEYS.tenant, ADMIN_KEYS.reception]);
}

export function useSetVehicleReception() {
  return useInvalidating(({ id, enabled }: { id: string; enabled: boolean }) => apiJson<{ enabled: boolean }>(`/api/v1/vehicles/${id}/reception`, { method: 'PUT', body: { enabled } }), [ADMIN_KEYS.vehicles]);
}
