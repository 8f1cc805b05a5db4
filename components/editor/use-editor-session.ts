'use client';

import { useQueryClient, type QueryKey } from '@tanstack/react-query';
import type { Feature, FeatureCollection } from 'geojson';
import { useEffect, useMemo, useRef, useState } from 'react';
import { apiJson, fieldMessage, RequestError } from '@/components/ui/api-fetch';
import { withItem, withoutItem } from '@/components/ui/list-queries';
import { useLeaveGuard } from '@/components/ui/use-leave-guard';
import type { Draft, DrawTool, EditorMap } from './editor-map';
import { positionsOf } from './editor-map';
import { errorLocation } from './geometry';
import { readGeoFile } from './read-file';

export type Stored = { id: string; properties: { name: string } };

/**
 * What one editor (fences or routes) is about: its REST collection and cache, its form values,
 * how its items and import candidates look on the map. Declared once per editor, outside React.
 */
export interface EditorKind<T extends Stored, V, C> {
  /** Singular, for messages: "fence", "route". */
  noun: string;
  /** The REST collection, and the key of one item in its answers. */
  path: string;
  itemKey: string;
  queryKey: QueryKey;
  valuesOf(item: T | null): V;
  /** The stored item as drawn on the map (its `id` and `color` in properties). */
  savedFeature(item: T): Feature;
  /** Selects the opened item on the map, offers its shape for editing where allowed, and fits it. */
  showOnMap(map: EditorMap, item: T, editable: boolean): void;
  /** The form field a refusal names (without `properties.`), or null when the form has none for it. */
  formFieldOf(field: string | undefined): string | null;
  /** An imported file's items; `nothing` says what the file lacked when there are none. */
  importCandidates(features: Feature[], fileName: string): { candidates: C[]; skipped: number };
  importNothing: string;
  previewFeature(candidate: C): Feature;
  importBody(candidate: C): unknown;
  /** After an import of a single item, open it. */
  openSingleImport?: boolean;
  /** A save may change other items too (e.g. vehicles moved off other routes): reload the list. */
  reloadAfterSave?: boolean;
}

export type ImportPreviewState<C> = { fileName: string; candidates: C[]; skipped: number; failures: Record<number, string> };

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The state an editor panel shares with the other: the map and its draft, the open (or new) item
 * and its form values, the messages, the busy flag, the delete confirmation and a file import;
 * with opening, drawing, closing, saving, deleting and importing.
 */
