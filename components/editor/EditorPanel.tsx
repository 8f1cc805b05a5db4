'use client';

import type { UseQueryResult } from '@tanstack/react-query';
import dynamic from 'next/dynamic';
import type { ReactNode } from 'react';
import type { Role } from '@/server/protocol/auth';
import { PlaceSearch } from '@/components/map/PlaceSearch';
import { ReadOnlyNote } from './EditorShell';
import { IMPORT_ACCEPT } from './import-file';
import { downloadGeoJson, exportFileName, toFeatureCollection } from './export-geojson';
import { ImportPreview } from './ImportPreview';
import { buttonClass, Notice } from './ui';
import type { EditorSession, ImportPreviewState, Stored } from './use-editor-session';

const EditorMapView = dynamic(() => import('./EditorMapView'), { ssr: false });

/** The words an editor panel uses for its items. */
export interface EditorWords {
  /** Panel title, also the plural in "All …", "Loading …": "Geofences". */
  title: string;
  /** Singular for the buttons and the new item's heading: "geofence". */
  item: string;
  /** Singular for the import preview: "fence". */
  importNoun: string;
  importLabel: string;
}

/**
 * The frame both editors share: the side panel (title, drawing tools and import, messages, then
 * the import preview, the open item or the list) and the map. The editor fills in what is its own.
 */
export function EditorPanel<T extends Stored, V, C>({
  session: s,
  role,
  words,
  count,
  tools,
  hint,
  previewItems,
  details,
  canSave,
  onSave,
  list,
  exportItems,
  exportName = 'features',
}: {
  session: EditorSession<T, V, C>;
  role: Role;
  words: EditorWords;
  count: number | undefined;
  /** The drawing tools' buttons (admins only). */
  tools: ReactNode;
  /** What to do next while drawing. */
  hint: string | null;
  previewItems: (preview: ImportPreviewState<C>) => Array<{ name: string; detail: string }>;
  /** The open item's facts and form. */
  details: ReactNode;
  canSave: boolean;
  onSave: () => void;
  list: ReactNode;
  /** What "Export GeoJSON" saves (everyone may export), and the file's first word. */
  exportItems?: ReadonlyArray<{ id: string; geometry: unknown; properties: object }>;
  exportName?: string;
}) {
  const editable = role === 'admin';
  const plural = words.title.toLowerCase();
  return (
    <>
      <aside className="flex w-96 shrink-0 flex-col border-r border-slate-200 bg-white">
        <div className="space-y-3 border-b border-slate-200 p-4">
          <div className="flex items-center justify-between">
            <h1 className="text-base font-semibold text-slate-900">{words.title}</h1>
            <span className="flex items-center gap-2">
              {count !== undefined && <span className="text-xs text-slate-500">{count} in all</span>}
              {exportItems && (
                <button
                  type="button"
                  className="rounded border border-slate-200 px-1.5 py-0.5 text-xs text-slate-600 hover:border-slate-400 hover:text-slate-900 disabled:opacity-40"
                  disabled={exportItems.length === 0}
                  onClick={() => downloadGeoJson(exportFileName(exportName), toFeatureCollection(exportItems))}
                  data-testid="export-geojson"
                >
                  Export GeoJSON
                </button>
              )}
            </span>
          </div>
          {editable ? (
            <div className="flex flex-wrap gap-1.5" data-testid="draw-tools">
              {tools}
              <button type="button" className={buttonClass.tool} disabled={!s.map} onClick={() => s.fileInput.current?.click()}>
                {words.importLabel}
              </button>
              <input
                ref={s.fileInput}
                type="file"
                accept={IMPORT_ACCEPT}
                className="hidden"
                data-testid="import-input"
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  e.target.value = '';
                  if (file) void s.importFile(file);
                }}
              />
            </div>
          ) : (
            <ReadOnlyNote role={role} what={plural} />
          )}
          {hint && <Notice tone="info">{hint}</Notice>}
          {s.notice && <Notice tone="info" testId="editor-notice">{s.notice}</Notice>}
          {s.problem && (
            <Notice tone="error" testId="editor-error">
              {s.problem}
            </Notice>
          )}
        </div>

        <div className="min-h-0 flex-1 overflow-y-auto p-4">
          {s.preview ? (
            <ImportPreview
              fileName={s.preview.fileName}
              items={previewItems(s.preview)}
              skipped={s.preview.skipped}
              failures={s.preview.failures}
              noun={words.importNoun}
              saving={s.saving}
              editable={editable}
              onSave={() => void s.saveImport()}
              onCancel={s.cancelImport}
            />
          ) : s.open ? (
            <section className="space-y-4">
              <div className="flex items-center justify-between gap-3">
                <h2 className="min-w-0 truncate text-sm font-semibold text-slate-900">{s.creating ? `New ${words.item}` : (s.selected?.properties.name ?? '')}</h2>
                <button type="button" className="shrink-0 text-xs text-slate-500 hover:text-slate-800" onClick={s.close}>
                  ← All {plural}
                </button>
              </div>
              {details}
              {editable && <EditorActions session={s} item={words.item} canSave={canSave} onSave={onSave} />}
            </section>
          ) : (
            list
          )}
        </div>
      </aside>
      <main className="relative min-w-0 flex-1">
        <EditorMapView editable={editable} onReady={s.setMap} onDraftChange={s.setDraft} onSavedClick={s.openClicked} />
        <div className="absolute right-3 top-3 z-10">
          <PlaceSearch map={s.map?.map ?? null} variant="light" />
        </div>
      </main>
    </>
  );
}

