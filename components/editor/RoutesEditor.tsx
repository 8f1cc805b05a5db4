'use client';

import { useMemo } from 'react';
import type { LoginResponse } from '@/server/protocol/auth';
import { DEFAULT_ROUTE_COLOR, type RouteDto } from '@/server/protocol/routes';
import { apiJson } from '@/components/ui/api-fetch';
import { QUERY_KEYS, useRoutes, useVehicles } from '@/components/ui/list-queries';
import { EditorPanel, ItemList } from './EditorPanel';
import { formatLength, lineLengthM, type LngLat } from './geometry';
import { lineCandidates, type LineCandidate } from './import-file';
import { VehiclePicker } from './VehiclePicker';
import { RouteVehiclesProgress } from '@/components/routes/RouteVehiclesProgress';
import { buttonClass, Field, inputClass } from './ui';
import { useEditorSession, type EditorKind } from './use-editor-session';

type RouteValues = { name: string; color: string; vehicleIds: string[] };

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((id) => b.includes(id));

const ROUTES: EditorKind<RouteDto, RouteValues, LineCandidate> = {
  noun: 'route',
  path: '/api/v1/routes',
  itemKey: 'route',
  queryKey: QUERY_KEYS.routes,
  valuesOf: (route) => ({
    name: route?.properties.name ?? '',
    color: route?.properties.color ?? DEFAULT_ROUTE_COLOR,
    vehicleIds: route?.properties.vehicleIds ?? [],
  }),
  savedFeature: (r) => ({ type: 'Feature', geometry: r.geometry, properties: { id: r.id, color: r.properties.color } }),
  showOnMap(map, route, editable) {
    map.select(route.id, editable);
    if (editable) map.edit('linestring', route.geometry);
    map.fitTo(route.geometry.coordinates);
  },
  formFieldOf: (field) => (field === 'properties.name' || field === 'properties.color' ? field.slice('properties.'.length) : null),
  importCandidates: lineCandidates,
  importNothing: 'tracks, routes or lines',
  previewFeature: (c) => ({ type: 'Feature', geometry: { type: 'LineString', coordinates: c.coordinates }, properties: {} }),
  importBody: (c) => ({ type: 'Feature', geometry: { type: 'LineString', coordinates: c.coordinates }, properties: { name: c.name, attributes: c.attributes } }),
  openSingleImport: true,
  // Assigning vehicles takes them off their other routes.
  reloadAfterSave: true,
};

