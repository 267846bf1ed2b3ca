import { unflatten } from 'devalue';
import { DEMO_PASSWORD } from './support.ts';

/*
 * Plain-HTTP helpers of the security suite (security-*.e2e.ts): sign in with fetch and keep the
 * session cookie, read a page's data as the browser's router does (`__data.json`), and count probes.
 */

export const DEMO_ROLES = ['admin', 'advisor', 'committee', 'partner', 'member', 'candidate'] as const;
export type DemoRole = (typeof DEMO_ROLES)[number];
export const demoEmail = (role: DemoRole) => `${role}@demo.soho.example`;

/** The `name=value` pairs of a response's Set-Cookie headers. */
export function cookiesOf(response: Response): string[] {
	return response.headers.getSetCookie().map((cookie) => cookie.split(';')[0]);
}

/** Signs a demo account in through the sign-in form action and returns its session cookie. */
export async function signInByFetch(
	baseUrl: string,
	email: string,
	{ password = DEMO_PASSWORD, cookie }: { password?: string; cookie?: string } = {}
): Promise<{ status: number; cookie: string }> {
	const response = await fetch(`${baseUrl}/signin`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			origin: baseUrl,
			'content-type': 'application/x-www-form-urlencoded',
			...(cookie ? { cookie } : {})
		},
		body: new URLSearchParams({ email, password })
	});
	await response.arrayBuffer();
	return { status: response.status, cookie: cookiesOf(response).join('; ') };
}

/** The `__data.json` address of a page: only the page's own load runs when `leafOnly` (no layout). */
export function dataUrl(path: string, { layouts, leafOnly }: { layouts: number; leafOnly: boolean }): string {
	const [pathname, search = ''] = path.split('?');
	const query = new URLSearchParams(search);
	if (leafOnly) query.set('x-sveltekit-invalidated', '0'.repeat(layouts) + '1');
	const base = pathname === '/' ? '' : pathname;
	return `${base}/__data.json${query.size ? `?${query}` : ''}`;
}

export type DataAnswer =
	| { kind: 'data'; data: unknown }
	| { kind: 'redirect'; location: string }
	| { kind: 'error'; status: number }
	| { kind: 'http'; status: number };

/** What a `__data.json` answer holds for the page (its last node). */
export async function readDataAnswer(response: Response): Promise<DataAnswer> {
	const text = await response.text();
	if (response.status !== 200) return { kind: 'http', status: response.status };
	const body = JSON.parse(text.split('\n')[0]) as {
		type: string;
		location?: string;
		nodes?: { type: string; data?: unknown; status?: number }[];
	};
	if (body.type === 'redirect') return { kind: 'redirect', location: body.location ?? '' };
	const leaf = body.nodes?.at(-1);
	if (!leaf || leaf.type === 'skip') return { kind: 'data', data: null };
	if (leaf.type === 'error') return { kind: 'error', status: leaf.status ?? 500 };
	return { kind: 'data', data: unflatten(leaf.data as number | unknown[]) };
}

/** The data a role's page load returns (null when refused). */
export async function pageData(baseUrl: string, path: string, cookie: string): Promise<unknown> {
	const response = await fetch(baseUrl + dataUrl(path, { layouts: 0, leafOnly: false }), {
		headers: { cookie },
		redirect: 'manual'
	});
	const answer = await readDataAnswer(response);
	return answer.kind === 'data' ? answer.data : null;
}

/** Every string of `value` (deeply) that is an id with this prefix (`cas_…`), in order, without repeats. */
export function idsIn(value: unknown, prefix: string): string[] {
	const found = new Set<string>();
	const pattern = new RegExp(`^${prefix}_[a-z0-9]{8,32}$`);
	const visit = (node: unknown) => {
		if (typeof node === 'string') {
			if (pattern.test(node)) found.add(node);
		} else if (Array.isArray(node)) node.forEach(visit);
		else if (node && typeof node === 'object') Object.values(node).forEach(visit);
	};
	visit(value);
	return [...found];
}

/** Every `slug` property of `value` (deeply). */
export function slugsIn(value: unknown): string[] {
	const found = new Set<string>();
	const visit = (node: unknown) => {
		if (Array.isArray(node)) node.forEach(visit);
		else if (node && typeof node === 'object') {
			for (const [key, child] of Object.entries(node)) {
				if (key === 'slug' && typeof child === 'string') found.add(child);
				else visit(child);
			}
		}
	};
	visit(value);
	return [...found];
}

/** Runs `tasks` with at most `limit` at a time (the server is one process on a shared machine). */
export async function inBatches<T>(tasks: (() => Promise<T>)[], limit = 4): Promise<T[]> {
	const results: T[] = new Array(tasks.length);
	let next = 0;
	const worker = async () => {
		while (next < tasks.length) {
			const index = next++;
			results[index] = await tasks[index]();
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
	return results;
}

/** Probe counts per kind, printed at the end of a file (SECURITY.md copies them). */
export const probeCounts: Record<string, number> = {};
export function countProbe(kind: string, count = 1): void {
	probeCounts[kind] = (probeCounts[kind] ?? 0) + count;
}
export function printProbeCounts(file: string): void {
	const lines = Object.entries(probeCounts).map(([kind, count]) => `  ${kind}: ${count}`);
	process.stdout.write(`[security] probes in ${file}:\n${lines.join('\n')}\n`);
}

/**
 * `fetch`, asked again once when the connection was reset: a keep-alive socket the server closed just
 * as it was reused (on a loaded machine) is the transport's hiccup, not the server's answer.
 */
export async function fetchOnce(url: string, init: RequestInit = {}): Promise<Response> {
	try {
		return await fetch(url, init);
	} catch (error) {
		const code = ((error as Error).cause as { code?: string } | undefined)?.code;
		if (code !== 'ECONNRESET' && code !== 'UND_ERR_SOCKET') throw error;
		return fetch(url, init);
	}
}
