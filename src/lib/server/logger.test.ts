import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { logFileFor, redactErrorText } from './logger.ts';
import { captureLogs as capture } from './logger.test-utils.ts';

test('on a terminal the server’s JSON logs go to a file in the data directory, so the terminal stays readable', () => {
	expect(logFileFor({ env: { SOHO_DATA_DIR: '/srv/soho' }, level: 'info', isTerminal: true })).toBe(
		resolve('/srv/soho/logs/soho.log')
	);
	expect(logFileFor({ env: {}, level: 'warn', isTerminal: true })).toBe(resolve('data/logs/soho.log'));
});

test('at LOG_LEVEL=debug, or when standard output is not a terminal (a service, docker), logs stay on standard output', () => {
	expect(logFileFor({ env: { SOHO_DATA_DIR: '/srv/soho' }, level: 'debug', isTerminal: true })).toBeNull();
	expect(logFileFor({ env: { SOHO_DATA_DIR: '/srv/soho' }, level: 'trace', isTerminal: true })).toBeNull();
	expect(logFileFor({ env: { SOHO_DATA_DIR: '/srv/soho' }, level: 'info', isTerminal: false })).toBeNull();
});

test('SOHO_LOG_FILE chooses the file, or standard output with "-"; the CLI logs to standard error', () => {
	expect(logFileFor({ env: { SOHO_LOG_FILE: '/var/log/soho.json' }, level: 'info', isTerminal: false })).toBe(
		resolve('/var/log/soho.json')
	);
	expect(logFileFor({ env: { SOHO_LOG_FILE: '-' }, level: 'info', isTerminal: true })).toBeNull();
	expect(logFileFor({ env: { SOHO_LOG_TO_STDERR: '1' }, level: 'info', isTerminal: true })).toBeNull();
	expect(logFileFor({ env: {}, level: 'silent', isTerminal: true })).toBeNull();
});

describe('personal data never reaches the logs', () => {
	test('params, parameters and personal fields are censored wherever they are logged', () => {
		const { logger, text } = capture();
		const error = Object.assign(new Error('boom'), { parameters: ['0612345678'], email: 'c@example.org' });
		logger.warn(
			{ params: ['Garnier'], query: { parameters: ['Hélène'] }, user: { email: 'h@example.org' }, error },
			'x'
		);
		const out = text();
		for (const value of ['Garnier', 'Hélène', 'h@example.org', '0612345678', 'c@example.org'])
			expect(out).not.toContain(value);
		expect(out).toContain('boom');
	});

	test('database error texts lose their quoted values', () => {
		expect(redactErrorText('Failed query: insert into x\nparams: anna@example.org,1985')).toBe(
			'Failed query: insert into x\nparams: [redacted]'
		);
		expect(redactErrorText('Key (email)=(anna@example.org) already exists.')).toBe(
			'Key (email)=([redacted]) already exists.'
		);
		expect(redactErrorText('invalid input syntax for type integer: "Zoé"')).toBe(
			'invalid input syntax for type integer: [redacted]'
		);
	});
});
