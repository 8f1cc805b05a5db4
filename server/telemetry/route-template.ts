/**
 * The route template of a request (`/api/v1/vehicles/[id]`) from its path and the dynamic params
 * Next.js matched: segments equal to a param's value become `[name]` (`[...name]` for catch-all
 * params). A metric label must be a template, never the raw path (one series per vehicle id).
 */
export function routeTemplate(pathname: string, params: Readonly<Record<string, string | string[] | undefined>> | null | undefined): string {
  const entries = Object.entries(params ?? {}).filter(([, v]) => v !== undefined) as Array<[string, string | string[]]>;
  const segments = pathname.split('/');
  if (entries.length === 0) return pathname;
  const out: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    const segment = decodeSegment(segments[i]!);
    const single = entries.find(([, v]) => typeof v === 'string' && v === segment);
    if (single) {
      out.push(`[${single[0]}]`);
      continue;
    }
    const catchAll = entries.find(([, v]) => Array.isArray(v) && v.length > 0 && v[0] === segment && v.every((part, k) => decodeSegment(segments[i + k] ?? '') === part));
    if (catchAll) {
      out.push(`[...${catchAll[0]}]`);
      i += (catchAll[1] as string[]).length - 1;
      continue;
    }
    out.push(segments[i]!);
  }
  return out.join('/');
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
