import { translate, type Locale } from '../../../i18n/index.ts';
import type { Actor } from '../../auth/actor.ts';
import { renderMarkdown } from '../../content/markdown.ts';
import type { Db } from '../../db/index.ts';
import {
	type IdentitySettings,
	type LegalSettings,
	type PipelineConfig,
	type PipelineMilestone,
	type PrivacySettings,
	type Programme,
	type TextsSettings
} from '../../db/schema/index.ts';
import { processImage } from '../../files/images.ts';
import { isFileKey, type FileStorage } from '../../files/storage.ts';
import { loadCogData } from '../../geo/cog.ts';
import { createLogger } from '../../logger.ts';
import { parseInput, ValidationError } from '../../validation.ts';
import { recordSettingsChange } from '../audit/audit.service.ts';
import { findProgrammePipeline } from '../case/case.repository.ts';
import { resolvePipeline } from '../case/case.rules.ts';
import { DEFAULT_MIN_CELL_SIZE, suppressGroup } from '../observatory/disclosure.rules.ts';
import { isPresentAt } from '../observatory/flows.rules.ts';
import { findObservatoryCases } from '../observatory/observatory.repository.ts';
import {
	installationDate,
	observatoryStageKeys,
	withMilestoneEntries
} from '../observatory/observatory.rules.ts';
import { findProgrammeById, updateProgrammeRow } from '../programme/programme.repository.ts';
import { programmeNotFound } from '../programme/programme.errors.ts';
import { getProgrammeBySlug } from '../programme/programme.service.ts';
import { initTerritory } from '../territory/territory.service.ts';
import {
	twoFactorRequirementSchema,
	type TwoFactorRequirementInput
} from '../account/account-security.schemas.ts';
import {
	settingsDepartementPresent,
	settingsForbidden,
	settingsLogoNotFound,
	settingsOutsideFrance,
	settingsStageInUse,
	settingsUnknownCommune
} from './programme-settings.errors.ts';
import {
	countStageUse,
	findProgrammeSettings,
	findSettingsAuditEntries,
	isLogoKey,
	upsertProgrammeSettings
} from './programme-settings.repository.ts';
import {
	buildPipelineConfig,
	checkColours,
	isHomeWritten,
	isInFrance,
	isLegalFilled,
	milestoneOfStage,
	publishCount,
	type PublishedCount
} from './programme-settings.rules.ts';
import {
	addDepartementSchema,
	identitySchema,
	legalSchema,
	metropoleSchema,
	pipelineSchema,
	privacySchema,
	sourceCodeSchema,
	textsSchema,
	type AddDepartementInput,
	type IdentityInput,
	type LegalInput,
	type MetropoleInput,
	type PipelineInput,
	type PrivacyInput,
	type SourceCodeInput,
	minCellSizeSchema,
	type MinCellSizeInput,
	type TextsInput
} from './programme-settings.schemas.ts';

const log = createLogger({ namespace: 'programme-settings:service' });

type Deps = { db: Db };

/**
 * Where soho's source code is published, shown in the footer when the programme has set no link
 * of its own. Null: the repository's public address is not known in the code yet.
 */
export const DEFAULT_SOURCE_CODE_URL: string | null = null;

export const EMPTY_IDENTITY: IdentitySettings = { logoKey: null, primaryColor: null, accentColor: null };
const noText = () => ({ fr: '', en: '' });
export const EMPTY_TEXTS: TextsSettings = {
	homeTitle: noText(),
	homeIntro: noText(),
	howItWorks: noText(),
	faq: []
};
export const EMPTY_LEGAL: LegalSettings = {
	publisher: '',
	address: '',
	registration: '',
	director: '',
	hostName: '',
	hostAddress: ''
};
export const EMPTY_PRIVACY: PrivacySettings = { controller: '', dpoContact: '', retention: '' };

