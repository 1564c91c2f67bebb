/** Paths remembered per memo; past it the memory starts over. */
const MEMO_SIZE = 1000;
/** Longer keys are computed every time (they would only fill the memory). */
const MEMO_MAX_KEY = 256;

/**
 * Remembers what a pure function of a request path (and method) gives, for up to 1,000 keys per
 * isolate: the area of a path (src/areas.ts) and a router's match (lib/router.ts) are computed once
 * per path, not on every request.
 */
export class PathMemo<T> {
  readonly #values = new Map<string, T>();

  get(key: string, compute: () => T): T {
    if (key.length > MEMO_MAX_KEY) return compute();
    let value = this.#values.get(key);
    if (value === undefined) {
      value = compute();
      if (this.#values.size >= MEMO_SIZE) this.#values.clear();
      this.#values.set(key, value);
    }
    return value;
  }

  clear() {
    this.#values.clear();
  }
}
