/** Longest text shown in one cell; the rest is cut with an ellipsis. */
const MAX_CELL = 80

/** One line per cell (newlines and runs of spaces folded), cut at {@link MAX_CELL} characters. */
function cell(value: string | number | null | undefined): string {
  const text = value === null || value === undefined || value === "" ? "-" : String(value).replace(/\s+/g, " ").trim()
  return text.length > MAX_CELL ? `${text.slice(0, MAX_CELL - 1)}…` : text
}

/** A plain-text table: a header row, then one row per entry, columns padded to their widest cell. */
export function formatTable(headers: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | null | undefined>>): string {
  const cells = [headers.map(cell), ...rows.map((row) => row.map(cell))]
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => row[column]?.length ?? 0)))
  return cells
    .map((row) => row.map((text, column) => (column === row.length - 1 ? text : text.padEnd(widths[column]))).join("  "))
    .join("\n")
}
