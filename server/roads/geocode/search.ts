/**
 * Forward search over a {@link GeocodeIndex}: every typed word must match a word of the entry —
 * exactly, as a prefix, as a partly typed long form ("Stree" → st), or, when that finds too
 * little, within a small edit distance (1 edit for words of 4–7 letters, 2 from 8) — and the
 * entries found are ranked by match quality, how much of their name the query covers, their kind
 * and importance, and their distance from the focus (`near`, else the centre of the tenant's
 * area).
 *
 * Why this design: the vocabulary is sorted, so a prefix is one contiguous range of token ids
 * (two binary searches, no trie), and the candidates come from the postings of the RAREST query
 * word only; the other words are checked against each candidate's few tokens. The typo fallback
 * scans the vocabulary with a bounded edit distance that gives up after a row or two — a few
 * milliseconds for a country-sized vocabulary, and only when exact and prefix matching found fewer
 * results than asked for. A trigram index would make that scan sub-linear at the cost of ~3×
 * the vocabulary's memory; not needed at city or region scale (see docs/geocoding.md).
 */
import { ADDRESS, COL_CONTEXT, COL_HOUSENUMBER, COL_NAME, COL_POSTCODE, COL_STREET, COL_SUBKIND, COLS, KINDS, PLACE, POI, STREET, type GeocodeIndex } from './build';
import type { GeocodeResultDto } from '../../protocol/geocode';
import { boundedDistance } from './edit-distance';
import { expansionsOf, isNumeric, tokenize, typoExpansionsOf } from './normalize';
import { RAD, METERS_PER_DEGREE } from '../graph/geo';

/** One search result, as the endpoint answers it. */
export type GeocodeHit = GeocodeResultDto;

export interface SearchOptions {
  limit?: number;
  /** Rank results near this point higher (more strongly than the default focus). */
  near?: { lng: number; lat: number } | null;
}

export const DEFAULT_LIMIT = 10;
const MAX_QUERY_TOKENS = 8;
/** Kind weight in the score; an address whose house number was typed gets ADDRESS_HIT. */
const KIND_WEIGHT = [0.75, 1, 1, 0.85];
const ADDRESS_HIT = 1.2;

interface Matcher {
  text: string;
  /** Prefix range of token ids [lo, hi) (empty when prefixes are not allowed). */
  lo: number;
  hi: number;
  exact: number;
  /** Further tokens and their quality (long-form expansions, typos). */
  extra: Map<number, number>;
  numeric: boolean;
  /** Postings the matcher reaches (for choosing the rarest). */
  reach: number;
}

export class GeocodeSearcher {
  /** Per-entry stamp of the query that last saw it (no per-query allocation of a set). */
  private readonly seen: Uint32Array;
  private stamp = 0;

  constructor(readonly index: GeocodeIndex) {
    this.seen = new Uint32Array(index.size);
  }

  search(query: string, options: SearchOptions = {}): GeocodeHit[] {
    const limit = Math.max(1, Math.min(50, options.limit ?? DEFAULT_LIMIT));
    const words = tokenize(query).slice(0, MAX_QUERY_TOKENS);
    if (words.length === 0 || this.index.size === 0) return [];
    const matchers = words.map((w, i) => this.matcher(w, i === words.length - 1, words.length === 1));
    // 1: exact and prefix; 2: with typos; 3: one word may stay unmatched.
    let hits = this.run(matchers, 0, limit, options.near ?? null);
    if (hits.length < limit) {
      let typos = false;
      matchers.forEach((m, i) => (typos = this.addTypos(m, i === words.length - 1) || typos));
      if (typos) hits = this.run(matchers, 0, limit, options.near ?? null);
    }
    if (hits.length === 0 && matchers.length >= 2) hits = this.run(matchers, 1, limit, options.near ?? null);
    return hits;
  }

