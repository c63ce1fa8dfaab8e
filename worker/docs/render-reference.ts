/**
 * Renders the OpenAPI document as a self-contained HTML reference (no CDN: it must work offline and
 * inside the Worker). Every operation lists its parameters, request body schema and responses.
 */
type Json = Record<string, unknown>;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (ch) => ENTITIES[ch] ?? ch);

function schemaName(schema: Json | undefined): string {
  if (!schema) return '';
  const ref = schema.$ref;
  if (typeof ref === 'string') return ref.split('/').pop() ?? ref;
  if (schema.type === 'array') return `${schemaName(schema.items as Json)}[]`;
  if (Array.isArray(schema.enum)) return (schema.enum as unknown[]).map(String).join(' | ');
  return String(schema.type ?? 'object');
}

function renderSchema(name: string, schema: Json): string {
  const props = (schema.properties ?? {}) as Record<string, Json>;
  const required = new Set((schema.required ?? []) as string[]);
  const rows = Object.entries(props)
    .map(
      ([k, v]) =>
        `<tr><td><code>${esc(k)}</code>${required.has(k) ? ' *' : ''}</td><td>${esc(schemaName(v))}</td><td>${esc(v.description ?? '')}</td></tr>`,
    )
    .join('');
  const body = rows ? `<table><tr><th>field</th><th>type</th><th>about</th></tr>${rows}</table>` : `<p>${esc(schemaName(schema))}</p>`;
  return `<section id="schema-${esc(name)}"><h3>${esc(name)}</h3>${body}</section>`;
}

function renderOperation(path: string, method: string, op: Json): string {
  const params = ((op.parameters ?? []) as Json[])
    .map((p) => `<li><code>${esc(p.name)}</code> (${esc(p.in)}${p.required ? ', required' : ''}) ${esc(schemaName(p.schema as Json))}</li>`)
    .join('');
  const body = ((op.requestBody as Json | undefined)?.content as Record<string, Json> | undefined)?.['application/json'];
  const responses = Object.entries((op.responses ?? {}) as Record<string, Json>)
    .map(([code, r]) => {
      const s = (r.content as Record<string, Json> | undefined)?.['application/json']?.schema as Json | undefined;
      return `<li><b>${esc(code)}</b> ${esc(r.description)}${s ? ` — <code>${esc(schemaName(s))}</code>` : ''}</li>`;
    })
    .join('');
  return `<article class="op"><h2><span class="m ${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code></h2>
<p><b>${esc(op.summary)}</b></p>${op.description ? `<p>${esc(op.description)}</p>` : ''}
${params ? `<h4>Parameters</h4><ul>${params}</ul>` : ''}
${body ? `<h4>Body</h4><p><code>${esc(schemaName(body.schema as Json))}</code></p>` : ''}
<h4>Responses</h4><ul>${responses}</ul></article>`;
}

/** Stands for the per-request CSP nonce in the rendered page; withStyleNonce fills it in. */
const STYLE_NONCE = '{{style-nonce}}';

/** The rendered page with its <style> nonce set; a nonce is base64, so it needs no escaping beyond esc. */
export const withStyleNonce = (html: string, nonce: string) => html.replace(STYLE_NONCE, esc(nonce));

/** @example c.html(withStyleNonce(renderReference(app.getOpenAPI31Document(info)), nonce)) */
export function renderReference(doc: Json): string {
  const info = doc.info as Json;
  const paths = (doc.paths ?? {}) as Record<string, Record<string, Json>>;
  const ops = Object.entries(paths).flatMap(([path, methods]) => Object.entries(methods).map(([m, op]) => renderOperation(path, m, op)));
  const schemas = Object.entries(((doc.components as Json | undefined)?.schemas ?? {}) as Record<string, Json>)
    .map(([n, s]) => renderSchema(n, s))
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(info.title)} API reference</title><style nonce="${STYLE_NONCE}">
body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1b1b1f}
code{font:13px ui-monospace,monospace;background:#f1f1f4;padding:0 .25em;border-radius:3px}
.op{border-top:1px solid #ddd;padding:.5rem 0}.m{font:bold 12px ui-monospace,monospace;padding:.1em .5em;border-radius:3px;color:#fff;background:#555}
.get{background:#0072b2}.post{background:#009e73}.put{background:#d55e00}.delete{background:#cc3311}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left;vertical-align:top}
</style></head><body><h1>${esc(info.title)} API reference <small>v${esc(info.version)}</small></h1><p>${esc(info.description)}</p>
<p>Machine-readable: <a href="/v1/openapi.json">/v1/openapi.json</a>. Authenticate with <code>Authorization: Bearer &lt;key&gt;</code>.
Errors are <code>{"error":{"code","message","details"}}</code>; validation errors list field paths in <code>details.issues</code>.</p>
${ops.join('\n')}<h2>Schemas</h2>${schemas}</body></html>`;
}
