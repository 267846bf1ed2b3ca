import {
	DEFAULT_STAGE_MILESTONES,
	PIPELINE_MILESTONES,
	type LegalSettings,
	type PipelineConfig,
	type PipelineMilestone,
	type TextsSettings
} from '../../db/schema/index.ts';
import type { FieldIssue } from '../../validation.ts';
import { checkPipelineConfig } from '../case/case.rules.ts';
import { STAGE_KEY_PATTERN } from '../case/case.schemas.ts';

/* ------------------------------------------------------------------ colours */

/** WCAG AA for body text: a colour and the text drawn on (or beside) it reach 4.5:1. */
export const MIN_CONTRAST = 4.5;
/** Text drawn on the primary colour (buttons): white. */
export const ON_PRIMARY = '#ffffff';
/** Text drawn on the accent colour: the darkest green of the design system (`--color-on-accent`). */
export const ON_ACCENT = '#0e2c22';

export const HEX_COLOUR = /^#[0-9a-f]{6}$/i;

/** Relative luminance of an sRGB colour `#rrggbb` (WCAG 2.x definition). */
export function relativeLuminance(hex: string): number {
	const channel = (i: number) => {
		const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
		return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
	};
	return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}

/** Contrast ratio between two colours, from 1 (same) to 21 (black on white). */
export function contrastRatio(a: string, b: string): number {
	const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x);
	return (light + 0.05) / (dark + 0.05);
}

/**
 * Problems with the programme's colours: each must be `#rrggbb`, the primary colour must carry
 * white text at 4.5:1 and the accent colour the dark text at 4.5:1. Null colours keep the defaults.
 */
export function checkColours(colours: {
	primaryColor: string | null;
	accentColor: string | null;
}): FieldIssue[] {
	const issues: FieldIssue[] = [];
	const check = (field: 'primaryColor' | 'accentColor', value: string | null, against: string) => {
		if (value === null) return;
		if (!HEX_COLOUR.test(value)) issues.push({ field, code: 'programme_settings.invalid_colour' });
		else if (contrastRatio(value, against) < MIN_CONTRAST)
			issues.push({ field, code: 'programme_settings.contrast_too_low' });
	};
	check('primaryColor', colours.primaryColor, ON_PRIMARY);
	check('accentColor', colours.accentColor, ON_ACCENT);
	return issues;
}

/* ------------------------------------------------------------------ small numbers */

/** Figures describing fewer households than this are not shown (statistical confidentiality). */
export const SMALL_COUNT_THRESHOLD = 5;

/** A figure as published: its value, or "fewer than k" when it describes too few households. */
export type PublishedCount =
	{ value: number; isHidden: false } | { value: null; isHidden: true; below: number };

/**
 * The small-number rule: a figure about `households` households (and `value` things about them,
 * persons for instance) is shown only when at least k households are described; otherwise
 * "fewer than k" replaces it, so nobody can be recognised in a count of 1 or 2.
 */
export function publishCount(
	value: number,
	households: number = value,
	k: number = SMALL_COUNT_THRESHOLD
): PublishedCount {
	return households < k ? { value: null, isHidden: true, below: k } : { value, isHidden: false };
}

/* ------------------------------------------------------------------ pipeline */

export type StageDraft = {
	/** Empty for a new stage: derived from its French name. */
	key: string;
	labelFr: string;
	labelEn: string;
	milestone: string;
};

/** A stage key from a name: lowercase ASCII, words joined by `_`, made unique among `taken`. */
export function stageKeyOf(label: string, taken: ReadonlySet<string>): string {
	const base =
		label
			.normalize('NFD')
			.replace(/[\u0300-\u036f]/g, '')
			.toLowerCase()
			.replace(/[^a-z0-9]+/g, '_')
			.replace(/^[^a-z]+|_+$/g, '')
			.slice(0, 32) || 'stage';
	const padded = base.length < 2 ? `${base}_stage` : base;
	let key = padded;
	for (let n = 2; taken.has(key); n++) key = `${padded}_${n}`;
	return key;
}

const STAGE_LABEL_MAX = 60;

/**
 * Turns the stages typed in the settings into a pipeline configuration, or lists what is wrong,
 * field by field: names required (60 characters at most), a milestone the observatory knows,
 * snake_case keys without duplicates, then the pipeline's own rules (case.rules.ts: 2 to 12
 * stages, one mapped to `installed` and not first, no exit).
 */
