/** The human-readable API reference: plain HTML rendered from the OpenAPI document, no scripts, no CDN. */

type Json = Record<string, any>;

const escape = (value: unknown) =>
  String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A one-line type for a schema, e.g. `string (uuid)`, `"a" | "b"`, `Tour[]`. */
function typeOf(schema: Json | undefined): string {
  if (!schema) return 'any';
  if (schema.$ref) {
    const name = String(schema.$ref).split('/').at(-1);
    return `<a href="#schema-${escape(name)}">${escape(name)}</a>`;
  }
  if (schema.const !== undefined) return `<code>${escape(JSON.stringify(schema.const))}</code>`;
  if (schema.enum) return schema.enum.map((value: unknown) => `<code>${escape(JSON.stringify(value))}</code>`).join(' | ');
  for (const key of ['anyOf', 'oneOf'] as const) {
    if (schema[key]) return schema[key].map((option: Json) => typeOf(option)).join(' | ');
  }
  if (Array.isArray(schema.type)) return schema.type.map((type: string) => typeOf({ ...schema, type })).join(' | ');
  if (schema.type === 'array') return `${typeOf(schema.items)}[]`;
  if (schema.type === 'object' && schema.properties) return 'object';
  const limits = [
    schema.format,
    schema.minimum !== undefined && `≥ ${schema.minimum}`,
    schema.maximum !== undefined && `≤ ${schema.maximum}`,
    schema.maxLength !== undefined && `≤ ${schema.maxLength} chars`,
  ].filter(Boolean);
  return `${escape(schema.type ?? 'any')}${limits.length ? ` <small>(${escape(limits.join(', '))})</small>` : ''}`;
}

/** A table of an object schema's fields; a union shows one table per variant. */
function fields(schema: Json, depth = 0): string {
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants && !schema.properties) {
    return variants.map((variant: Json, index: number) => `<p class="variant">Variant ${index + 1}</p>${fields(variant, depth)}`).join('');
  }
  if (!schema.properties) return `<p>${typeOf(schema)}</p>`;
  const required = new Set<string>(schema.required ?? []);
  const rows = Object.entries(schema.properties as Record<string, Json>).map(([name, property]) => {
    const nested = property.type === 'object' && property.properties && depth < 2 ? fields(property, depth + 1) : '';
    const fallback = property.default !== undefined ? ` <small>default ${escape(JSON.stringify(property.default))}</small>` : '';
    return `<tr><td><code>${escape(name)}</code>${required.has(name) ? ' <b>*</b>' : ''}</td><td>${typeOf(property)}${fallback}${property.description ? `<br><small>${escape(property.description)}</small>` : ''}${nested}</td></tr>`;
  });
  return `<table><tbody>${rows.join('')}</tbody></table>`;
}

/** What an answer carries: its schema, a problem and when, or no content. */
function answerOf(answer: Json): string {
  const [contentType, media] = Object.entries((answer.content ?? {}) as Record<string, Json>)[0] ?? [];
  if (!contentType) return `<small>${escape(answer.description)}</small>`;
  if (contentType === 'application/json' && media!.schema?.$ref) return typeOf(media!.schema);
  return `${contentType === 'application/problem+json' ? '<a href="#schema-Problem">Problem</a>' : `<code>${escape(contentType)}</code>`} <small>${escape(answer.description)}</small>`;
}

const SCHEME_NAMES: Record<string, string> = { bearerToken: 'bearer token', sessionCookie: 'session cookie', csrfToken: 'X-CSRF-Token' };

/** The security requirements in words: alternatives joined by "or", an empty one as "anonymous". */
function accessOf(security: Json[]): string {
  if (security.length === 0) return 'no authentication';
  return security
    .map((requirement) => (Object.keys(requirement).length ? Object.keys(requirement).map((name) => SCHEME_NAMES[name] ?? name).join(' + ') : 'anonymous'))
    .join(', or ');
}

