import { error, fail } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import {
	CASE_TIMELINES,
	ORIGIN_AREAS,
	PERSON_SECTORS,
	PERSON_STATUSES,
	YES_NO_UNSURE
} from '#server/db/schema/index.ts';
import { submitApplication, submitNationalApplication } from '#server/domain/case/case-intake.service.ts';
import { listNationalProgrammes } from '#server/domain/national/national.service.ts';
import type { ApplicationInput } from '#server/domain/case/case.schemas.ts';
import { getPublicOffer, type PublicOffer } from '#server/domain/offer/offer.service.ts';
import { findPublicProgramme } from '#server/domain/programme/programme.service.ts';
import { listPublicVillages } from '#server/domain/village/village.service.ts';
import { isDomainError } from '#server/errors.ts';
import { failForm, formText, formValues } from '#server/http/errors.ts';
import { ValidationError } from '#server/validation.ts';
import { HONEYPOT_FIELD, isHoneypotFilled } from '#server/http/honeypot.ts';
import { seeOther } from '#server/http/redirects.ts';
import type { Actions, PageServerLoad } from './$types';

/** This page runs in the browser for its form's enhancements (extra child rows, the partner block, the error summary's focus); the public layout turns that off elsewhere. */
export const csr = true;

/** Child rows the page shows without JavaScript; empty rows are ignored. */
const CHILD_ROWS_WITHOUT_JS = 4;
/** Child rows read from a submission; anything beyond is ignored. */
const MAX_CHILD_ROWS = 12;

async function currentProgramme(locals: App.Locals) {
	const { programme } = await findPublicProgramme(
		{ programmeId: locals.programmeOfHost },
		{ db: getApp().database.db }
	);
	if (!programme) error(404, { code: 'case.unknown_programme', message: 'No programme takes applications' });
	return programme;
}

/**
 * `/apply?national=1&programme=<id>…`: the national portal's application. The same form, sent to
 * the participating programmes the candidate ticks (one case each, submitNationalApplication);
 * villages and offers are a programme's own and are not asked.
 */
const isNational = (url: URL) => url.searchParams.get('national') === '1';

const FORM_CHOICES = {
	statuses: PERSON_STATUSES,
	sectors: PERSON_SECTORS,
	origins: ORIGIN_AREAS,
	timelines: CASE_TIMELINES,
	answers: YES_NO_UNSURE,
	childRows: CHILD_ROWS_WITHOUT_JS
};

export const load: PageServerLoad = async ({ url, locals }) => {
	const db = getApp().database.db;
	if (isNational(url)) {
		const { programmes } = await listNationalProgrammes({}, { db });
		const wanted = new Set(url.searchParams.getAll('programme'));
		return {
			national: {
				programmes: programmes.map(({ id, name }) => ({ id, name })),
				preselected: programmes.filter((p) => wanted.has(p.id) || wanted.has(p.slug)).map((p) => p.id)
			},
			villages: [] as { slug: string; name: string }[],
			preselectedVillages: [] as string[],
			offer: null,
			isOfferUnavailable: false,
			...FORM_CHOICES
		};
	}
	const programme = await currentProgramme(locals);
	const { villages } = await listPublicVillages({ programmeId: programme.id, locale: locals.locale }, { db });

	// The offer the candidate comes from; a lapsed one is said so, never an error page.
	const offerId = url.searchParams.get('offer');
	let offer: PublicOffer | null = null;
	if (offerId) {
		try {
			({ offer } = await getPublicOffer(
				{ programmeId: programme.id, offerId, locale: locals.locale },
				{ db }
			));
		} catch (err) {
			if (!isDomainError(err, 'offer.not_found')) throw err;
		}
	}
	const village = url.searchParams.get('village');
	return {
		national: null,
		villages: villages.map(({ slug, name }) => ({ slug, name })),
		preselectedVillages: villages.some((v) => v.slug === village) ? [village as string] : [],
		offer: offer && {
			id: offer.id,
			kind: offer.kind,
			title: offer.title,
			communeName: offer.communeName,
			sector: offer.sector,
			areaLabel: offer.areaLabel
		},
		isOfferUnavailable: offerId !== null && offer === null,
		...FORM_CHOICES
	};
};

/**
 * The child rows that were filled in, with the row each came from: the service numbers
 * children from 0 without the empty rows, the page shows errors on the row typed in.
 */
