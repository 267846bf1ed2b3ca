import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
	cpSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	renameSync,
	rmSync,
	statSync
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { startTestSmtpServer, type TestSmtpServer } from '../../src/lib/server/mail/mail.test-utils.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM_PATH);
export const HAS_BUILD = existsSync('build/handler.js');
export const SCREENSHOTS_DIR = 'test-results/screenshots';

/** Why the e2e tests cannot run here, or null; printed once so a skip is never silent. */
export function e2eSkipReason(): string | null {
	if (!HAS_CHROMIUM) return `chromium not found at ${CHROMIUM_PATH} (apt-get install -y chromium)`;
	if (!HAS_BUILD) return 'the app is not built (npm run build), so there is nothing to serve';
	return null;
}

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() =>
				typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))
			);
		});
	});
}

export type RunningServer = {
	url: string;
	/** The server's process id (benchmarks cap its CPU). */
	pid: number;
	dataDir: string;
	output: () => string;
	stop: () => Promise<void>;
	/** SIGKILL, as a power cut would: no shutdown hook runs. Resolves once the process is gone. */
	kill: () => Promise<void>;
};

/** Settings that change what the demo seed writes: each combination gets its own template. */
const SEED_SETTINGS = ['SOHO_INSEE_DIR', 'SOHO_GEO_FILE', 'SOHO_SEED_DEMO'];
const TEMPLATES_DIR = join('test-results', 'e2e-templates');

/**
 * A data directory holding the demo programme already seeded, made once per set of seed settings
 * and per build, then copied for each server: seeding the demo (migrations, 300 cases, events…)
 * takes many seconds, and every e2e file starts its own server on its own copy.
 */
export async function seededTemplate(env: Record<string, string>): Promise<string> {
	const key = createHash('sha256')
		.update(JSON.stringify(SEED_SETTINGS.map((name) => env[name] ?? null)))
		// A new build may seed differently: its templates are new ones.
		.update(String(statSync('build/handler.js').mtimeMs))
		.digest('hex')
		.slice(0, 16);
	const template = join(TEMPLATES_DIR, key);
	if (existsSync(template)) return template;
	mkdirSync(TEMPLATES_DIR, { recursive: true });
	// Seeded beside the template, then renamed into place: a template that exists is complete.
	const building = mkdtempSync(join(TEMPLATES_DIR, 'building-'));
	let server: RunningServer;
	try {
		// Seeding is the slow start (minutes on a loaded machine): it may take the whole hook timeout.
		server = await launchServer({ ...env, SOHO_DATA_DIR: building }, { readyTimeoutMs: 280_000 });
	} catch (error) {
		rmSync(building, { recursive: true, force: true });
		throw error;
	}
	await server.stop();
	try {
		renameSync(building, template);
	} catch (error) {
		// Another test file made the same template meanwhile: use it.
		rmSync(building, { recursive: true, force: true });
		if (!existsSync(template)) throw error;
	}
	return template;
}

/**
 * Serves the built app on a free port with its own data directory: a copy of the seeded demo
 * template, or the caller's directory (kept after stop, for restart tests).
 */
export async function startServer(
	env: Record<string, string> = {},
	options: { readyTimeoutMs?: number } = {}
): Promise<RunningServer> {
	if (env.SOHO_DATA_DIR !== undefined) return launchServer(env, options);
	const template = await seededTemplate(env);
	const dataDir = mkdtempSync(join(tmpdir(), 'soho-e2e-'));
	cpSync(template, dataDir, { recursive: true });
	const server = await launchServer({ ...env, SOHO_DATA_DIR: dataDir });
	return {
		...server,
		stop: async () => {
			await server.stop();
			rmSync(dataDir, { recursive: true, force: true });
		}
	};
}

