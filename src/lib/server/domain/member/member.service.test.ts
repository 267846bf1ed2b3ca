import { eq } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { parseConfig } from '../../config.ts';
import { describeEachDb } from '../../db/db.test-utils.ts';
import {
	caseActivitiesTable,
	casesTable,
	mailMessagesTable,
	memberProfilesTable,
	personsTable,
	verificationsTable,
	type Role
} from '../../db/schema/index.ts';

import { sitemapEntries } from '../../http/sitemap.ts';
import { ValidationError } from '../../validation.ts';
import { createAuth } from '../../auth/auth.ts';
import { resetPassword, signIn, toActor } from '../account/account.service.ts';

import {
	getDirectoryProfile,
	getOwnProfile,
	inviteMember,
	listDirectorySitemap,
	searchDirectory,
	updateOwnProfile
} from './member.service.ts';
import { expectDomainError } from '../../testing/expectations.ts';
import { createTestProgramme, insertTestUsers, insertTestCommunes } from '../../testing/factories.ts';

const config = parseConfig({ NODE_ENV: 'test' });

/** Communes around Lectoure with their centres (Fleurance ~10 km away, Auch ~32 km). */
const GERS_COMMUNES = [
	{ code: '32208', name: 'Lectoure', departementCode: '32', centroidLat: 43.934, centroidLon: 0.622 },
	{ code: '32132', name: 'Fleurance', departementCode: '32', centroidLat: 43.848, centroidLon: 0.663 },
	{ code: '32013', name: 'Auch', departementCode: '32', centroidLat: 43.646, centroidLon: 0.586 },
	{ code: '32399', name: 'Saint-Clar', departementCode: '32', centroidLat: 43.89, centroidLon: 0.772 },
	{ code: '46042', name: 'Cahors', departementCode: '46', centroidLat: 44.45, centroidLon: 1.44 }
];