/** Settings are the admins' business: everyone else is refused. */
function assertAdmin(actor: Actor): void {
	if (actor.role !== 'admin') throw settingsForbidden({ userId: actor.userId });
}

async function getOwnProgramme(db: Db, actor: Actor): Promise<Programme> {
	const programme = await findProgrammeById({ db, programmeId: actor.programmeId });
	if (!programme) throw programmeNotFound({ programmeId: actor.programmeId });
	return programme;
}

/** Writes one audit entry for a section of the settings (only when something changed). */
async function auditSettings(
	db: Db,
	actor: Actor,
	section: string,
	before: Record<string, unknown>,
	after: Record<string, unknown>
): Promise<void> {
	const isChanged = await recordSettingsChange(
		{ programmeId: actor.programmeId, actor, section, before, after },
		{ db }
	);
	if (isChanged) {
		log.info({ programmeId: actor.programmeId, userId: actor.userId, section }, 'Programme settings changed');
	}
}

/* ------------------------------------------------------------------ reading */

export type StageSetting = {
	key: string;
	labelFr: string;
	labelEn: string;
	milestone: PipelineMilestone | '';
	/** Cases in, or having gone through, this stage: a stage in use cannot be removed. */
	cases: number;
};

export type ProgrammeSettingsView = {
	programme: Pick<
		Programme,
		'id' | 'slug' | 'name' | 'departements' | 'metropoleCode' | 'metropoleLat' | 'metropoleLon' | 'isDemo'
	>;
	identity: IdentitySettings;
	texts: TextsSettings;
	legal: LegalSettings;
	privacy: PrivacySettings;
	sourceCodeUrl: string | null;
	/** Admins and advisors must sign in with a second factor. */
	isTwoFactorRequired: boolean;
	/** The observatory's minimum cell size k (default 5): see observatory/disclosure.rules.ts. */
	minCellSize: number;
	pipeline: { stages: StageSetting[]; exits: StageSetting[]; isDefault: boolean };
	isHomeWritten: boolean;
	isLegalFilled: boolean;
	/** The latest changes (newest first): who changed which section, when. */
	history: { at: Date; actorLabel: string; section: string; fields: string[] }[];
};

function stageSettings(
	config: PipelineConfig | null,
	stages: readonly string[],
	counts: Map<string, number>
): StageSetting[] {
	return stages.map((key) => ({
		key,
		labelFr: config?.labels?.[key]?.fr || translate('fr', `case_stage_${key}`),
		labelEn: config?.labels?.[key]?.en || translate('en', `case_stage_${key}`),
		milestone: milestoneOfStage(config, key) ?? '',
		cases: counts.get(key) ?? 0
	}));
}

/** Everything the settings page shows (admins only). */
export async function getProgrammeSettings(
	{ actor }: { actor: Actor },
	{ db }: Deps
): Promise<ProgrammeSettingsView> {
	assertAdmin(actor);
	const programme = await getOwnProgramme(db, actor);
	const row = await findProgrammeSettings({ db, programmeId: programme.id });
	const pipeline = resolvePipeline(programme.pipeline);
	const counts = await countStageUse({
		db,
		programmeId: programme.id,
		stages: [...pipeline.stages, ...pipeline.exits]
	});
	return {
		programme: {
			id: programme.id,
			slug: programme.slug,
			name: programme.name,
			departements: programme.departements,
			metropoleCode: programme.metropoleCode,
			metropoleLat: programme.metropoleLat,
			metropoleLon: programme.metropoleLon,
			isDemo: programme.isDemo
		},
		identity: row?.identity ?? EMPTY_IDENTITY,
		texts: row?.texts ?? EMPTY_TEXTS,
		legal: row?.legal ?? EMPTY_LEGAL,
		privacy: row?.privacy ?? EMPTY_PRIVACY,
		sourceCodeUrl: row ? row.sourceCodeUrl : DEFAULT_SOURCE_CODE_URL,
		isTwoFactorRequired: row?.isTwoFactorRequired ?? false,
		minCellSize: row?.minCellSize ?? DEFAULT_MIN_CELL_SIZE,
		pipeline: {
			stages: stageSettings(programme.pipeline, pipeline.stages, counts),
			exits: stageSettings(programme.pipeline, pipeline.exits, counts),
			isDefault: programme.pipeline === null
		},
		isHomeWritten: isHomeWritten(row?.texts),
		isLegalFilled: isLegalFilled(row?.legal),
		history: (await findSettingsAuditEntries({ db, programmeId: programme.id, limit: 10 })).map((entry) => ({
			at: entry.at,
			actorLabel: entry.actorLabel,
			section: String(entry.after.section ?? ''),
			fields: Object.keys(entry.after)
				.filter((key) => key !== 'section')
				.sort()
		}))
	};
}

