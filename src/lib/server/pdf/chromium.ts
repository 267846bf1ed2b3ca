import { existsSync, readFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../logger.ts';
import { pdfDestinationPages } from './pdf-destinations.ts';
import {
	observatoryReportPdfFailed,
	observatoryReportPdfUnavailable
} from '../domain/observatory/observatory-report.errors.ts';

const log = createLogger({ namespace: 'pdf' });

/** The flags every headless Chromium soho starts gets (no sandbox in containers, no network chatter). */
export const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--no-first-run',
	'--disable-sync'
];

/**
 * The page is loaded under this made-up origin and every request Chromium makes is answered by
 * us (see `printToPdf`): Chromium never touches the network, so a PDF request cannot be turned
 * into a request to another host (no SSRF), whatever the Host header said.
 */
const RENDER_ORIGIN = 'http://report.soho.invalid';

/**
 * Built stylesheets and the fonts they name (the report's shipped fonts, embedded in the PDF) are
 * read from the client build (adapter-node: build/client).
 */
const ASSET_PATH = /^\/_app\/immutable\/assets\/[\w.-]+\.(css|woff2|woff)$/;
const ASSET_TYPES: Record<string, string> = { css: 'text/css', woff2: 'font/woff2', woff: 'font/woff' };

function clientDirs(): string[] {
	const dirs = [join(process.cwd(), 'build', 'client')];
	try {
		// The built server runs from build/server/chunks/*.js.
		dirs.push(fileURLToPath(new URL('../../client', import.meta.url)));
	} catch {
		// not a file URL (tests)
	}
	return dirs;
}

function readAsset(path: string): Buffer | null {
	for (const dir of clientDirs()) {
		const file = resolve(dir, '.' + path);
		if (!file.startsWith(resolve(dir) + sep)) continue;
		if (existsSync(file)) return readFileSync(file);
	}
	return null;
}

type PlaywrightChromium = {
	launch: (options: { executablePath: string; args: string[] }) => Promise<{
		newContext: (options: { javaScriptEnabled: boolean }) => Promise<{
			newPage: () => Promise<PlaywrightPage>;
		}>;
		close: () => Promise<void>;
	}>;
};
type PlaywrightRoute = {
	request: () => { url: () => string; method: () => string };
	abort: () => Promise<void>;
	fulfill: (response: { status: number; headers: Record<string, string>; body: Buffer }) => Promise<void>;
};
type PlaywrightPage = {
	route: (pattern: string, handler: (route: PlaywrightRoute) => Promise<void>) => Promise<void>;
	goto: (url: string, options: { waitUntil: 'load'; timeout: number }) => Promise<unknown>;
	emulateMedia: (options: { media: 'print' }) => Promise<void>;
	pdf: (options: { format: 'A4'; printBackground: boolean; preferCSSPageSize: boolean }) => Promise<Buffer>;
};

/** playwright-core is a development dependency: present in most installs, optional at run time. */
async function loadChromium(): Promise<PlaywrightChromium | null> {
	try {
		// A specifier the bundler cannot read, so that the build neither bundles nor requires it.
		const name = ['playwright', 'core'].join('-');
		const module = (await import(/* @vite-ignore */ name)) as { chromium: PlaywrightChromium };
		return module.chromium;
	} catch {
		return null;
	}
}

/** What to print: see `printToPdf`. */
export type PrintedPage = {
	path: string;
	fetchPage: (path: string) => Promise<Response>;
	/**
	 * For a page whose contents give page numbers: the path to print once it is known on which
	 * page each linked destination starts (name → page, 1 for the first). The page is printed
	 * again until the numbers it printed are those of its own PDF (at most three more times);
	 * the path's pathname must stay the same.
	 */
	pathWithPages?: (pages: Record<string, number>) => string;
};

/** Reprints at most this many times for `pathWithPages` (numbers that change the layout settle in one). */
const MAX_REPRINTS = 3;

/**
 * Prints one page of this server to PDF with headless Chromium, JavaScript off. `fetchPage`
 * answers the page itself (the caller passes SvelteKit's `event.fetch`, which renders it inside
 * this process with the caller's session); only `path`'s pathname and the built stylesheets
 * are served to Chromium, every other request is refused.
 */
export function printToPdf(
	page: PrintedPage,
	options: { chromiumPath: string; timeoutMs?: number }
): Promise<Uint8Array> {
	// One Chromium at a time: each print waits for the previous one (a browser is ~100 MB).
	const printed = queue.then(() => printOne(page, options));
	queue = printed.then(
		() => undefined,
		() => undefined
	);
	return printed;
}

let queue: Promise<void> = Promise.resolve();

async function printOne(
	{ path, fetchPage, pathWithPages }: PrintedPage,
	{ chromiumPath, timeoutMs = 60_000 }: { chromiumPath: string; timeoutMs?: number }
): Promise<Uint8Array> {
	if (!existsSync(chromiumPath)) throw observatoryReportPdfUnavailable({ reason: 'chromium', chromiumPath });
	const chromium = await loadChromium();
	if (!chromium) throw observatoryReportPdfUnavailable({ reason: 'playwright-core' });
	const allowedPathname = new URL(path, RENDER_ORIGIN).pathname;
	let browser: Awaited<ReturnType<PlaywrightChromium['launch']>> | null = null;
	try {
		browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_FLAGS });
		const context = await browser.newContext({ javaScriptEnabled: false });
		const page = await context.newPage();
		await page.route('**/*', async (route) => {
			const request = route.request();
			const url = new URL(request.url());
			if (url.origin !== RENDER_ORIGIN || request.method() !== 'GET') return route.abort();
			if (url.pathname === allowedPathname) {
				const response = await fetchPage(url.pathname + url.search);
				const headers: Record<string, string> = {};
				response.headers.forEach((value, key) => {
					if (key !== 'content-length' && key !== 'set-cookie') headers[key] = value;
				});
				return route.fulfill({
					status: response.status,
					headers,
					body: Buffer.from(await response.arrayBuffer())
				});
			}
			const asset = ASSET_PATH.test(url.pathname) ? readAsset(url.pathname) : null;
			const type = ASSET_TYPES[url.pathname.slice(url.pathname.lastIndexOf('.') + 1)];
			if (asset && type)
				return route.fulfill({ status: 200, headers: { 'content-type': type }, body: asset });
			return route.abort();
		});
		const print = async (printed: string) => {
			await page.goto(RENDER_ORIGIN + printed, { waitUntil: 'load', timeout: timeoutMs });
			await page.emulateMedia({ media: 'print' });
			return new Uint8Array(await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true }));
		};
		let printed = path;
		let pdf = await print(printed);
		for (let reprint = 0; pathWithPages && reprint < MAX_REPRINTS; reprint++) {
			const next = pathWithPages(pdfDestinationPages(pdf));
			if (next === printed) break;
			if (new URL(next, RENDER_ORIGIN).pathname !== allowedPathname)
				throw new Error('pathWithPages left the page');
			printed = next;
			pdf = await print(printed);
		}
		return pdf;
	} catch (err) {
		log.error({ err }, 'PDF printing failed');
		throw observatoryReportPdfFailed({});
	} finally {
		await browser?.close().catch(() => {});
	}
}
