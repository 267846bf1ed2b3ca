import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		// SvelteKit checks the Origin header of every form POST (CSRF); keep it on.
		csrf: { trustedOrigins: [] },
		// Content-Security-Policy of every page; SvelteKit adds the hash of its own inline script, so
		// scripts need no 'unsafe-inline'. Hashes rather than nonces: a page served from the public
		// cache (src/lib/server/http/public-cache.ts) is the same HTML for every visitor, and its
		// stored policy allows exactly the scripts of that HTML, without reusing a nonce. Styles do: Svelte
		// writes style="…" attributes (map legends, bars of the charts). The map's tile server is a
		// run-time setting: hooks.server.ts adds it to img-src (src/lib/server/http/security-headers.ts).
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self', 'data:'],
				'connect-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		},
		alias: {
			'#server/*': './src/lib/server/*',
			'#domain/*': './src/lib/domain/*'
		}
	}
};

export default config;
