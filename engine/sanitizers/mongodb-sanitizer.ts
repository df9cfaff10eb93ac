import { maskJsonValues } from './json-values';

/**
 * MongoDB and Amazon DocumentDB statements (`db.system.name` `mongodb`, `documentdb`): the command
 * document as JSON or shell syntax. Operators (`$gt`, `$in`, `$set`), field names and the structure are
 * kept; every value becomes `"?"` (also the collection named by `find`/`insert`/…, as the Collector
 * does), arrays of values collapse to `["?"]`.
 * `{"find":"users","filter":{"email":"jane@example.com","age":{"$gt":30}}}` →
 * `{"find":"?","filter":{"email":"?","age":{"$gt":"?"}}}`. Linear time, never throws.
 */
export function sanitizeMongoDb(statement: string): string {
  return maskJsonValues(statement);
}
