import { and, eq } from 'drizzle-orm';
import { describe, expect, test } from 'vitest';
import { describeEachDb } from '../../db/db.test-utils.ts';
import type { Db } from '../../db/index.ts';
import { auditEntriesTable, programmeHostsTable } from '../../db/schema/index.ts';
import { seedObservatoryProgramme } from '../observatory/observatory.test-utils.ts';
import { expectDomainError, expectIssuesByField } from '../../testing/expectations.ts';
import {
	addProgrammeHost,
	addProgrammeHostBySlug,
	getProgrammeAddress,
	listProgrammeHosts,
	loadHostMap,
	programmeAddressOf,
	removeProgrammeHost,
	removeProgrammeHostBySlug,
	setPrimaryProgrammeHost,
	setPrimaryProgrammeHostBySlug
} from './programme-host.service.ts';
import { findPublicProgramme } from './programme.service.ts';

const hostsOf = async (db: Db, programmeId: string) =>
	(
		await db
			.select()
			.from(programmeHostsTable)
			.where(eq(programmeHostsTable.programmeId, programmeId))
			.orderBy(programmeHostsTable.host)
	).map((row) => `${row.host}${row.isPrimary ? ' *' : ''}`);

const hostAudit = (db: Db, programmeId: string) =>
	db
		.select()
		.from(auditEntriesTable)
		.where(
			and(eq(auditEntriesTable.programmeId, programmeId), eq(auditEntriesTable.action, 'settings_update'))
		);

