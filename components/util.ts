/** A new record with `fn` applied to each value of `record`, keys unchanged. */
export function mapValues<K extends string, V, R>(
    record: Record<K, V>,
    fn: (value: V, key: K) => R,
): Record<K, R> {
    return Object.fromEntries(
        Object.entries(record).map(([key, value]) => [key, fn(value as V, key as K)]),
    ) as Record<K, R>;
}

/** One record from several whose keys must not collide; a key defined twice is a wiring error. */
export function mergeDistinct<V>(what: string, ...records: Record<string, V>[]): Record<string, V> {
    const merged: Record<string, V> = {};
    for (const record of records) {
        for (const [key, value] of Object.entries(record)) {
            if (key in merged) {
                throw new Error(`${what} ${key} is declared twice`);
            }
            merged[key] = value;
        }
    }
    return merged;
}