  private matcher(word: string, last: boolean, only: boolean): Matcher {
    const { vocab, postStart } = this.index;
    const numeric = isNumeric(word);
    // Prefixes: for the word being typed (the last), and for other words of 2+ letters; never a
    // non-last number (a house number is typed whole).
    const prefixOk = last ? word.length >= 2 || only : word.length >= 2 && !numeric;
    const lo = lowerBound(vocab, word);
    let hi = lo;
    if (prefixOk) hi = lowerBound(vocab, word + '\uffff');
    else if (vocab[lo] === word) hi = lo + 1;
    const exact = vocab[lo] === word ? lo : -1;
    const extra = new Map<number, number>();
    if (last || !numeric) {
      for (const short of expansionsOf(word)) {
        const id = lowerBound(vocab, short);
        if (vocab[id] === short) extra.set(id, 0.9);
      }
    }
    let reach = postStart[hi]! - postStart[lo]!;
    for (const id of extra.keys()) reach += postStart[id + 1]! - postStart[id]!;
    return { text: word, lo, hi, exact, extra, numeric, reach };
  }

  /** Adds vocabulary words within the typo bound; true when any was found. */
  private addTypos(m: Matcher, last: boolean): boolean {
    if (m.numeric || m.text.length < 4) return false;
    const { vocab, postStart } = this.index;
    const q = m.text;
    const max = q.length >= 8 ? 2 : 1;
    let found = false;
    for (const short of typoExpansionsOf(q, max, (a, b) => boundedDistance(a, b, max, last))) {
      const id = lowerBound(vocab, short);
      if (vocab[id] !== short || (m.extra.get(id) ?? 0) >= 0.8) continue;
      if (!m.extra.has(id)) m.reach += postStart[id + 1]! - postStart[id]!;
      m.extra.set(id, 0.8);
      found = true;
    }
    for (let t = 0; t < vocab.length; t++) {
      const word = vocab[t]!;
      if (last ? word.length < q.length - max : Math.abs(word.length - q.length) > max) continue;
      if (t >= m.lo && t < m.hi) continue;
      if (isNumeric(word)) continue;
      const d = boundedDistance(q, word, max, last);
      if (d === 0 || d > max) continue;
      const quality = 0.62 - 0.12 * (d - 1);
      if ((m.extra.get(t) ?? 0) < quality) {
        if (!m.extra.has(t)) m.reach += postStart[t + 1]! - postStart[t]!;
        m.extra.set(t, quality);
        found = true;
      }
    }
    return found;
  }

  private quality(m: Matcher, token: number): number {
    if (token === m.exact) return 1;
    let q = m.extra.get(token) ?? 0;
    if (token >= m.lo && token < m.hi) q = Math.max(q, 0.7 + (0.25 * m.text.length) / this.index.vocab[token]!.length);
    return q;
  }

