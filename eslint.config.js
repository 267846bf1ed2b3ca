import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/** Import rules of ARCHITECTURE.md: business code never depends on the web framework. */
const frameworkImports = {
	patterns: [
		{
			group: ['@sveltejs/kit', '@sveltejs/kit/*', '$app/*', '$env/*', '$lib', '$lib/*', 'svelte', 'svelte/*'],
			message:
				'Business code (lib/server/domain, lib/domain, cli) must not depend on SvelteKit or Svelte; it runs under tsx (CLI, benchmarks), where `$lib` does not resolve: import `#domain/…` or `#server/…`.'
		}
	]
};

/** Code the CLI and the benchmarks load under tsx, outside SvelteKit: `$lib` does not resolve there. */
const outsideKitImports = {
	patterns: [
		{
			group: ['$lib', '$lib/*'],
			message:
				'Server code also runs under tsx (CLI, benchmarks), where `$lib` does not resolve: import `#domain/…` or `#server/…`.'
		}
	]
};

/** Routes and the CLI call services, not repositories. */
const repositoryImports = {
	patterns: [
		{
			group: ['**/*.repository', '**/*.repository.ts'],
			message: 'Routes and the CLI call services, not repositories.'
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
		files: ['src/lib/server/**', 'bench/**'],
		rules: { 'no-restricted-imports': ['error', outsideKitImports] }
	},
	{
		files: [
			'src/lib/server/domain/**',
			'src/lib/domain/**',
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
		files: ['src/routes/**'],
		rules: { 'no-restricted-imports': ['error', repositoryImports] }
	},
	{
		files: ['src/cli/**'],
		rules: {
			'no-restricted-imports': [
				'error',
				{ patterns: [...frameworkImports.patterns, ...repositoryImports.patterns] }
			]
		}
	}
);
