import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Actor } from '../../auth/actor.ts';
import { describeEachDb } from '../../db/db.test-utils.ts';
import type { Db } from '../../db/index.ts';
import { auditEntriesTable, communesTable, programmesTable } from '../../db/schema/index.ts';

import { createDiskStorage, type FileStorage } from '../../files/storage.ts';

import { getCaseBoard } from '../case/case-pipeline.service.ts';
import { observatoryViewerOf } from '../observatory/observatory.context.ts';
import { getObservatorySection } from '../observatory/observatory.service.ts';
import { seedObservatoryProgramme } from '../observatory/observatory.test-utils.ts';
import {
	addTerritoryDepartement,
	getProgrammeLogo,
	getProgrammeSettings,
	getPublicResults,
	getPublicSettings,
	isHomePageWritten,
	isLegalNoticeFilled,
	updateIdentity,
	updateLegalNotice,
	updateMetropole,
	updatePipeline,
	updatePrivacyNotice,
	updateSourceCodeLink,
	updateTexts,
	uploadLogo
} from './programme-settings.service.ts';
import { expectDomainError, expectIssuesByField } from '../../testing/expectations.ts';

const NOW = new Date('2026-11-26T09:00:00Z');

/** The field codes of a ValidationError (field → code). */
const LEGAL = {
	publisher: 'Chambre de commerce du Gers',
	address: '2 rue du Lycée, 32000 Auch',
	registration: 'SIREN 183 200 017',
	director: 'Anne Martin',
	hostName: 'Hébergeur Exemple SAS',
	hostAddress: '1 quai de la Donnée, 59100 Roubaix'
};

const TEXTS = {
	homeTitle: { fr: 'Venez vivre dans le Gers', en: 'Come and live in the Gers' },
	homeIntro: { fr: 'Un **accueil** sur mesure.', en: '' },
	howItWorks: { fr: '1. Écrivez-nous\n2. Venez voir', en: '1. Write to us' },
	faq: [
		{
			question: { fr: 'Combien ça coûte ?', en: 'How much?' },
			answer: { fr: 'Rien.<script>alert(1)</script> [lien](javascript:alert(1))', en: 'Nothing.' }
		}
	]
};

