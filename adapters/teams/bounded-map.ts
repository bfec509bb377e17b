/**
 * A Map that keeps at most `max` entries: `set` makes its key the newest, and past `max` the
 * oldest goes. Reads (`get`, `has`) are Map's own and leave the order alone, so a cache that
 * refreshes an entry by setting it again is an LRU over its writes, and one that sets each key
 * once drops in insertion order.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(readonly max: number) {
    super();
  }

  override set(key: K, value: V): this {
    super.delete(key);
    super.set(key, value);
    if (this.size > this.max) super.delete(this.keys().next().value!);
    return this;
  }
}
