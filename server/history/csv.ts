/** CSV cells for report files and history archives (RFC 4180). */

/** A CSV cell: quoted when needed; text that a spreadsheet would run as a formula is prefixed with '. */
export function csvCell(v: string | number | Date | null): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = v instanceof Date ? isoSeconds(v) : v;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const isoSeconds = (d: Date): string => d.toISOString().slice(0, 19).replace('T', ' ');