  private run(matchers: Matcher[], allowMissing: number, limit: number, near: { lng: number; lat: number } | null): GeocodeHit[] {
    const index = this.index;
    const { post, postStart, entryTok, entryTokStart, entryPrimary, kind } = index;
    const n = matchers.length;
    // Candidates: the postings of the rarest words (one more per word allowed to stay unmatched).
    const order = [...matchers].sort((a, b) => a.reach - b.reach);
    const stamp = this.nextStamp();
    const candidates: number[] = [];
    const collect = (from: number, to: number) => {
      for (let k = from; k < to; k++) {
        const e = post[k]!;
        if (this.seen[e] !== stamp) {
          this.seen[e] = stamp;
          candidates.push(e);
        }
      }
    };
    for (const m of order.slice(0, allowMissing + 1)) {
      collect(postStart[m.lo]!, postStart[m.hi]!);
      for (const id of m.extra.keys()) collect(postStart[id]!, postStart[id + 1]!);
    }

    const focus = near ?? index.centre;
    const kx = Math.cos(focus.lat * RAD);
    const scaleKm = near ? 2 : 10;
    const proxWeight = near ? 0.3 : 0.1;
    const top = new TopK(limit);
    for (const e of candidates) {
      const start = entryTokStart[e]!;
      const end = entryTokStart[e + 1]!;
      const primaryEnd = start + entryPrimary[e]!;
      let sum = 0;
      let matched = 0;
      let primaryMatched = 0;
      let housenumberHit = false;
      for (const m of matchers) {
        let best = 0;
        for (let k = start; k < end; k++) {
          const q = this.quality(m, entryTok[k]!);
          if (q > best) {
            best = q;
            if (q === 1 && m.numeric && kind[e] === ADDRESS && k === start) housenumberHit = true;
          }
        }
        if (best > 0) matched++;
        sum += best;
      }
      if (matched < n - allowMissing) continue;
      for (let k = start; k < primaryEnd; k++) {
        const token = entryTok[k]!;
        if (matchers.some((m) => this.quality(m, token) > 0)) primaryMatched++;
      }
      const text = sum / n;
      const coverage = entryPrimary[e]! > 0 ? primaryMatched / entryPrimary[e]! : 0;
      const kindWeight = housenumberHit ? ADDRESS_HIT : KIND_WEIGHT[kind[e]!]!;
      const dx = (index.lng[e]! - focus.lng) * kx;
      const dy = index.lat[e]! - focus.lat;
      const km = (Math.sqrt(dx * dx + dy * dy) * METERS_PER_DEGREE) / 1000;
      const prox = 1 / (1 + km / scaleKm);
      const score = text * (0.55 + 0.25 * coverage + 0.12 * kindWeight + 0.08 * index.importance[e]!) * (1 - proxWeight + proxWeight * prox);
      top.offer(e, score);
    }
    return top.sorted().map(([e, score]) => this.hit(e, score));
  }

  private nextStamp(): number {
    this.stamp = (this.stamp + 1) >>> 0;
    if (this.stamp === 0) {
      this.seen.fill(0);
      this.stamp = 1;
    }
    return this.stamp;
  }

  /** The answer row of an entry. */
  hit(e: number, score: number): GeocodeHit {
    const index = this.index;
    const col = (c: number): string | undefined => {
      const id = index.cols[e * COLS + c]!;
      return id < 0 ? undefined : index.strings[id];
    };
    const k = index.kind[e]!;
    const name = col(COL_NAME);
    const context = col(COL_CONTEXT);
    let label: string;
    if (k === ADDRESS) {
      const postcode = col(COL_POSTCODE);
      const place = [context, postcode].filter(Boolean).join(' ');
      label = `${col(COL_HOUSENUMBER)} ${col(COL_STREET)}${place ? `, ${place}` : ''}`;
    } else if (k === POI) {
      const street = col(COL_STREET);
      const where = street ? `${col(COL_HOUSENUMBER)} ${street}` : context;
      label = `${name}${where ? `, ${where}` : ''}`;
    } else if (k === STREET) {
      label = `${name}${context ? `, ${context}` : ''}`;
    } else {
      label = name ?? '';
    }
    const hit: GeocodeHit = { kind: KINDS[k]!, label, lng: index.lng[e]!, lat: index.lat[e]!, score: Math.round(score * 1000) / 1000 };
    if (name) hit.name = name;
    const category = k === PLACE || k === POI ? col(COL_SUBKIND) : undefined;
    if (category) hit.category = category;
    if (k === STREET) hit.bbox = [index.bbox[e * 4]!, index.bbox[e * 4 + 1]!, index.bbox[e * 4 + 2]!, index.bbox[e * 4 + 3]!];
    return hit;
  }
}

/** First index whose value is ≥ key. */
function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The k best (entry, score) pairs seen, ties broken by entry id (stable across runs). */
class TopK {
  private readonly items: Array<[number, number]> = [];
  constructor(private readonly k: number) {}

  offer(entry: number, score: number): void {
    const items = this.items;
    if (items.length === this.k) {
      const worst = items[items.length - 1]!;
      if (score < worst[1] || (score === worst[1] && entry > worst[0])) return;
      items.pop();
    }
    let i = items.length;
    while (i > 0 && (items[i - 1]![1] < score || (items[i - 1]![1] === score && items[i - 1]![0] > entry))) i--;
    items.splice(i, 0, [entry, score]);
  }

  sorted(): Array<[number, number]> {
    return this.items;
  }
}
