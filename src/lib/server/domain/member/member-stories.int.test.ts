import { expect, test } from 'vitest';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { DEFAULT_PROFILE_VISIBILITY, memberProfilesTable } from '../../db/schema/index.ts';
import { toActor } from '../account/account.service.ts';

import { listVillageStories, updateOwnProfile } from './member.service.ts';
import { createTestProgramme, insertTestUsers, insertTestCommunes } from '../../testing/factories.ts';

describeEachDb('stories of solos on village pages', (ctx) => {
	test('a village page tells only the public stories of listed members of its commune, names only when public', async () => {
		const db = ctx.db;
		const programme = await createTestProgramme(db);
		await insertTestCommunes(db, [
			{ code: '32208', name: 'Lectoure', departementCode: '32' },
			{ code: '32435', name: 'Simorre', departementCode: '32' }
		]);
		const member = async (email: string, values: Partial<typeof memberProfilesTable.$inferInsert>) => {
			const [user] = await insertTestUsers(db, {
				programmeId: programme.id,
				role: 'member',
				email,
				name: email,
				emailVerified: true
			});
			await db.insert(memberProfilesTable).values({
				programmeId: programme.id,
				userId: user.id,
				displayName: email.split('@')[0],
				communeCode: '32208',
				isListed: true,
				...values
			});
			return toActor(user);
		};
		const story = 'Arrivée d’Utrecht, **trois clients** en poche.';
		await member('sofie@example.nl', {
			story,
			headline: 'Traductrice',
			visibility: { ...DEFAULT_PROFILE_VISIBILITY, name: 'public', story: 'public' }
		});
		await member('anonyme@example.org', {
			story: 'Le calme, enfin.',
			visibility: { ...DEFAULT_PROFILE_VISIBILITY, story: 'public' }
		});
		await member('discret@example.org', {
			story: 'Pour les membres seulement.',
			visibility: { ...DEFAULT_PROFILE_VISIBILITY, story: 'members' }
		});
		await member('absent@example.org', {
			story: 'Pas dans l’annuaire.',
			isListed: false,
			visibility: { ...DEFAULT_PROFILE_VISIBILITY, story: 'public' }
		});
		await member('ailleurs@example.org', {
			story: 'À Simorre.',
			communeCode: '32435',
			visibility: { ...DEFAULT_PROFILE_VISIBILITY, story: 'public' }
		});
		const hidden = await member('bientot@example.org', {});

		const { stories } = await listVillageStories({ programmeId: programme.id, communeCode: '32208' }, { db });
		expect(stories.map((s) => [s.name, s.story]).sort()).toEqual(
			[
				['sofie', story],
				[null, 'Le calme, enfin.']
			].sort()
		);
		expect(stories.find((s) => s.name === 'sofie')?.headline).toBe('Traductrice');

		// A member writes their story and makes it public from their space: it appears.
		await updateOwnProfile(
			{
				actor: hidden,
				input: {
					displayName: 'Bientôt',
					story: 'Nous avons signé le bail hier.',
					communeCode: '32208',
					isListed: 'on',
					visibility: { story: 'public', name: 'public' }
				}
			},
			{ db }
		);
		const after = await listVillageStories({ programmeId: programme.id, communeCode: '32208' }, { db });
		expect(after.stories.map((s) => s.name)).toContain('Bientôt');
	});
});
