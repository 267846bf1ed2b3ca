import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		// SvelteKit checks the Origin header of every form POST (CSRF); keep it on.
		csrf: { trustedOrigins: [] },
		alias: {
			'#server/*': './src/lib/server/*',
			'#domain/*': './src/lib/domain/*'
		}
	}
};

export default config;
