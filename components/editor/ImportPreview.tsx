'use client';

import { buttonClass, Notice } from './ui';

/** What a file will become, before anything is saved; failures stay listed with the server's reason. */
export function ImportPreview({
  fileName,
  items,
  skipped,
  failures,
  noun,
  saving,
  editable,
  onSave,
  onCancel,
}: {
  fileName: string;
  items: Array<{ name: string; detail: string }>;
  skipped: number;
  failures: Record<number, string>;
  noun: string;
  saving: boolean;
  editable: boolean;
  onSave: () => void;
  onCancel: () => void;
}) {
  return (
    <section className="space-y-3" data-testid="import-preview">
      <div>
        <h2 className="text-sm font-semibold text-slate-900">Import preview</h2>
        <p className="text-xs text-slate-500">
          {fileName}: {items.length} {noun}
          {items.length === 1 ? '' : 's'} to create
          {skipped > 0 ? `, ${skipped} other shape${skipped === 1 ? '' : 's'} skipped` : ''}. Shown dashed on the map.
        </p>
      </div>
      <ul className="divide-y divide-slate-200 rounded-md border border-slate-200 bg-white">
        {items.map((item, i) => (
          <li key={i} className="px-3 py-2 text-sm" data-testid="import-item">
            <div className="font-medium text-slate-800">{item.name}</div>
            <div className="text-xs text-slate-500">{item.detail}</div>
            {failures[i] && <p className="mt-1 text-xs text-red-700" role="alert">{failures[i]}</p>}
          </li>
        ))}
      </ul>
      {Object.keys(failures).length > 0 && <Notice tone="error">Some items were refused and were not saved; the others were.</Notice>}
      <div className="flex gap-2">
        {editable && (
          <button type="button" className={buttonClass.primary} onClick={onSave} disabled={saving || items.length === 0}>
            {saving ? 'Saving…' : `Save ${items.length} ${noun}${items.length === 1 ? '' : 's'}`}
          </button>
        )}
        <button type="button" className={buttonClass.secondary} onClick={onCancel} disabled={saving}>
          Cancel
        </button>
      </div>
    </section>
  );
}