/** The route editor: list, map with a line tool, properties and vehicles, GPX / GeoJSON import. */
export function RoutesEditor({ session }: { session: LoginResponse }) {
  const editable = session.user.role === 'admin';
  const routes = useRoutes();
  const vehicles = useVehicles();
  const editor = useEditorSession(ROUTES, routes.data, editable);
  const { draft, selected, selectedId, creating, values, setValues, errors, saving } = editor;
  const drawing = editor.tool !== null;
  const routeOfVehicle = useMemo(() => {
    const map = new Map<string, RouteDto>();
    for (const r of routes.data ?? []) for (const id of r.properties.vehicleIds) map.set(id, r);
    return map;
  }, [routes.data]);

  async function save() {
    editor.resetMessages();
    const geometry = draft && !draft.drawing && draft.geometry.type === 'LineString' ? draft.geometry : selected?.geometry;
    if (!geometry) return editor.setProblem('Draw the route on the map first.');
    await editor.save(async () => {
      const properties = { name: values.name, color: values.color, attributes: selected?.properties.attributes ?? {}, stops: selected?.properties.stops ?? [] };
      let route = await editor.putItem({ type: 'Feature', geometry, properties });
      // The route exists now: a refused assignment is reported on the open route.
      editor.adopt(route.id);
      if (!sameSet(values.vehicleIds, route.properties.vehicleIds)) {
        ({ route } = await apiJson<{ route: RouteDto }>(`/api/v1/routes/${route.id}/vehicles`, { method: 'PUT', body: { vehicleIds: values.vehicleIds } }));
      }
      return route;
    });
  }

  const drawn = draft && !draft.drawing && draft.geometry.type === 'LineString' ? (draft.geometry.coordinates as LngLat[]) : null;
  const edited = drawn && selected && JSON.stringify(drawn) !== JSON.stringify(selected.geometry.coordinates);

  return (
    <EditorPanel
      exportItems={routes.data}
      exportName="routes"
      session={editor}
      role={session.user.role}
      words={{ title: 'Routes', item: 'route', importNoun: 'route', importLabel: 'Import GPX / GeoJSON…' }}
      count={routes.data?.length}
      tools={
        <button type="button" className={buttonClass.tool} disabled={!editor.map} aria-pressed={drawing && (!draft || draft.drawing)} onClick={() => editor.startDrawing('linestring')}>
          Draw route
        </button>
      }
      hint={drawing && (!draft || draft.drawing) ? 'Click to add points; click the last point again (or press Enter) to finish.' : null}
      previewItems={(preview) => preview.candidates.map((c) => ({ name: c.name, detail: `${c.coordinates.length} points, ≈ ${formatLength(lineLengthM(c.coordinates))}` }))}
      canSave={!(creating && !drawn)}
      onSave={() => void save()}
      details={
        <>
          <dl className="grid grid-cols-2 gap-2 rounded-md bg-slate-50 p-2 text-xs text-slate-600">
            <dt>Length (PostGIS)</dt>
            <dd data-testid="route-length">{selected ? formatLength(selected.properties.lengthM) : '—'}</dd>
            {(creating ? drawn : edited) && (
              <>
                <dt>{creating ? 'Drawn' : 'After your edits'}</dt>
                <dd>≈ {formatLength(lineLengthM(drawn!))} (computed on save)</dd>
              </>
            )}
            <dt>Points</dt>
            <dd>{drawn?.length ?? selected?.geometry.coordinates.length ?? 0}</dd>
          </dl>
          {editable && !creating && <p className="text-xs text-slate-500">Drag the points to reshape, the middle markers to add a point, the line to move it.</p>}
          <fieldset disabled={!editable || saving} className="space-y-3">
            <Field id="route-name" label="Name" error={errors.name}>
              <input id="route-name" className={inputClass} value={values.name} onChange={(e) => setValues({ ...values, name: e.target.value })} aria-invalid={errors.name ? true : undefined} />
            </Field>
            <Field id="route-color" label="Color" error={errors.color}>
              <input id="route-color" type="color" className="h-8 w-16 cursor-pointer rounded border border-slate-300" value={values.color} onChange={(e) => setValues({ ...values, color: e.target.value })} />
            </Field>
            <VehiclePicker
              vehicles={vehicles}
              selected={values.vehicleIds}
              onChange={(vehicleIds) => setValues({ ...values, vehicleIds })}
              routeOf={(id) => {
                const route = routeOfVehicle.get(id);
                return route && route.id !== selectedId ? route.properties.name : null;
              }}
            />
          </fieldset>
          {selected && !creating && selected.properties.vehicleIds.length > 0 && (
            <RouteVehiclesProgress routeId={selected.id} nameOf={(id) => vehicles.data?.find((v) => v.id === id)?.name ?? 'Vehicle'} />
          )}
        </>
      }
      list={
        <ItemList state={routes} plural="routes" empty={`No routes yet.${editable ? ' Draw one, or import a GPX or GeoJSON file.' : ''}`} testId="route-list">
          {(r) => (
            <button type="button" onClick={() => editor.openItem(r)} className="flex w-full items-center gap-3 rounded px-2 py-2 text-left hover:bg-slate-50" data-testid="route-item">
              <span className="h-1.5 w-5 shrink-0 rounded-full" style={{ background: r.properties.color }} aria-hidden />
              <span className="min-w-0 flex-1">
                <span className="block truncate text-sm font-medium text-slate-800">{r.properties.name}</span>
                <span className="block text-xs text-slate-500">
                  {formatLength(r.properties.lengthM)} · {r.properties.vehicleIds.length} vehicle{r.properties.vehicleIds.length === 1 ? '' : 's'}
                </span>
              </span>
            </button>
          )}
        </ItemList>
      }
    />
  );
}
