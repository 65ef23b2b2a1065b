/** A raw statement as knex builds it: driver options (a prepared statement's name) and a cancelling timeout. */
export type RawStatement = {
  options(options: { name: string }): RawStatement
  timeout(ms: number, options: { cancel: boolean }): PromiseLike<unknown>
}

/** What the inbox's hand-written statements need of the module's knex instance (the PostgreSQL driver answers `{ rows }`). */
export type RawRunner = { raw(sql: string, bindings: unknown[]): RawStatement }