describeEachDb('programme settings', (ctx) => {
	let dir: string;
	let storage: FileStorage;
	beforeAll(async () => {
		dir = await mkdtemp(join(tmpdir(), 'soho-settings-'));
		storage = createDiskStorage({ dataDir: dir });
	});
	afterAll(() => rm(dir, { recursive: true, force: true }));

	const setup = async (households: Parameters<typeof seedObservatoryProgramme>[1] = []) => {
		const gers = await seedObservatoryProgramme(ctx.db, households, { slug: 'gers' });
		const lot = await seedObservatoryProgramme(ctx.db, [], { slug: 'lot', departements: ['46'] });
		return { gers, lot, actors: gers.actors };
	};
	const nonAdmins = (actors: Record<string, Actor>) =>
		(['advisor', 'committee', 'partner', 'member'] as const).map((role) => actors[role]);

	const auditOf = (db: Db, programmeId: string) =>
		db
			.select()
			.from(auditEntriesTable)
			.where(
				and(eq(auditEntriesTable.programmeId, programmeId), eq(auditEntriesTable.entityType, 'programme'))
			);

	describe('identity', () => {
		test('an admin renames the programme and sets readable colours, written to the audit log', async () => {
			const { gers, actors } = await setup();
			await updateIdentity(
				{
					actor: actors.admin,
					input: { name: 'Gers Accueil', primaryColor: '#1F5F4A', accentColor: '#f3c969' }
				},
				{ db: ctx.db }
			);
			const settings = await getProgrammeSettings({ actor: actors.admin }, { db: ctx.db });
			expect(settings.programme.name).toBe('Gers Accueil');
			expect(settings.identity).toMatchObject({ primaryColor: '#1f5f4a', accentColor: '#f3c969' });
			expect(settings.history).toEqual([
				expect.objectContaining({
					actorLabel: actors.admin.name,
					section: 'identity',
					fields: ['accentColor', 'name', 'primaryColor']
				})
			]);
			const [entry] = await auditOf(ctx.db, gers.programme.id);
			expect(entry).toMatchObject({
				action: 'settings_update',
				actorId: actors.admin.userId,
				caseId: null,
				before: { section: 'identity', name: 'Programme gers', primaryColor: null },
				after: { section: 'identity', name: 'Gers Accueil', primaryColor: '#1f5f4a' }
			});
		});

		test('a colour too light for white text is refused and nothing is written', async () => {
			const { gers, actors } = await setup();
			const issues = await expectIssuesByField(
				updateIdentity(
					{ actor: actors.admin, input: { name: 'Nouveau nom', primaryColor: '#f3c969', accentColor: '' } },
					{ db: ctx.db }
				)
			);
			expect(issues).toEqual({ primaryColor: 'programme_settings.contrast_too_low' });
			const [row] = await ctx.db
				.select()
				.from(programmesTable)
				.where(eq(programmesTable.id, gers.programme.id));
			expect(row.name).toBe('Programme gers');
			expect(await auditOf(ctx.db, gers.programme.id)).toEqual([]);
		});

		test('advisors, committee members, partners and members may not change the settings', async () => {
			const { actors } = await setup();
			for (const actor of nonAdmins(actors)) {
				await expectDomainError(
					updateIdentity(
						{ actor, input: { name: 'Pirate', primaryColor: '', accentColor: '' } },
						{ db: ctx.db }
					),
					'programme_settings.forbidden'
				);
				await expectDomainError(
					getProgrammeSettings({ actor }, { db: ctx.db }),
					'programme_settings.forbidden'
				);
				await expectDomainError(
					updateLegalNotice({ actor, input: LEGAL }, { db: ctx.db }),
					'programme_settings.forbidden'
				);
				await expectDomainError(
					updateTexts({ actor, input: TEXTS }, { db: ctx.db }),
					'programme_settings.forbidden'
				);
				await expectDomainError(
					updatePipeline({ actor, input: { stages: [] } }, { db: ctx.db }),
					'programme_settings.forbidden'
				);
			}
		});

		test('a logo is re-encoded and served; a file that is not an image is refused', async () => {
			const { actors } = await setup();
			const png = await sharp({
				create: { width: 1200, height: 400, channels: 3, background: { r: 31, g: 95, b: 74 } }
			})
				.png()
				.toBuffer();
			const { identity } = await uploadLogo({ actor: actors.admin, bytes: png }, { db: ctx.db, storage });
			expect(identity.logoKey).toMatch(/^[a-f0-9]{64}\.webp$/);
			const logo = await getProgrammeLogo({ key: identity.logoKey! }, { db: ctx.db, storage });
			const meta = await sharp(logo.data).metadata();
			expect(meta.format).toBe('webp');
			expect(meta.width).toBe(600);
			await expectDomainError(
				uploadLogo(
					{ actor: actors.admin, bytes: new TextEncoder().encode('<svg/>') },
					{ db: ctx.db, storage }
				),
				'media.not_an_image'
			);
			await expectDomainError(
				uploadLogo({ actor: actors.advisor, bytes: png }, { db: ctx.db, storage }),
				'programme_settings.forbidden'
			);
		});
	});

	describe('texts and legal notice', () => {
		test('texts are stored in both languages and rendered sanitised, French standing in for English', async () => {
			const { gers, actors } = await setup();
			expect(await isHomePageWritten({ programmeId: gers.programme.id }, { db: ctx.db })).toBe(false);
			await updateTexts({ actor: actors.admin, input: TEXTS }, { db: ctx.db });
			expect(await isHomePageWritten({ programmeId: gers.programme.id }, { db: ctx.db })).toBe(true);
			const en = await getPublicSettings({ programmeId: gers.programme.id, locale: 'en' }, { db: ctx.db });
			expect(en.homeTitle).toBe('Come and live in the Gers');
			expect(en.homeIntroHtml).toBe('<p>Un <strong>accueil</strong> sur mesure.</p>\n');
			const fr = await getPublicSettings({ programmeId: gers.programme.id, locale: 'fr' }, { db: ctx.db });
			expect(fr.faq).toHaveLength(1);
			expect(fr.faq[0].question).toBe('Combien ça coûte ?');
			expect(fr.faq[0].answerHtml).toContain('Rien.');
			expect(fr.faq[0].answerHtml).not.toContain('<script');
			expect(fr.faq[0].answerHtml).not.toContain('javascript:');
		});

		test('a FAQ question without its answer is refused, naming the row', async () => {
			const { actors } = await setup();
			const issues = await expectIssuesByField(
				updateTexts(
					{
						actor: actors.admin,
						input: { ...TEXTS, faq: [{ question: { fr: 'Et alors ?', en: '' }, answer: { fr: '', en: '' } }] }
					},
					{ db: ctx.db }
				)
			);
			expect(issues).toEqual({ 'faq.0': 'programme_settings.text_required' });
		});

		test('the legal and privacy notices fill the public pages; the checklist sees the notice filled', async () => {
			const { gers, lot, actors } = await setup();
			await updateLegalNotice({ actor: actors.admin, input: { ...LEGAL, hostName: '' } }, { db: ctx.db });
			expect(await isLegalNoticeFilled({ programmeId: gers.programme.id }, { db: ctx.db })).toBe(false);
			await updateLegalNotice({ actor: actors.admin, input: LEGAL }, { db: ctx.db });
			expect(await isLegalNoticeFilled({ programmeId: gers.programme.id }, { db: ctx.db })).toBe(true);
			await updatePrivacyNotice(
				{
					actor: actors.admin,
					input: { controller: 'CCI du Gers', dpoContact: 'dpo@cci.example', retention: '3 ans' }
				},
				{ db: ctx.db }
			);
			const shown = await getPublicSettings({ programmeId: gers.programme.id, locale: 'fr' }, { db: ctx.db });
			expect(shown.legal).toEqual(LEGAL);
			expect(shown.privacy.dpoContact).toBe('dpo@cci.example');
			// Programme A's admin wrote only A's notice.
			expect(await isLegalNoticeFilled({ programmeId: lot.programme.id }, { db: ctx.db })).toBe(false);
			const other = await getPublicSettings({ programmeId: lot.programme.id, locale: 'fr' }, { db: ctx.db });
			expect(other.legal.publisher).toBe('');
			expect((await auditOf(ctx.db, gers.programme.id)).map((e) => e.before.section)).toEqual([
				'legal',
				'legal',
				'privacy'
			]);
		});

		test("programme A's admin changes only programme A", async () => {
			const { gers, lot } = await setup();
			await updateIdentity(
				{ actor: lot.actors.admin, input: { name: 'Lot Accueil', primaryColor: '', accentColor: '' } },
				{ db: ctx.db }
			);
			const names = await ctx.db
				.select({ id: programmesTable.id, name: programmesTable.name })
				.from(programmesTable);
			expect(Object.fromEntries(names.map((p) => [p.id, p.name]))).toEqual({
				[gers.programme.id]: 'Programme gers',
				[lot.programme.id]: 'Lot Accueil'
			});
			expect(await auditOf(ctx.db, gers.programme.id)).toEqual([]);
		});
	});

	describe('source code, metropole and territory', () => {
		test('the source-code link must be a web address; empty removes it', async () => {
			const { gers, actors } = await setup();
			expect(
				await expectIssuesByField(
					updateSourceCodeLink({ actor: actors.admin, input: { url: 'javascript:alert(1)' } }, { db: ctx.db })
				)
			).toEqual({ url: 'programme_settings.invalid_url' });
			await updateSourceCodeLink(
				{ actor: actors.admin, input: { url: 'https://forge.example/soho' } },
				{ db: ctx.db }
			);
			let shown = await getPublicSettings({ programmeId: gers.programme.id, locale: 'fr' }, { db: ctx.db });
			expect(shown.sourceCodeUrl).toBe('https://forge.example/soho');
			await updateSourceCodeLink({ actor: actors.admin, input: { url: '' } }, { db: ctx.db });
			shown = await getPublicSettings({ programmeId: gers.programme.id, locale: 'fr' }, { db: ctx.db });
			expect(shown.sourceCodeUrl).toBeNull();
		});

		test('the metropole is a COG commune placed in France', async () => {
			const { gers, actors } = await setup();
			const { metropole } = await updateMetropole(
				{ actor: actors.admin, input: { code: '31555', lat: 43.6045, lon: 1.4442 } },
				{ db: ctx.db }
			);
			expect(metropole.name).toBe('Toulouse');
			const [row] = await ctx.db
				.select()
				.from(programmesTable)
				.where(eq(programmesTable.id, gers.programme.id));
			expect(row).toMatchObject({ metropoleCode: '31555', metropoleLat: 43.6045, metropoleLon: 1.4442 });
			expect(
				await expectIssuesByField(
					updateMetropole(
						{ actor: actors.admin, input: { code: '99999', lat: 43.6, lon: 1.44 } },
						{ db: ctx.db }
					)
				)
			).toEqual({ code: 'programme_settings.unknown_commune' });
			expect(
				await expectIssuesByField(
					updateMetropole(
						{ actor: actors.admin, input: { code: '31555', lat: 1.4442, lon: 43.6045 } },
						{ db: ctx.db }
					)
				)
			).toEqual({ lat: 'programme_settings.outside_france' });
		});

		test('adding a département imports its communes; unknown or present ones are refused', async () => {
			const { gers, actors } = await setup();
			const { departements, communes } = await addTerritoryDepartement(
				{ actor: actors.admin, input: { code: '46' } },
				{ db: ctx.db }
			);
			expect(departements).toEqual(['32', '46']);
			expect(communes).toBeGreaterThan(300);
			const lot = await ctx.db.select().from(communesTable).where(eq(communesTable.departementCode, '46'));
			expect(lot.length).toBe(communes);
			const [row] = await ctx.db
				.select()
				.from(programmesTable)
				.where(eq(programmesTable.id, gers.programme.id));
			expect(row.departements).toEqual(['32', '46']);
			expect(
				await expectIssuesByField(
					addTerritoryDepartement({ actor: actors.admin, input: { code: '46' } }, { db: ctx.db })
				)
			).toEqual({ code: 'programme_settings.departement_present' });
			await expectDomainError(
				addTerritoryDepartement({ actor: actors.admin, input: { code: '99' } }, { db: ctx.db }),
				'territory.unknown_departement'
			);
			const [after] = await ctx.db
				.select()
				.from(programmesTable)
				.where(eq(programmesTable.id, gers.programme.id));
			expect(after.departements).toEqual(['32', '46']);
		});
	});

	describe('pipeline stages', () => {
		const defaults = [
			{ key: 'contact', labelFr: 'Premier contact', labelEn: 'First contact', milestone: 'contact' },
			{ key: 'qualified', labelFr: 'Qualifié', labelEn: 'Qualified', milestone: 'qualified' },
			{ key: 'discovery_visit', labelFr: 'Visite', labelEn: 'Visit', milestone: 'discovery' },
			{ key: 'installing', labelFr: 'En cours', labelEn: 'Moving', milestone: 'installing' },
			{ key: 'installed', labelFr: 'Installé', labelEn: 'Settled', milestone: 'installed' },
			{ key: 'integrated', labelFr: 'Intégré', labelEn: 'Integrated', milestone: 'integrated' }
		];

		test('an admin renames, reorders and adds stages; the board shows them', async () => {
			const { actors } = await setup([{ contact: '2026-01-10', stages: { qualified: '2026-02-01' } }]);
			const stages = [
				{ ...defaults[0], labelFr: 'Premier échange' },
				defaults[2],
				defaults[1],
				{ key: '', labelFr: 'Recherche de logement', labelEn: 'House hunting', milestone: 'installing' },
				...defaults.slice(3)
			];
			await updatePipeline({ actor: actors.admin, input: { stages } }, { db: ctx.db });
			const settings = await getProgrammeSettings({ actor: actors.admin }, { db: ctx.db });
			expect(settings.pipeline.stages.map((s) => s.key)).toEqual([
				'contact',
				'discovery_visit',
				'qualified',
				'recherche_de_logement',
				'installing',
				'installed',
				'integrated'
			]);
			expect(settings.pipeline.stages[0]).toMatchObject({ labelFr: 'Premier échange', cases: 1 });
			const { columns } = await getCaseBoard({ actor: actors.advisor }, { db: ctx.db });
			expect(columns.map((c) => c.stage)).toEqual([
				'contact',
				'discovery_visit',
				'qualified',
				'recherche_de_logement',
				'installing',
				'installed',
				'integrated',
				'abandoned',
				'left_territory'
			]);
			expect(columns.find((c) => c.stage === 'qualified')?.total).toBe(1);
		});

		test('an unknown milestone or a duplicate key is refused, naming the row', async () => {
			const { actors } = await setup();
			const issues = await expectIssuesByField(
				updatePipeline(
					{
						actor: actors.admin,
						input: {
							stages: [
								defaults[0],
								{ ...defaults[1], key: 'contact' },
								{ ...defaults[4], milestone: 'settled' }
							]
						}
					},
					{ db: ctx.db }
				)
			);
			expect(issues).toEqual({
				'stages.1.key': 'programme_settings.duplicate_stage',
				'stages.2.milestone': 'programme_settings.unknown_milestone'
			});
		});

		test('a stage cases went through cannot be removed, with a clear message', async () => {
			const { gers, actors } = await setup([
				{ contact: '2026-01-10', stages: { discovery_visit: '2026-02-01' } }
			]);
			const error = await expectDomainError(
				updatePipeline(
					{ actor: actors.admin, input: { stages: defaults.filter((s) => s.key !== 'discovery_visit') } },
					{ db: ctx.db }
				),
				'programme_settings.stage_in_use'
			);
			expect((error as { details: unknown }).details).toEqual({ stage: 'Séjour découverte', cases: 1 });
			const [row] = await ctx.db
				.select()
				.from(programmesTable)
				.where(eq(programmesTable.id, gers.programme.id));
			expect(row.pipeline).toBeNull();
			// A stage nobody used may go.
			await updatePipeline(
				{ actor: actors.admin, input: { stages: defaults.filter((s) => s.key !== 'installing') } },
				{ db: ctx.db }
			);
		});

		test('a custom stage mapped to "installed" counts as an installation in the observatory and on the home page', async () => {
			const households = Array.from({ length: 6 }, (_, i) => ({
				contact: `2022-0${i + 1}-10`,
				stages: { qualified: `2022-0${i + 1}-20`, emmenage: `2023-0${i + 1}-15` },
				partners: 1
			}));
			const { gers, actors } = await setup([
				...households,
				{ contact: '2025-01-10', stages: { qualified: '2025-02-01' } }
			]);
			await updatePipeline(
				{
					actor: actors.admin,
					input: {
						stages: [
							defaults[0],
							defaults[1],
							{ key: 'emmenage', labelFr: 'Emménagé', labelEn: 'Moved in', milestone: 'installed' }
						]
					}
				},
				{ db: ctx.db }
			);
			const viewer = observatoryViewerOf(actors.advisor);
			const { data: flows } = await getObservatorySection(
				{ viewer, section: 'flows', input: {} },
				{ db: ctx.db, now: NOW }
			);
			expect(flows.today).toMatchObject({ households: 6, persons: 12 });
			expect(flows.years.find((y) => y.year === 2023)?.installations).toBe(6);
			const { data: funnel } = await getObservatorySection(
				{ viewer, section: 'funnel', input: { from: 2022, to: 2025 } },
				{ db: ctx.db, now: NOW }
			);
			expect(funnel.steps.map((s) => [s.stage, s.count])).toEqual([
				['contact', 7],
				['qualified', 7],
				['emmenage', 6]
			]);
			expect(funnel.stageLabels.emmenage).toEqual({ fr: 'Emménagé', en: 'Moved in' });
			const results = await getPublicResults({ programmeId: gers.programme.id }, { db: ctx.db, now: NOW });
			expect(results.householdsInstalled).toEqual({ value: 6, isHidden: false });
			expect(results.personsInstalled).toEqual({ value: 12, isHidden: false });
			// Installed in the first half of 2023, all still here more than 3 years later.
			expect(results.stillHereAfter3Years).toEqual({ value: 6, isHidden: false });
		});
	});
});