/** For the admin checklist: the French home title and introduction are written. */
export async function isHomePageWritten(
	{ programmeId }: { programmeId: string },
	{ db }: Deps
): Promise<boolean> {
	return isHomeWritten((await findProgrammeSettings({ db, programmeId }))?.texts);
}

/** For the admin checklist: every field of the legal notice is filled. */
export async function isLegalNoticeFilled(
	{ programmeId }: { programmeId: string },
	{ db }: Deps
): Promise<boolean> {
	return isLegalFilled((await findProgrammeSettings({ db, programmeId }))?.legal);
}

/* ------------------------------------------------------------------ identity */

/** Name and colours; colours must keep text readable (WCAG AA, 4.5:1). */
export async function updateIdentity(
	{ actor, input }: { actor: Actor; input: IdentityInput },
	{ db }: Deps
): Promise<{ identity: IdentitySettings; name: string }> {
	assertAdmin(actor);
	const data = parseInput(identitySchema, input);
	const issues = checkColours(data);
	if (issues.length) throw new ValidationError(issues);
	return db.transaction(async (tx) => {
		const programme = await getOwnProgramme(tx, actor);
		const before =
			(await findProgrammeSettings({ db: tx, programmeId: programme.id }))?.identity ?? EMPTY_IDENTITY;
		const identity = { ...before, primaryColor: data.primaryColor, accentColor: data.accentColor };
		if (data.name !== programme.name)
			await updateProgrammeRow({ db: tx, programmeId: programme.id, changes: { name: data.name } });
		await upsertProgrammeSettings({
			db: tx,
			programmeId: programme.id,
			values: { identity, updatedBy: actor.userId, updatedAt: new Date() }
		});
		await auditSettings(
			tx,
			actor,
			'identity',
			{ name: programme.name, primaryColor: before.primaryColor, accentColor: before.accentColor },
			{ name: data.name, primaryColor: identity.primaryColor, accentColor: identity.accentColor }
		);
		return { identity, name: data.name };
	});
}

/** The logo is at most 2 MB, re-encoded to WebP, 600 pixels on its longest side. */
export const LOGO_LIMITS = { maxBytes: 2 * 1024 * 1024, maxDimension: 600 } as const;

/**
 * Replaces the programme's logo: the bytes are checked and re-encoded (media.too_large,
 * media.not_an_image, media.malformed, media.too_many_pixels) and stored before the row is
 * written. The previous file is kept (files are content-addressed and may be shared).
 */
export async function uploadLogo(
	{ actor, bytes }: { actor: Actor; bytes: Uint8Array },
	{ db, storage }: Deps & { storage: FileStorage }
): Promise<{ identity: IdentitySettings }> {
	assertAdmin(actor);
	const image = await processImage(bytes, LOGO_LIMITS);
	const { key } = await storage.put(image.data, 'webp');
	return setLogo(db, actor, key);
}

export async function removeLogo(
	{ actor }: { actor: Actor },
	{ db }: Deps
): Promise<{ identity: IdentitySettings }> {
	assertAdmin(actor);
	return setLogo(db, actor, null);
}

