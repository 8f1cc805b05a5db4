'use client';

import { useState } from 'react';
import type { VehicleInfo } from '@/server/protocol/fleet';
import type { VehicleStore } from './vehicle-store';

const MAX_RESULTS = 8;

/** Find a vehicle by name or plate among those on the map; choosing one selects it and flies there. */
export function VehicleSearch({ store, onChoose }: { store: VehicleStore; onChoose: (id: string) => void }) {
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const results: VehicleInfo[] = open ? store.search(text, MAX_RESULTS) : [];
  const choose = (info: VehicleInfo) => {
    onChoose(info.id);
    setText(info.name);
    setOpen(false);
  };
  return (
    <div className="relative w-full max-w-72">
      <input
        type="search"
        role="combobox"
        aria-expanded={results.length > 0}
        aria-controls="vehicle-search-results"
        aria-label="Search vehicles by name or plate"
        placeholder="Search vehicle or plate…"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && results[0]) choose(results[0]);
          if (e.key === 'Escape') setOpen(false);
        }}
        className="w-full rounded-md border border-slate-700 bg-slate-800 px-3 py-1 text-sm text-white placeholder:text-slate-400 outline-none focus:border-emerald-500"
      />
      {open && text.trim() && (
        <ul id="vehicle-search-results" role="listbox" className="absolute left-0 right-0 top-full z-30 mt-1 overflow-hidden rounded-lg border border-slate-200 bg-white py-1 text-sm text-slate-800 shadow-xl">
          {results.length === 0 && <li className="px-3 py-1.5 text-slate-500">No vehicle matches “{text.trim()}”</li>}
          {results.map((info) => (
            <li key={info.id} role="option" aria-selected={false}>
              <button type="button" onMouseDown={(e) => e.preventDefault()} onClick={() => choose(info)} className="flex w-full items-center justify-between gap-2 px-3 py-1.5 text-left hover:bg-slate-100">
                <span className="font-medium">{info.name}</span>
                <span className="text-xs text-slate-500">{info.plate ?? info.type}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
