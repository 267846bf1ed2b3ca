import * as v from 'valibot';
import type { Actor } from '../../auth/actor.ts';
import type { Db } from '../../db/index.ts';
import { createLogger } from '../../logger.ts';
import { parseInput } from '../../validation.ts';
import {
	observatoryApiInvalidToken,
	observatoryTokenForbidden,
	observatoryTokenNotFound
} from './observatory-token.errors.ts';
import {
	findLiveObservatoryTokenByHash,
	findObservatoryTokens,
	insertObservatoryToken,
	revokeObservatoryTokenRow,
	touchObservatoryToken,
	type ObservatoryTokenRow
} from './observatory-token.repository.ts';
import {
	hashObservatoryToken,
	isWellFormedObservatoryToken,
	newObservatoryToken,
	shouldTouchLastUse
} from './observatory-token.rules.ts';
import {
	createObservatoryTokenSchema,
	observatoryTokenIdSchema,
	type CreateObservatoryTokenInput
} from './observatory-token.schemas.ts';
import type { ObservatoryViewer } from './observatory.types.ts';

const log = createLogger({ namespace: 'observatory:token' });

type Deps = { db: Db; now?: Date };

/** A funder's token as the admin page lists it (never the secret, never its hash). */
export type ObservatoryTokenItem = ObservatoryTokenRow & { isRevoked: boolean };

function assertAdmin(actor: Actor): void {
	if (actor.role !== 'admin') throw observatoryTokenForbidden({ userId: actor.userId, role: actor.role });
}

const toItem = (row: ObservatoryTokenRow): ObservatoryTokenItem => ({
	id: row.id,
	programmeId: row.programmeId,
	label: row.label,
	createdBy: row.createdBy,
	createdByName: row.createdByName,
	createdAt: row.createdAt,
	lastUsedAt: row.lastUsedAt,
	revokedAt: row.revokedAt,
	isRevoked: row.revokedAt !== null
});

/**
 * An admin gives a funder read access to the observatory's API. The secret token is returned
 * once, here; only its SHA-256 is stored, so a lost token is revoked and replaced.
 */
export async function createObservatoryToken(
	{ actor, input }: { actor: Actor; input: CreateObservatoryTokenInput },
	{ db, now = new Date() }: Deps
): Promise<{ token: string; item: ObservatoryTokenItem }> {
	assertAdmin(actor);
	const { label } = parseInput(createObservatoryTokenSchema, input);
	const { token, tokenHash } = newObservatoryToken();
	const row = await db.transaction((tx) =>
		insertObservatoryToken({
			db: tx,
			values: { programmeId: actor.programmeId, label, tokenHash, createdBy: actor.userId, createdAt: now }
		})
	);
	log.info(
		{ tokenId: row.id, programmeId: row.programmeId, userId: actor.userId },
		'observatory token created'
	);
	return { token, item: toItem({ ...row, createdByName: actor.name }) };
}

/** The programme's tokens, newest first, revoked ones included. */
export async function listObservatoryTokens(
	{ actor }: { actor: Actor },
	{ db }: Deps
): Promise<{ tokens: ObservatoryTokenItem[] }> {
	assertAdmin(actor);
	const rows = await findObservatoryTokens({ db, programmeId: actor.programmeId });
	return { tokens: rows.map(toItem) };
}

/** Revokes a token at once: the next API call with it is refused. Revoking twice keeps the first date. */
export async function revokeObservatoryToken(
	{ actor, tokenId }: { actor: Actor; tokenId: string },
	{ db, now = new Date() }: Deps
): Promise<{ tokenId: string; revokedAt: Date }> {
	assertAdmin(actor);
	if (!v.is(observatoryTokenIdSchema, tokenId)) throw observatoryTokenNotFound({ tokenId });
	const row = await db.transaction((tx) =>
		revokeObservatoryTokenRow({ db: tx, programmeId: actor.programmeId, tokenId, now })
	);
	if (!row || !row.revokedAt) throw observatoryTokenNotFound({ tokenId });
	log.info({ tokenId, programmeId: row.programmeId, userId: actor.userId }, 'observatory token revoked');
	return { tokenId, revokedAt: row.revokedAt };
}

/**
 * The reader a bearer token stands for: a funder of the token's programme (aggregated figures
 * only). Unknown, malformed and revoked tokens are refused alike; the last use is recorded.
 */
export async function viewerForToken(
	{ token }: { token: string },
	{ db, now = new Date() }: Deps
): Promise<ObservatoryViewer & { tokenId: string }> {
	if (!isWellFormedObservatoryToken(token)) throw observatoryApiInvalidToken({});
	const row = await findLiveObservatoryTokenByHash({ db, tokenHash: hashObservatoryToken(token) });
	if (!row) throw observatoryApiInvalidToken({});
	if (shouldTouchLastUse(row.lastUsedAt, now))
		await touchObservatoryToken({ db, programmeId: row.programmeId, tokenId: row.id, now });
	return { programmeId: row.programmeId, kind: 'funder', userId: null, isAdmin: false, tokenId: row.id };
}
