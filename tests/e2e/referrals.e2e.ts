import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { createDb, pgliteDir } from '../../src/lib/server/db/index.ts';
import {
	casesTable,
	organisationsTable,
	personsTable,
	programmesTable,
	usersTable
} from '../../src/lib/server/db/schema/index.ts';
import { createUser } from '../../src/lib/server/domain/account/account.service.ts';
import {
	useDemoServer,
	DEMO_PASSWORD,
	e2eSkipReason,
	expectNoAxeViolations,
	screenshot,
	startServer
} from './support.ts';

const skipReason = e2eSkipReason();
if (skipReason) console.log(`e2e referrals skipped: ${skipReason}`);

const EMPLOYMENT_PARTNER = 'emploi-auch@demo.soho.example';

/**
 * The closed loop of a referral on the seeded demo: the advisor refers the partner of a
 * household to the employment service, the service's partner account sees only what is
 * shared, accepts and records the outcome, and the advisor reads it on the case timeline.
 */
describe.skipIf(skipReason !== null)('referrals to partner organisations, closed loop', () => {
	let dataDir: string;
	const household = { caseId: '', reference: '', partnerId: '', partnerName: '', candidateName: '' };

	beforeAll(async () => {
		dataDir = mkdtempSync(join(tmpdir(), 'soho-e2e-referrals-'));
		// A first start seeds the demo; then, server stopped, the employment service gets a
		// partner account and a consenting household is chosen.
		const first = await startServer({ SOHO_DATA_DIR: dataDir });
		await first.stop();
		const handle = await createDb({ dataDir: pgliteDir(dataDir) });
		try {
			const db = handle.db;
			const [programme] = await db.select().from(programmesTable).where(eq(programmesTable.slug, 'gers'));
			const [employment] = await db
				.select()
				.from(organisationsTable)
				.where(
					and(
						eq(organisationsTable.programmeId, programme.id),
						eq(organisationsTable.kind, 'employment_service')
					)
				);
			await createUser(
				{
					input: {
						email: EMPLOYMENT_PARTNER,
						name: 'Nadia Benali (démo)',
						role: 'partner',
						programmeId: programme.id,
						organisationId: employment.id,
						password: DEMO_PASSWORD,
						locale: 'fr',
						isDemo: true
					}
				},
				{ db }
			);
			const [advisor] = await db
				.select()
				.from(usersTable)
				.where(eq(usersTable.email, 'advisor@demo.soho.example'));
			const [row] = await db
				.select({ caseId: casesTable.id, reference: casesTable.reference })
				.from(casesTable)
				.where(
					and(
						eq(casesTable.programmeId, programme.id),
						eq(casesTable.stage, 'qualified'),
						sql`(${casesTable.consents} ->> 'shareWithPartners')::boolean`
					)
				)
				.orderBy(casesTable.reference)
				.limit(1);
			if (!row) throw new Error(`no demo case shares with partners:\n${first.output()}`);
			const [candidate] = await db
				.select()
				.from(personsTable)
				.where(
					and(
						eq(personsTable.caseId, row.caseId),
						eq(personsTable.householdRole, 'candidate'),
						isNotNull(personsTable.lastName)
					)
				);
			// A named partner with details the organisation must not see (origin, birth year).
			const [partnerPerson] = await db
				.insert(personsTable)
				.values({
					programmeId: programme.id,
					caseId: row.caseId,
					householdRole: 'partner',
					firstName: 'Maëlle',
					lastName: 'Quintard',
					profession: 'Infirmière',
					originCountry: 'BE',
					originArea: 'abroad',
					birthYear: 1979,
					isDemo: true
				})
				.returning();
			await db.update(casesTable).set({ advisorId: advisor.id }).where(eq(casesTable.id, row.caseId));
			Object.assign(household, {
				...row,
				partnerId: partnerPerson.id,
				partnerName: 'Maëlle Quintard',
				candidateName: `${candidate.firstName} ${candidate.lastName}`
			});
		} finally {
			await handle.close();
		}
	});
	afterAll(() => {
		if (dataDir) rmSync(dataDir, { recursive: true, force: true });
	});
	// Started after the preparation above, on its data directory (removed after the server stops).
	const demo = useDemoServer({ env: () => ({ SOHO_DATA_DIR: dataDir }) });

	const signIn = (email: string): Promise<Page> =>
		demo.signIn(email, { javaScript: true, viewport: { width: 1440, height: 900 } });

	test('the advisor refers the partner to the employment service, which accepts and records the outcome; the timeline shows every step', async () => {
		const advisor = await signIn('advisor@demo.soho.example');
		await advisor.goto(`${demo.url}/backoffice/cases/${household.caseId}`);
		await advisor.getByRole('heading', { name: 'Orientations' }).waitFor();
		await expectNoAxeViolations(advisor);
		await advisor.getByRole('link', { name: 'Orienter vers un partenaire' }).click();
		await advisor.waitForURL('**/referrals/new');
		await expectNoAxeViolations(advisor);

		// Bad input: no organisation chosen; what was typed is kept.
		await advisor.getByLabel('Personne orientée').selectOption(household.partnerId);
		await advisor.getByLabel('Besoin').selectOption('job_search');
		await advisor.getByLabel('Message à l’organisation').fill('Cherche un poste d’infirmière à Auch.');
		await advisor.getByRole('button', { name: 'Envoyer l’orientation' }).click();
		await advisor.getByText('Choisissez l’organisation partenaire.').waitFor();
		await expect(advisor.getByLabel('Message à l’organisation').inputValue()).resolves.toBe(
			'Cherche un poste d’infirmière à Auch.'
		);

		await advisor
			.getByLabel('Organisation partenaire')
			.selectOption({ label: 'Service public de l’emploi, agence d’Auch (démo)' });
		await advisor.getByRole('button', { name: 'Envoyer l’orientation' }).click();
		await advisor.waitForURL(/\/backoffice\/referrals\/ref_\w+\?created=1/);
		await advisor.getByText('Orientation envoyée à l’organisation.').waitFor();
		const referralUrl = advisor.url().split('?')[0];
		await expectNoAxeViolations(advisor);

		// The employment service's partner: dashboard, inbox, then the shared fields only.
		const partner = await signIn(EMPLOYMENT_PARTNER);
		// The demo already holds referrals to the employment service; the new one adds to them.
		await partner.getByText(/\d+ orientations? en attente de réponse/).waitFor();
		await partner.getByRole('link', { name: 'Orientations', exact: true }).click();
		await partner.waitForURL('**/backoffice/referrals');
		await expectNoAxeViolations(partner);
		await partner.getByRole('link', { name: household.partnerName }).click();
		await partner.waitForURL(referralUrl);
		const main = (await partner.locator('main').textContent()) ?? '';
		expect(main).toContain(household.partnerName);
		expect(main).toContain('Infirmière');
		expect(main).toContain('Cherche un poste d’infirmière à Auch.');
		for (const hidden of [household.candidateName, household.reference, 'Belgique', '1979']) {
			expect(main).not.toContain(hidden);
		}
		await expectNoAxeViolations(partner);
		await screenshot(partner, 'referral-partner-detail');

		// Bad input: declining without a reason is refused and nothing changes.
		await partner.getByRole('button', { name: 'Refuser l’orientation' }).click();
		await partner.getByText('Indiquez pourquoi vous refusez l’orientation.').waitFor();

		await partner.getByRole('button', { name: 'Accepter l’orientation' }).click();
		await partner.getByText('Orientation acceptée.').waitFor();
		await partner.locator('select[name="outcome"]').selectOption('achieved');
		await partner.getByLabel('Commentaire').fill('Contrat signé au centre hospitalier d’Auch.');
		await partner.getByRole('button', { name: 'Enregistrer le résultat' }).click();
		await partner.getByText('Résultat enregistré.').waitFor();
		await expect(partner.getByTestId('referral-outcome').textContent()).resolves.toBe('Objectif atteint');
		await expectNoAxeViolations(partner);

		// Another organisation's partner does not find it.
		const hub = await signIn('partner@demo.soho.example');
		const response = await hub.goto(referralUrl);
		expect(response?.status()).toBe(404);

		// The advisor sees every step on the case timeline and the outcome in the section.
		await advisor.goto(`${demo.url}/backoffice/cases/${household.caseId}`);
		const timeline = (await advisor.locator('section[aria-labelledby="timeline-title"]').textContent()) ?? '';
		expect(timeline).toContain(
			'Orientation vers Service public de l’emploi, agence d’Auch (démo) : Recherche d’emploi'
		);
		expect(timeline).toContain('a accepté l’orientation');
		expect(timeline).toContain('a enregistré le résultat de l’orientation : Objectif atteint');
		const section = (await advisor.locator('section[aria-labelledby="referrals-title"]').textContent()) ?? '';
		expect(section).toContain('Objectif atteint');
		await screenshot(advisor, 'referral-case-timeline');
	});

	test('the advisor sends a demo template to the household from the case, one message per recipient', async () => {
		const advisor = await signIn('advisor@demo.soho.example');
		await advisor.getByRole('link', { name: 'Modèles d’e-mails' }).click();
		await advisor.waitForURL('**/backoffice/mail-templates');
		await expectNoAxeViolations(advisor);
		await advisor.getByRole('link', { name: 'Bienvenue après qualification (démo)' }).click();
		await advisor.getByText('{{firstName}}').first().waitFor();
		await expectNoAxeViolations(advisor);

		// An unknown variable is refused, naming it.
		await advisor.getByLabel('Objet').fill('Bonjour {{prenom}}');
		await advisor.getByRole('button', { name: 'Enregistrer le modèle' }).click();
		await advisor.getByText('Variables inconnues : {{prenom}}').waitFor();

		await advisor.goto(`${demo.url}/backoffice/cases/${household.caseId}/mail`);
		await expectNoAxeViolations(advisor);
		await advisor
			.getByLabel('Modèle', { exact: true })
			.selectOption({ label: 'Bienvenue après qualification (démo) (Français)' });
		await advisor.locator('input[name="personIds"]').first().check();
		await advisor.getByRole('button', { name: 'Aperçu' }).click();
		await advisor.getByRole('heading', { name: /^Aperçu pour / }).waitFor();
		await expectNoAxeViolations(advisor);
		await advisor.getByRole('button', { name: 'Envoyer', exact: true }).click();
		await advisor.getByText(/message mis en file d’envoi|messages mis en file d’envoi/).waitFor();

		await advisor.goto(`${demo.url}/backoffice/cases/${household.caseId}`);
		const mails = (await advisor.locator('section[aria-labelledby="case-mails-title"]').textContent()) ?? '';
		expect(mails).toContain('Bienvenue dans le programme Gers');
		const timeline = (await advisor.locator('section[aria-labelledby="timeline-title"]').textContent()) ?? '';
		expect(timeline).toContain('E-mail « Bienvenue dans le programme Gers');
	});
});
