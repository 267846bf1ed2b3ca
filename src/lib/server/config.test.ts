import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { ConfigError, parseConfig, renderEnvExample } from './config.ts';

test('the defaults need no environment at all: embedded database in ./data on port 3000', () => {
	const config = parseConfig({});
	expect(config).toMatchObject({
		databaseUrl: undefined,
		dataDir: './data',
		port: 3000,
		seedDemo: false,
		smtpUrl: undefined
	});
});

test('every invalid variable is listed in one message', () => {
	let error: unknown;
	try {
		parseConfig({
			PORT: 'eighty',
			DATABASE_URL: 'mysql://x',
			SMTP_URL: 'http://mail',
			SOHO_SEED_DEMO: 'maybe'
		});
	} catch (e) {
		error = e;
	}
	expect(error).toBeInstanceOf(ConfigError);
	const issues = (error as ConfigError).issues.map((i) => i.env);
	expect(issues).toEqual(['DATABASE_URL', 'PORT', 'SMTP_URL', 'SOHO_SEED_DEMO']);
	expect((error as ConfigError).message).toContain('PORT must be a whole number');
});

test('production requires an auth secret', () => {
	expect(() => parseConfig({ NODE_ENV: 'production' })).toThrow(/SOHO_AUTH_SECRET is required/);
	expect(parseConfig({ NODE_ENV: 'production', SOHO_AUTH_SECRET: 's'.repeat(32) }).isProduction).toBe(true);
});

test('.env.example is generated from the settings and up to date (soho config example > .env.example)', () => {
	expect(readFileSync('.env.example', 'utf8')).toBe(renderEnvExample());
});