async function setLogo(db: Db, actor: Actor, logoKey: string | null) {
	return db.transaction(async (tx) => {
		const before =
			(await findProgrammeSettings({ db: tx, programmeId: actor.programmeId }))?.identity ?? EMPTY_IDENTITY;
		const identity = { ...before, logoKey };
		await upsertProgrammeSettings({
			db: tx,
			programmeId: actor.programmeId,
			values: { identity, updatedBy: actor.userId, updatedAt: new Date() }
		});
		await auditSettings(tx, actor, 'identity', { logoKey: before.logoKey }, { logoKey });
		return { identity };
	});
}

/** A logo file for `/logo/[key]`: only keys some programme uses as its logo are served. */
export async function getProgrammeLogo(
	{ key }: { key: string },
	{ db, storage }: Deps & { storage: FileStorage }
): Promise<{ contentType: string; data: Uint8Array }> {
	if (!isFileKey(key) || !(await isLogoKey({ db, key }))) throw settingsLogoNotFound({ key });
	const data = await storage.get(key);
	if (!data) throw settingsLogoNotFound({ key });
	return { contentType: 'image/webp', data };
}

/* ------------------------------------------------------------------ texts */

/** Home page texts, "how it works" and the FAQ, Markdown in FR and EN (sanitised when rendered). */
export async function updateTexts(
	{ actor, input }: { actor: Actor; input: TextsInput },
	{ db }: Deps
): Promise<{ texts: TextsSettings }> {
	assertAdmin(actor);
	const texts: TextsSettings = parseInput(textsSchema, input);
	return db.transaction(async (tx) => {
		const before =
			(await findProgrammeSettings({ db: tx, programmeId: actor.programmeId }))?.texts ?? EMPTY_TEXTS;
		await upsertProgrammeSettings({
			db: tx,
			programmeId: actor.programmeId,
			values: { texts, updatedBy: actor.userId, updatedAt: new Date() }
		});
		await auditSettings(tx, actor, 'texts', before, texts);
		return { texts };
	});
}

/* ------------------------------------------------------------------ legal */

export async function updateLegalNotice(
	{ actor, input }: { actor: Actor; input: LegalInput },
	{ db }: Deps
): Promise<{ legal: LegalSettings }> {
	assertAdmin(actor);
	const legal: LegalSettings = parseInput(legalSchema, input);
	return db.transaction(async (tx) => {
		const before =
			(await findProgrammeSettings({ db: tx, programmeId: actor.programmeId }))?.legal ?? EMPTY_LEGAL;
		await upsertProgrammeSettings({
			db: tx,
			programmeId: actor.programmeId,
			values: { legal, updatedBy: actor.userId, updatedAt: new Date() }
		});
		await auditSettings(tx, actor, 'legal', before, legal);
		return { legal };
	});
}

export async function updatePrivacyNotice(
	{ actor, input }: { actor: Actor; input: PrivacyInput },
	{ db }: Deps
): Promise<{ privacy: PrivacySettings }> {
	assertAdmin(actor);
	const privacy: PrivacySettings = parseInput(privacySchema, input);
	return db.transaction(async (tx) => {
		const before =
			(await findProgrammeSettings({ db: tx, programmeId: actor.programmeId }))?.privacy ?? EMPTY_PRIVACY;
		await upsertProgrammeSettings({
			db: tx,
			programmeId: actor.programmeId,
			values: { privacy, updatedBy: actor.userId, updatedAt: new Date() }
		});
		await auditSettings(tx, actor, 'privacy', before, privacy);
		return { privacy };
	});
}

/* ------------------------------------------------------------------ source code, metropole, territory */

