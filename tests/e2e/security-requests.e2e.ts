import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { OBSERVATORY_FILTER_KEYS } from '../../src/lib/server/domain/observatory/observatory.schemas.ts';
import { listRoutes } from '../../src/lib/server/http/routes.test-utils.ts';
import {
	countProbe,
	demoEmail,
	inBatches,
	pageData,
	printProbeCounts,
	signInByFetch
} from './security-support.ts';
import { e2eSkipReason, useDemoServer } from './support.ts';

/*
 * Form posts ask for HTML (`accept: text/html`), as a browser without JavaScript does: SvelteKit then
 * answers a form action's failure with its real status (JSON answers carry it in the body, with 200).
 *
 * Requests an attacker can send without a browser: SQL metacharacters and NUL bytes in every query
 * parameter and form field (property-based, fast-check), forged form posts (CSRF), a session cookie
 * planted before sign-in, parallel password guessing, and spreadsheet formulas through /apply into
 * every CSV/XLSX export.
 */

const skip = e2eSkipReason();

/** What SQL injection and string-handling bugs are made of. */
const SQL_PIECES = [
	"'",
	'"',
	';',
	'--',
	'/*',
	'*/',
	'\\',
	'%',
	'_',
	"' OR '1'='1",
	"'; DROP TABLE cases; --",
	')',
	'(',
	'`',
	'$1',
	'NULL'
];
const NUL = '\u0000';

/** A text built from SQL metacharacters and ordinary letters; NUL bytes only when asked. */
const hostileText = (withNul: boolean) =>
	fc
		.array(
			fc.oneof(
				fc.constantFrom(...SQL_PIECES, ...(withNul ? [NUL, `a${NUL}b`] : [])),
				fc.string({ maxLength: 6 })
			),
			{
				minLength: 1,
				maxLength: 6
			}
		)
		.map((parts) => parts.join(''));

/** Query parameter names the server reads (`searchParams.get('…')` in routes and http glue, observatory filters). */
const QUERY_PARAMS = [
	...new Set([
		'q',
		'page',
		'stage',
		'advisor',
		'source',
		'village',
		'status',
		'kind',
		'format',
		'section',
		'next',
		'offer',
		'token',
		'lang',
		'year',
		'period',
		'role',
		'organisation',
		'with',
		'sort',
		'commune',
		...OBSERVATORY_FILTER_KEYS
	])
];

/** The page (or endpoint) paths without parameters: public ones asked as a visitor, back-office ones as the admin. */
const TARGETS = listRoutes()
	.filter((route) => route.params.length === 0)
	.filter((route) => !['/signout', '/healthz', '/readyz', '/(auth)/setup'].includes(route.id))
	.map((route) => ({ path: route.path, isBackOffice: route.id.startsWith('/(backoffice)') }));

/** Status of every probe that answered 500 or more, by kind (printed: SECURITY.md and the report read them). */
const serverErrors: string[] = [];

