'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiJson } from '@/components/ui/api-fetch';
import type { WebhookCreateRequest, WebhookCreatedDto, WebhookDeliveryDto, WebhookDto, WebhookPatchRequest } from '@/server/protocol/webhooks';

const KEY = ['webhooks'] as const;
const deliveriesKey = (id: string) => [...KEY, id, 'deliveries'] as const;

/** The tenant's webhooks; polled so "last delivery" follows the dispatcher without a socket. */
export function useWebhooks() {
  return useQuery({
    queryKey: KEY,
    queryFn: async () => (await apiJson<{ webhooks: WebhookDto[] }>('/api/v1/webhooks')).webhooks,
    refetchInterval: 10_000,
  });
}

export function useDeliveries(id: string) {
  return useQuery({
    queryKey: deliveriesKey(id),
    queryFn: async () => (await apiJson<{ deliveries: WebhookDeliveryDto[] }>(`/api/v1/webhooks/${id}/deliveries?limit=50`)).deliveries,
    refetchInterval: 5_000,
  });
}

export function useCreateWebhook() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (input: WebhookCreateRequest) => (await apiJson<{ webhook: WebhookCreatedDto }>('/api/v1/webhooks', { body: input })).webhook,
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

export function useUpdateWebhook() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, patch }: { id: string; patch: WebhookPatchRequest }) =>
      (await apiJson<{ webhook: WebhookDto }>(`/api/v1/webhooks/${id}`, { method: 'PATCH', body: patch })).webhook,
    onSettled: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

export function useDeleteWebhook() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiJson<null>(`/api/v1/webhooks/${id}`, { method: 'DELETE' }),
    onSettled: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

/** Ping and redeliver: one attempt now; the answer is the new delivery with its outcome. */
export function usePing(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async () => (await apiJson<{ delivery: WebhookDeliveryDto }>(`/api/v1/webhooks/${id}/ping`, { method: 'POST' })).delivery,
    onSettled: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

export function useRedeliver(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (deliveryId: string) =>
      (await apiJson<{ delivery: WebhookDeliveryDto }>(`/api/v1/webhooks/${id}/deliveries/${deliveryId}/redeliver`, { method: 'POST' })).delivery,
    onSettled: () => client.invalidateQueries({ queryKey: KEY }),
  });
}
