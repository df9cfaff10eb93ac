import { maskJsonValues } from './json-values';

/**
 * Elasticsearch and OpenSearch query DSL (`db.system.name` `elasticsearch`, `opensearch`): the request
 * body as JSON or NDJSON (`_bulk`, `_msearch`). Query clauses (`bool`, `match`, `range`, `gte`) and
 * field names are kept; every value becomes `"?"`, including `query_string` texts and script
 * parameters. `{"query":{"match":{"title":"jane"}}}` → `{"query":{"match":{"title":"?"}}}`.
 * Linear time, never throws.
 */
export function sanitizeElasticsearch(statement: string): string {
  return maskJsonValues(statement);
}