describe.skipIf(skip)('security: requests', () => {
	// Every probe comes from 127.0.0.1: the public forms' per-address limits would answer 429 to most
	// of them (their own tests are in rate-limit and case-intake service tests).
	const demo = useDemoServer({
		env: { SOHO_LIMIT_APPLICATIONS_PER_HOUR: '100000', SOHO_LIMIT_MAILS_PER_RECIPIENT_PER_HOUR: '100000' }
	});
	let admin = '';

	beforeAll(async () => {
		admin = (await signInByFetch(demo.url, demoEmail('admin'))).cookie;
		expect(admin).toContain('session_token');
	});
	afterAll(() => {
		printProbeCounts('security-requests.e2e.ts');
		if (serverErrors.length)
			process.stdout.write(`[security] answers >= 500:\n  ${serverErrors.join('\n  ')}\n`);
	});

	async function probeQuery(path: string, isBackOffice: boolean, query: URLSearchParams, kind: string) {
		const response = await fetch(`${demo.url}${path}?${query}`, {
			headers: isBackOffice ? { cookie: admin } : {},
			redirect: 'manual'
		});
		await response.arrayBuffer();
		countProbe(kind);
		if (response.status >= 500)
			serverErrors.push(`${kind}: GET ${path}?${query.toString().slice(0, 80)} → ${response.status}`);
		return response.status;
	}

	test('a session cookie planted before sign-in is not the one after it, and opens nothing', async () => {
		const planted = 'soho.session_token=planted-by-an-attacker.0000';
		const signedIn = await signInByFetch(demo.url, demoEmail('advisor'), { cookie: planted });
		countProbe('session fixation');
		expect(signedIn.cookie).toContain('soho.session_token=');
		expect(signedIn.cookie).not.toContain('planted-by-an-attacker');
		const withPlanted = await fetch(`${demo.url}/backoffice`, {
			headers: { cookie: planted },
			redirect: 'manual'
		});
		expect(withPlanted.status).toBe(303);
		// Someone else's live session before signing in: the new session is a new token.
		const other = await signInByFetch(demo.url, demoEmail('committee'));
		const again = await signInByFetch(demo.url, demoEmail('advisor'), { cookie: other.cookie });
		countProbe('session fixation');
		const tokenOf = (cookie: string) => /soho\.session_token=([^;]+)/.exec(cookie)?.[1];
		expect(tokenOf(again.cookie)).toBeTruthy();
		expect(tokenOf(again.cookie)).not.toBe(tokenOf(other.cookie));
		expect(tokenOf(again.cookie)).not.toBe(tokenOf(signedIn.cookie));
	});

	// Before the form probes: their wrong sign-ins count against this address too.
	test('30 wrong passwords sent at once for one account: at least one is throttled (429)', async () => {
		const statuses = await Promise.all(
			Array.from({ length: 30 }, async (_, i) => {
				const response = await fetch(`${demo.url}/signin`, {
					method: 'POST',
					redirect: 'manual',
					headers: {
						origin: demo.url,
						accept: 'text/html',
						'content-type': 'application/x-www-form-urlencoded'
					},
					body: new URLSearchParams({ email: demoEmail('candidate'), password: `wrong-${i}` })
				});
				await response.arrayBuffer();
				countProbe('parallel wrong sign-ins');
				return response.status;
			})
		);
		expect(statuses.filter((status) => status === 200 || (status >= 300 && status < 400))).toEqual([]);
		expect(statuses).toContain(429);
	});

	test('SQL metacharacters in every query parameter of every page never make the server fail', async () => {
		// Every page once with every parameter set, then random parameters, values and pages.
		const sweep = TARGETS.map(({ path, isBackOffice }) => async () => {
			const query = new URLSearchParams(QUERY_PARAMS.map((name) => [name, `x' OR '1'='1 --; %_\\${name}`]));
			return probeQuery(path, isBackOffice, query, 'query parameters, SQL metacharacters');
		});
		const statuses = await inBatches(sweep, 3);
		await fc.assert(
			fc.asyncProperty(
				fc.constantFrom(...TARGETS),
				fc.subarray(QUERY_PARAMS, { minLength: 1, maxLength: 4 }),
				hostileText(false),
				async (target, names, value) => {
					const status = await probeQuery(
						target.path,
						target.isBackOffice,
						new URLSearchParams(names.map((name) => [name, value])),
						'query parameters, SQL metacharacters'
					);
					return status < 500;
				}
			),
			{ numRuns: 25, seed: 13 }
		);
		expect(statuses.filter((status) => status >= 500)).toEqual([]);
	});

	test('NUL bytes in query parameters never make the server fail', async () => {
		const sweep = TARGETS.map(
			({ path, isBackOffice }) =>
				async () =>
					probeQuery(
						path,
						isBackOffice,
						new URLSearchParams(QUERY_PARAMS.map((name) => [name, `a${NUL}b`])),
						'query parameters, NUL bytes'
					)
		);
		const statuses = await inBatches(sweep, 3);
		expect(statuses.filter((status) => status >= 500)).toEqual([]);
	});

	/** The forms of the demo anyone or the admin fills in, with the names of their fields as rendered. */
	async function formsOf(path: string, cookie: string): Promise<{ action: string; fields: string[] }[]> {
		const html = await (await fetch(demo.url + path, { headers: { cookie } })).text();
		const forms: { action: string; fields: string[] }[] = [];
		for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
			if (!/method="post"/i.test(match[1])) continue;
			const action = /action="([^"]*)"/.exec(match[1])?.[1]?.replaceAll('&amp;', '&') ?? '';
			const fields = [...match[2].matchAll(/<(?:input|textarea|select)\b[^>]*\bname="([^"]+)"/g)].map(
				(m) => m[1]
			);
			forms.push({ action, fields: [...new Set(fields)] });
		}
		return forms;
	}

	const FORM_PAGES: { path: string; asAdmin: boolean }[] = [
		{ path: '/apply', asAdmin: false },
		{ path: '/signin', asAdmin: false },
		{ path: '/forgot-password', asAdmin: false },
		{ path: '/reset-password?token=abc', asAdmin: false },
		{ path: '/backoffice/cases/new', asAdmin: true },
		{ path: '/backoffice/offers/new', asAdmin: true },
		{ path: '/backoffice/events/new', asAdmin: true },
		{ path: '/backoffice/villages/new', asAdmin: true },
		{ path: '/backoffice/workspaces/new', asAdmin: true },
		{ path: '/backoffice/organisations/new', asAdmin: true },
		{ path: '/backoffice/mail-templates/new', asAdmin: true },
		{ path: '/backoffice/cases', asAdmin: true }
	];

	async function postForm(
		page: string,
		action: string,
		cookie: string,
		fields: [string, string][],
		kind: string
	) {
		const target = new URL(action || page, `${demo.url}${page}`);
		const response = await fetch(target, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				origin: demo.url,
				cookie,
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: new URLSearchParams(fields)
		});
		await response.arrayBuffer();
		countProbe(kind);
		if (response.status >= 500)
			serverErrors.push(`${kind}: POST ${target.pathname}${target.search} → ${response.status}`);
		return response.status;
	}

	test('SQL metacharacters and NUL bytes in every field of the public and back-office forms never make the server fail', async () => {
		const forms: { page: string; action: string; fields: string[]; cookie: string }[] = [];
		for (const { path, asAdmin } of FORM_PAGES) {
			const cookie = asAdmin ? admin : '';
			for (const form of await formsOf(path, cookie))
				if (form.fields.length) forms.push({ page: path.split('?')[0], ...form, cookie });
		}
		expect(forms.length).toBeGreaterThan(8);
		const failures: string[] = [];
		for (const withNul of [false, true]) {
			const kind = withNul ? 'form fields, NUL bytes' : 'form fields, SQL metacharacters';
			await fc.assert(
				fc.asyncProperty(
					fc.constantFrom(...forms),
					fc.infiniteStream(hostileText(withNul)),
					async (form, values) => {
						const fields = form.fields
							.filter((name) => name !== 'website')
							.map((name) => [name, values.next().value] as [string, string]);
						const status = await postForm(form.page, form.action, form.cookie, fields, kind);
						if (status >= 500) failures.push(`${kind} ${form.page} ${form.action}`);
						return true;
					}
				),
				{ numRuns: 30, seed: withNul ? 7 : 5 }
			);
		}
		expect(failures).toEqual([]);
	});

	test('a form posted without an Origin header, or from another site, is refused (CSRF)', async () => {
		const posts = [
			{ path: '/signin', cookie: '' },
			{ path: '/apply', cookie: '' },
			{ path: '/signout', cookie: admin },
			{ path: '/backoffice/cases/new', cookie: admin },
			{ path: '/backoffice/settings?/identity', cookie: admin },
			{ path: '/backoffice/people/invite', cookie: admin }
		];
		const types = ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain'];
		const statuses: string[] = [];
		for (const { path, cookie } of posts)
			for (const type of types)
				for (const origin of [null, 'http://evil.example', 'null']) {
					const response = await fetch(demo.url + path, {
						method: 'POST',
						redirect: 'manual',
						headers: { 'content-type': type, cookie, ...(origin ? { origin } : {}) },
						body: type.startsWith('multipart') ? '--x--\r\n' : 'email=admin%40demo.soho.example'
					});
					await response.arrayBuffer();
					countProbe('forged form posts (CSRF)');
					if (response.status !== 403) statuses.push(`${path} ${type} origin=${origin}: ${response.status}`);
				}
		expect(statuses).toEqual([]);
	});

	test('spreadsheet formulas typed into /apply come out defused in every CSV and XLSX export', async () => {
		const formulas = {
			firstName: '=1+1',
			lastName: '+SUM(A1:A2)',
			profession: '-2+3',
			sector: '@SUM(1)',
			wishedArea: '=HYPERLINK("http://evil.example")'
		};
		const apply = await fetch(`${demo.url}/apply`, {
			method: 'POST',
			redirect: 'manual',
			headers: { origin: demo.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				...formulas,
				email: 'formula.injection@example.org',
				phone: '+33 6 00 00 00 00',
				status: 'freelancer',
				villages: 'simorre',
				timeline: 'within_6_months',
				wouldMoveWithoutProgramme: 'yes',
				howHeard: '=cmd|"/c calc"!A1',
				consentContact: 'on',
				consentShareWithCommittees: 'on',
				consentResearch: 'on'
			})
		});
		await apply.arrayBuffer();
		expect(apply.status).toBe(303);

		const downloads = [
			'/backoffice/cases/export?format=csv&q=formula',
			'/backoffice/cases/export?format=xlsx&q=formula',
			'/backoffice/cases/export?format=csv',
			'/backoffice/observatory/exports/research?k=5'
		];
		const exportsPage = (await pageData(demo.url, '/backoffice/observatory/exports', admin)) as {
			sections: string[];
		};
		for (const section of exportsPage.sections)
			for (const format of ['csv', 'xlsx'])
				downloads.push(`/backoffice/observatory/exports/file?section=${section}&format=${format}`);
		expect(downloads.length).toBeGreaterThan(4);

		const dangerous: string[] = [];
		let sawPayload = false;
		for (const path of downloads) {
			const response = await fetch(demo.url + path, { headers: { cookie: admin } });
			countProbe('export files checked for formulas');
			expect(response.status, path).toBe(200);
			const cells: string[] = [];
			const bytes = Buffer.from(await response.arrayBuffer());
			if (path.includes('format=xlsx')) {
				const workbook = new ExcelJS.Workbook();
				await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
				workbook.eachSheet((sheet) =>
					sheet.eachRow((row) =>
						row.eachCell((cell) => {
							if (cell.formula || cell.type === ExcelJS.ValueType.Formula)
								dangerous.push(`${path}: formula cell ${cell.address}`);
							if (typeof cell.value === 'string') cells.push(cell.value);
						})
					)
				);
			} else {
				for (const line of bytes.toString('utf8').split(/\r?\n/))
					for (const cell of line.split(/[;,\t]/))
						cells.push(cell.replace(/^"|"$/g, '').replaceAll('""', '"'));
			}
			for (const cell of cells) {
				if (Object.values(formulas).some((formula) => cell.includes(formula.slice(1)))) sawPayload = true;
				// A cell a spreadsheet would evaluate: starts with = + - @ (or a tab / carriage return), and is not a number.
				if (/^[=+\-@\t\r]/.test(cell) && !/^[-+]?\d+([.,]\d+)?(e[-+]?\d+)?%?$/i.test(cell))
					dangerous.push(`${path}: ${cell.slice(0, 40)}`);
			}
		}
		expect(sawPayload, 'the application’s fields appear in the case export').toBe(true);
		expect(dangerous).toEqual([]);
	});
});
