import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDb, pgliteDir } from '../../src/lib/server/db/index.ts';
import { createEmptyPostgresDatabase, TEST_DB_KINDS } from '../../src/lib/server/db/db.test-utils.ts';
import { e2eSkipReason, runSoho, startServer, type RunningServer } from './support.ts';

/**
 * A power cut in the middle of a burst of writes: concurrent applications on /apply and stage
 * changes in the back office, then SIGKILL (no shutdown hook runs), then a restart on the same
 * data. Every write the server acknowledged is there after the restart, and nothing is half
 * written (a case without its persons, a stage without the change that led to it).
 * On PGlite (the data directory), and on PostgreSQL when TEST_DATABASE_URL is set.
 */
const skipReason = e2eSkipReason();
if (skipReason) console.log(`e2e crash recovery skipped: ${skipReason}`);

const ADMIN_EMAIL = 'admin@crash.example';
const ADMIN_PASSWORD = 'crash-test-password-1';
/** Applications before the burst: the cases whose stage the burst changes. */
const SETTLED_APPLICATIONS = 12;
/** The burst: applications and stage changes in flight together when the process is killed. */
const BURST_APPLICATIONS = 60;

type Ack = { kind: 'application'; email: string } | { kind: 'move'; caseId: string; stage: string };

for (const kind of TEST_DB_KINDS) {
	describe.skipIf(skipReason !== null)(`crash recovery [${kind}]`, () => {
		const dataDir = mkdtempSync(join(tmpdir(), 'soho-crash-'));
		let databaseUrl = '';
		let dropDatabase = async () => {};
		let server: RunningServer | null = null;
		const env = () => ({
			SOHO_DATA_DIR: dataDir,
			DATABASE_URL: databaseUrl,
			SOHO_SEED_DEMO: 'false',
			// The burst comes from one address: the public forms' limits would refuse most of it.
			SOHO_LIMIT_APPLICATIONS_PER_HOUR: '100000',
			SOHO_LIMIT_MAILS_PER_RECIPIENT_PER_HOUR: '100000'
		});

		const soho = (args: string[], input?: string) => void runSoho(args, { env: env(), input });

		beforeAll(async () => {
			if (kind === 'postgres') {
				({ url: databaseUrl, drop: dropDatabase } = await createEmptyPostgresDatabase('soho_crash'));
			}
			// A programme set up from zero, as an operator would: no demo.
			soho([
				'programme',
				'create',
				'--slug',
				'crash',
				'--name',
				'Crash test',
				'-d',
				'32',
				'--metropole',
				'31555'
			]);
			soho(
				[
					'user',
					'create',
					'--programme',
					'crash',
					'--role',
					'admin',
					'--email',
					ADMIN_EMAIL,
					'--name',
					'Ada Admin',
					'--password-stdin'
				],
				`${ADMIN_PASSWORD}\n`
			);
		}, 240_000);

		afterAll(async () => {
			await server?.stop();
			rmSync(dataDir, { recursive: true, force: true });
			await dropDatabase();
		});

		async function apply(url: string, email: string): Promise<boolean> {
			const body = new URLSearchParams({
				firstName: 'Camille',
				lastName: `Crash ${email.split('@')[0]}`,
				email,
				timeline: 'within_6_months',
				wouldMoveWithoutProgramme: 'unsure',
				consentContact: 'on',
				status: 'freelancer'
			});
			const response = await fetch(`${url}/apply`, {
				method: 'POST',
				body,
				headers: { origin: url, 'x-sveltekit-action': 'true' },
				redirect: 'manual'
			});
			if (response.status !== 200) return false;
			const result = (await response.json()) as { type: string; location?: string };
			return result.type === 'redirect' && (result.location ?? '').startsWith('/apply/thanks');
		}

		async function signIn(url: string): Promise<string> {
			const response = await fetch(`${url}/signin`, {
				method: 'POST',
				body: new URLSearchParams({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
				headers: { origin: url },
				redirect: 'manual'
			});
			const cookie = response.headers
				.getSetCookie()
				.map((line) => line.split(';')[0])
				.find((pair) => pair.includes('session_token'));
			if (!cookie) throw new Error(`sign-in failed: ${response.status}`);
			return cookie;
		}

		async function move(url: string, cookie: string, caseId: string, stage: string): Promise<boolean> {
			const response = await fetch(`${url}/backoffice/cases/${caseId}?/move`, {
				method: 'POST',
				body: new URLSearchParams({ stage }),
				headers: { origin: url, cookie, 'x-sveltekit-action': 'true' },
				redirect: 'manual'
			});
			if (response.status !== 200) return false;
			return ((await response.json()) as { type: string }).type === 'success';
		}

		async function caseIds(url: string, cookie: string): Promise<string[]> {
			const html = await (await fetch(`${url}/backoffice/cases`, { headers: { cookie } })).text();
			return [...new Set([...html.matchAll(/\/backoffice\/cases\/(cas_[A-Za-z0-9_-]+)/g)].map((m) => m[1]))];
		}

		test('every acknowledged write survives a SIGKILL mid-burst, and nothing is half written', async () => {
			server = await startServer(env());
			const settled: string[] = [];
			for (let i = 0; i < SETTLED_APPLICATIONS; i++) {
				const email = `settled-${i}@crash.example`;
				expect(await apply(server.url, email)).toBe(true);
				settled.push(email);
			}
			const cookie = await signIn(server.url);
			const ids = await caseIds(server.url, cookie);
			expect(ids.length).toBe(SETTLED_APPLICATIONS);

			// The burst: every request in flight at once; the process dies once a third are answered.
			const acks: Ack[] = [];
			let answered = 0;
			const total = BURST_APPLICATIONS + ids.length;
			const { url } = server;
			const running = server;
			let killed: Promise<void> | null = null;
			const afterAnswer = () => {
				answered += 1;
				if (answered === Math.ceil(total / 3)) killed = running.kill();
			};
			const requests = [
				...Array.from({ length: BURST_APPLICATIONS }, async (_, i) => {
					const email = `burst-${i}@crash.example`;
					const ok = await apply(url, email).catch(() => false);
					if (ok) acks.push({ kind: 'application', email });
					afterAnswer();
				}),
				...ids.map(async (caseId) => {
					const ok = await move(url, cookie, caseId, 'qualified').catch(() => false);
					if (ok) acks.push({ kind: 'move', caseId, stage: 'qualified' });
					afterAnswer();
				})
			];
			await Promise.all(requests);
			await (killed ?? running.kill());
			const acknowledged = acks.length;
			console.log(
				`crash recovery [${kind}]: ${total} requests in the burst, ${acknowledged} acknowledged before SIGKILL`
			);
			expect(acknowledged).toBeGreaterThan(0);
			expect(acknowledged).toBeLessThan(total);

			// Restart on the same data: recovery, migrations and start-up succeed.
			server = await startServer(env());
			expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
			await server.stop();
			server = null;

			// The data as the restarted server left it, read directly.
			const handle = await createDb(databaseUrl ? { url: databaseUrl } : { dataDir: pgliteDir(dataDir) });
			try {
				const rows = async <T>(query: string): Promise<T[]> =>
					((await handle.db.execute(sql.raw(query))) as unknown as { rows: T[] }).rows;
				const persons = await rows<{ email: string | null; case_id: string }>(
					`SELECT email, case_id FROM persons`
				);
				const emails = new Set(persons.map((p) => p.email));
				const cases = await rows<{ id: string; stage: string }>(`SELECT id, stage FROM cases`);
				const changes = await rows<{ case_id: string; to_stage: string }>(
					`SELECT case_id, to_stage FROM case_stage_changes`
				);
				const stageOf = new Map(cases.map((c) => [c.id, c.stage]));

				// Every acknowledged write is there.
				for (const email of settled) expect(emails.has(email), email).toBe(true);
				for (const ack of acks) {
					if (ack.kind === 'application') expect(emails.has(ack.email), ack.email).toBe(true);
					else {
						expect(stageOf.get(ack.caseId), ack.caseId).toBe(ack.stage);
						expect(changes.some((c) => c.case_id === ack.caseId && c.to_stage === ack.stage)).toBe(true);
					}
				}
				// Nothing partial: each case has its applicant, each person its case, each stage its change.
				const casesWithPersons = new Set(persons.map((p) => p.case_id));
				for (const c of cases) {
					expect(casesWithPersons.has(c.id), `case ${c.id} has its applicant`).toBe(true);
					if (c.stage !== 'contact')
						expect(changes.some((ch) => ch.case_id === c.id && ch.to_stage === c.stage)).toBe(true);
				}
				for (const p of persons) expect(stageOf.has(p.case_id)).toBe(true);
				// No applicant appears twice (a write replayed on restart).
				expect(persons.filter((p) => p.email).length).toBe(emails.size - (emails.has(null) ? 1 : 0));
			} finally {
				await handle.close();
			}
		}, 600_000);
	});
}