describeEachDb('programme hosts', (ctx) => {
	const setup = async () => {
		const gers = await seedObservatoryProgramme(ctx.db, [], { slug: 'gers' });
		const lot = await seedObservatoryProgramme(ctx.db, [], { slug: 'lot', departements: ['46'] });
		return { gers, lot };
	};

	test('an admin adds hosts, normalised; the first is primary; the change is in the audit log', async () => {
		const { gers } = await setup();
		const admin = gers.actors.admin;
		await addProgrammeHost({ actor: admin, input: { host: '  Accueil.Gers.example.  ' } }, { db: ctx.db });
		const { hosts } = await addProgrammeHost(
			{ actor: admin, input: { host: 'gers.localhost' } },
			{ db: ctx.db }
		);
		expect(hosts.map((h) => [h.host, h.isPrimary])).toEqual([
			['accueil.gers.example', true],
			['gers.localhost', false]
		]);
		expect((await listProgrammeHosts({ actor: admin }, { db: ctx.db })).hosts).toHaveLength(2);
		const entries = await hostAudit(ctx.db, gers.programme.id);
		expect(entries).toHaveLength(2);
		expect(entries.map((e) => e.actorId)).toEqual([admin.userId, admin.userId]);
		expect(entries.map((e) => e.after)).toContainEqual({
			section: 'hosts',
			hosts: ['accueil.gers.example (primary)', 'gers.localhost']
		});
	});

	test('the primary host moves on request, and to the next host when the primary is removed', async () => {
		const { gers } = await setup();
		const admin = gers.actors.admin;
		for (const host of ['a.gers.example', 'b.gers.example', 'c.gers.example'])
			await addProgrammeHost({ actor: admin, input: { host } }, { db: ctx.db });
		await setPrimaryProgrammeHost({ actor: admin, input: { host: 'c.gers.example' } }, { db: ctx.db });
		expect(await hostsOf(ctx.db, gers.programme.id)).toEqual([
			'a.gers.example',
			'b.gers.example',
			'c.gers.example *'
		]);
		await addProgrammeHost(
			{ actor: admin, input: { host: 'd.gers.example', isPrimary: 'on' } },
			{ db: ctx.db }
		);
		expect(await hostsOf(ctx.db, gers.programme.id)).toContain('d.gers.example *');
		await removeProgrammeHost({ actor: admin, input: { host: 'd.gers.example' } }, { db: ctx.db });
		expect(await hostsOf(ctx.db, gers.programme.id)).toEqual([
			'a.gers.example *',
			'b.gers.example',
			'c.gers.example'
		]);
	});

	test('a host name that is not one is refused, naming the field', async () => {
		const { gers } = await setup();
		for (const host of [
			'https://gers.example',
			'gers.example:8080',
			'gers.example/site',
			'gers_example.org',
			'-gers.org',
			''
		])
			expect(
				await expectIssuesByField(
					addProgrammeHost({ actor: gers.actors.admin, input: { host } }, { db: ctx.db })
				)
			).toEqual({ host: 'programme.invalid_host' });
		expect(await hostsOf(ctx.db, gers.programme.id)).toEqual([]);
	});

	test("a host taken by another programme is refused, naming the field; adding one's own again changes nothing", async () => {
		const { gers, lot } = await setup();
		await addProgrammeHost({ actor: gers.actors.admin, input: { host: 'gers.example' } }, { db: ctx.db });
		const error = await expectDomainError(
			addProgrammeHost({ actor: lot.actors.admin, input: { host: 'GERS.example' } }, { db: ctx.db }),
			'programme.host_taken'
		);
		expect(error.details).toMatchObject({ field: 'host', host: 'gers.example' });
		await addProgrammeHost({ actor: gers.actors.admin, input: { host: 'gers.example' } }, { db: ctx.db });
		expect(await hostsOf(ctx.db, gers.programme.id)).toEqual(['gers.example *']);
		expect(await hostsOf(ctx.db, lot.programme.id)).toEqual([]);
		expect(await hostAudit(ctx.db, lot.programme.id)).toEqual([]);
	});

	test('advisors, committee members, partners, members and candidates may not read or change the hosts', async () => {
		const { gers } = await setup();
		await addProgrammeHost({ actor: gers.actors.admin, input: { host: 'gers.example' } }, { db: ctx.db });
		for (const role of ['advisor', 'committee', 'partner', 'member', 'candidate'] as const) {
			const actor = gers.actors[role];
			await expectDomainError(listProgrammeHosts({ actor }, { db: ctx.db }), 'programme.forbidden');
			await expectDomainError(
				addProgrammeHost({ actor, input: { host: `${role}.example` } }, { db: ctx.db }),
				'programme.forbidden'
			);
			await expectDomainError(
				removeProgrammeHost({ actor, input: { host: 'gers.example' } }, { db: ctx.db }),
				'programme.forbidden'
			);
			await expectDomainError(
				setPrimaryProgrammeHost({ actor, input: { host: 'gers.example' } }, { db: ctx.db }),
				'programme.forbidden'
			);
		}
		expect(await hostsOf(ctx.db, gers.programme.id)).toEqual(['gers.example *']);
	});

	test("the admin of another programme cannot see, remove or make primary the first one's hosts", async () => {
		const { gers, lot } = await setup();
		await addProgrammeHost({ actor: gers.actors.admin, input: { host: 'gers.example' } }, { db: ctx.db });
		await addProgrammeHost({ actor: gers.actors.admin, input: { host: 'www.gers.example' } }, { db: ctx.db });
		const lotAdmin = lot.actors.admin;
		expect((await listProgrammeHosts({ actor: lotAdmin }, { db: ctx.db })).hosts).toEqual([]);
		await expectDomainError(
			removeProgrammeHost({ actor: lotAdmin, input: { host: 'gers.example' } }, { db: ctx.db }),
			'programme.host_not_found'
		);
		await expectDomainError(
			setPrimaryProgrammeHost({ actor: lotAdmin, input: { host: 'www.gers.example' } }, { db: ctx.db }),
			'programme.host_not_found'
		);
		expect(await hostsOf(ctx.db, gers.programme.id)).toEqual(['gers.example *', 'www.gers.example']);
	});

	test('the operator manages any programme by slug, audited as the system', async () => {
		const { lot } = await setup();
		await addProgrammeHostBySlug({ slug: 'lot', input: { host: 'lot.example' } }, { db: ctx.db });
		await addProgrammeHostBySlug({ slug: 'lot', input: { host: 'www.lot.example' } }, { db: ctx.db });
		await setPrimaryProgrammeHostBySlug({ slug: 'lot', input: { host: 'www.lot.example' } }, { db: ctx.db });
		await removeProgrammeHostBySlug({ slug: 'lot', input: { host: 'lot.example' } }, { db: ctx.db });
		expect(await hostsOf(ctx.db, lot.programme.id)).toEqual(['www.lot.example *']);
		const entries = await hostAudit(ctx.db, lot.programme.id);
		expect(entries.map((e) => [e.actorId, e.actorLabel])).toEqual(Array(4).fill([null, 'system']));
		await expectDomainError(
			addProgrammeHostBySlug({ slug: 'nowhere', input: { host: 'x.example' } }, { db: ctx.db }),
			'programme.not_found'
		);
	});

	test('a host shows its programme; any other host the oldest; links use the primary host', async () => {
		const { gers, lot } = await setup();
		await addProgrammeHostBySlug({ slug: 'lot', input: { host: 'lot.example' } }, { db: ctx.db });
		await addProgrammeHostBySlug(
			{ slug: 'lot', input: { host: 'www.lot.example', isPrimary: true } },
			{ db: ctx.db }
		);
		const map = await loadHostMap({}, { db: ctx.db });
		expect(map.programmeOfHost.get('lot.example')).toBe(lot.programme.id);
		expect(map.programmeOfHost.get('gers.example')).toBeUndefined();
		expect(map.primaryHostOf.get(lot.programme.id)).toBe('www.lot.example');
		const shown = async (programmeId: string | null) =>
			(await findPublicProgramme({ programmeId }, { db: ctx.db })).programme?.slug;
		expect(await shown(lot.programme.id)).toBe('lot');
		expect(await shown(null)).toBe('gers');
		expect(await shown('prg_unknown')).toBe('gers');
		const config = { origin: 'https://soho.example:8443', port: 3000 };
		const addressOf = async (programmeId: string) =>
			(await getProgrammeAddress({ programmeId }, { db: ctx.db, config })).address;
		expect(await addressOf(lot.programme.id)).toBe('https://www.lot.example:8443');
		expect(await addressOf(gers.programme.id)).toBe('https://soho.example:8443');
		await expectDomainError(addressOf('prg_unknown'), 'programme.not_found');
	});

	test('a programme without a host is at its prefix on the public origin; the oldest at the origin itself', async () => {
		const { gers, lot } = await setup();
		const cantal = await seedObservatoryProgramme(ctx.db, [], { slug: 'cantal', departements: ['15'] });
		const config = { origin: 'https://soho.example/', port: 3000 };
		const addressOf = async (programmeId: string) =>
			(await getProgrammeAddress({ programmeId }, { db: ctx.db, config })).address;
		expect(await addressOf(gers.programme.id)).toBe('https://soho.example');
		expect(await addressOf(lot.programme.id)).toBe('https://soho.example/p/lot');
		expect(await addressOf(cantal.programme.id)).toBe('https://soho.example/p/cantal');
		// A host of its own replaces the prefix.
		await addProgrammeHostBySlug({ slug: 'cantal', input: { host: 'cantal.example' } }, { db: ctx.db });
		expect(await addressOf(cantal.programme.id)).toBe('https://cantal.example');
		const map = await loadHostMap({}, { db: ctx.db });
		expect(map.defaultProgrammeId).toBe(gers.programme.id);
		expect(map.programmeOfSlug.get('lot')).toBe(lot.programme.id);
		expect(map.slugOf.get(cantal.programme.id)).toBe('cantal');
	});

	test('a programme deleted takes its hosts with it', async () => {
		const { lot } = await setup();
		await addProgrammeHostBySlug({ slug: 'lot', input: { host: 'lot.example' } }, { db: ctx.db });
		const { programmesTable } = await import('../../db/schema/index.ts');
		await ctx.db.delete(programmesTable).where(eq(programmesTable.id, lot.programme.id));
		expect((await loadHostMap({}, { db: ctx.db })).programmeOfHost.size).toBe(0);
	});
});

describe('programme address', () => {
	test('the primary host keeps the scheme and port of the public origin; without one, the origin or the prefix', () => {
		const config = { origin: 'https://soho.example/', port: 3000 };
		expect(
			programmeAddressOf(
				{ primaryHost: 'b.localhost', slug: 'b', isDefault: false },
				{ config: { origin: undefined, port: 3100 } }
			)
		).toBe('http://b.localhost:3100');
		expect(
			programmeAddressOf({ primaryHost: 'lot.example', slug: 'lot', isDefault: false }, { config })
		).toBe('https://lot.example');
		expect(programmeAddressOf({ primaryHost: null, slug: 'gers', isDefault: true }, { config })).toBe(
			'https://soho.example'
		);
		expect(programmeAddressOf({ primaryHost: null, slug: 'lot', isDefault: false }, { config })).toBe(
			'https://soho.example/p/lot'
		);
		// In a page, the request's origin stands for the public origin.
		expect(
			programmeAddressOf(
				{ primaryHost: undefined, slug: 'lot', isDefault: false },
				{ config, origin: 'http://shared.localhost:3000' }
			)
		).toBe('http://shared.localhost:3000/p/lot');
	});
});
