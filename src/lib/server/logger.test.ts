import { resolve } from 'node:path';
import { expect, test } from 'vitest';
import { logFileFor } from './logger.ts';

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