/** The AGPL source-code link shown in the footer (empty: none). */
export async function updateSourceCodeLink(
	{ actor, input }: { actor: Actor; input: SourceCodeInput },
	{ db }: Deps
): Promise<{ sourceCodeUrl: string | null }> {
	assertAdmin(actor);
	const { url } = parseInput(sourceCodeSchema, input);
	return db.transaction(async (tx) => {
		const row = await findProgrammeSettings({ db: tx, programmeId: actor.programmeId });
		const before = row ? row.sourceCodeUrl : DEFAULT_SOURCE_CODE_URL;
		await upsertProgrammeSettings({
			db: tx,
			programmeId: actor.programmeId,
			values: { sourceCodeUrl: url, updatedBy: actor.userId, updatedAt: new Date() }
		});
		await auditSettings(tx, actor, 'source_code', { sourceCodeUrl: before }, { sourceCodeUrl: url });
		return { sourceCodeUrl: url };
	});
}

/**
 * Whether admins and advisors must sign in with a second factor (TOTP). Those not enrolled yet
 * only reach their account page until they are (account-security.service.ts).
 */
export async function updateTwoFactorRequirement(
	{ actor, input }: { actor: Actor; input: TwoFactorRequirementInput },
	{ db }: Deps
): Promise<{ isTwoFactorRequired: boolean }> {
	assertAdmin(actor);
	const { isTwoFactorRequired } = parseInput(twoFactorRequirementSchema, input);
	return db.transaction(async (tx) => {
		const row = await findProgrammeSettings({ db: tx, programmeId: actor.programmeId });
		const before = row?.isTwoFactorRequired ?? false;
		await upsertProgrammeSettings({
			db: tx,
			programmeId: actor.programmeId,
			values: { isTwoFactorRequired, updatedBy: actor.userId, updatedAt: new Date() }
		});
		await auditSettings(tx, actor, 'security', { isTwoFactorRequired: before }, { isTwoFactorRequired });
		return { isTwoFactorRequired };
	});
}

/**
 * The observatory's minimum cell size k: figures shown to committee members, funders, the public
 * home page, exports and the report never describe fewer than k households. Admins only; audited.
 */
export async function updateMinCellSize(
	{ actor, input }: { actor: Actor; input: MinCellSizeInput },
	{ db }: Deps
): Promise<{ minCellSize: number }> {
	assertAdmin(actor);
	const { minCellSize } = parseInput(minCellSizeSchema, input);
	return db.transaction(async (tx) => {
		const row = await findProgrammeSettings({ db: tx, programmeId: actor.programmeId });
		const before = row?.minCellSize ?? DEFAULT_MIN_CELL_SIZE;
		await upsertProgrammeSettings({
			db: tx,
			programmeId: actor.programmeId,
			values: { minCellSize, updatedBy: actor.userId, updatedAt: new Date() }
		});
		await auditSettings(tx, actor, 'min_cell_size', { minCellSize: before }, { minCellSize });
		return { minCellSize };
	});
}

/**
 * The same setting from the operator's shell (`soho programme set SLUG min-cell-size N`): the
 * operator has no membership, so the programme is found by its slug.
 */
export async function setMinCellSizeBySlug(
	{ slug, input }: { slug: string; input: MinCellSizeInput },
	{ db }: Deps
): Promise<{ minCellSize: number }> {
	const { minCellSize } = parseInput(minCellSizeSchema, input);
	const { programme } = await getProgrammeBySlug({ slug }, { db });
	await db.transaction(async (tx) => {
		await upsertProgrammeSettings({
			db: tx,
			programmeId: programme.id,
			values: { minCellSize, updatedBy: null, updatedAt: new Date() }
		});
	});
	log.info({ programmeId: programme.id, minCellSize }, 'Minimum cell size set by the operator');
	return { minCellSize };
}

