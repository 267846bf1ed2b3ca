import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, expect, test } from 'vitest';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { mediaFilesTable } from '../../db/schema/index.ts';
import { createDiskStorage, type FileStorage } from '../../files/storage.ts';
import { createOffer } from '../offer/offer.service.ts';
import { addCommitteeMember, createVillage } from '../village/village.service.ts';
import { ValidationError } from '../../validation.ts';
import { expectDomainError } from '../../testing/expectations.ts';
import { createWorkspace } from '../workspace/workspace.service.ts';
import {
	listDisclosureCandidates,
	listEditableOffers,
	listEditableVillages,
	listEditableWorkspaces
} from './listing.service.ts';
import {
	addPhoto,
	getMediaFile,
	listCoverPhotos,
	listPhotos,
	movePhoto,
	removePhoto
} from './media.service.ts';
import { createTestProgrammes, createTestOrganisation, createTestUser } from '../../testing/factories.ts';

const dataDirs: string[] = [];
afterAll(() => {
	for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

function createTestStorage(): { storage: FileStorage; countFiles: () => number } {
	const dataDir = mkdtempSync(join(tmpdir(), 'soho-media-'));
	dataDirs.push(dataDir);
	const root = join(dataDir, 'files');
	const countFiles = () => {
		try {
			return readdirSync(root, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile())
				.length;
		} catch {
			return 0;
		}
	};
	return { storage: createDiskStorage({ dataDir }), countFiles };
}

async function png(width = 64, height = 48, colour = { r: 31, g: 95, b: 74 }): Promise<Buffer> {
	return sharp({ create: { width, height, channels: 3, background: colour } })
		.png()
		.toBuffer();
}

const ALT = { altFr: 'La place du village au soleil', altEn: 'The village square in the sun' };

describeEachDb('media', (ctx) => {
	const setup = async () => {
		const db = ctx.db;
		const { programme, other } = await createTestProgrammes(db);
		const village = async (programmeId: string, communeCode: string) =>
			(await createVillage({ input: { programmeId, communeCode } }, { db })).village;
		const simorre = await village(programme.id, '32433');
		const samatan = await village(programme.id, '32410');
		const lotVillage = await village(other.id, '32107');
		const hub = await createTestOrganisation(db, {
			programmeId: programme.id,
			name: 'Hub',
			kind: 'workspace_operator'
		});
		const agency = await createTestOrganisation(db, {
			programmeId: programme.id,
			name: 'Agence',
			kind: 'estate_agent'
		});
		const user = (role: Parameters<typeof createTestUser>[1]['role'], email: string, extra: object = {}) =>
			createTestUser(db, { role, programmeId: programme.id, email, ...extra });
		const advisor = (await user('advisor', 'advisor@x.org')).actor;
		const committee = await user('committee', 'maire@x.org');
		const partner = (await user('partner', 'hub@x.org', { organisationId: hub.id })).actor;
		const candidate = (await user('candidate', 'cand@x.org')).user;
		await addCommitteeMember({ villageId: simorre.id, userId: committee.user.id }, { db });
		const { workspace } = await createWorkspace(
			{
				input: {
					programmeId: programme.id,
					organisationId: hub.id,
					communeCode: '32013',
					kind: 'coworking',
					name: 'Hub Auch'
				}
			},
			{ db }
		);
		const { workspace: rivalWorkspace } = await createWorkspace(
			{
				input: {
					programmeId: programme.id,
					organisationId: agency.id,
					communeCode: '32410',
					kind: 'telecentre',
					name: 'Télécentre'
				}
			},
			{ db }
		);
		const expiresAt = new Date(Date.now() + 30 * 86_400_000);
		const offer = async (input: object) =>
			(
				await createOffer(
					{
						input: {
							programmeId: programme.id,
							kind: 'house_rent',
							communeCode: '32433',
							expiresAt,
							...input
						} as never
					},
					{ db }
				)
			).offer;
		const villageOffer = await offer({ titleFr: 'Maison du village', villageId: simorre.id });
		const hubOffer = await offer({ kind: 'partner_job', titleFr: 'Animateur', organisationId: hub.id });
		const agencyOffer = await offer({
			titleFr: 'Maison en agence',
			organisationId: agency.id,
			isAnonymised: true,
			kind: 'business_takeover'
		});
		return {
			db,
			programme,
			simorre,
			samatan,
			lotVillage,
			advisor,
			committee: committee.actor,
			partner,
			candidate,
			workspace,
			rivalWorkspace,
			villageOffer,
			hubOffer,
			agencyOffer
		};
	};

	test('a committee member adds a photo to their village; it is stored as WebP and can be read back by its key', async () => {
		const s = await setup();
		const { storage, countFiles } = createTestStorage();
		const bytes = await png(2400, 1200);
		const { photo } = await addPhoto(
			{ actor: s.committee, ownerKind: 'village', ownerId: s.simorre.id, bytes, ...ALT },
			{ db: s.db, storage }
		);
		expect(photo).toMatchObject({ contentType: 'image/webp', width: 1600, height: 800, position: 0, ...ALT });
		expect(photo.url).toMatch(/^\/media\/[a-f0-9]{64}\.webp$/);
		// The photo and its two narrower copies for srcset.
		expect(countFiles()).toBe(3);
		const served = await getMediaFile({ key: photo.url.slice('/media/'.length) }, { db: s.db, storage });
		expect(served.contentType).toBe('image/webp');
		expect((await sharp(served.data).metadata()).format).toBe('webp');
		const { photos } = await listPhotos(
			{ programmeId: s.programme.id, ownerKind: 'village', ownerId: s.simorre.id },
			{ db: s.db }
		);
		expect(photos.map((p) => p.id)).toEqual([photo.id]);
	});

	test('a wide photo is stored with narrower copies listed in its srcset, served by their keys and removed with it', async () => {
		const s = await setup();
		const { storage, countFiles } = createTestStorage();
		const { photo } = await addPhoto(
			{ actor: s.advisor, ownerKind: 'village', ownerId: s.simorre.id, bytes: await png(2400, 1800), ...ALT },
			{ db: s.db, storage }
		);
		const entries = photo.srcset.split(', ').map((entry) => entry.split(' '));
		expect(entries.map(([, width]) => width)).toEqual(['480w', '960w', '1600w']);
		expect(entries.at(-1)![0]).toBe(photo.url);
		for (const [url, width] of entries) {
			expect(url).toMatch(/^\/media\/[a-f0-9]{64}\.webp$/);
			const served = await getMediaFile({ key: url.slice('/media/'.length) }, { db: s.db, storage });
			const metadata = await sharp(served.data).metadata();
			expect(metadata).toMatchObject({ format: 'webp', width: Number.parseInt(width, 10) });
			// Same proportions as the photo (4:3).
			expect(metadata.height).toBe(Math.round((Number.parseInt(width, 10) * 3) / 4));
		}
		expect(countFiles()).toBe(3);

		// A photo no wider than the smallest copy has none: its srcset is itself.
		const { photo: small } = await addPhoto(
			{ actor: s.advisor, ownerKind: 'village', ownerId: s.simorre.id, bytes: await png(400, 300), ...ALT },
			{ db: s.db, storage }
		);
		expect(small.srcset).toBe(`${small.url} 400w`);
		expect(countFiles()).toBe(4);

		await removePhoto({ actor: s.advisor, mediaId: photo.id }, { db: s.db, storage });
		expect(countFiles()).toBe(1);
		for (const [url] of entries) {
			await expectDomainError(
				getMediaFile({ key: url.slice('/media/'.length) }, { db: s.db, storage }),
				'media.not_found'
			);
		}
	});

	test('a committee member gets village.not_found for another village, and nothing is stored', async () => {
		const s = await setup();
		const { storage, countFiles } = createTestStorage();
		for (const villageId of [s.samatan.id, s.lotVillage.id, 'vil_unknown', 'not-an-id']) {
			await expectDomainError(
				addPhoto(
					{ actor: s.committee, ownerKind: 'village', ownerId: villageId, bytes: await png(), ...ALT },
					{ db: s.db, storage }
				),
				villageId === 'not-an-id' ? 'validation.invalid_input' : 'village.not_found'
			);
		}
		expect(await s.db.$count(mediaFilesTable)).toBe(0);
		expect(countFiles()).toBe(0);
	});

	test("a partner adds photos to their organisation's workspace and offer, but not to another organisation's", async () => {
		const s = await setup();
		const { storage } = createTestStorage();
		const bytes = await png();
		const add = (ownerKind: 'workspace' | 'offer' | 'village', ownerId: string) =>
			addPhoto(
				{ actor: s.partner, ownerKind, ownerId, bytes, ...ALT },
				{
					db: s.db,
					storage
				}
			);
		await expect(add('workspace', s.workspace.id)).resolves.toBeTruthy();
		await expect(add('offer', s.hubOffer.id)).resolves.toBeTruthy();
		await expectDomainError(add('offer', s.agencyOffer.id), 'offer.not_found');
		await expectDomainError(add('workspace', s.rivalWorkspace.id), 'workspace.not_found');
		await expectDomainError(add('village', s.simorre.id), 'village.not_found');
		expect(await s.db.$count(mediaFilesTable)).toBe(2);
	});

	test('a text file, a truncated image and a file too large are refused with a reason, and nothing is stored', async () => {
		const s = await setup();
		const { storage, countFiles } = createTestStorage();
		const full = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#f3c969' } })
			.jpeg()
			.toBuffer();
		const cases: [Uint8Array, string][] = [
			[new TextEncoder().encode('Bonjour, ceci est un fichier texte.\n'), 'media.not_an_image'],
			[new Uint8Array(full.subarray(0, Math.floor(full.length / 2))), 'media.malformed'],
			[new Uint8Array(8 * 1024 * 1024 + 1), 'media.too_large'],
			[new Uint8Array(0), 'media.not_an_image']
		];
		for (const [bytes, code] of cases) {
			await expectDomainError(
				addPhoto(
					{ actor: s.advisor, ownerKind: 'village', ownerId: s.simorre.id, bytes, ...ALT },
					{ db: s.db, storage }
				),
				code
			);
		}
		expect(await s.db.$count(mediaFilesTable)).toBe(0);
		expect(countFiles()).toBe(0);
	});

	test('alt texts are required in both languages and at most 200 characters', async () => {
		const s = await setup();
		const { storage, countFiles } = createTestStorage();
		const error = await expectDomainError(
			addPhoto(
				{
					actor: s.advisor,
					ownerKind: 'village',
					ownerId: s.simorre.id,
					bytes: await png(),
					altFr: '  ',
					altEn: 'x'.repeat(201)
				},
				{ db: s.db, storage }
			),
			'validation.invalid_input'
		);
		expect((error as ValidationError).issues).toEqual([
			{ field: 'altFr', code: 'media.alt_required' },
			{ field: 'altEn', code: 'media.alt_too_long' }
		]);
		expect(countFiles()).toBe(0);
	});

	test('when the row cannot be written, the stored file is removed again', async () => {
		const s = await setup();
		const { storage, countFiles } = createTestStorage();
		const failing = {
			...s.db,
			transaction: async () => {
				throw new Error('database went away');
			}
		} as unknown as typeof s.db;
		// The permission check reads through the real database; only the insert fails.
		const original = s.db.transaction.bind(s.db);
		let calls = 0;
		const db = new Proxy(s.db, {
			get(target, property, receiver) {
				if (property === 'transaction') {
					return (...args: Parameters<typeof original>) =>
						++calls === 1 ? failing.transaction(...args) : original(...args);
				}
				return Reflect.get(target, property, receiver);
			}
		});
		await expect(
			addPhoto(
				{ actor: s.advisor, ownerKind: 'village', ownerId: s.simorre.id, bytes: await png(), ...ALT },
				{ db, storage }
			)
		).rejects.toThrow('database went away');
		expect(await s.db.$count(mediaFilesTable)).toBe(0);
		expect(countFiles()).toBe(0);
	});

	test('photos move up and down, and a removed photo takes its file with it unless another photo uses it', async () => {
		const s = await setup();
		const { storage, countFiles } = createTestStorage();
		const add = async (bytes: Buffer, ownerId = s.villageOffer.id) =>
			(
				await addPhoto(
					{ actor: s.committee, ownerKind: 'offer', ownerId, bytes, ...ALT },
					{ db: s.db, storage }
				)
			).photo;
		const red = await add(await png(40, 40, { r: 200, g: 0, b: 0 }));
		const green = await add(await png(40, 40, { r: 0, g: 200, b: 0 }));
		const blue = await add(await png(40, 40, { r: 0, g: 0, b: 200 }));
		const order = async () =>
			(
				await listPhotos(
					{ programmeId: s.programme.id, ownerKind: 'offer', ownerId: s.villageOffer.id },
					{ db: s.db }
				)
			).photos.map((p) => p.id);
		expect(await order()).toEqual([red.id, green.id, blue.id]);
		await movePhoto({ actor: s.committee, mediaId: blue.id, direction: 'up' }, { db: s.db });
		expect(await order()).toEqual([red.id, blue.id, green.id]);
		await movePhoto({ actor: s.committee, mediaId: red.id, direction: 'up' }, { db: s.db });
		expect(await order()).toEqual([red.id, blue.id, green.id]);
		await movePhoto({ actor: s.committee, mediaId: red.id, direction: 'down' }, { db: s.db });
		expect(await order()).toEqual([blue.id, red.id, green.id]);
		await expectDomainError(
			movePhoto({ actor: s.partner, mediaId: red.id, direction: 'down' }, { db: s.db }),
			'media.not_found'
		);

		// The same bytes on the village page share one file.
		const sameAsRed = (
			await addPhoto(
				{
					actor: s.committee,
					ownerKind: 'village',
					ownerId: s.simorre.id,
					bytes: await png(40, 40, { r: 200, g: 0, b: 0 }),
					...ALT
				},
				{ db: s.db, storage }
			)
		).photo;
		expect(sameAsRed.url).toBe(red.url);
		expect(countFiles()).toBe(3);
		await expectDomainError(
			removePhoto({ actor: s.partner, mediaId: red.id }, { db: s.db, storage }),
			'media.not_found'
		);
		await removePhoto({ actor: s.committee, mediaId: red.id }, { db: s.db, storage });
		expect(countFiles()).toBe(3);
		await removePhoto({ actor: s.advisor, mediaId: sameAsRed.id }, { db: s.db, storage });
		expect(countFiles()).toBe(2);
		await expectDomainError(
			getMediaFile({ key: red.url.slice('/media/'.length) }, { db: s.db, storage }),
			'media.not_found'
		);
		expect(await order()).toEqual([blue.id, green.id]);
	});

	test("a list's cards get each owner's first photo, after the photos are reordered, and none for owners without one", async () => {
		const s = await setup();
		const { storage } = createTestStorage();
		const add = async (
			ownerKind: 'village' | 'offer',
			ownerId: string,
			colour: { r: number; g: number; b: number }
		) =>
			(
				await addPhoto(
					{ actor: s.committee, ownerKind, ownerId, bytes: await png(40, 40, colour), ...ALT },
					{ db: s.db, storage }
				)
			).photo;
		const first = await add('village', s.simorre.id, { r: 200, g: 0, b: 0 });
		const second = await add('village', s.simorre.id, { r: 0, g: 200, b: 0 });
		const offerPhoto = await add('offer', s.villageOffer.id, { r: 0, g: 0, b: 200 });
		const covers = async (ownerKind: 'village' | 'offer', ownerIds: string[]) =>
			(await listCoverPhotos({ programmeId: s.programme.id, ownerKind, ownerIds }, { db: s.db })).covers;

		expect(await covers('village', [s.simorre.id, s.samatan.id])).toEqual({ [s.simorre.id]: first });
		await movePhoto({ actor: s.committee, mediaId: second.id, direction: 'up' }, { db: s.db });
		const reordered = await covers('village', [s.simorre.id, s.samatan.id, s.simorre.id]);
		expect(Object.keys(reordered)).toEqual([s.simorre.id]);
		expect(reordered[s.simorre.id].id).toBe(second.id);
		expect(reordered[s.simorre.id].srcset).toContain(`${second.url} 40w`);
		// The owner kind is part of the question: an offer's photo is not a village's.
		expect(await covers('offer', [s.villageOffer.id, s.simorre.id])).toEqual({
			[s.villageOffer.id]: offerPhoto
		});
		expect(await covers('village', [])).toEqual({});
		// Another programme's village has no cover here, and a malformed id is refused with its field.
		expect(await covers('village', [s.lotVillage.id])).toEqual({});
		await expectDomainError(
			listCoverPhotos(
				{ programmeId: s.programme.id, ownerKind: 'village', ownerIds: ['nope'] },
				{ db: s.db }
			),
			'validation.invalid_input'
		);
	});

	test('unknown or malformed keys are media.not_found', async () => {
		const s = await setup();
		const { storage } = createTestStorage();
		for (const key of ['0'.repeat(64) + '.webp', '../../etc/passwd', 'x']) {
			await expectDomainError(getMediaFile({ key }, { db: s.db, storage }), 'media.not_found');
		}
	});

	test('back-office lists show each role what it may edit, and nothing else', async () => {
		const s = await setup();
		const names = <T extends { id: string }>(items: T[]) => items.map((item) => item.id).sort();
		expect(names((await listEditableVillages({ actor: s.committee }, { db: s.db })).villages)).toEqual([
			s.simorre.id
		]);
		expect(names((await listEditableVillages({ actor: s.advisor }, { db: s.db })).villages)).toEqual(
			names([s.simorre, s.samatan])
		);
		expect((await listEditableVillages({ actor: s.partner }, { db: s.db })).villages).toEqual([]);
		expect(names((await listEditableWorkspaces({ actor: s.partner }, { db: s.db })).workspaces)).toEqual([
			s.workspace.id
		]);
		expect((await listEditableWorkspaces({ actor: s.committee }, { db: s.db })).workspaces).toEqual([]);
		expect(names((await listEditableOffers({ actor: s.partner }, { db: s.db })).offers)).toEqual([
			s.hubOffer.id
		]);
		expect(names((await listEditableOffers({ actor: s.committee }, { db: s.db })).offers)).toEqual([
			s.villageOffer.id
		]);
		expect((await listEditableOffers({ actor: s.advisor }, { db: s.db })).offers).toHaveLength(3);
		const { candidates } = await listDisclosureCandidates(
			{ actor: s.advisor, offerId: s.agencyOffer.id },
			{ db: s.db }
		);
		expect(candidates).toEqual([
			{ id: s.candidate.id, name: s.candidate.name, email: s.candidate.email, isApproved: false }
		]);
		await expectDomainError(
			listDisclosureCandidates({ actor: s.partner, offerId: s.agencyOffer.id }, { db: s.db }),
			'offer.not_found'
		);
	});
});