/** Starts `scripts/serve.js` on a free port with the given data directory (or a new empty one). */
async function launchServer(
	env: Record<string, string>,
	{ readyTimeoutMs = 120_000 }: { readyTimeoutMs?: number } = {}
): Promise<RunningServer> {
	const port = await freePort();
	// A data directory given by the caller is kept after stop (restart tests).
	const isOwnDataDir = env.SOHO_DATA_DIR === undefined;
	const dataDir = env.SOHO_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'soho-e2e-'));
	let output = '';
	// The server must not believe it runs under Vitest (that silences logs and changes defaults), and
	// seeds only from the settings given here (the template key): never an SOHO_INSEE_DIR or
	// SOHO_GEO_FILE of the shell running the tests (a ../shared folder the test did not ask for).
	const inherited = Object.fromEntries(
		Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST') && !SEED_SETTINGS.includes(key))
	);
	const child: ChildProcess = spawn(process.execPath, ['scripts/serve.js'], {
		env: {
			...inherited,
			NODE_ENV: 'production',
			SOHO_AUTH_SECRET: 'e2e-secret-e2e-secret-e2e-secret-e2e',
			PORT: String(port),
			HOST: '127.0.0.1',
			// No ORIGIN, as with `npm start`: the origin follows the request's Host header.
			SOHO_DATA_DIR: dataDir,
			SOHO_SEED_DEMO: 'true',
			SOHO_GEO_API_URL: 'http://127.0.0.1:9', // never the internet from tests
			LOG_LEVEL: 'warn',
			...env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	child.stdout?.on('data', (chunk) => (output += chunk));
	child.stderr?.on('data', (chunk) => (output += chunk));
	const url = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + readyTimeoutMs;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output}`);
		try {
			const response = await fetch(`${url}/readyz`);
			if (response.ok) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(`server not ready after ${readyTimeoutMs / 1000} s:\n${output}`);
		}
		await new Promise((r) => setTimeout(r, 250));
	}
	return {
		url,
		pid: child.pid!,
		dataDir,
		output: () => output,
		kill: async () => {
			if (child.exitCode !== null || child.signalCode !== null) return;
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGKILL');
			await exited;
		},
		stop: async () => {
			if (child.exitCode === null && child.signalCode === null) {
				const exited = new Promise((resolve) => child.once('exit', resolve));
				child.kill('SIGTERM');
				await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
				if (child.exitCode === null) child.kill('SIGKILL');
			}
			if (isOwnDataDir) rmSync(dataDir, { recursive: true, force: true });
		}
	};
}

export async function launchBrowser(): Promise<Browser> {
	return chromium.launch({
		executablePath: CHROMIUM_PATH,
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-background-networking',
			'--disable-component-update',
			'--no-first-run',
			'--disable-sync'
		]
	});
}

/** The password of every demo account (see account.seed.ts). */
export const DEMO_PASSWORD = 'soho-demo-gers';

export type SignInOptions = {
	locale?: 'fr' | 'en';
	/** Off by default: pages must work without JavaScript (axe needs it on). */
	javaScript?: boolean;
	acceptDownloads?: boolean;
	viewport?: { width: number; height: number };
	/** The path to land on after signing in (the form's `next`); waited for. */
	next?: string;
	/** Aborts every request that leaves the test server (map tiles and the like). */
	offline?: boolean;
};

/** Aborts every request of the page or context that does not go to the test server (map tiles…). */
export async function offline(target: Page | BrowserContext): Promise<void> {
	await target.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
}

/**
 * Signs a demo account in through the sign-in form, in a new browser context that is added to
 * `contexts` (the test file closes them), and returns the page once it has left /signin (or
 * reached `next`).
 */
export async function signInDemo(
	{ browser, serverUrl, contexts }: { browser: Browser; serverUrl: string; contexts: BrowserContext[] },
	email: string,
	{
		locale = 'fr',
		javaScript = false,
		acceptDownloads = false,
		viewport = { width: 1280, height: 900 },
		next,
		offline: isOffline = false
	}: SignInOptions = {}
): Promise<Page> {
	const context = await browser.newContext({
		locale: locale === 'fr' ? 'fr-FR' : 'en-GB',
		viewport,
		javaScriptEnabled: javaScript,
		acceptDownloads
	});
	contexts.push(context);
	if (isOffline) await offline(context);
	const page = await context.newPage();
	const query = new URLSearchParams({ lang: locale, ...(next ? { next } : {}) });
	await page.goto(`${serverUrl}/signin?${query}`);
	await page.locator('input[name="email"]').fill(email);
	await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
	await page.locator('form button[type="submit"]').first().click();
	await page.waitForURL((url) => (next ? url.pathname === next : !url.pathname.startsWith('/signin')));
	return page;
}

export type DemoServerOptions = {
	/**
	 * The server's settings. A function is called when the server starts (in `beforeAll`, after the
	 * hooks the file registered before `useDemoServer`: an SMTP server started there, say).
	 */
	env?: Record<string, string> | (() => Record<string, string> | Promise<Record<string, string>>);
	/** false: an instance without the demo programme (first run). */
	seedDemo?: boolean;
	/** A new empty data directory of its own, removed after the file (instead of a copy of the seeded demo). */
	freshDataDir?: boolean;
	/** Sends mail to a test SMTP server started first (`demo.smtp`), from this address. */
	mailFrom?: string;
};

/** The server and browser of one e2e file, ready inside its tests. */
export type DemoServer = {
	readonly server: RunningServer;
	readonly browser: Browser;
	/** The server's address, e.g. http://127.0.0.1:43121. */
	readonly url: string;
	/** The test SMTP server receiving the server's mail (with the `mailFrom` option only). */
	readonly smtp: TestSmtpServer;
	/** Browser contexts opened by the tests: closed with the browser. */
	readonly contexts: BrowserContext[];
	/** Signs a demo account in (see `signInDemo`) in a new context closed after the file. */
	signIn(email: string, options?: SignInOptions): Promise<Page>;
};

/**
 * Starts the built server (on a copy of the seeded demo, unless told otherwise) and chromium
 * before the tests of the enclosing `describe`, and closes both after them.
 *
 *   const demo = useDemoServer();
 *   test('…', async () => { const page = await demo.signIn('advisor@demo.soho.example'); … });
 */
export function useDemoServer(options: DemoServerOptions = {}): DemoServer {
	let server: RunningServer | undefined;
	let browser: Browser | undefined;
	let dataDir: string | undefined;
	let smtp: TestSmtpServer | undefined;
	const contexts: BrowserContext[] = [];
	beforeAll(async () => {
		const env = typeof options.env === 'function' ? await options.env() : { ...options.env };
		if (options.mailFrom) {
			smtp = await startTestSmtpServer();
			Object.assign(env, { SMTP_URL: smtp.url, MAIL_FROM: options.mailFrom });
		}
		if (options.seedDemo === false) env.SOHO_SEED_DEMO = 'false';
		if (options.freshDataDir) env.SOHO_DATA_DIR = dataDir = mkdtempSync(join(tmpdir(), 'soho-e2e-fresh-'));
		server = await startServer(env);
		browser = await launchBrowser();
	});
	afterAll(async () => {
		for (const context of contexts) await context.close();
		await browser?.close();
		await server?.stop();
		await smtp?.close();
		if (dataDir) rmSync(dataDir, { recursive: true, force: true });
	});
	const ready = <T>(value: T | undefined, name: string): T => {
		if (value === undefined) throw new Error(`the e2e ${name} is not started (used outside a test?)`);
		return value;
	};
	return {
		get server() {
			return ready(server, 'server');
		},
		get browser() {
			return ready(browser, 'browser');
		},
		get url() {
			return ready(server, 'server').url;
		},
		get smtp() {
			return ready(smtp, 'SMTP server');
		},
		contexts,
		signIn(email, signInOptions) {
			const running = {
				browser: ready(browser, 'browser'),
				serverUrl: ready(server, 'server').url,
				contexts
			};
			return signInDemo(running, email, signInOptions);
		}
	};
}

export async function screenshot(page: Page, name: string): Promise<string> {
	mkdirSync(SCREENSHOTS_DIR, { recursive: true });
	const path = join(SCREENSHOTS_DIR, `${name}.png`);
	await page.screenshot({ path, fullPage: true });
	return path;
}

type AxeViolation = { id: string; impact: string; help: string; nodes: { target: string[] }[] };

/** Runs axe-core (WCAG 2.1 A/AA rules) on the page and fails on any violation. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
	// Evaluated through the browser's debugging protocol, not added as a <script>: the pages' CSP
	// (scripts only with the hashes of the server's own) rightly refuses an injected inline script.
	await page.evaluate(readFileSync('node_modules/axe-core/axe.min.js', 'utf8'));
	const violations = (await page.evaluate(async () => {
		// @ts-expect-error axe is injected above
		const result = await window.axe.run(document, {
			runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }
		});
		return result.violations;
	})) as AxeViolation[];
	const summary = violations.map(
		(v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`
	);
	expect(summary, `axe violations on ${page.url()}`).toEqual([]);
}