/** The metropole distances are measured to: a current commune of the COG and its position in France. */
export async function updateMetropole(
	{ actor, input }: { actor: Actor; input: MetropoleInput },
	{ db }: Deps
): Promise<{ metropole: { code: string; name: string; lat: number; lon: number } }> {
	assertAdmin(actor);
	const data = parseInput(metropoleSchema, input);
	const commune = loadCogData().communes.find((c) => c.code === data.code && c.type === 'commune-actuelle');
	if (!commune) throw new ValidationError([{ field: 'code', code: settingsUnknownCommune.code }]);
	if (!isInFrance(data.lat, data.lon))
		throw new ValidationError([{ field: 'lat', code: settingsOutsideFrance.code }]);
	return db.transaction(async (tx) => {
		const programme = await getOwnProgramme(tx, actor);
		await updateProgrammeRow({
			db: tx,
			programmeId: programme.id,
			changes: { metropoleCode: data.code, metropoleLat: data.lat, metropoleLon: data.lon }
		});
		await auditSettings(
			tx,
			actor,
			'metropole',
			{
				metropoleCode: programme.metropoleCode,
				metropoleLat: programme.metropoleLat,
				metropoleLon: programme.metropoleLon
			},
			{ metropoleCode: data.code, metropoleLat: data.lat, metropoleLon: data.lon }
		);
		return { metropole: { ...data, name: commune.nom } };
	});
}

/** Adds a département to the territory and imports its communes from the bundled COG. */
export async function addTerritoryDepartement(
	{ actor, input }: { actor: Actor; input: AddDepartementInput },
	{ db }: Deps
): Promise<{ departements: string[]; communes: number }> {
	assertAdmin(actor);
	const { code } = parseInput(addDepartementSchema, input);
	return db.transaction(async (tx) => {
		const programme = await getOwnProgramme(tx, actor);
		if (programme.departements.includes(code))
			throw new ValidationError([{ field: 'code', code: settingsDepartementPresent.code }]);
		// Unknown codes are refused by initTerritory (territory.unknown_departement).
		const result = await initTerritory({ departements: [code], programme: programme.slug }, { db: tx });
		const departements = [...programme.departements, code].sort();
		await auditSettings(tx, actor, 'territory', { departements: programme.departements }, { departements });
		const { created, updated, unchanged } = result.communes;
		return { departements, communes: created + updated + unchanged };
	});
}

/* ------------------------------------------------------------------ pipeline */

/**
 * Renames, reorders and adds stages, each mapped to the milestone the observatory counts.
 * A stage that cases are in, or went through, cannot be removed (programme_settings.stage_in_use).
 */
export async function updatePipeline(
	{ actor, input }: { actor: Actor; input: PipelineInput },
	{ db }: Deps
): Promise<{ pipeline: PipelineConfig }> {
	assertAdmin(actor);
	const { stages } = parseInput(pipelineSchema, input);
	const built = buildPipelineConfig(stages);
	if (!built.config) throw new ValidationError(built.issues);
	const config = built.config;
	return db.transaction(async (tx) => {
		const programme = await getOwnProgramme(tx, actor);
		const current = resolvePipeline(programme.pipeline);
		const removed = current.stages.filter((stage) => !config.stages.includes(stage));
		const use = await countStageUse({ db: tx, programmeId: programme.id, stages: removed });
		const inUse = removed.find((stage) => (use.get(stage) ?? 0) > 0);
		if (inUse) {
			throw settingsStageInUse({
				stage:
					programme.pipeline?.labels?.[inUse]?.[actor.locale] ||
					translate(actor.locale, `case_stage_${inUse}`),
				cases: use.get(inUse) ?? 0
			});
		}
		await updateProgrammeRow({ db: tx, programmeId: programme.id, changes: { pipeline: config } });
		await auditSettings(tx, actor, 'pipeline', { pipeline: programme.pipeline }, { pipeline: config });
		return { pipeline: config };
	});
}

/* ------------------------------------------------------------------ public site */

export type PublicSettings = {
	identity: IdentitySettings;
	/** Null where the programme has written nothing: the built-in text is shown. */
	homeTitle: string | null;
	homeIntroHtml: string | null;
	howItWorksHtml: string | null;
	faq: { question: string; answerHtml: string }[];
	legal: LegalSettings;
	privacy: PrivacySettings;
	sourceCodeUrl: string | null;
};

