// One ordering for everything the generator sorts: UTF-16 code-unit order, like Array#sort's
// default. localeCompare depends on the machine's ICU locale, which would break byte-identical output.

/** Compares two strings by code units (locale-independent). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Comparator for objects by a string field. */
export function by<T>(key: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => compareStrings(key(a), key(b));
}
