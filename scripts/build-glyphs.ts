// Generates the basemap's glyph PBFs (SDF) into public/fonts/{fontstack}/{start}-{end}.pbf from
// the Noto Sans TTFs of @expo-google-fonts/noto-sans (SIL Open Font License 1.1), so map labels
// need no font server and no internet. Run by scripts/postinstall.mjs; skips fonts already built
// from the same file. Font stack names are those of the Protomaps basemap style, which the
// MAP_PMTILES option draws with the same glyphs.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import opentype from 'opentype.js';
import { encodeGlyphRange, GLYPH_SIZE, rasterizeGlyph, type Glyph, type PathCommand } from '../server/basemap/glyphs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

export const FONTS: Record<string, string> = {
  'Noto Sans Regular': '@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf',
  'Noto Sans Medium': '@expo-google-fonts/noto-sans/500Medium/NotoSans_500Medium.ttf',
  'Noto Sans Bold': '@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf',
  'Noto Sans Italic': '@expo-google-fonts/noto-sans/400Regular_Italic/NotoSans_400Regular_Italic.ttf',
};

function buildFont(name: string, file: string, outDir: string): number {
  const buffer = readFileSync(file);
  const font = opentype.parse(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength));
  const scale = GLYPH_SIZE / font.unitsPerEm;
  const byRange = new Map<number, Glyph[]>();
  const cmap = font.tables.cmap as { glyphIndexMap: Record<number, number> } | undefined;
  if (!cmap) throw new Error(`${file}: no cmap table`);
  for (const [key, index] of Object.entries(cmap.glyphIndexMap)) {
    const codePoint = Number(key);
    if (codePoint > 0xffff) continue; // MapLibre asks for ranges up to 65535
    const glyph = font.glyphs.get(index);
    const path = glyph.getPath(0, 0, GLYPH_SIZE);
    const start = codePoint - (codePoint % 256);
    const list = byRange.get(start) ?? [];
    list.push(rasterizeGlyph(codePoint, path.commands as PathCommand[], (glyph.advanceWidth ?? 0) * scale));
    byRange.set(start, list);
  }
  mkdirSync(outDir, { recursive: true });
  // Every range file exists (possibly empty), so MapLibre never gets a 404 for a label's text.
  for (let start = 0; start < 65536; start += 256) {
    const glyphs = (byRange.get(start) ?? []).sort((a, b) => a.id - b.id);
    writeFileSync(join(outDir, `${start}-${start + 255}.pbf`), encodeGlyphRange(name, start, glyphs));
  }
  return [...byRange.values()].reduce((n, list) => n + list.length, 0);
}

export function buildGlyphs(): void {
  for (const [name, path] of Object.entries(FONTS)) {
    const file = require.resolve(path);
    const outDir = join(root, 'public/fonts', name);
    const stamp = join(outDir, '.built');
    if (existsSync(stamp) && readFileSync(stamp, 'utf8') === `${statSync(file).size}`) continue;
    const started = Date.now();
    const count = buildFont(name, file, outDir);
    writeFileSync(stamp, `${statSync(file).size}`);
    console.log(`build-glyphs: public/fonts/${name} (${count} glyphs, ${Date.now() - started} ms)`);
  }
}

buildGlyphs();
