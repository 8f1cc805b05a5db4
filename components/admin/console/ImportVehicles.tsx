'use client';

import { useState } from 'react';
import { RequestError } from '@/components/ui/api-fetch';
import { VEHICLE_CSV_COLUMNS, type ImportRowError } from '@/server/protocol/admin';
import { useImportVehicles } from './admin-api';
import { BUTTON, PRIMARY } from './ui';

const EXAMPLE = `name,deviceId,plate,type,group,driverEmail,speedLimitKmh,capabilities,receptionEnabled
Van 12,van-12,B-GF 12,van,North depot,,90,refrigerated,yes
Truck 3,truck-3,,truck,South depot,,80,,yes`;

/**
 * Bulk import from a CSV file: the server checks every row first and imports all or nothing;
 * a refused file lists each problem by row and column, as a spreadsheet numbers them.
 */
export function ImportVehicles({ onClose }: { onClose: () => void }) {
  const importer = useImportVehicles();
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const rowErrors = importer.error instanceof RequestError ? ((importer.error.details?.errors as ImportRowError[] | undefined) ?? null) : null;

  return (
    <div className="space-y-3 p-4" data-testid="import-vehicles">
      <div className="flex items-start justify-between gap-2">
        <div>
          <h3 className="text-sm font-semibold">Import vehicles from a CSV file</h3>
          <p className="text-xs text-slate-500">
            Columns (header row, any order): {VEHICLE_CSV_COLUMNS.join(', ')}. Name and deviceId are required. Nothing is imported while any row has a problem.
          </p>
        </div>
        <button type="button" className={BUTTON} onClick={onClose}>
          Close
        </button>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <label className={`${BUTTON} cursor-pointer`}>
          Choose a file…
          <input
            type="file"
            accept=".csv,text/csv"
            className="sr-only"
            data-testid="import-file"
            onChange={async (e) => {
              const file = e.target.files?.[0];
              if (!file) return;
              setFileName(file.name);
              setText(await file.text());
              importer.reset();
            }}
          />
        </label>
        {fileName && <span className="text-xs text-slate-600">{fileName}</span>}
        <button type="button" className="text-xs text-slate-500 underline" onClick={() => setText(EXAMPLE)}>
          Fill in an example
        </button>
      </div>
      <textarea
        aria-label="CSV content"
        className="h-32 w-full rounded-md border border-slate-300 p-2 font-mono text-xs"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          importer.reset();
        }}
        placeholder={EXAMPLE}
        data-testid="import-text"
      />
      {importer.isSuccess && (
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-xs text-emerald-800" data-testid="import-done">
          Imported {importer.data} {importer.data === 1 ? 'vehicle' : 'vehicles'}.
        </p>
      )}
      {importer.isError && (
        <div role="alert" className="rounded-md bg-red-50 px-3 py-2 text-xs text-red-800" data-testid="import-errors">
          <p className="font-medium">{rowErrors ? `Nothing was imported: ${rowErrors.length === 1 ? 'one problem' : `${rowErrors.length} problems`} to fix in the file.` : importer.error.message}</p>
          {rowErrors && (
            <table className="mt-2 w-full text-left">
              <thead>
                <tr className="text-red-900">
                  <th className="pr-3 font-medium">Row</th>
                  <th className="pr-3 font-medium">Column</th>
                  <th className="font-medium">Problem</th>
                </tr>
              </thead>
              <tbody>
                {rowErrors.slice(0, 100).map((e, i) => (
                  <tr key={i} data-testid="import-error-row">
                    <td className="pr-3 tabular-nums">{e.row}</td>
                    <td className="pr-3 font-mono">{e.column}</td>
                    <td>{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
      <button type="button" className={PRIMARY} disabled={!text.trim() || importer.isPending} onClick={() => importer.mutate(text)} data-testid="import-submit">
        {importer.isPending ? 'Checking and importing…' : 'Import'}
      </button>
    </div>
  );
}
