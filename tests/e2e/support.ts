import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';

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

export type RunningServer = { url: string; dataDir: string; output: () => string; stop: () => Promise<void> };

/** Settings that change what the demo seed writes: each combination gets its own template. */
const SEED_SETTINGS = ['SOHO_INSEE_DIR', 'SOHO_GEO_FILE', 'SOHO_SEED_DEMO'];
const TEMPLATES_DIR = join('test-results', 'e2e-templates');

/**
 * A data directory holding the demo programme already seeded, made once per set of seed settings
 * and per build, then copied for each server: seeding the demo (migrations, 300 cases, events…)
 * takes many seconds, and every e2e file starts its own server on its own copy.
 */
async function seededTemplate(env: Record<string, string>): Promise<string> {
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
	const server = await launchServer({ ...env, SOHO_DATA_DIR: building });
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
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
	if (env.SOHO_DATA_DIR !== undefined) return launchServer(env);
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
async function launchServer(env: Record<string, string>): Promise<RunningServer> {
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
	const deadline = Date.now() + 120_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output}`);
		try {
			const response = await fetch(`${url}/readyz`);
			if (response.ok) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) throw new Error(`server not ready after 120 s:\n${output}`);
		await new Promise((r) => setTimeout(r, 250));
	}
	return {
		url,
		dataDir,
		output: () => output,
		stop: async () => {
			if (child.exitCode === null) {
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
};

/**
 * Signs a demo account in through the sign-in form, in a new browser context that is added to
 * `contexts` (the test file closes them), and returns the page once it has left /signin.
 */
export async function signInDemo(
	{ browser, serverUrl, contexts }: { browser: Browser; serverUrl: string; contexts: BrowserContext[] },
	email: string,
	{ locale = 'fr', javaScript = false, acceptDownloads = false }: SignInOptions = {}
): Promise<Page> {
	const context = await browser.newContext({
		locale: locale === 'fr' ? 'fr-FR' : 'en-GB',
		viewport: { width: 1280, height: 900 },
		javaScriptEnabled: javaScript,
		acceptDownloads
	});
	contexts.push(context);
	const page = await context.newPage();
	await page.goto(`${serverUrl}/signin?lang=${locale}`);
	await page.locator('input[name="email"]').fill(email);
	await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
	await page.locator('form button[type="submit"]').first().click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
	return page;
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
	await page.addScriptTag({ path: 'node_modules/axe-core/axe.min.js' });
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
