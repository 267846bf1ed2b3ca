import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq, isNull, ne, or } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { todayIso } from '../../src/lib/domain/datetime.ts';
import { createDb, pgliteDir } from '../../src/lib/server/db/index.ts';
import {
	casesTable,
	personsTable,
	programmesTable,
	usersTable
} from '../../src/lib/server/db/schema/index.ts';
import { createUser } from '../../src/lib/server/domain/account/account.service.ts';
import {
	DEMO_PASSWORD,
	e2eSkipReason,
	expectNoAxeViolations,
	startServer,
	useDemoServer
} from './support.ts';

const skipReason = e2eSkipReason();
if (skipReason) console.log(`e2e discovery stays skipped: ${skipReason}`);

const CANDIDATE = 'stay-candidate@demo.soho.example';
const MAYOR = 'committee@demo.soho.example';
const addDays = (day: string, days: number) =>
	new Date(Date.parse(`${day}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * A discovery stay end to end on the seeded demo: the advisor plans it from the case page with the
 * demo mayor (committee) as host, the mayor confirms from their invitations, and the household's
 * candidate (an account linked by `cases.candidate_user_id`) sees it at /space/stays and downloads
 * the ICS file. The demo candidate, another household, sees none of it.
 */
describe.skipIf(skipReason !== null)('discovery stays: plan, host confirms, candidate sees it', () => {
	let dataDir: string;
	const household = { caseId: '', firstName: '', mayorId: '' };

	beforeAll(async () => {
		dataDir = mkdtempSync(join(tmpdir(), 'soho-e2e-stays-'));
		const first = await startServer({ SOHO_DATA_DIR: dataDir });
		await first.stop();
		const handle = await createDb({ dataDir: pgliteDir(dataDir) });
		try {
			const db = handle.db;
			const [programme] = await db.select().from(programmesTable).where(eq(programmesTable.slug, 'gers'));
			const [demoCandidate] = await db
				.select()
				.from(usersTable)
				.where(eq(usersTable.email, 'candidate@demo.soho.example'));
			// A qualified household that is not the demo candidate's, and has a named candidate.
			const [row] = await db
				.select({ caseId: casesTable.id, firstName: personsTable.firstName })
				.from(casesTable)
				.innerJoin(
					personsTable,
					and(eq(personsTable.caseId, casesTable.id), eq(personsTable.householdRole, 'candidate'))
				)
				.where(
					and(
						eq(casesTable.programmeId, programme.id),
						eq(casesTable.stage, 'qualified'),
						or(isNull(casesTable.candidateUserId), ne(casesTable.candidateUserId, demoCandidate.id))
					)
				)
				.orderBy(casesTable.reference)
				.limit(1);
			if (!row?.firstName) throw new Error(`no qualified demo case:\n${first.output()}`);
			const { user } = await createUser(
				{
					input: {
						email: CANDIDATE,
						name: `${row.firstName} (démo)`,
						role: 'candidate',
						programmeId: programme.id,
						password: DEMO_PASSWORD,
						locale: 'fr',
						isDemo: true
					}
				},
				{ db }
			);
			await db.update(casesTable).set({ candidateUserId: user.id }).where(eq(casesTable.id, row.caseId));
			const [mayor] = await db.select().from(usersTable).where(eq(usersTable.email, MAYOR));
			Object.assign(household, { caseId: row.caseId, firstName: row.firstName, mayorId: mayor.id });
		} finally {
			await handle.close();
		}
	});
	afterAll(() => {
		if (dataDir) rmSync(dataDir, { recursive: true, force: true });
	});
	const demo = useDemoServer({ env: () => ({ SOHO_DATA_DIR: dataDir }) });
	const signIn = (email: string): Promise<Page> =>
		demo.signIn(email, { javaScript: true, viewport: { width: 1440, height: 900 } });

	test('the advisor plans a stay with the mayor, the mayor confirms, the candidate sees it and gets the ICS', async () => {
		const start = addDays(todayIso(), 20);
		const advisor = await signIn('advisor@demo.soho.example');
		await advisor.goto(`${demo.url}/backoffice/cases/${household.caseId}`);
		await advisor.getByRole('heading', { name: 'Séjours de découverte' }).waitFor();
		await advisor.getByRole('link', { name: 'Planifier un séjour' }).click();
		await advisor.waitForURL(/\/backoffice\/stays\?caseId=/);
		await expectNoAxeViolations(advisor);

		// Bad input: the end before the start; what was typed is kept.
		await advisor.getByLabel('Intitulé').fill('Découverte du Savès');
		await advisor.locator('input[name="startsOn"]').fill(start);
		await advisor.locator('input[name="endsOn"]').fill(addDays(start, -1));
		await advisor.getByRole('button', { name: 'Planifier', exact: true }).click();
		await advisor.getByText('La fin doit venir après le début.').waitFor();
		await expect(advisor.getByLabel('Intitulé').inputValue()).resolves.toBe('Découverte du Savès');

		await advisor.locator('input[name="endsOn"]').fill(addDays(start, 2));
		await advisor.locator('textarea[name="lodging"]').fill('Gîte de la mairie');
		await advisor.getByRole('button', { name: 'Planifier', exact: true }).click();
		await advisor.waitForURL(/\/backoffice\/stays\/sty_\w+\?created=1/);
		await advisor.getByText('Enregistré.').waitFor();
		const stayUrl = advisor.url().split('?')[0];

		// A meeting outside the stay is refused on its field; then one within, with the mayor.
		await advisor.locator('select[name="hostUserId"]').selectOption(household.mayorId);
		await advisor.locator('input[name="startsAt"]').fill(`${addDays(start, 5)}T10:00`);
		await advisor.locator('input[name="endsAt"]').fill(`${addDays(start, 5)}T11:00`);
		await advisor.locator('input[name="place"]').fill('Salle du conseil');
		await advisor.getByRole('button', { name: 'Ajouter et inviter l’hôte' }).click();
		await advisor.getByText('La rencontre doit avoir lieu pendant le séjour.').waitFor();
		await advisor.locator('select[name="hostUserId"]').selectOption(household.mayorId);
		await advisor.locator('input[name="startsAt"]').fill(`${addDays(start, 1)}T10:00`);
		await advisor.locator('input[name="endsAt"]').fill(`${addDays(start, 1)}T11:30`);
		await advisor.locator('input[name="place"]').fill('Salle du conseil');
		await advisor.getByRole('button', { name: 'Ajouter et inviter l’hôte' }).click();
		await advisor.getByTestId('stay-meeting').getByText('Invité').waitFor();
		await expectNoAxeViolations(advisor);

		// The mayor sees the invitation with the household's first name only, and confirms.
		const mayor = await signIn(MAYOR);
		await mayor.goto(`${demo.url}/backoffice/stays`);
		const invitation = mayor.getByTestId('stay-invitation').filter({ hasText: 'Salle du conseil' });
		await invitation.waitFor();
		await expect(invitation.textContent()).resolves.toContain(household.firstName);
		await expectNoAxeViolations(mayor);
		await invitation.getByRole('button', { name: 'Je confirme' }).click();
		await mayor
			.getByTestId('stay-invitation')
			.filter({ hasText: 'Salle du conseil' })
			.getByText('Confirmé')
			.waitFor();
		// The stay's own page is the staff's.
		expect((await mayor.goto(stayUrl))?.status()).toBe(403);

		// The candidate sees the stay and the confirmation, and downloads the calendar.
		const candidate = await signIn(CANDIDATE);
		await candidate.goto(`${demo.url}/space/stays`);
		await candidate.getByRole('heading', { name: 'Découverte du Savès' }).waitFor();
		await candidate.getByTestId('own-stay-meeting').getByText('Confirmé').waitFor();
		await expectNoAxeViolations(candidate);
		const ics = await candidate.request.get(`${demo.url}/space/stays/calendar.ics`);
		expect(ics.status()).toBe(200);
		expect(ics.headers()['content-type']).toContain('text/calendar');
		const text = await ics.text();
		expect(text).toContain('BEGIN:VCALENDAR');
		expect(text).toContain('SUMMARY:Découverte du Savès');
		expect(text).toContain('LOCATION:Salle du conseil');

		// Another household's candidate sees none of it, and the advisor sees the confirmation.
		const other = await signIn('candidate@demo.soho.example');
		await other.goto(`${demo.url}/space/stays`);
		await other.getByRole('heading', { name: 'Mon séjour de découverte' }).waitFor();
		await expect(other.locator('body').textContent()).resolves.not.toContain('Découverte du Savès');
		const otherIcs = await (await other.request.get(`${demo.url}/space/stays/calendar.ics`)).text();
		expect(otherIcs).not.toContain('Savès');
		await advisor.goto(stayUrl);
		await advisor.getByTestId('stay-meeting').getByText('Confirmé').waitFor();
	});
});
