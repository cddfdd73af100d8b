/**
 * Name maps over the ISA's tables: `REG.a0`, `CAUSE.ILLEGAL_INSTRUCTION`,
 * keyed by the rows' literal names, so a misspelt name is a type error
 * rather than `undefined` at run time.
 */

/** { [row[key]]: row[value] } for every row, typed by the rows' literal names. */
export function byName<const R extends readonly Readonly<Record<K, string> & Record<V, unknown>>[], K extends string, V extends string>(
  rows: R, key: K, value: V,
): { readonly [N in R[number][K]]: Extract<R[number], Record<K, N>>[V] } {
  return Object.fromEntries(rows.map((r) => [r[key], r[value]])) as never;
}
