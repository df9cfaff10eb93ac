import { CQL, sanitizeSql } from './sql-sanitizer';

/**
 * Cassandra (and ScyllaDB) CQL (`db.system.name` `cassandra`): the SQL tokenizer with CQL's lexical
 * rules. String literals (`'…'`, `$$…$$`), numbers, blobs (`0xCAFE`), durations (`1h30m`) and unquoted
 * UUIDs become `?`; collection literals keep their shape (`{?: ?}`, `[?, ?]`); `--` and `//` comments
 * are removed; identifiers (also `"quoted"`), keywords and bind markers (`?`, `:name`) are kept.
 * Linear time, never throws.
 */
export function sanitizeCql(statement: string): string {
  return sanitizeSql(statement, CQL);
}