export function useEditorSession<T extends Stored, V, C>(kind: EditorKind<T, V, C>, items: T[] | undefined, editable: boolean) {
  const queryClient = useQueryClient();
  const [map, setMap] = useState<EditorMap | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [tool, setTool] = useState<DrawTool | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [values, setValues] = useState<V>(() => kind.valuesOf(null));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [preview, setPreview] = useState<ImportPreviewState<C> | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const selected = items?.find((item) => item.id === selectedId) ?? null;
  const open = creating || selectedId !== null;

  // Unsaved work (a new item being drawn, changed fields of the open one, an import not yet
  // saved): leaving the page asks first.
  const dirty =
    preview !== null ||
    (creating && (draft !== null || JSON.stringify(values) !== JSON.stringify(kind.valuesOf(null)))) ||
    (selected !== null && JSON.stringify(values) !== JSON.stringify(kind.valuesOf(selected)));
  useLeaveGuard(editable && dirty && !saving);

  const saved = useMemo<FeatureCollection>(() => ({ type: 'FeatureCollection', features: (items ?? []).map(kind.savedFeature) }), [items, kind]);
  useEffect(() => map?.setSaved(saved), [map, saved]);

  // Deleted on another dashboard while open here.
  useEffect(() => {
    if (selectedId && items && !items.some((item) => item.id === selectedId)) {
      close();
      setNotice(`The ${kind.noun} you had open was deleted on another dashboard.`);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [items, selectedId]);

  function resetMessages() {
    setErrors({});
    setProblem(null);
    setNotice(null);
    setConfirmDelete(false);
    map?.showErrorAt(null);
  }

  function close() {
    resetMessages();
    setSelectedId(null);
    setCreating(false);
    setTool(null);
    map?.clearDraft();
    map?.select(null);
  }

  function openItem(item: T) {
    resetMessages();
    setCreating(false);
    setTool(null);
    setSelectedId(item.id);
    setValues(kind.valuesOf(item));
    if (map) kind.showOnMap(map, item, editable);
  }

  function startDrawing(next: DrawTool) {
    resetMessages();
    setSelectedId(null);
    setCreating(true);
    setTool(next);
    setValues(kind.valuesOf(null));
    map?.select(null);
    map?.startDrawing(next);
  }

  /** The item exists now (a later refusal of the same save is reported on it). */
  function adopt(id: string) {
    setCreating(false);
    setSelectedId(id);
  }

  function showError(error: unknown) {
    if (!(error instanceof RequestError)) return setProblem('Saving failed unexpectedly.');
    if (error.field?.startsWith('geometry')) {
      setProblem(error.message);
      map?.showErrorAt(errorLocation(error.message));
      return;
    }
    const key = kind.formFieldOf(error.field);
    if (key) setErrors({ [key]: fieldMessage(error) });
    else setProblem(error.message);
  }

  /** Creates the new item or replaces the open one with `body`. */
  async function putItem(body: unknown): Promise<T> {
    const answer = await apiJson<Record<string, T>>(selectedId ? `${kind.path}/${selectedId}` : kind.path, { method: selectedId ? 'PUT' : 'POST', body });
    return answer[kind.itemKey]!;
  }

  /** Runs a save (`send` answers the stored item), then shows the item and says so, or the refusal. */
  async function save(send: () => Promise<T>) {
    setSaving(true);
    try {
      const item = await send();
      queryClient.setQueryData<T[]>(kind.queryKey, (list) => withItem(list, item));
      if (kind.reloadAfterSave) void queryClient.invalidateQueries({ queryKey: kind.queryKey });
      openItem(item);
      setNotice(`Saved “${item.properties.name}”.`);
    } catch (error) {
      showError(error);
    } finally {
      setSaving(false);
    }
  }

  async function remove() {
    if (!selectedId) return;
    setSaving(true);
    try {
      await apiJson(`${kind.path}/${selectedId}`, { method: 'DELETE' });
      queryClient.setQueryData<T[]>(kind.queryKey, (list) => withoutItem(list, selectedId));
      const name = selected?.properties.name;
      close();
      setNotice(`Deleted “${name}”.`);
    } catch (error) {
      showError(error);
    } finally {
      setSaving(false);
    }
  }

  function showPreview(candidates: C[]) {
    const features = candidates.map(kind.previewFeature);
    map?.setPreview(features);
    return features;
  }

  async function importFile(file: File) {
    close();
    try {
      const { candidates, skipped } = kind.importCandidates(await readGeoFile(file), file.name);
      if (candidates.length === 0) throw new Error(`${file.name} holds no ${kind.importNothing}${skipped ? ` (${skipped} other shapes skipped)` : ''}.`);
      setPreview({ fileName: file.name, candidates, skipped, failures: {} });
      map?.fitTo(showPreview(candidates).flatMap((f) => positionsOf(f.geometry)));
    } catch (error) {
      setProblem(errorText(error));
    }
  }

  async function saveImport() {
    if (!preview) return;
    setSaving(true);
    const failed: C[] = [];
    const failures: Record<number, string> = {};
    const created: T[] = [];
    for (const c of preview.candidates) {
      try {
        created.push((await apiJson<Record<string, T>>(kind.path, { body: kind.importBody(c) }))[kind.itemKey]!);
      } catch (error) {
        failures[failed.length] = errorText(error);
        failed.push(c);
      }
    }
    setSaving(false);
    await queryClient.invalidateQueries({ queryKey: kind.queryKey });
    if (failed.length === 0) {
      cancelImport();
      if (kind.openSingleImport && created.length === 1) openItem(created[0]!);
      setNotice(`Imported ${created.length} ${kind.noun}${created.length === 1 ? '' : 's'} from ${preview.fileName}.`);
    } else {
      setPreview({ ...preview, candidates: failed, failures });
      showPreview(failed);
    }
  }

  function cancelImport() {
    setPreview(null);
    map?.setPreview(null);
  }

  /** Opens a saved item clicked on the map, unless an import or a new item is under way. */
  function openClicked(id: string) {
    const item = items?.find((i) => i.id === id);
    if (item && !preview && !creating) openItem(item);
  }

  return {
    dirty,
    map,
    setMap,
    draft,
    setDraft,
    tool,
    selectedId,
    selected,
    creating,
    open,
    values,
    setValues,
    errors,
    setErrors,
    problem,
    setProblem,
    notice,
    saving,
    confirmDelete,
    setConfirmDelete,
    preview,
    fileInput,
    resetMessages,
    close,
    openItem,
    startDrawing,
    adopt,
    putItem,
    save,
    remove,
    importFile,
    saveImport,
    cancelImport,
    openClicked,
  };
}

export type EditorSession<T extends Stored, V, C> = ReturnType<typeof useEditorSession<T, V, C>>;