describeEachDb('members and the directory', (ctx) => {
	const setup = async () => {
		const db = ctx.db;
		const programme = await createTestProgramme(db);
		const other = await createTestProgramme(db, { slug: 'lot', name: 'Lot', departements: ['46'] });
		await insertTestCommunes(db, GERS_COMMUNES);
		const user = async (role: Role, email: string, programmeId = programme.id) => {
			const [created] = await insertTestUsers(db, { name: email, email, role, programmeId });
			return toActor(created);
		};
		const actors = {
			advisor: await user('advisor', 'advisor@gers.example'),
			committee: await user('committee', 'committee@gers.example'),
			otherAdvisor: await user('advisor', 'advisor@lot.example', other.id)
		};
		let sequence = 0;
		/** An installed household whose candidate has these details. */
		const household = async ({
			stage = 'installed',
			email = `solo${++sequence}@example.org`,
			firstName = 'Anna',
			lastName = `de Vries ${sequence}`,
			profession = 'Traductrice',
			languages = ['nl', 'fr'],
			commune = '32208',
			programmeId = programme.id
		}: {
			stage?: string;
			email?: string | null;
			firstName?: string;
			lastName?: string;
			profession?: string | null;
			languages?: string[];
			commune?: string | null;
			programmeId?: string;
		} = {}) => {
			const [kase] = await db
				.insert(casesTable)
				.values({
					programmeId,
					reference: `GERS-2026-${String(++sequence).padStart(4, '0')}`,
					source: 'phone',
					stage,
					installedCommuneCode: commune
				})
				.returning();
			const [person] = await db
				.insert(personsTable)
				.values({
					programmeId,
					caseId: kase.id,
					householdRole: 'candidate',
					firstName,
					lastName,
					email,
					profession,
					languages
				})
				.returning();
			return { kase, person };
		};
		/** Invites the household's candidate and returns their actor. */
		const member = async (options: Parameters<typeof household>[0] = {}) => {
			const { kase } = await household(options);
			const { user, profile } = await inviteMember(
				{ actor: actors.advisor, input: { caseId: kase.id } },
				{ db, config }
			);
			return { kase, profile, actor: toActor(user) };
		};
		return { db, programme, other, actors, household, member };
	};

	const fields = (overrides: Record<string, unknown> = {}) => ({
		displayName: 'Anna de Vries',
		headline: 'Traduction et interprétariat FR–NL',
		skills: 'Traduction, Relecture',
		services: 'Traduction **juridique** et technique.',
		languages: 'nl, fr, en',
		communeCode: '32208',
		website: 'annadevries.example',
		isListed: 'on',
		visibility: { name: 'public', commune: 'public' },
		...overrides
	});

	test('inviting an installed candidate creates a member account, an unlisted profile filled from the case, one invitation mail and a timeline entry', async () => {
		const { db, actors, household } = await setup();
		const { kase } = await household({ email: 'anna@example.org', profession: 'Traductrice' });
		const { user, profile } = await inviteMember(
			{ actor: actors.advisor, input: { caseId: kase.id } },
			{ db, config }
		);
		expect(user).toMatchObject({ role: 'member', email: 'anna@example.org' });
		expect(profile).toMatchObject({
			caseId: kase.id,
			displayName: expect.stringMatching(/^Anna de Vries/),
			skills: ['Traductrice'],
			languages: ['nl', 'fr'],
			communeCode: '32208',
			isListed: false
		});
		const mails = await db.select().from(mailMessagesTable);
		expect(mails).toHaveLength(1);
		expect(mails[0]).toMatchObject({
			kind: 'member.invitation',
			toAddress: 'anna@example.org',
			caseId: kase.id
		});
		// The link carries a token better-auth's reset flow accepts.
		const [token] = await db.select().from(verificationsTable);
		expect(token.value).toBe(user.id);
		expect(mails[0].textBody).toContain(
			`/reset-password?token=${encodeURIComponent(token.identifier.replace('reset-password:', ''))}`
		);
		const activities = await db
			.select()
			.from(caseActivitiesTable)
			.where(eq(caseActivitiesTable.caseId, kase.id));
		expect(activities).toMatchObject([{ kind: 'membership', authorId: actors.advisor.userId }]);
	});

	test('the invitation link lets the new member choose a password and sign in as a member', async () => {
		const { db, actors, household } = await setup();
		const { kase } = await household({ email: 'bert@example.org' });
		await inviteMember({ actor: actors.advisor, input: { caseId: kase.id } }, { db, config });
		const [mail] = await db.select().from(mailMessagesTable);
		const token = decodeURIComponent(/token=([^\s&]+)/.exec(mail.textBody)![1]);
		const auth = createAuth({ db, config, sendResetPasswordMail: async () => {} });
		await resetPassword(
			{ input: { token, password: 'a long new secret', confirmation: 'a long new secret' } },
			{ auth }
		);
		const { actor } = await signIn(
			{ input: { email: 'bert@example.org', password: 'a long new secret' }, ipAddress: null },
			{ db, auth, config }
		);
		expect(actor?.role).toBe('member');
	});

	test('inviting is refused for a household not installed, a candidate without email, an existing member, and by non-staff', async () => {
		const { db, actors, household, member } = await setup();
		const notInstalled = await household({ stage: 'qualified' });
		await expectDomainError(
			inviteMember({ actor: actors.advisor, input: { caseId: notInstalled.kase.id } }, { db, config }),
			'member.case_not_installed'
		);
		const noEmail = await household({ email: null });
		await expectDomainError(
			inviteMember({ actor: actors.advisor, input: { caseId: noEmail.kase.id } }, { db, config }),
			'member.no_email'
		);
		const { kase } = await member();
		await expectDomainError(
			inviteMember({ actor: actors.advisor, input: { caseId: kase.id } }, { db, config }),
			'member.already_member'
		);
		const fresh = await household();
		await expectDomainError(
			inviteMember({ actor: actors.committee, input: { caseId: fresh.kase.id } }, { db, config }),
			'member.forbidden'
		);
		await expectDomainError(
			inviteMember({ actor: actors.otherAdvisor, input: { caseId: fresh.kase.id } }, { db, config }),
			'case.not_found'
		);
		// Refusals leave nothing behind.
		expect(await db.select().from(mailMessagesTable)).toHaveLength(1);
	});

	test('a member updates their profile with per-field visibility and opts in; each field error is reported', async () => {
		const { db, member } = await setup();
		const { actor, kase } = await member();
		const { profile } = await updateOwnProfile({ actor, input: fields() }, { db });
		expect(profile).toMatchObject({
			isListed: true,
			skills: ['Traduction', 'Relecture'],
			languages: ['nl', 'fr', 'en'],
			website: 'https://annadevries.example/'
		});
		expect(profile.visibility).toMatchObject({ name: 'public', commune: 'public', email: 'hidden' });
		// A profile update is a sign of life of the household.
		const [after] = await db.select().from(casesTable).where(eq(casesTable.id, kase.id));
		expect(after.lastSignOfLifeAt).not.toBeNull();

		const error = await updateOwnProfile(
			{
				actor,
				input: fields({
					displayName: ' ',
					languages: 'klingon',
					website: 'javascript:alert(1)',
					communeCode: '99999'
				})
			},
			{ db }
		).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ValidationError);
		expect((error as ValidationError).issues.map((issue) => `${issue.field}:${issue.code}`).sort()).toEqual([
			'displayName:member.display_name_required',
			'languages:member.invalid_language',
			'website:member.invalid_website'
		]);
		const unknownCommune = await updateOwnProfile(
			{ actor, input: fields({ communeCode: '32999' }) },
			{ db }
		).catch((e: unknown) => e);
		expect((unknownCommune as ValidationError).issues).toEqual([
			{ field: 'communeCode', code: 'member.unknown_commune' }
		]);
	});

	test('a member edits only their own profile; staff and visitors have no member space', async () => {
		const { db, actors, member } = await setup();
		const anna = await member();
		const bert = await member({ firstName: 'Bert' });
		await updateOwnProfile({ actor: bert.actor, input: fields({ displayName: 'Bert' }) }, { db });
		const { profile } = await getOwnProfile({ actor: anna.actor }, { db });
		expect(profile.id).toBe(anna.profile.id);
		expect(profile.displayName).not.toBe('Bert');
		await expectDomainError(getOwnProfile({ actor: actors.advisor }, { db }), 'member.forbidden');
		// A member account created by an operator gets an empty, unlisted profile on first visit.
		const [bare] = await insertTestUsers(db, {
			name: 'Bare Member',
			email: 'bare@example.org',
			role: 'member',
			programmeId: anna.profile.programmeId
		});
		const { profile: created } = await getOwnProfile({ actor: toActor(bare) }, { db });
		expect(created).toMatchObject({ displayName: 'Bare Member', isListed: false, caseId: null });
		await expectDomainError(
			updateOwnProfile({ actor: actors.advisor, input: fields() }, { db }),
			'member.forbidden'
		);
	});

	test('"traducteur néerlandais" and "Dutch translator" find the same listed solo; an unlisted one is never found', async () => {
		const { db, programme, member } = await setup();
		const anna = await member();
		await updateOwnProfile({ actor: anna.actor, input: fields() }, { db });
		// Same trade and languages, but never opted in.
		const hidden = await member({ firstName: 'Hidde' });
		await updateOwnProfile(
			{ actor: hidden.actor, input: fields({ displayName: 'Hidde Jansen', isListed: '' }) },
			{ db }
		);
		const designer = await member({ firstName: 'Carla', profession: 'Designer', languages: ['es'] });
		await updateOwnProfile(
			{
				actor: designer.actor,
				input: fields({
					displayName: 'Carla Ruiz',
					headline: 'Diseño UX',
					services: 'Maquettes et prototypes.',
					skills: 'Design',
					languages: 'es'
				})
			},
			{ db }
		);
		const search = (q: string, extra: Record<string, unknown> = {}) =>
			searchDirectory({ actor: null, programmeId: programme.id, input: { q, ...extra } }, { db }).then(
				(result) => result.profiles.map((p) => p.id)
			);
		for (const q of ['traducteur néerlandais', 'Dutch translator', 'TRADUCTRICE NEERLANDAIS', 'traduction']) {
			expect(await search(q), q).toEqual([anna.profile.id]);
		}
		expect(await search('translator', { language: 'nl' })).toEqual([anna.profile.id]);
		expect(await search('translator', { language: 'es' })).toEqual([]);
		expect((await search('')).sort()).toEqual([anna.profile.id, designer.profile.id].sort());
		expect(await search('Hidde')).toEqual([]);
		await expectDomainError(
			getDirectoryProfile({ actor: null, programmeId: programme.id, profileId: hidden.profile.id }, { db }),
			'member.not_found'
		);
		await expectDomainError(
			getDirectoryProfile({ actor: null, programmeId: programme.id, profileId: 'not-an-id' }, { db }),
			'member.not_found'
		);
		// The member sees their own unlisted page as a preview.
		expect(
			(
				await getDirectoryProfile(
					{ actor: hidden.actor, programmeId: programme.id, profileId: hidden.profile.id },
					{ db }
				)
			).isListed
		).toBe(false);
		const { profiles } = await listDirectorySitemap({ programmeId: programme.id }, { db });
		expect(profiles.map((p) => p.id).sort()).toEqual([anna.profile.id, designer.profile.id].sort());
		const paths = (await sitemapEntries({ db })).map((entry) => entry.path);
		expect(paths).toContain(`/directory/${anna.profile.id}`);
		expect(paths).not.toContain(`/directory/${hidden.profile.id}`);
	});

	test('"Lectoure", "lectoure" and "near Lectoure" find solos within 15 km, not farther', async () => {
		const { db, programme, member } = await setup();
		const inLectoure = await member();
		await updateOwnProfile({ actor: inLectoure.actor, input: fields() }, { db });
		const inFleurance = await member({ commune: '32132' });
		await updateOwnProfile(
			{ actor: inFleurance.actor, input: fields({ displayName: 'Femke', communeCode: '32132' }) },
			{ db }
		);
		const inAuch = await member({ commune: '32013' });
		await updateOwnProfile(
			{ actor: inAuch.actor, input: fields({ displayName: 'Ada', communeCode: '32013' }) },
			{ db }
		);
		const search = (q: string, extra: Record<string, unknown> = {}) =>
			searchDirectory({ actor: null, programmeId: programme.id, input: { q, ...extra } }, { db });
		const expected = [inLectoure.profile.id, inFleurance.profile.id];
		for (const q of [
			'Lectoure',
			'lectoure',
			'near Lectoure',
			'traductrice néerlandais Lectoure',
			'a translator who speaks Dutch near Lectoure'
		]) {
			const result = await search(q);
			expect(
				result.profiles.map((p) => p.id),
				q
			).toEqual(expected);
			expect(result.understood.near).toMatchObject({ code: '32208', km: 15 });
		}
		const [, fleurance] = (await search('Lectoure')).profiles;
		expect(fleurance.distanceKm).toBeGreaterThan(5);
		expect(fleurance.distanceKm).toBeLessThan(15);
		expect((await search('', { near: '32208', radiusKm: '40' })).profiles).toHaveLength(3);
		expect((await search('', { commune: '32013' })).profiles.map((p) => p.id)).toEqual([inAuch.profile.id]);
		// "Saint-Clar" typed without its hyphen or accent still names the commune.
		expect((await search('saint clar')).understood.near?.code).toBe('32399');
	});

	test('members-only fields are hidden from the public and shown to members; hidden fields never match a public search', async () => {
		const { db, programme, actors, member } = await setup();
		const anna = await member();
		await updateOwnProfile(
			{
				actor: anna.actor,
				input: fields({
					visibility: {
						name: 'members',
						skills: 'members',
						commune: 'members',
						email: 'members',
						website: 'hidden'
					}
				})
			},
			{ db }
		);
		const view = (actor: Parameters<typeof getDirectoryProfile>[0]['actor']) =>
			getDirectoryProfile({ actor, programmeId: programme.id, profileId: anna.profile.id }, { db }).then(
				(r) => r.profile
			);
		const publicView = await view(null);
		expect(publicView).toMatchObject({
			displayName: null,
			skills: [],
			communeCode: null,
			email: null,
			website: null
		});
		expect(publicView.headline).toBe('Traduction et interprétariat FR–NL');
		const other = await member({ firstName: 'Other' });
		const memberView = await view(other.actor);
		expect(memberView).toMatchObject({
			displayName: 'Anna de Vries',
			skills: ['Traduction', 'Relecture'],
			communeCode: '32208',
			communeName: 'Lectoure',
			website: null
		});
		expect(memberView.email).toMatch(/@example\.org$/);
		expect((await view(actors.advisor)).displayName).toBe('Anna de Vries');
		// A visitor cannot learn who has a members-only skill or lives in a members-only commune.
		const publicSearch = (q: string) =>
			searchDirectory({ actor: null, programmeId: programme.id, input: { q } }, { db }).then(
				(r) => r.profiles
			);
		expect(await publicSearch('relecture')).toEqual([]);
		expect(await publicSearch('Anna')).toEqual([]);
		expect(await publicSearch('Lectoure')).toEqual([]);
		const memberSearch = await searchDirectory(
			{ actor: other.actor, programmeId: programme.id, input: { q: 'relecture' } },
			{ db }
		);
		expect(memberSearch.profiles.map((p) => p.id)).toEqual([anna.profile.id]);
	});

	test('another programme never sees the directory entries of this one', async () => {
		const { db, programme, other, actors, member } = await setup();
		const anna = await member();
		await updateOwnProfile({ actor: anna.actor, input: fields() }, { db });
		expect(
			(await searchDirectory({ actor: actors.otherAdvisor, programmeId: other.id, input: { q: '' } }, { db }))
				.profiles
		).toEqual([]);
		await expectDomainError(
			getDirectoryProfile(
				{ actor: actors.otherAdvisor, programmeId: other.id, profileId: anna.profile.id },
				{ db }
			),
			'member.not_found'
		);
		// Staff of another programme looking at this programme's directory see only public fields.
		const { profile } = await getDirectoryProfile(
			{ actor: actors.otherAdvisor, programmeId: programme.id, profileId: anna.profile.id },
			{ db }
		);
		expect(profile.email).toBeNull();
		expect(await db.select().from(memberProfilesTable)).toHaveLength(1);
	});
});