export function renderDocsPage(document: Json): string {
  const byTag = new Map<string, string[]>();
  for (const [path, methods] of Object.entries(document.paths as Record<string, Record<string, Json>>)) {
    for (const [method, operation] of Object.entries(methods)) {
      const tag = operation.tags?.[0] ?? 'Other';
      const parameters = (operation.parameters ?? []) as Json[];
      const body = operation.requestBody?.content;
      const bodySchema = body?.['application/json']?.schema ?? body?.['multipart/form-data']?.schema;
      const answers = Object.entries(operation.responses as Record<string, Json>)
        .filter(([status]) => status !== 'default')
        .map(([status, answer]) => `<li><b>${escape(status)}</b> ${answerOf(answer)}</li>`);
      const html = `<section class="op" id="${escape(operation.operationId)}">
        <h3><span class="method ${escape(method)}">${escape(method.toUpperCase())}</span> <code>${escape((operation.servers ?? document.servers)[0].url.replace(/\/$/, '') + path)}</code></h3>
        <p>${escape(operation.summary)} <small>(${escape(accessOf(operation.security ?? document.security ?? []))})</small>${operation.description ? ` <small>${escape(operation.description)}</small>` : ''}</p>
        ${parameters.length ? `<h4>Parameters</h4><table><tbody>${parameters.map((p) => `<tr><td><code>${escape(p.name)}</code>${p.required ? ' <b>*</b>' : ''} <small>${escape(p.in)}</small></td><td>${typeOf(p.schema)}</td></tr>`).join('')}</tbody></table>` : ''}
        ${bodySchema ? `<h4>Body ${body['multipart/form-data'] ? '<small>multipart/form-data</small>' : ''}</h4>${bodySchema.$ref ? fields(document.components.schemas[String(bodySchema.$ref).split('/').at(-1)!]) : fields(bodySchema)}` : ''}
        <h4>Answers</h4><ul>${answers.join('')}<li><b>other</b> ${answerOf(operation.responses.default)}</li></ul>
      </section>`;
      byTag.set(tag, [...(byTag.get(tag) ?? []), html]);
    }
  }
  const schemaSections = Object.entries(document.components.schemas as Record<string, Json>)
    .map(([name, schema]) => `<section class="schema" id="schema-${escape(name)}"><h3>${escape(name)}</h3>${fields(schema)}</section>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(document.info.title)}</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0; color: #1d2430; display: grid; grid-template-columns: 14rem 1fr; }
  nav { position: sticky; top: 0; height: 100vh; overflow: auto; background: #f3f5f8; padding: 1rem; box-sizing: border-box; }
  nav a { display: block; color: inherit; text-decoration: none; padding: .15rem 0; }
  main { padding: 1rem 2rem; max-width: 60rem; }
  .op, .schema { border-top: 1px solid #dde2ea; padding: .5rem 0 1rem; }
  .method { display: inline-block; min-width: 4.5rem; text-align: center; border-radius: 4px; color: #fff; font-size: .8rem; padding: .1rem .3rem; }
  .get { background: #2b7bb9; } .post { background: #2f9e44; } .patch, .put { background: #d9480f; } .delete { background: #c92a2a; }
  table { border-collapse: collapse; width: 100%; margin: .25rem 0; } td { border: 1px solid #e3e7ee; padding: .25rem .5rem; vertical-align: top; }
  td:first-child { width: 14rem; } .variant { margin: .5rem 0 0; font-weight: 600; } code { font-size: .9em; }
</style></head><body>
<nav><strong>${escape(document.info.title)}</strong>${[...byTag.keys()].map((tag) => `<a href="#tag-${escape(tag)}">${escape(tag)}</a>`).join('')}<a href="#schemas">Schemas</a><a href="${escape(document.servers[0].url)}/openapi.json">openapi.json</a></nav>
<main><h1>${escape(document.info.title)}</h1><p>${escape(document.info.description)}</p>
${[...byTag.entries()].map(([tag, html]) => `<h2 id="tag-${escape(tag)}">${escape(tag)}</h2>${html.join('')}`).join('')}
<h2 id="schemas">Schemas</h2>${schemaSections}
</main></body></html>`;
}
