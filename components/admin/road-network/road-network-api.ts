'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getSession } from '@/components/session';
import { apiJson, RequestError } from '@/components/ui/api-fetch';
import type { ApiErrorBody } from '@/server/protocol/errors';
import type { RoadNetworkDto, RoadNetworkSummary } from '@/server/protocol/road-network';

const KEY = ['road-network'] as const;

export function useRoadNetwork() {
  return useQuery({ queryKey: KEY, queryFn: () => apiJson<RoadNetworkDto>('/api/v1/road-network') });
}

export interface UploadResult {
  summary: RoadNetworkSummary;
  format: string;
}

/**
 * POSTs the file itself (not a form) with XMLHttpRequest, the one browser API that reports
 * upload progress: `onProgress(sent, total)`. The server answers once the import has committed.
 */
export function uploadRoadNetwork(file: File, onProgress: (sent: number, total: number) => void): Promise<UploadResult> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/road-network?filename=${encodeURIComponent(file.name)}`);
    const session = getSession();
    if (session) xhr.setRequestHeader('Authorization', `Bearer ${session.token}`);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onerror = () => reject(new RequestError(0, 'NETWORK', 'Cannot reach the server. Check your connection and try again.'));
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // handled below
      }
      if (xhr.status >= 200 && xhr.status < 300 && body) return resolve(body as UploadResult);
      const error = (body as Partial<ApiErrorBody> | null)?.error;
      reject(error?.message ? new RequestError(xhr.status, error.code ?? 'HTTP', error.message, error.field) : new RequestError(xhr.status, 'HTTP', `The server answered ${xhr.status}.`));
    };
    xhr.send(file);
  });
}

export function useUploadRoadNetwork(onProgress: (sent: number, total: number) => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => uploadRoadNetwork(file, onProgress),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}
