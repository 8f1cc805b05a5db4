/**
 * Text → search tokens, the same way for what is indexed and what is typed: lower case, accents
 * and apostrophes dropped, anything else that is not a letter or digit splits tokens, and the
 * common street words and compass prefixes folded to one form ("East Pratt Street" and
 * "E Pratt St" are both `e pratt st`). Folding to the SHORT form keeps the index small and makes
 * "St"/"Street" and "E"/"East" equal; a partly typed long form ("Stree") is recognized by
 * {@link expansionsOf}.
 */

/** Long form → the short form both sides are folded to (US/UK/DE usage in OSM names). */
const FOLD: Record<string, string> = {
  street: 'st',
  avenue: 'ave',
  av: 'ave',
  road: 'rd',
  boulevard: 'blvd',
  drive: 'dr',
  lane: 'ln',
  place: 'pl',
  court: 'ct',
  terrace: 'ter',
  highway: 'hwy',
  parkway: 'pkwy',
  expressway: 'expy',
  square: 'sq',
  alley: 'aly',
  circle: 'cir',
  mount: 'mt',
  fort: 'ft',
  north: 'n',
  south: 's',
  east: 'e',
  west: 'w',
  northeast: 'ne',
  northwest: 'nw',
  southeast: 'se',
  southwest: 'sw',
  strasse: 'str',
  straße: 'str',
};

const LONG_FORMS = Object.keys(FOLD).filter((w) => w.length > 2);

/** The folded form of one lower-case word. */
export function fold(word: string): string {
  return FOLD[word] ?? word;
}

/** Lower case, no accents, no apostrophes; other punctuation becomes spaces. */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/['’`]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Search tokens of a text: normalized words, folded ("street" → "st"). Empty words dropped. */
export function tokenize(text: string): string[] {
  const norm = normalizeText(text);
  if (norm === '') return [];
  return norm.split(' ').map(fold);
}

/**
 * Short forms whose long form starts with `partial` (a word being typed: "stre" → ["st"],
 * "ea" → ["e"]), for words of at least two letters that are not already a long form.
 */
export function expansionsOf(partial: string): string[] {
  if (partial.length < 2 || FOLD[partial] !== undefined) return [];
  const out: string[] = [];
  for (const long of LONG_FORMS) if (long.length > partial.length && long.startsWith(partial) && !out.includes(FOLD[long]!)) out.push(FOLD[long]!);
  return out;
}

/** Short forms of long forms within `max` edits of `word` ("avnue" → ["ave"]), for the typo fallback. */
export function typoExpansionsOf(word: string, max: number, distance: (a: string, b: string) => number): string[] {
  const out: string[] = [];
  for (const long of LONG_FORMS) if (long.length >= 4 && distance(word, long) <= max && !out.includes(FOLD[long]!)) out.push(FOLD[long]!);
  return out;
}

/** True for tokens that start with a digit (house numbers, postcodes). */
export function isNumeric(token: string): boolean {
  const c = token.charCodeAt(0);
  return c >= 48 && c <= 57;
}
