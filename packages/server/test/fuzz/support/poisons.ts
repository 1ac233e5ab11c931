import fc from 'fast-check';
import { allowedTypes, childSchemas, type Schema, type SchemaSource } from './schema.js';

/**
 * Ways to make a JSON value one that an edge must refuse, each placed at a
 * chosen spot of an otherwise valid value. The value stays a JS value;
 * what JSON.stringify cannot write (numbers past a double, nesting deeper
 * than this process's own stack likes) travels as raw text, see `serialize`.
 */
export const VALUE_POISONS = ['nul', 'lone-surrogate', 'deep-nesting', 'prototype-key', 'wrong-type', 'huge-number', 'off-host-url'] as const;
export type ValuePoison = (typeof VALUE_POISONS)[number];

const RAW = '\u0001raw:';

/** JSON text that goes into the body as it is. */
const raw = (text: string) => `${RAW}${text}`;

/** JSON.stringify, with `raw` strings written unquoted. */
export function serialize(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0001raw:((?:[^"\\]|\\.)*)"/g, (_match, text: string) => JSON.parse(`"${text}"`) as string);
}

/** Numbers past every sane bound, and past what a double or an int4 column holds. */
export const HUGE_NUMBERS = ['1e400', '-1e400', '1e300', '-1e300', '2147483648', '-2147483649', '9007199254740993', '18446744073709551616', '1e21', '123456789012345678901234567890'];

/** URLs that look root-relative but that a browser resolves to another host. */
export const OFF_HOST_URLS = [
  '//evil.example/x.jpg',
  '/\\evil.example/x.jpg',
  '\\\\evil.example/x.jpg',
  '\\/evil.example/x.jpg',
  '/\t/evil.example/x.jpg',
  '/\n/evil.example/x.jpg',
  '/\r\n/evil.example/x.jpg',
  ' //evil.example/x.jpg',
  '\t/\\evil.example/x.jpg',
  '/%2F/evil.example/x.jpg',
  '/%5Cevil.example/x.jpg',
  'javascript:alert(1)',
  'data:image/png;base64,AAAA',
];

const WRONG_TYPE_VALUES: [type: string, value: unknown][] = [
  ['string', 'fuzz'],
  ['number', 12345],
  ['boolean', true],
  ['null', null],
  ['array', []],
  ['array', ['fuzz', 1]],
  ['object', {}],
  ['object', { value: 'fuzz' }],
];

const jsonType = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/** A place in a value: an array index or an object key, from the root. */
type Path = (string | number)[];

interface Place {
  path: Path;
  value: unknown;
  /** What the schema says about this place (empty: nothing, any value goes). */
  schemas: Schema[];
}

function placesOf(doc: SchemaSource, root: unknown, schema: Schema | undefined): Place[] {
  const places: Place[] = [];
  const stack: Place[] = [{ path: [], value: root, schemas: schema ? [schema] : [] }];
  while (stack.length) {
    const place = stack.pop()!;
    places.push(place);
    const { value } = place;
    if (value === null || typeof value !== 'object') continue;
    for (const [key, child] of Object.entries(value)) {
      const step = Array.isArray(value) ? Number(key) : key;
      stack.push({ path: [...place.path, step], value: child, schemas: place.schemas.length ? childSchemas(doc, place.schemas, step) : [] });
    }
  }
  return places;
}

function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  let parent = root as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  // defineProperty, so a key named __proto__ is an own property (as JSON.parse makes it), not the prototype.
  Object.defineProperty(parent, path.at(-1)!, { value, enumerable: true, writable: true, configurable: true });
  return root;
}

function insertInto(text: string, insert: string, at: number): string {
  const index = Math.min(at, text.length);
  return text.slice(0, index) + insert + text.slice(index);
}

function nested(depth: number, shape: 'array' | 'object'): string {
  return shape === 'array' ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** `value` made refusable by `poison`, or undefined when the value has no place for that poison. */
export function poisonValue(
  doc: SchemaSource,
  value: unknown,
  schema: Schema | undefined,
  poison: ValuePoison,
  pick: (count: number) => number,
): { value: unknown; where: string } | undefined {
  const copy = JSON.parse(JSON.stringify(value ?? {})) as unknown;
  const places = placesOf(doc, copy, schema);
  const objects = places.filter((place) => jsonType(place.value) === 'object');
  const choose = <T>(items: T[]) => (items.length ? items[pick(items.length)] : undefined);
  const describe = (path: Path) => (path.length ? path.join('.') : '(root)');
  switch (poison) {
    case 'nul':
    case 'lone-surrogate': {
      const bad = poison === 'nul' ? '\u0000' : String.fromCharCode(0xd800 + pick(0x800));
      const strings = places.filter((place) => typeof place.value === 'string');
      const target = choose([...strings, ...objects]);
      if (!target) return undefined;
      if (typeof target.value === 'string') {
        return { value: setAt(copy, target.path, insertInto(target.value, bad, pick(target.value.length + 1))), where: describe(target.path) };
      }
      const key = insertInto('fuzz', bad, pick(5));
      return { value: setAt(copy, [...target.path, key], pick(2) ? 'x' : insertInto('x', bad, 1)), where: `${describe(target.path)} (a key)` };
    }
    case 'deep-nesting': {
      // Mostly where the schema takes any JSON (free-form data), which is where code recurses into it.
      const freeForm = places.filter((place) => place.path.length > 0 && (place.schemas.length === 0 || allowedTypes(doc, place.schemas) === 'any'));
      const target = (pick(4) && choose(freeForm)) || choose(places)!;
      const depth = [100, 2_000, 5_000][pick(3)]!;
      return { value: setAt(copy, target.path, raw(nested(depth, pick(2) ? 'array' : 'object'))), where: `${describe(target.path)} (${depth} levels)` };
    }
    case 'prototype-key': {
      const target = choose(objects);
      if (!target) return undefined;
      const [key, inner] = pick(2) ? ['__proto__', { isFeatured: true, role: 'admin' }] : ['constructor', { prototype: { role: 'admin' } }];
      return { value: setAt(copy, [...target.path, key], inner), where: `${describe(target.path)}.${key}` };
    }
    case 'wrong-type': {
      const typed = places.flatMap((place) => {
        const types = place.schemas.length ? allowedTypes(doc, place.schemas) : 'any';
        return types === 'any' ? [] : [{ place, types }];
      });
      const target = choose(typed);
      if (!target) return undefined;
      const wrong = WRONG_TYPE_VALUES.filter(([type]) => !target.types.has(type as never) && !(type === 'number' && target.types.has('integer')));
      const [type, replacement] = choose(wrong)!;
      return { value: setAt(copy, target.place.path, replacement), where: `${describe(target.place.path)} (${type})` };
    }
    case 'huge-number': {
      const numeric = places.filter((place) => {
        const types = place.schemas.length ? allowedTypes(doc, place.schemas) : 'any';
        return types !== 'any' && types.has('number');
      });
      const target = choose(numeric);
      if (!target) return undefined;
      const number = HUGE_NUMBERS[pick(HUGE_NUMBERS.length)]!;
      return { value: setAt(copy, target.path, raw(number)), where: `${describe(target.path)} = ${number}` };
    }
    case 'off-host-url': {
      const urls = places.filter((place) => /url$/i.test(String(place.path.at(-1) ?? '')) && place.schemas.length > 0);
      const target = choose(urls);
      if (!target) return undefined;
      const url = OFF_HOST_URLS[pick(OFF_HOST_URLS.length)]!;
      return { value: setAt(copy, target.path, url), where: `${describe(target.path)} = ${JSON.stringify(url)}` };
    }
  }
}

/** Strings that break naive handling of text: controls, odd Unicode, encodings, injections. */
export const nastyText = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\udc00y',
  '\ufeff',
  '\u202e',
  '😀',
  'Ω≈ç√',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '../../../etc/passwd',
  '%00',
  '%ED%A0%80',
  '__proto__',
  'constructor',
  'prototype',
  'NaN',
  '-Infinity',
  'null',
  '[object Object]',
  '-271821-04-20T00:00:00Z',
  '275760-09-13T00:00:00.000Z',
  '0000-00-00',
  'x'.repeat(5_000),
);
