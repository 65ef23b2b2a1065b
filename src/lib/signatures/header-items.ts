/**
 * The non-empty values of the items of a delimited signature header that start with `prefix`, in
 * order: `t=…,v1=…,v1=…` (Stripe, delimiter ",") or `v1,… v1,…` (Standard Webhooks, delimiter " ").
 * `prefix` must not contain the delimiter. One scan with indexOf, by hand: this runs on every
 * delivery, and splitting first allocates every part of the header.
 */
export function headerItems(header: string, delimiter: string, prefix: string): string[] {
  const values: string[] = []
  let start = 0
  while (start <= header.length) {
    const found = header.indexOf(delimiter, start)
    const end = found === -1 ? header.length : found
    if (end > start + prefix.length && header.startsWith(prefix, start)) {
      values.push(header.slice(start + prefix.length, end))
    }
    start = end + 1
  }
  return values
}
