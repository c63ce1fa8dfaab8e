import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import adapter from '@sveltejs/adapter-static';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// Single-page app: the Worker serves build/ as static assets and answers unknown paths with
// index.html (wrangler.toml `not_found_handling`), so every route renders in the browser.
/**
 * The one style attribute in the built app: SvelteKit's own route announcer (the visually hidden
 * aria-live region in its root.svelte) carries an inline `style="..."`. Its hash, read from the kit
 * installed, goes in style-src-attr with 'unsafe-hashes', which allows exactly that attribute value
 * and no other. The build fails if the announcer no longer looks like this (then look again).
 */
function announcerStyleHash(): `sha256-${string}` {
  const kitDir = dirname(createRequire(import.meta.url).resolve('@sveltejs/kit/package.json'));
  const root = readFileSync(join(kitDir, 'src/runtime/components/root.svelte'), 'utf8');
  const style = /id="svelte-announcer"[^>]*?\sstyle="([^"]*)"/.exec(root)?.[1];
  if (!style) throw new Error(`no style attribute on the svelte-announcer in ${kitDir}/src/runtime/components/root.svelte`);
  return `sha256-${createHash('sha256').update(style).digest('base64')}`;
}

// CSP: the build writes it into index.html as a <meta>, with the hash of SvelteKit's inline bootstrap
// <script> added to script-src (mode 'hash'; the page is prerendered, so no nonce). Everything else is
// this origin's: the JS and CSS files, /favicon.svg and the API (/v1). No 'unsafe-inline' for styles:
// Svelte's style: directives and chart.js size canvases through the CSSOM (element.style), which a CSP
// does not restrict, app.html has no style attribute, and the announcer's is allowed by its hash.
// A <meta> CSP cannot carry frame-ancestors, so that and the other headers are in static/_headers,
// which the assets layer applies.
const csp: NonNullable<Parameters<typeof sveltekit>[0]>['csp'] = {
  mode: 'hash',
  directives: {
    'default-src': ['none'],
    'script-src': ['self'],
    'style-src': ['self'],
    'style-src-attr': ['unsafe-hashes', announcerStyleHash()],
    'img-src': ['self'],
    'connect-src': ['self'],
    'base-uri': ['self'],
    'form-action': ['self'],
  },
};

export default defineConfig({
  plugins: [sveltekit({ adapter: adapter({ pages: 'build', assets: 'build', fallback: 'index.html', precompress: false }), csp })],
  // `vite dev` for the dashboard talks to a local Worker (`npm run dev`) through this proxy.
  server: { proxy: { '/v1': 'http://127.0.0.1:8787' }, fs: { allow: ['..'] } },
});
