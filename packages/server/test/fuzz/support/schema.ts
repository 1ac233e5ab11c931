import fc from 'fast-check';

/** A JSON Schema (2020-12) node of the OpenAPI document. */
export type Schema = Record<string, any>;

/** The OpenAPI document's schemas, for resolving `$ref`s. */
export interface SchemaSource {
  components: { schemas: Record<string, Schema> };
}

export function resolve(doc: SchemaSource, schema: Schema): Schema {
  let current = schema;
  while (typeof current.$ref === 'string') current = doc.components.schemas[current.$ref.split('/').pop()!]!;
  return current;
}

/** The leaf schemas a node stands for: `$ref`s followed, `anyOf`/`oneOf` branches spread out. */
function leaves(doc: SchemaSource, schema: Schema): Schema[] {
  const node = resolve(doc, schema);
  const branches = node.anyOf ?? node.oneOf;
  if (branches) return (branches as Schema[]).flatMap((branch) => leaves(doc, branch));
  if (node.allOf) return [Object.assign({}, ...(node.allOf as Schema[]).map((part) => resolve(doc, part)))];
  return [node];
}

/**
 * Ids the fuzzer owns, by the field or parameter name that refers to them, so
 * generated requests reach past the "no such object" checks into the handlers.
 */
export type IdPool = Record<string, string[]>;

export interface ValueContext {
  doc: SchemaSource;
  ids: IdPool;
}

const MAX_DEPTH = 3;

function idFor(ids: IdPool, name: string | undefined): fc.Arbitrary<string> {
  const own = (name && ids[name]) || [];
  return own.length ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...own) }, { weight: 1, arbitrary: fc.uuid() }) : fc.uuid();
}

function textArbitrary(schema: Schema, name: string | undefined): fc.Arbitrary<string> {
  if (name && /url$/i.test(name)) return fc.constantFrom('/media/fuzz.jpg', 'https://cdn.example.com/fuzz.jpg');
  if (typeof schema.pattern === 'string') {
    return fc.stringMatching(new RegExp(schema.pattern)).filter((text) => text.length <= (schema.maxLength ?? Infinity));
  }
  const minLength = Math.max(schema.minLength ?? 0, 1);
  const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? 40, 40));
  return fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 .,-]*$/).filter((text) => text.length >= minLength && text.length <= maxLength);
}

/**
 * Values the schema accepts, as far as JSON Schema says (refinements such as a
 * URL's schemes are not in it; URL fields get URLs of the right kind by name).
 */
export function validValue(ctx: ValueContext, schema: Schema, name?: string, depth = 0): fc.Arbitrary<unknown> {
  const node = resolve(ctx.doc, schema);
  if ('const' in node) return fc.constant(node.const);
  if (Array.isArray(node.enum)) return fc.constantFrom(...node.enum);
  const branches: Schema[] | undefined = node.anyOf ?? node.oneOf;
  if (branches) {
    // Past the depth limit, only the branches that do not recurse.
    const usable = depth >= MAX_DEPTH ? branches.filter((branch) => !['array', 'object'].includes(resolve(ctx.doc, branch).type)) : branches;
    return fc.oneof(...(usable.length ? usable : branches).map((branch) => validValue(ctx, branch, name, depth)));
  }
  if (node.allOf) return validValue(ctx, Object.assign({}, ...(node.allOf as Schema[]).map((part) => resolve(ctx.doc, part))), name, depth);
  switch (node.type) {
    case 'string':
      return node.format === 'uuid' ? idFor(ctx.ids, name) : textArbitrary(node, name);
    case 'integer': {
      const min = Math.max(node.minimum ?? -1000, (node.exclusiveMinimum ?? -Infinity) + 1, -1000);
      return fc.integer({ min, max: Math.max(min, Math.min(node.maximum ?? 1000, 1000)) });
    }
    case 'number':
      return fc.double({ min: Math.max(node.minimum ?? -1000, -1000), max: Math.min(node.maximum ?? 1000, 1000), noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(validValue(ctx, node.items ?? {}, name?.replace(/s$/, ''), depth + 1), { maxLength: Math.min(node.maxItems ?? 3, 3) });
    case 'object': {
      const properties = Object.entries((node.properties ?? {}) as Record<string, Schema>);
      if (properties.length === 0 && node.additionalProperties !== false) {
        const values = depth >= MAX_DEPTH ? fc.oneof(fc.string(), fc.integer(), fc.boolean()) : validValue(ctx, node.additionalProperties ?? {}, undefined, depth + 1);
        return fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), values, { maxKeys: 3 });
      }
      const required = (node.required ?? []) as string[];
      return fc.record(Object.fromEntries(properties.map(([key, child]) => [key, validValue(ctx, child, key, depth + 1)])), {
        requiredKeys: required,
      });
    }
    default:
      // No type: any JSON value (the free-form payload of a custom hotspot).
      return fc.jsonValue({ maxDepth: 2 });
  }
}

export type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'null' | 'array' | 'object';

/**
 * The JSON types the schema allows at a place, or `any` where it allows
 * everything (free-form data): a value of another type there must be refused.
 */
export function allowedTypes(doc: SchemaSource, schemas: Schema[]): Set<JsonType> | 'any' {
  const types = new Set<JsonType>();
  for (const leaf of schemas.flatMap((schema) => leaves(doc, schema))) {
    if ('const' in leaf) types.add(leaf.const === null ? 'null' : (typeof leaf.const as JsonType));
    else if (Array.isArray(leaf.enum)) for (const value of leaf.enum) types.add(value === null ? 'null' : (typeof value as JsonType));
    else if (typeof leaf.type === 'string') types.add(leaf.type as JsonType);
    else return 'any';
  }
  if (types.has('integer')) types.add('number');
  // A union of every JSON type (z.json()) takes anything.
  return ['string', 'number', 'boolean', 'null', 'array', 'object'].every((type) => types.has(type as JsonType)) ? 'any' : types;
}

/** The schemas that a key of an object, or an item of an array, is checked against. */
export function childSchemas(doc: SchemaSource, schemas: Schema[], key: string | number): Schema[] {
  const children: Schema[] = [];
  for (const leaf of schemas.flatMap((schema) => leaves(doc, schema))) {
    if (typeof key === 'number') {
      if (leaf.type === 'array') children.push(leaf.items ?? {});
    } else if (leaf.type === 'object') {
      const child = leaf.properties?.[key] ?? leaf.additionalProperties;
      if (child === undefined || child === true) children.push({});
      else if (child !== false) children.push(child);
    } else if (leaf.type === undefined && !('const' in leaf) && !leaf.enum) {
      children.push({});
    }
  }
  return children;
}
