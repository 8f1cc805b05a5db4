const ENTRIES = [
  { label: 'Moving', swatch: 'bg-emerald-500' },
  { label: 'Stopped', swatch: 'bg-amber-500' },
  { label: 'No speed', swatch: 'bg-slate-500' },
  { label: 'Offline', swatch: 'bg-slate-400/60' },
];

/** Key of the vehicle colors (VEHICLE_COLORS in vehicle-store.ts, same Tailwind shades). */
export function SpeedLegend() {
  return (
    <div className="pointer-events-none absolute bottom-3 left-3 z-10 flex gap-3 rounded-lg bg-white/90 px-3 py-1.5 text-xs text-slate-700 shadow">
      {ENTRIES.map(({ label, swatch }) => (
        <span key={label} className="flex items-center gap-1.5">
          <span className={`h-2.5 w-2.5 rounded-full ${swatch}`} />
          {label}
        </span>
      ))}
    </div>
  );
}
