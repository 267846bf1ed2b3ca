import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/** Import rules of ARCHITECTURE.md: business code never depends on the web framework. */
const frameworkImports = {
	patterns: [
		{
			group: [
				'@sveltejs/kit',
				'@sveltejs/kit/*',
				'$app/*',
				'$env/*',
				'$lib/components/*',
				'svelte',
				'svelte/*'
			],
			message: 'Business code (lib/server/domain, lib/domain, cli) must not depend on SvelteKit or Svelte.'
		}
	]
};

export default ts.config(
	{ ignores: ['build/', '.svelte-kit/', 'node_modules/', 'data/', 'test-results/'] },
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } },
		rules: {
			'no-undef': 'off',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
			'svelte/no-navigation-without-resolve': 'off'
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: {
			parserOptions: {
				projectService: true,
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		}
	},
	{
		files: [
			'src/lib/server/domain/**',
			'src/lib/domain/**',
			'src/cli/**',
			'src/lib/server/db/**',
			'src/lib/server/demo/**'
		],
		rules: { 'no-restricted-imports': ['error', frameworkImports] }
	},
	{
		files: ['src/lib/domain/**'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						...frameworkImports.patterns,
						{
							group: ['#server/*', '**/server/**', 'node:*'],
							message: 'lib/domain is pure code: no I/O, no server imports.'
						}
					]
				}
			]
		}
	},
	{
		// Repositories are reached through services only.
		files: ['src/routes/**', 'src/cli/**'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['**/*.repository', '**/*.repository.ts'],
							message: 'Routes and the CLI call services, not repositories.'
						}
					]
				}
			]
		}
	}
);
