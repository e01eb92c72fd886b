import { ExperimentSchema } from './schema';

type SchemaNode = { [key: string]: unknown };

/**
 * Fields with a default are required in the engine's types (the validator fills
 * them in) but optional for someone writing the file: drop them from `required`.
 */
function relaxDefaults(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(relaxDefaults);
  if (node === null || typeof node !== 'object') return node;
  const out: SchemaNode = {};
  for (const [k, v] of Object.entries(node)) out[k] = relaxDefaults(v);
  const props = out.properties as Record<string, SchemaNode> | undefined;
  if (props && Array.isArray(out.required)) {
    out.required = out.required.filter((name) => props[name]?.default === undefined);
    if ((out.required as unknown[]).length === 0) delete out.required;
  }
  return out;
}

/** The experiment schema as JSON Schema text (draft-07 keywords), for editors. */
export function experimentJsonSchemaText(): string {
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    ...(relaxDefaults(ExperimentSchema) as SchemaNode),
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}