export function buildPipelineConfig(
	drafts: readonly StageDraft[]
): { config: PipelineConfig; issues: [] } | { config: null; issues: FieldIssue[] } {
	const issues: FieldIssue[] = [];
	const taken = new Set(drafts.map((draft) => draft.key.trim()).filter(Boolean));
	const seen = new Set<string>();
	const stages: string[] = [];
	const labels: NonNullable<PipelineConfig['labels']> = {};
	const milestones: Record<string, PipelineMilestone> = {};
	drafts.forEach((draft, i) => {
		const labelFr = draft.labelFr.trim();
		const labelEn = draft.labelEn.trim();
		let key = draft.key.trim();
		if (!key) {
			key = stageKeyOf(labelFr || labelEn, taken);
			taken.add(key);
		}
		if (!labelFr) issues.push({ field: `stages.${i}.labelFr`, code: 'programme_settings.text_required' });
		if (labelFr.length > STAGE_LABEL_MAX)
			issues.push({ field: `stages.${i}.labelFr`, code: 'programme_settings.text_too_long' });
		if (labelEn.length > STAGE_LABEL_MAX)
			issues.push({ field: `stages.${i}.labelEn`, code: 'programme_settings.text_too_long' });
		if (!(PIPELINE_MILESTONES as readonly string[]).includes(draft.milestone))
			issues.push({ field: `stages.${i}.milestone`, code: 'programme_settings.unknown_milestone' });
		if (!STAGE_KEY_PATTERN.test(key))
			issues.push({ field: `stages.${i}.key`, code: 'programme_settings.invalid_stage_key' });
		else if (seen.has(key))
			issues.push({ field: `stages.${i}.key`, code: 'programme_settings.duplicate_stage' });
		seen.add(key);
		stages.push(key);
		labels[key] = { fr: labelFr, ...(labelEn ? { en: labelEn } : {}) };
		milestones[key] = draft.milestone as PipelineMilestone;
	});
	if (issues.length) return { config: null, issues };
	const config: PipelineConfig = { stages, labels, milestones };
	const pipelineIssues = checkPipelineConfig(config);
	if (pipelineIssues.length)
		return { config: null, issues: pipelineIssues.map((code) => ({ field: 'stages', code })) };
	return { config, issues: [] };
}

/** The milestone of a stage of a stored configuration (or of the default pipeline). */
export function milestoneOfStage(
	config: PipelineConfig | null,
	stage: string
): PipelineMilestone | undefined {
	return config?.milestones?.[stage] ?? DEFAULT_STAGE_MILESTONES[stage];
}

/* ------------------------------------------------------------------ completeness */

/** The home page is written when its French title and introduction are. */
export function isHomeWritten(texts: TextsSettings | null | undefined): boolean {
	return Boolean(texts?.homeTitle.fr.trim() && texts.homeIntro.fr.trim());
}

/** The fields of the legal notice the law asks for (LCEN art. 6). */
export const LEGAL_FIELDS = [
	'publisher',
	'address',
	'registration',
	'director',
	'hostName',
	'hostAddress'
] as const;

/** The legal notice is filled when every field of LCEN art. 6 is. */
export function isLegalFilled(legal: LegalSettings | null | undefined): boolean {
	return Boolean(legal && LEGAL_FIELDS.every((field) => legal[field].trim()));
}

/* ------------------------------------------------------------------ metropole */

/**
 * Rough boxes around France (metropolitan, Corsica included, and the overseas départements):
 * enough to catch swapped or mistyped coordinates, not a border.
 */
const FRANCE_BOXES: readonly [number, number, number, number][] = [
	// [south, north, west, east]
	[41.3, 51.2, -5.3, 9.7],
	[15.8, 16.6, -61.9, -61.0], // Guadeloupe
	[14.3, 14.9, -61.3, -60.8], // Martinique
	[2.1, 5.8, -54.7, -51.5], // Guyane
	[-21.4, -20.8, 55.2, 55.9], // La Réunion
	[-13.1, -12.6, 44.9, 45.4] // Mayotte
];

export function isInFrance(lat: number, lon: number): boolean {
	return FRANCE_BOXES.some(
		([south, north, west, east]) => lat >= south && lat <= north && lon >= west && lon <= east
	);
}