/**
 * Waits until `url` is served twice with the same ETag (from the public cache: just started, a
 * server's scheduled jobs may still be writing), then returns that ETag.
 */
export async function waitUntilServedFromCache(
	url: string,
	headers: Record<string, string>
): Promise<string | null> {
	let cached = await fetch(url, { headers });
	for (let attempt = 0; attempt < 40; attempt++) {
		const again = await fetch(url, { headers });
		if (again.headers.get('etag') === cached.headers.get('etag')) break;
		cached = again;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	return cached.headers.get('etag');
}

/**
 * `soho …` in a child process, in English, on a data directory (PGlite: before the server starts,
 * it has one writer) or on `env`'s DATABASE_URL; fails the test with the command's standard error
 * when it exits non-zero. Returns its standard output.
 */
export function runSoho(
	args: string[],
	{ dataDir = '', env = {}, input }: { dataDir?: string; env?: Record<string, string>; input?: string } = {}
): string {
	const result = spawnSync(process.execPath, ['bin/soho.js', ...args], {
		encoding: 'utf8',
		input,
		env: {
			...process.env,
			...(dataDir ? { SOHO_DATA_DIR: dataDir, DATABASE_URL: '' } : {}),
			...env,
			SOHO_LANG: 'en',
			NODE_ENV: 'test'
		},
		timeout: 120_000
	});
	expect(result.status, `soho ${args.join(' ')}\n${result.stderr}`).toBe(0);
	return result.stdout;
}
