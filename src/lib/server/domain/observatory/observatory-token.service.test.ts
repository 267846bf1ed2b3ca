import { expect, test } from 'vitest';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { isDomainError } from '../../errors.ts';
import { ValidationError } from '../../validation.ts';
import { computeObservatorySections, observatorySectionNames } from './observatory-report.service.ts';
import {
	createObservatoryToken,
	listObservatoryTokens,
	revokeObservatoryToken,
	viewerForToken
} from './observatory-token.service.ts';
import { hashObservatoryToken } from './observatory-token.rules.ts';
import { seedObservatoryProgramme } from './observatory.test-utils.ts';

const NOW = new Date('2026-11-26T09:00:00Z');
const LATER = new Date('2026-11-26T09:05:00Z');

describeEachDb('observatory funder tokens', (ctx) => {
	test('an admin creates a token shown once; only its hash is stored and the list never shows it', async () => {
		const { actors, programme } = await seedObservatoryProgramme(ctx.db, [{ contact: '2025-01-10' }]);
		const { token, item } = await createObservatoryToken(
			{ actor: actors.admin, input: { label: '  Région Occitanie  ' } },
			{ db: ctx.db, now: NOW }
		);
		expect(token).toMatch(/^soho_obs_[A-Za-z0-9_-]{43}$/);
		expect(item).toMatchObject({ label: 'Région Occitanie', programmeId: programme.id, isRevoked: false });
		const { tokens } = await listObservatoryTokens({ actor: actors.admin }, { db: ctx.db });
		expect(tokens).toHaveLength(1);
		expect(tokens[0]).toMatchObject({ id: item.id, createdByName: 'Marc', lastUsedAt: null });
		expect(JSON.stringify(tokens)).not.toContain(token);
		expect(JSON.stringify(tokens)).not.toContain(hashObservatoryToken(token));
	});

	test('advisors, committee members and partners may not manage tokens', async () => {
		const { actors } = await seedObservatoryProgramme(ctx.db, []);
		for (const actor of [actors.advisor, actors.committee, actors.partner]) {
			await expect(
				createObservatoryToken({ actor, input: { label: 'Département' } }, { db: ctx.db })
			).rejects.toSatisfy((err) => isDomainError(err, 'observatory_token.forbidden'));
			await expect(listObservatoryTokens({ actor }, { db: ctx.db })).rejects.toSatisfy((err) =>
				isDomainError(err, 'observatory_token.forbidden')
			);
		}
	});

	test('a label is required', async () => {
		const { actors } = await seedObservatoryProgramme(ctx.db, []);
		const err = await createObservatoryToken(
			{ actor: actors.admin, input: { label: ' ' } },
			{ db: ctx.db }
		).catch((e: unknown) => e);
		expect(err).toBeInstanceOf(ValidationError);
		expect((err as ValidationError).issues).toEqual([
			{ field: 'label', code: 'observatory_token.invalid_label' }
		]);
	});

	test('a token reads its programme as a funder and records its last use, at most once a minute', async () => {
		const { actors, programme } = await seedObservatoryProgramme(ctx.db, []);
		const { token } = await createObservatoryToken(
			{ actor: actors.admin, input: { label: 'Département du Gers' } },
			{ db: ctx.db, now: NOW }
		);
		const viewer = await viewerForToken({ token }, { db: ctx.db, now: NOW });
		expect(viewer).toMatchObject({ programmeId: programme.id, kind: 'funder', userId: null, isAdmin: false });
		await viewerForToken({ token }, { db: ctx.db, now: new Date(NOW.getTime() + 30_000) });
		let { tokens } = await listObservatoryTokens({ actor: actors.admin }, { db: ctx.db });
		expect(tokens[0].lastUsedAt?.toISOString()).toBe(NOW.toISOString());
		await viewerForToken({ token }, { db: ctx.db, now: LATER });
		({ tokens } = await listObservatoryTokens({ actor: actors.admin }, { db: ctx.db }));
		expect(tokens[0].lastUsedAt?.toISOString()).toBe(LATER.toISOString());
	});

	test('a revoked token, an unknown token and a malformed one are refused alike', async () => {
		const { actors } = await seedObservatoryProgramme(ctx.db, []);
		const { token, item } = await createObservatoryToken(
			{ actor: actors.admin, input: { label: 'Fondation' } },
			{ db: ctx.db, now: NOW }
		);
		const revoked = await revokeObservatoryToken(
			{ actor: actors.admin, tokenId: item.id },
			{ db: ctx.db, now: LATER }
		);
		expect(revoked.revokedAt.toISOString()).toBe(LATER.toISOString());
		const again = await revokeObservatoryToken(
			{ actor: actors.admin, tokenId: item.id },
			{ db: ctx.db, now: new Date('2026-12-01T00:00:00Z') }
		);
		expect(again.revokedAt.toISOString()).toBe(LATER.toISOString());
		for (const candidate of [token, token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'), 'nope']) {
			await expect(viewerForToken({ token: candidate }, { db: ctx.db, now: NOW })).rejects.toSatisfy((err) =>
				isDomainError(err, 'observatory_api.invalid_token')
			);
		}
		const { tokens } = await listObservatoryTokens({ actor: actors.admin }, { db: ctx.db });
		expect(tokens[0]).toMatchObject({ isRevoked: true, lastUsedAt: null });
	});

	test('an admin cannot revoke another programme’s token', async () => {
		const gers = await seedObservatoryProgramme(ctx.db, [], { slug: 'gers' });
		const lot = await seedObservatoryProgramme(ctx.db, [], { slug: 'lot', departements: ['46'] });
		const { token, item } = await createObservatoryToken(
			{ actor: gers.actors.admin, input: { label: 'Région' } },
			{ db: ctx.db, now: NOW }
		);
		await expect(
			revokeObservatoryToken({ actor: lot.actors.admin, tokenId: item.id }, { db: ctx.db })
		).rejects.toSatisfy((err) => isDomainError(err, 'observatory_token.not_found'));
		await expect(
			revokeObservatoryToken({ actor: lot.actors.admin, tokenId: 'not an id' }, { db: ctx.db })
		).rejects.toSatisfy((err) => isDomainError(err, 'observatory_token.not_found'));
		expect((await listObservatoryTokens({ actor: lot.actors.admin }, { db: ctx.db })).tokens).toEqual([]);
		const viewer = await viewerForToken({ token }, { db: ctx.db, now: NOW });
		expect(viewer.programmeId).toBe(gers.programme.id);
	});

	test('a funder reads every registered section of its programme, without per-advisor figures', async () => {
		const { actors } = await seedObservatoryProgramme(
			ctx.db,
			[
				{
					contact: '2024-01-10',
					stages: { qualified: '2024-01-20' },
					installedOn: '2024-06-01',
					commune: '32013'
				},
				{ contact: '2025-03-01', advisor: 'marc' }
			],
			// Two households: with the default k every section would be withheld from the funder.
			{ minCellSize: 1 }
		);
		const { token } = await createObservatoryToken(
			{ actor: actors.admin, input: { label: 'Région' } },
			{ db: ctx.db, now: NOW }
		);
		const viewer = await viewerForToken({ token }, { db: ctx.db, now: NOW });
		const { sections, context } = await computeObservatorySections(
			{ viewer, input: {} },
			{ db: ctx.db, now: NOW }
		);
		expect(Object.keys(sections)).toEqual(observatorySectionNames());
		expect(context.programme.isDemo).toBe(false);
		const funnel = sections.funnel as { byAdvisor: unknown[]; advisorNames: Record<string, string> };
		expect(funnel.byAdvisor).toEqual([]);
		expect(funnel.advisorNames).toEqual({});
		expect(() => JSON.stringify(sections)).not.toThrow();
	});
});