function filledChildRows(data: FormData): { ages: string[]; rowOf: number[] } {
	const filled: { row: number; age: string }[] = [];
	for (const [key, value] of data.entries()) {
		const match = /^children\.(\d{1,2})\.age$/.exec(key);
		if (!match || typeof value !== 'string' || value.trim() === '') continue;
		const row = Number(match[1]);
		if (row < MAX_CHILD_ROWS) filled.push({ row, age: value });
	}
	filled.sort((a, b) => a.row - b.row);
	return { ages: filled.map((c) => c.age), rowOf: filled.map((c) => c.row) };
}

/** Moves each issue to the field the page shows it on. */
function pageField(field: string, rowOf: number[]): string {
	const child = /^children\.(\d+)(\..*)?$/.exec(field);
	if (child)
		return rowOf[Number(child[1])] === undefined ? 'children' : `children.${rowOf[Number(child[1])]}.age`;
	if (field === 'children') return 'children';
	if (field === 'villages' || field.startsWith('villages.')) return 'villages';
	if (field === 'programmes' || field.startsWith('programmes.')) return 'programmes';
	// The number of adults follows from "coming with a partner"; the page does not ask it.
	if (field === 'adultsCount') return 'hasPartner';
	return field;
}

export const actions: Actions = {
	default: async ({ request, locals, url, getClientAddress }) => {
		const data = await request.formData();
		if (isHoneypotFilled(data)) {
			// Rejected silently: the bot sees the usual confirmation, nothing is written or sent.
			locals.logger.info({ reason: 'honeypot' }, 'Application dropped');
			seeOther('/apply/thanks');
		}
		const values = formValues(data, [HONEYPOT_FIELD]);
		const villages = data.getAll('villages').filter((value): value is string => typeof value === 'string');
		const { ages, rowOf } = filledChildRows(data);
		const hasPartner = formText(data, 'hasPartner');
		const isWithPartner = hasPartner !== '';
		const input: ApplicationInput = {
			firstName: formText(data, 'firstName'),
			lastName: formText(data, 'lastName'),
			email: formText(data, 'email'),
			phone: formText(data, 'phone'),
			adultsCount: isWithPartner ? '2' : '1',
			hasPartner,
			partnerProfession: isWithPartner ? formText(data, 'partnerProfession') : '',
			partnerNeedsJob: isWithPartner ? formText(data, 'partnerNeedsJob') : '',
			children: ages.map((age) => ({ age })),
			profession: formText(data, 'profession'),
			status: formText(data, 'status') as ApplicationInput['status'],
			statusOther: formText(data, 'statusOther'),
			sector: formText(data, 'sector'),
			sectorOther: formText(data, 'sectorOther'),
			originArea: formText(data, 'originArea'),
			originAreaOther: formText(data, 'originAreaOther'),
			wishedArea: formText(data, 'wishedArea'),
			villages,
			timeline: formText(data, 'timeline'),
			howHeard: formText(data, 'howHeard'),
			wouldMoveWithoutProgramme: formText(data, 'wouldMoveWithoutProgramme'),
			consentContact: formText(data, 'consentContact'),
			consentShareWithCommittees: formText(data, 'consentShareWithCommittees'),
			consentShareWithPartners: formText(data, 'consentShareWithPartners'),
			consentResearch: formText(data, 'consentResearch')
		};
		const app = getApp();
		const programmes = data
			.getAll('programmes')
			.filter((value): value is string => typeof value === 'string');
		let references: string[];
		try {
			if (isNational(url)) {
				const { applications } = await submitNationalApplication(
					{ programmeIds: programmes, input, locale: locals.locale, clientAddress: getClientAddress() },
					{ db: app.database.db, config: app.config }
				);
				references = applications.map((application) => application.reference);
			} else {
				const programme = await currentProgramme(locals);
				const { reference } = await submitApplication(
					{
						programmeId: programme.id,
						input,
						locale: locals.locale,
						offerId: formText(data, 'offer') || url.searchParams.get('offer'),
						clientAddress: getClientAddress()
					},
					{ db: app.database.db, config: app.config }
				);
				references = [reference];
			}
		} catch (err) {
			const failure = failForm(
				err instanceof ValidationError
					? new ValidationError(
							err.issues.map((issue) => ({ ...issue, field: pageField(issue.field, rowOf) }))
						)
					: err,
				values
			);
			return fail(failure.status, { ...failure.data, villages, programmes });
		}
		// The confirmation email was queued in the same transaction; send it now rather than at the next tick.
		void app.mailer.kick();
		const query = new URLSearchParams(references.map((ref) => ['ref', ref]));
		seeOther(`/apply/thanks?${query}`);
	}
};
