import { count, eq } from 'drizzle-orm';
import { expect, test } from 'vitest';
import type { Actor } from '../../auth/actor.ts';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { communesTable, programmesTable } from '../../db/schema/index.ts';

import { ValidationError } from '../../validation.ts';
import { createUser, toActor } from '../account/account.service.ts';
import {
	createProgrammeWithTerritory,
	describeProgramme,
	updateProgramme
} from './programme-territory.service.ts';
import { findSettingsAuditEntries } from '../programme-settings/programme-settings.repository.ts';
import { createProgramme, resolveCommuneCode } from './programme.service.ts';
import { errorOf, expectDomainError } from '../../testing/expectations.ts';
import { createTestProgramme } from '../../testing/factories.ts';

const GERS = {
	slug: 'soho-solo',
	name: 'SOHO Solo Gers',
	shortName: 'SOHO Solo',
	contactEmail: 'Contact@Soho.example',
	departements: ['32'],
	metropoleCode: '31555',
	languages: ['fr']
};

describeEachDb('programme creation and settings from the command line', (ctx) => {
	const communesOf = async (departement: string) =>
		(
			await ctx.db
				.select({ n: count() })
				.from(communesTable)
				.where(eq(communesTable.departementCode, departement))
		)[0].n;
	const programmeCount = async () => (await ctx.db.select({ n: count() }).from(programmesTable))[0].n;

	async function adminOf(
		programmeId: string,
		email: string,
		role: 'admin' | 'advisor' = 'admin'
	): Promise<Actor> {
		const { user } = await createUser(
			{ input: { email, name: 'Admin', role, programmeId, password: 'long-enough-password' } },
			{ db: ctx.db }
		);
		return toActor(user);
	}

	test('creating a programme stores its identity and imports its territory from the COG, metropole outside it', async () => {
		const { programme, territory, reference } = await createProgrammeWithTerritory(
			{ input: GERS },
			{ db: ctx.db }
		);
		expect(programme).toMatchObject({
			slug: 'soho-solo',
			name: 'SOHO Solo Gers',
			shortName: 'SOHO Solo',
			contactEmail: 'contact@soho.example',
			departements: ['32'],
			metropoleCode: '31555',
			languages: ['fr'],
			isDemo: false
		});
		expect(territory.departements).toEqual([{ code: '32', name: 'Gers' }]);
		expect(await communesOf('32')).toBe(territory.communes.created);
		expect(territory.communes.created).toBeGreaterThan(400);
		// Toulouse is the metropole but outside the territory: not imported.
		expect(await communesOf('31')).toBe(0);
		// The Gers outlines and INSEE attributes ship with soho: the map works offline at once.
		expect(reference.departements).toEqual(['32']);
		const [located] = await ctx.db
			.select({ outlines: count(communesTable.geometry), urbanAreas: count(communesTable.aavCategory) })
			.from(communesTable)
			.where(eq(communesTable.departementCode, '32'));
		expect(located).toEqual({ outlines: 458, urbanAreas: 458 });
	});

	test('a programme of a département soho ships no reference data for gets its communes, without outlines', async () => {
		const { reference, territory } = await createProgrammeWithTerritory(
			{ input: { ...GERS, slug: 'lot', name: 'Lot', departements: ['46'], metropoleCode: undefined } },
			{ db: ctx.db }
		);
		expect(territory.communes.created).toBeGreaterThan(300);
		expect(reference).toEqual({ departements: [], outlines: [], insee: [] });
		const [located] = await ctx.db.select({ outlines: count(communesTable.geometry) }).from(communesTable);
		expect(located.outlines).toBe(0);
	});

	test('a slug already taken, an unknown département or a metropole that is no French commune writes nothing', async () => {
		await createProgrammeWithTerritory({ input: GERS }, { db: ctx.db });
		await expectDomainError(
			createProgrammeWithTerritory({ input: { ...GERS, departements: ['31'] } }, { db: ctx.db }),
			'programme.slug_taken'
		);
		expect(await communesOf('31')).toBe(0);
		await expectDomainError(
			createProgrammeWithTerritory(
				{ input: { ...GERS, slug: 'other', departements: ['31', '99'] } },
				{ db: ctx.db }
			),
			'territory.unknown_departement'
		);
		// 99999 is no commune of the official geographic code.
		await expectDomainError(
			createProgrammeWithTerritory(
				{ input: { ...GERS, slug: 'other', metropoleCode: '99999' } },
				{ db: ctx.db }
			),
			'programme.unknown_metropole'
		);
		const invalid = await errorOf(
			createProgramme({ input: { ...GERS, slug: 'other', contactEmail: 'not-an-address' } }, { db: ctx.db })
		);
		expect(invalid).toBeInstanceOf(ValidationError);
		expect((invalid as ValidationError).issues).toEqual([
			{ field: 'contactEmail', code: 'programme.invalid_contact_email' }
		]);
		expect(await programmeCount()).toBe(1);
		expect(await communesOf('31')).toBe(0);
	});

	test('a metropole typed as a name or as the suggestion list shows it resolves to its INSEE code', () => {
		expect(resolveCommuneCode({ text: 'Toulouse (31555)' })).toEqual({ code: '31555' });
		expect(resolveCommuneCode({ text: 'toulouse' })).toEqual({ code: '31555' });
		expect(resolveCommuneCode({ text: 'Auch' })).toEqual({ code: '32013' });
		// Several communes bear this name: left as typed, for the check to refuse.
		expect(resolveCommuneCode({ text: 'Saint-Martin' })).toEqual({ code: 'Saint-Martin' });
	});

	test('the operator or the programme’s admin changes name, contact, languages, metropole and its position', async () => {
		const { programme } = await createProgrammeWithTerritory({ input: GERS }, { db: ctx.db });
		const positioned = await updateProgramme(
			{ slug: 'soho-solo', input: { metropolePosition: '43.6045, 1.4442' } },
			{ db: ctx.db }
		);
		expect(positioned.programme).toMatchObject({ metropoleLat: 43.6045, metropoleLon: 1.4442 });

		const admin = await adminOf(programme.id, 'admin@soho.example');
		const { programme: changed } = await updateProgramme(
			{
				actor: admin,
				slug: 'soho-solo',
				input: {
					name: 'SOHO Solo',
					shortName: '',
					contactEmail: 'hello@soho.example',
					languages: ['fr', 'en'],
					metropoleCode: '32013'
				}
			},
			{ db: ctx.db }
		);
		expect(changed).toMatchObject({
			name: 'SOHO Solo',
			shortName: null,
			contactEmail: 'hello@soho.example',
			languages: ['fr', 'en'],
			metropoleCode: '32013',
			// The position was Toulouse's: forgotten with the metropole it belonged to.
			metropoleLat: null,
			metropoleLon: null
		});

		const advisor = await adminOf(programme.id, 'advisor@soho.example', 'advisor');
		await expectDomainError(
			updateProgramme({ actor: advisor, slug: 'soho-solo', input: { name: 'Taken over' } }, { db: ctx.db }),
			'programme.forbidden'
		);
		const other = await createTestProgramme(ctx.db, { slug: 'lot', name: 'Lot', departements: ['46'] });
		const otherAdmin = await adminOf(other.id, 'admin@lot.example');
		await expectDomainError(
			updateProgramme(
				{ actor: otherAdmin, slug: 'soho-solo', input: { name: 'Taken over' } },
				{ db: ctx.db }
			),
			'programme.not_found'
		);
		await expectDomainError(
			updateProgramme({ slug: 'soho-solo', input: {} }, { db: ctx.db }),
			'programme.nothing_to_change'
		);
		await expectDomainError(
			updateProgramme({ slug: 'soho-solo', input: { metropoleCode: '99999' } }, { db: ctx.db }),
			'programme.unknown_metropole'
		);
		const badPosition = await errorOf(
			updateProgramme({ slug: 'soho-solo', input: { metropolePosition: '143.6,1.4' } }, { db: ctx.db })
		);
		expect((badPosition as ValidationError).issues).toEqual([
			{ field: 'metropolePosition', code: 'programme.invalid_position' }
		]);
		expect((await describeProgramme({ slug: 'soho-solo' }, { db: ctx.db })).programme.name).toBe('SOHO Solo');

		// Every change is in the settings history, the operator's as the system's; refusals wrote nothing.
		const history = await findSettingsAuditEntries({ db: ctx.db, programmeId: programme.id, limit: 10 });
		expect(
			history
				.map((entry) => ({ actor: entry.actorLabel, before: entry.before, after: entry.after }))
				// Oldest first; one change's sections share its time: by section name.
				.reverse()
				.sort((a, b) =>
					a.actor === b.actor ? String(a.after.section).localeCompare(String(b.after.section)) : 0
				)
		).toEqual([
			{
				actor: 'system',
				before: { section: 'metropole', metropoleLat: null, metropoleLon: null },
				after: { section: 'metropole', metropoleLat: 43.6045, metropoleLon: 1.4442 }
			},
			{
				actor: admin.name,
				before: {
					section: 'identity',
					name: 'SOHO Solo Gers',
					shortName: 'SOHO Solo',
					contactEmail: 'contact@soho.example',
					languages: ['fr']
				},
				after: {
					section: 'identity',
					name: 'SOHO Solo',
					shortName: null,
					contactEmail: 'hello@soho.example',
					languages: ['fr', 'en']
				}
			},
			{
				actor: admin.name,
				before: { section: 'metropole', metropoleCode: '31555', metropoleLat: 43.6045, metropoleLon: 1.4442 },
				after: { section: 'metropole', metropoleCode: '32013', metropoleLat: null, metropoleLon: null }
			}
		]);
	});

	test('adding a département imports its communes; show says what is still missing', async () => {
		await createProgrammeWithTerritory({ input: GERS }, { db: ctx.db });
		const before = await describeProgramme({ slug: 'soho-solo' }, { db: ctx.db });
		expect(before.metropole).toEqual({ code: '31555', name: 'Toulouse', hasPosition: false });
		// The Gers outlines ship with soho; the metropole's position does not.
		expect(before.missing).toEqual([{ key: 'no_metropole_position' }]);

		const { programme, territory } = await updateProgramme(
			{ slug: 'soho-solo', input: { addDepartement: '31' } },
			{ db: ctx.db }
		);
		expect(programme.departements).toEqual(['31', '32']);
		expect(territory?.communes.created).toBe(await communesOf('31'));
		expect(await communesOf('31')).toBeGreaterThan(500);
		await expectDomainError(
			updateProgramme({ slug: 'soho-solo', input: { addDepartement: '99' } }, { db: ctx.db }),
			'territory.unknown_departement'
		);
		const after = await describeProgramme({ slug: 'soho-solo' }, { db: ctx.db });
		expect(after.departements.map((d) => [d.code, d.name])).toEqual([
			['31', 'Haute-Garonne'],
			['32', 'Gers']
		]);
		expect(after.missing).toEqual([
			{ key: 'no_metropole_position' },
			{ key: 'no_outlines', departement: '31' }
		]);
		await expectDomainError(describeProgramme({ slug: 'nope' }, { db: ctx.db }), 'programme.not_found');
	});
});
