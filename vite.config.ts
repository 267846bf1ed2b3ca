import { availableParallelism } from 'node:os';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { LongestFirstSequencer } from './tests/test-order.ts';

/**
 * Test files at a time in the unit and integration projects.
 * Vitest's default is one per core but one, i.e. a single file at a time on CI's two cores, while
 * much of a database test is waiting for PostgreSQL or for a CLI child process: two keep both cores busy.
 */
const DATABASE_TEST_WORKERS = Math.max(2, availableParallelism() - 1);

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
		// The files known to be long start first (tests/durations.json): see tests/test-order.ts.
		sequence: { sequencer: LongestFirstSequencer },
		// The unit and integration projects' files at a time (the e2e project sets its own); `--maxWorkers` overrides it.
		maxWorkers: DATABASE_TEST_WORKERS,
		projects: [
			{
				extends: './vite.config.ts',
				test: {
					name: 'unit',
					environment: 'node',
					include: ['src/**/*.test.ts', 'tests/deploy/**/*.test.ts'],
					exclude: ['src/**/*.int.test.ts', 'src/**/*.service.test.ts'],
					// The migrated databases the tests copy (db.test-utils.ts), made once before the files start.
					globalSetup: ['src/lib/server/db/db.global-setup.ts'],
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
					globalSetup: ['src/lib/server/db/db.global-setup.ts'],
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
					// Seeds the demo template every file copies, once, before the two first files both would.
					globalSetup: ['tests/e2e/global-setup.ts'],
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
