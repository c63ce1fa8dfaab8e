import adapter from '@sveltejs/adapter-static';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// Single-page app: the Worker serves build/ as static assets and answers unknown paths with
// index.html (wrangler.toml `not_found_handling`), so every route renders in the browser.
export default defineConfig({
  plugins: [sveltekit({ adapter: adapter({ pages: 'build', assets: 'build', fallback: 'index.html', precompress: false }) })],
  // `vite dev` for the dashboard talks to a local Worker (`npm run dev`) through this proxy.
  server: { proxy: { '/v1': 'http://127.0.0.1:8787' }, fs: { allow: ['..'] } },
});
