// The forms in which a secret can leak into a log besides itself: encoded for a URL, escaped for JSON, inside
// base64 (standard or URL-safe, with padding or without, whatever comes before or after it, e.g. `user:token`
// in a Basic header), and in pieces (a long token wrapped or split across lines).

const FRAGMENT = 20;
const STEP = 10;

function unique(values: readonly string[]): string[] {
  return [...new Set(values.filter((value) => value.length >= 8))];
}

/**
 * The base64 text that encodes the value wherever it sits in a longer text: for each of the three byte
 * alignments, the characters that depend on the value's bytes alone (a first or last group that would mix in
 * neighbouring bytes is dropped). Each is given standard, URL-safe and URL-encoded.
 */
export function base64Forms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const forms: string[] = [];
  for (let offset = 0; offset < 3; offset += 1) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const inner = encoded.slice(offset === 0 ? 0 : 4, Math.floor((offset + bytes.length) / 3) * 4);
    forms.push(inner, inner.replace(/\+/g, '-').replace(/\//g, '_'), encodeURIComponent(inner));
  }
  return unique(forms);
}

/** Every whole form of the secret the scan looks for. */
export function leakForms(value: string): string[] {
  return unique([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1), ...base64Forms(value)]);
}

/** Pieces that a leak of any 30 or more consecutive characters of the secret's random part contains. */
export function fragments(value: string): string[] {
  // A JWT's header and claims are shared structure; its signature is what is unique to it.
  const random = value.split('.').length === 3 ? (value.split('.')[2] ?? value) : value;
  if (random.length < FRAGMENT + STEP) return [];
  const pieces: string[] = [];
  for (let start = 0; start + FRAGMENT <= random.length; start += STEP) pieces.push(random.slice(start, start + FRAGMENT));
  return pieces;
}

/** Whether the value is split across the end of one text and the start of the next (each holding a part). */
export function splitAcross(first: string, second: string, value: string): boolean {
  const joined = `${first}${second}`;
  const at = joined.indexOf(value, Math.max(0, first.length - value.length + 1));
  return at >= 0 && at < first.length && at + value.length > first.length;
}
