// Score and snippet search candidates: Convex returns matches without scores, so we compute them.

const WORD = /[\p{L}\p{N}]+/gu;
const BEFORE = 6;
const WINDOW = 24;
/** Convex search takes at most 16 terms. */
export const MAX_TERMS = 16;

/** How many candidates to pull from a search index for `limit` hits (Convex caps take() at 1024). */
export function candidates(limit: number): number {
  return Math.min(1024, Math.max(64, limit * 4));
}

/** Search text for a search index: the caller's terms (kb.query.query_terms), capped. */
export function searchText(terms: string[]): string {
  return terms.slice(0, MAX_TERMS).join(" ");
}

function matches(word: string, terms: string[]): boolean {
  const w = word.toLowerCase();
  return terms.some((t) => w === t || w.startsWith(t));
}

function counts(text: string, terms: string[]): number[] {
  const out = terms.map(() => 0);
  for (const [word] of text.matchAll(WORD)) {
    const w = word.toLowerCase();
    terms.forEach((t, i) => {
      if (w === t || w.startsWith(t)) out[i] += 1;
    });
  }
  return out;
}

/** Higher is better: each matched term adds 1 plus a damped weight of its hits (title counts 2x). */
export function score(title: string, body: string, terms: string[]): number {
  const inTitle = counts(title, terms);
  const inBody = counts(body, terms);
  return terms.reduce((sum, _t, i) => {
    const hits = 2 * inTitle[i] + inBody[i];
    return hits > 0 ? sum + 1 + Math.log1p(hits) : sum;
  }, 0);
}

/** A short excerpt around the first matching word, matches in **bold**, cuts marked with an ellipsis. */
export function snippet(text: string, terms: string[]): string {
  const words = [...text.matchAll(WORD)];
  if (words.length === 0) return text.slice(0, 200);
  const first = Math.max(0, words.findIndex(([w]) => matches(w, terms)));
  const from = Math.max(0, first - BEFORE);
  const to = Math.min(words.length, from + WINDOW);
  let out = from > 0 ? "…" : "";
  let at = words[from].index;
  for (const m of words.slice(from, to)) {
    out += text.slice(at, m.index) + (matches(m[0], terms) ? `**${m[0]}**` : m[0]);
    at = m.index + m[0].length;
  }
  return to < words.length ? out + "…" : out + text.slice(at);
}