/** The text in the reader's language, else in French, else null. */
const pick = (text: { fr: string; en: string }, locale: Locale): string | null =>
	text[locale] || text.fr || null;

/** What the public pages show of the programme's settings, in a language; Markdown is rendered and sanitised. */
export async function getPublicSettings(
	{ programmeId, locale }: { programmeId: string; locale: Locale },
	{ db }: Deps
): Promise<PublicSettings> {
	const row = await findProgrammeSettings({ db, programmeId });
	const texts = row?.texts ?? EMPTY_TEXTS;
	const html = (text: { fr: string; en: string }) => {
		const markdown = pick(text, locale);
		return markdown ? renderMarkdown(markdown) : null;
	};
	return {
		identity: row?.identity ?? EMPTY_IDENTITY,
		homeTitle: pick(texts.homeTitle, locale),
		homeIntroHtml: html(texts.homeIntro),
		howItWorksHtml: html(texts.howItWorks),
		faq: texts.faq.map((entry) => ({
			question: pick(entry.question, locale) ?? '',
			answerHtml: html(entry.answer) ?? ''
		})),
		legal: row?.legal ?? EMPTY_LEGAL,
		privacy: row?.privacy ?? EMPTY_PRIVACY,
		sourceCodeUrl: row ? row.sourceCodeUrl : DEFAULT_SOURCE_CODE_URL
	};
}

/** Years after installation at which the home page counts the households still here. */
export const STAYED_YEARS = 3;

export type PublicResults = {
	/** Households installed and still in the territory today (the observatory's "present today"). */
	householdsInstalled: PublishedCount;
	/** Persons of those households. */
	personsInstalled: PublishedCount;
	/** Households installed at least 3 years ago that are still here today. */
	stillHereAfter3Years: PublishedCount;
	/** Households installed at least 3 years ago (the base of the figure above). */
	installed3YearsAgo: PublishedCount;
};

/**
 * The programme's results for the home page, counted as the observatory counts them (installation
 * date, else the first entry into the stage mapped to `installed`; presence until the departure),
 * with the small-number rule: a figure about fewer than k households (the programme's minimum
 * cell size, default 5) is not shown, nor the one that would give it back by subtraction.
 */
export async function getPublicResults(
	{ programmeId }: { programmeId: string },
	{ db, now = new Date() }: Deps & { now?: Date }
): Promise<PublicResults> {
	const pipeline = resolvePipeline(await findProgrammePipeline({ db, programmeId }));
	const k = (await findProgrammeSettings({ db, programmeId }))?.minCellSize ?? DEFAULT_MIN_CELL_SIZE;
	const cases = withMilestoneEntries(
		await findObservatoryCases({ db, programmeId, stages: observatoryStageKeys(pipeline) }),
		pipeline.milestones
	);
	const present = cases.filter((kase) => isPresentAt(kase, now));
	const persons = present.reduce((total, kase) => total + kase.householdSize, 0);
	const cutoff = new Date(now);
	cutoff.setUTCFullYear(cutoff.getUTCFullYear() - STAYED_YEARS);
	const longAgo = cases.filter((kase) => {
		const installed = installationDate(kase);
		return installed !== null && installed <= cutoff;
	});
	const stayed = longAgo.filter((kase) => isPresentAt(kase, now));
	// Those who stayed and those who left add up to the base: one of them below k hides both.
	const split = suppressGroup([stayed.length, longAgo.length - stayed.length], k, longAgo.length);
	return {
		householdsInstalled: publishCount(present.length, present.length, k),
		personsInstalled: publishCount(persons, present.length, k),
		stillHereAfter3Years: split.hidden[0]
			? { value: null, isHidden: true, below: k }
			: publishCount(stayed.length, stayed.length, k),
		installed3YearsAgo: publishCount(longAgo.length, longAgo.length, k)
	};
}