function EditorActions<T extends Stored, V, C>({ session: s, item, canSave, onSave }: { session: EditorSession<T, V, C>; item: string; canSave: boolean; onSave: () => void }) {
  return (
    <div className="sticky bottom-0 -mx-4 -mb-4 flex flex-wrap gap-2 border-t border-slate-200 bg-white/95 px-4 py-3 backdrop-blur">
      <button type="button" className={buttonClass.primary} onClick={onSave} disabled={s.saving || !canSave}>
        {s.saving ? 'Saving…' : s.creating ? `Create ${item}` : 'Save changes'}
      </button>
      <button type="button" className={buttonClass.secondary} onClick={s.close} disabled={s.saving}>
        Cancel
      </button>
      {!s.creating &&
        (s.confirmDelete ? (
          <button type="button" className={buttonClass.danger} onClick={() => void s.remove()} disabled={s.saving}>
            Really delete?
          </button>
        ) : (
          <button type="button" className={`${buttonClass.danger} ml-auto`} onClick={() => s.setConfirmDelete(true)} disabled={s.saving}>
            Delete
          </button>
        ))}
    </div>
  );
}

/** The list of stored items, or why there is none: loading, failed (with retry), empty. */
export function ItemList<T extends { id: string }>({
  state,
  plural,
  empty,
  testId,
  children,
}: {
  state: UseQueryResult<T[]>;
  plural: string;
  empty: string;
  testId: string;
  children: (item: T) => ReactNode;
}) {
  if (state.isPending) return <p className="text-sm text-slate-500">Loading {plural}…</p>;
  if (state.isError) {
    return (
      <Notice tone="error">
        Could not load the {plural}: {state.error.message}{' '}
        <button type="button" className="font-medium underline" onClick={() => void state.refetch()}>
          Retry
        </button>
      </Notice>
    );
  }
  if (state.data.length === 0) {
    return (
      <p className="rounded-md border border-dashed border-slate-300 p-4 text-center text-sm text-slate-500" data-testid="empty-list">
        {empty}
      </p>
    );
  }
  return (
    <ul className="divide-y divide-slate-100" data-testid={testId}>
      {state.data.map((item) => (
        <li key={item.id}>{children(item)}</li>
      ))}
    </ul>
  );
}
