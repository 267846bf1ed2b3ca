import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { freePort, HAS_BUILD, startServer } from './support.ts';

/**
 * What an operator meets: start-up, restarts, the PGlite lock, bad configuration,
 * an unreachable database, a port in use. These run the real built server and CLI.
 */
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST')));
const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function soho(args: string[], env: Record<string, string>) {
	const result = spawnSync(process.execPath, ['bin/soho.js', ...args], {
		encoding: 'utf8',
		env: { ...cleanEnv, SOHO_LANG: 'en', DATABASE_URL: '', ...env },
		timeout: 60_000
	});
	return { code: result.status, stdout: result.stdout, stderr: result.stderr.trim() };
}

if (!HAS_BUILD) console.log('operations tests skipped: the app is not built (npm run build)');

describe.skipIf(!HAS_BUILD)('operations', () => {
	test('the CLI refuses to open the data directory a running server holds, and a restart keeps all data', async () => {
		const keep = mkdtempSync(join(tmpdir(), 'soho-keep-'));
		tempDirs.push(keep);
		const server = await startServer({ SOHO_DATA_DIR: keep });
		const first = server.output();
		expect(first).toMatch(/admin\s+admin@demo\.soho\.example/);

		const locked = soho(
			[
				'user',
				'create',
				'--email',
				'new@example.org',
				'--name',
				'New',
				'--role',
				'advisor',
				'--programme',
				'gers'
			],
			{
				SOHO_DATA_DIR: server.dataDir
			}
		);
		expect(locked.code).toBe(1);
		expect(locked.stderr).toMatch(/in use by a running soho server \(pid \d+\)/);
		expect(locked.stderr.split('\n')).toHaveLength(1);

		// A graceful stop (SIGTERM) releases the lock and keeps the data for the restart.
		await server.stop();
		expect(existsSync(join(keep, 'soho.lock'))).toBe(false);
		expect(existsSync(join(keep, 'soho.lock'))).toBe(false);

		const created = soho(
			[
				'user',
				'create',
				'--email',
				'new@example.org',
				'--name',
				'New Advisor',
				'--role',
				'advisor',
				'--programme',
				'gers',
				'--json'
			],
			{ SOHO_DATA_DIR: keep }
		);
		expect(created.code).toBe(0);
		expect(JSON.parse(created.stdout)).toMatchObject({
			email: 'new@example.org',
			role: 'advisor',
			invited: true
		});

		const again = await startServer({ SOHO_DATA_DIR: keep });
		try {
			const ready = await fetch(again.url + '/readyz');
			expect(ready.status).toBe(200);
		} finally {
			await again.stop();
		}
		// The restart did not reseed or lose anything: the account created in between still exists.
		const duplicate = soho(
			[
				'user',
				'create',
				'--email',
				'new@example.org',
				'--name',
				'Twice',
				'--role',
				'advisor',
				'--programme',
				'gers'
			],
			{
				SOHO_DATA_DIR: keep
			}
		);
		expect(duplicate.code).toBe(1);
		expect(duplicate.stderr).toBe('soho: An account already uses this email address.');
	});

	test('on a terminal, a server refused by the data directory lock says so in one line, not a stack trace', async () => {
		// `npm start` on a terminal writes the JSON logs to a file; exiting before that file
		// was open used to crash pino ("sonic boom is not ready yet") over the clear message.
		const dataDir = mkdtempSync(join(tmpdir(), 'soho-tty-'));
		tempDirs.push(dataDir);
		// This test process holds the lock, as a running server would.
		writeFileSync(
			join(dataDir, 'soho.lock'),
			JSON.stringify({ pid: process.pid, owner: 'server', startedAt: new Date().toISOString() })
		);
		// `script` gives the server a pseudo-terminal for its standard output.
		const result = spawnSync('script', ['-qefc', `${process.execPath} scripts/serve.js`, '/dev/null'], {
			encoding: 'utf8',
			env: { ...cleanEnv, SOHO_DATA_DIR: dataDir, LOG_LEVEL: 'info', SOHO_LOG_FILE: '' },
			timeout: 60_000
		});
		const output = `${result.stdout}${result.stderr}`;
		expect(output).toContain(
			`The data directory ${dataDir} is in use by a running soho server (pid ${process.pid}).`
		);
		expect(output).not.toMatch(/sonic boom|at .*\(.*\.js:\d+:\d+\)/);
		expect(result.status).toBe(1);
	});

	test('a port in use stops the server with one clear line and exit code 1', async () => {
		const port = await freePort();
		const blocker = createServer().listen(port, '127.0.0.1');
		await new Promise((resolve) => blocker.once('listening', resolve));
		const dataDir = mkdtempSync(join(tmpdir(), 'soho-port-'));
		tempDirs.push(dataDir);
		try {
			const child = spawn(process.execPath, ['scripts/serve.js'], {
				env: {
					...cleanEnv,
					PORT: String(port),
					HOST: '127.0.0.1',
					SOHO_DATA_DIR: dataDir,
					LOG_LEVEL: 'silent'
				},
				stdio: ['ignore', 'pipe', 'pipe']
			});
			let stderr = '';
			child.stderr.on('data', (chunk) => (stderr += chunk));
			const code = await new Promise((resolve) => child.once('exit', resolve));
			expect(code).toBe(1);
			expect(stderr.trim()).toBe(
				`soho: port ${port} is already in use. Stop the other program or set PORT to a free port (PORT=3001 npm start).`
			);
		} finally {
			blocker.close();
		}
	});

	test('an invalid configuration lists every bad variable and exits 1', () => {
		const result = soho(['config', 'check'], {
			PORT: 'eighty',
			SMTP_URL: 'http://mail',
			SOHO_SEED_DEMO: 'maybe'
		});
		expect(result.code).toBe(1);
		expect(result.stderr).toContain('PORT must be a whole number');
		expect(result.stderr).toContain('SMTP_URL must be a URL starting with smtp:// or smtps://');
		expect(result.stderr).toContain('SOHO_SEED_DEMO must be true or false');
	});

	test('an unreachable DATABASE_URL is one clear line and exit code 1, for the CLI and the server', async () => {
		const cli = soho(['db', 'migrate'], { DATABASE_URL: 'postgres://soho:secret@127.0.0.1:1/soho' });
		expect(cli.code).toBe(1);
		expect(cli.stderr).toMatch(
			/^soho: Cannot reach the database at postgres:\/\/soho:\*\*\*@127\.0\.0\.1:1\/soho/
		);
		expect(cli.stderr).not.toContain('secret');
		expect(cli.stderr.split('\n')).toHaveLength(1);

		const child = spawn(process.execPath, ['scripts/serve.js'], {
			env: {
				...cleanEnv,
				PORT: String(await freePort()),
				DATABASE_URL: 'postgres://soho:secret@127.0.0.1:1/soho',
				LOG_LEVEL: 'silent'
			},
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let stderr = '';
		child.stderr.on('data', (chunk) => (stderr += chunk));
		const code = await new Promise((resolve) => child.once('exit', resolve));
		expect(code).toBe(1);
		expect(stderr.trim()).toMatch(
			/^soho: Cannot reach the database at postgres:\/\/soho:\*\*\*@127\.0\.0\.1:1\/soho/
		);
	});

	test('usage errors exit with code 2', () => {
		expect(soho(['territory', 'init'], {}).code).toBe(2);
		expect(soho(['no-such-command'], {}).code).toBe(2);
		expect(soho(['--help'], {}).code).toBe(0);
	});
});
