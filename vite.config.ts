import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	server: { fs: { allow: ['messages'] } },
	// better-auth declares Svelte as a peer dependency, so it would be bundled into the server;
	// it is plain server code, loaded from node_modules like every other dependency.
	ssr: { external: ['better-auth', '@better-auth/core', '@better-auth/drizzle-adapter'] },
	build: {
		// Third-party circular imports (kysely, via better-auth) are harmless; keep the build output readable.
		rolldownOptions: { checks: { circularDependency: false, pluginTimings: false } }
	},
	test: {
		expect: { requireAssertions: true },
		projects: [
			{
				extends: './vite.config.ts',
				test: {
					name: 'unit',
					environment: 'node',
					include: ['src/**/*.test.ts', 'tests/deploy/**/*.test.ts'],
					exclude: ['src/**/*.int.test.ts', 'src/**/*.service.test.ts'],
					// A few unit files open a test database (seed steps): a loaded machine needs more than 10 s.
					testTimeout: 30_000,
					hookTimeout: 60_000
				}
			},
			{
				extends: './vite.config.ts',
				test: {
					name: 'integration',
					environment: 'node',
					include: ['src/**/*.service.test.ts', 'src/**/*.int.test.ts', 'tests/cli/**/*.test.ts'],
					testTimeout: 60_000,
					hookTimeout: 120_000
				}
			},
			{
				extends: './vite.config.ts',
				test: {
					name: 'e2e',
					environment: 'node',
					include: ['tests/e2e/**/*.e2e.ts'],
					testTimeout: 120_000,
					hookTimeout: 300_000,
					// Two files at a time: each has its own server (a copy of the seeded demo) and browser.
					fileParallelism: true,
					maxWorkers: 2
				}
			}
		]
	}
});
