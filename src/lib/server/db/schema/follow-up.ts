import {
	boolean,
	date,
	index,
	integer,
	jsonb,
	pgTable,
	text,
	timestamp,
	uniqueIndex
} from 'drizzle-orm/pg-core';
import { id, timestamps } from '../columns.ts';
import { usersTable } from './accounts.ts';
import { casesTable } from './cases.ts';
import { programmesTable } from './programmes.ts';

export const SURVEY_QUESTION_TYPES = ['yes_no', 'choice', 'number', 'text', 'scale'] as const;
/** yes_no: yes/no; choice: one of the options; number: a whole number ≥ 0; text: free text; scale: 1 to 5. */
export type SurveyQuestionType = (typeof SURVEY_QUESTION_TYPES)[number];

export type SurveyOption = { value: string; labelFr: string; labelEn: string };

/** One question of a follow-up questionnaire, labelled in French (source) and English. */
export type SurveyQuestion = {
	/** Stable key the answers are stored under (`living_here`, `satisfaction`, `q_…`). */
	key: string;
	type: SurveyQuestionType;
	labelFr: string;
	labelEn: string;
	/** choice only. */
	options?: SurveyOption[];
	required: boolean;
	/** Asked only at these waves (months after installation); absent or empty: every wave. */
	waves?: number[];
	/** Asked only when another question got this answer (e.g. "where?" when living_here = no). */
	showIf?: { key: string; equals: string };
};

/** A stored answer: text for yes_no/choice/text, a number for number/scale, null when skipped. */
export type SurveyAnswerValue = string | number | null;
export type SurveyAnswers = Record<string, SurveyAnswerValue>;

/**
 * A programme's follow-up settings. No row: the defaults (waves at 6, 12, 24, 36 and 60 months
 * after installation; households silent for 12 months are listed to call).
 */
export const followUpSettingsTable = pgTable('follow_up_settings', {
	programmeId: text('programme_id')
		.primaryKey()
		.references(() => programmesTable.id, { onDelete: 'cascade' }),
	waveMonths: jsonb('wave_months').$type<number[]>().notNull(),
	silenceMonths: integer('silence_months').notNull(),
	updatedBy: text('updated_by').references(() => usersTable.id, { onDelete: 'set null' }),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

/** The follow-up questionnaire of a programme: every edit is a new version; answers keep theirs. */
export const surveyQuestionnairesTable = pgTable(
	'survey_questionnaires',
	{
		id: id('sqn'),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programmesTable.id, { onDelete: 'cascade' }),
		version: integer('version').notNull(),
		questions: jsonb('questions').$type<SurveyQuestion[]>().notNull(),
		createdBy: text('created_by').references(() => usersTable.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(table) => [uniqueIndex('survey_questionnaires_version_unique').on(table.programmeId, table.version)]
);

/**
 * One household invited to one follow-up wave, with the secret of its personal link
 * (no sign-in): at most one invitation per case and wave.
 */
export const surveyInvitationsTable = pgTable(
	'survey_invitations',
	{
		id: id('svi'),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programmesTable.id, { onDelete: 'cascade' }),
		caseId: text('case_id')
			.notNull()
			.references(() => casesTable.id, { onDelete: 'cascade' }),
		/** Months after installation: 6, 12, 24… */
		waveMonths: integer('wave_months').notNull(),
		/** installed_on + wave months. */
		dueOn: date('due_on').notNull(),
		/** 32 characters, base64url, random: the personal link `/survey/<token>`. */
		token: text('token').notNull(),
		questionnaireVersion: integer('questionnaire_version').notNull(),
		/** Language of the emails and the default language of the survey page. */
		locale: text('locale').$type<'fr' | 'en'>().notNull().default('fr'),
		/** Lower-cased address the invitation was sent to. */
		toAddress: text('to_address').notNull(),
		sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
		reminded7At: timestamp('reminded_7_at', { withTimezone: true }),
		reminded14At: timestamp('reminded_14_at', { withTimezone: true }),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		answeredAt: timestamp('answered_at', { withTimezone: true }),
		isDemo: boolean('is_demo').notNull().default(false),
		...timestamps()
	},
	(table) => [
		uniqueIndex('survey_invitations_case_wave_unique').on(table.caseId, table.waveMonths),
		uniqueIndex('survey_invitations_token_unique').on(table.token),
		// The overview per wave, and the reminders (unanswered invitations of a programme).
		index('survey_invitations_programme_wave_idx').on(table.programmeId, table.waveMonths),
		index('survey_invitations_open_idx').on(table.answeredAt, table.sentAt)
	]
);

/** The answers to one invitation, with the questionnaire version they answered. */
export const surveyAnswersTable = pgTable(
	'survey_answers',
	{
		id: id('sva'),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programmesTable.id, { onDelete: 'cascade' }),
		invitationId: text('invitation_id')
			.notNull()
			.references(() => surveyInvitationsTable.id, { onDelete: 'cascade' }),
		caseId: text('case_id')
			.notNull()
			.references(() => casesTable.id, { onDelete: 'cascade' }),
		waveMonths: integer('wave_months').notNull(),
		questionnaireVersion: integer('questionnaire_version').notNull(),
		answers: jsonb('answers').$type<SurveyAnswers>().notNull(),
		submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow(),
		isDemo: boolean('is_demo').notNull().default(false)
	},
	(table) => [
		// One answer per invitation: a second submission never overwrites the first.
		uniqueIndex('survey_answers_invitation_unique').on(table.invitationId),
		index('survey_answers_case_idx').on(table.caseId),
		// Research reads the answers of a programme by wave.
		index('survey_answers_programme_wave_idx').on(table.programmeId, table.waveMonths)
	]
);

export const DEPARTURE_STATUSES = ['pending', 'confirmed', 'dismissed'] as const;
export type DepartureStatus = (typeof DEPARTURE_STATUSES)[number];

/**
 * A household answered that it no longer lives here: an advisor confirms it (the case moves to
 * left_territory with the date and reason) or dismisses it.
 */
export const departureReportsTable = pgTable(
	'departure_reports',
	{
		id: id('dep'),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programmesTable.id, { onDelete: 'cascade' }),
		caseId: text('case_id')
			.notNull()
			.references(() => casesTable.id, { onDelete: 'cascade' }),
		answerId: text('answer_id').references(() => surveyAnswersTable.id, { onDelete: 'set null' }),
		/** The day of the answer: the proposed departure date. */
		reportedOn: date('reported_on').notNull(),
		movedTo: text('moved_to'),
		reason: text('reason'),
		status: text('status').$type<DepartureStatus>().notNull().default('pending'),
		decidedBy: text('decided_by').references(() => usersTable.id, { onDelete: 'set null' }),
		decidedAt: timestamp('decided_at', { withTimezone: true }),
		isDemo: boolean('is_demo').notNull().default(false),
		...timestamps()
	},
	(table) => [
		index('departure_reports_programme_status_idx').on(table.programmeId, table.status),
		index('departure_reports_case_idx').on(table.caseId)
	]
);

export type FollowUpSettings = typeof followUpSettingsTable.$inferSelect;
export type SurveyQuestionnaire = typeof surveyQuestionnairesTable.$inferSelect;
export type SurveyInvitation = typeof surveyInvitationsTable.$inferSelect;
export type SurveyAnswer = typeof surveyAnswersTable.$inferSelect;
export type DepartureReport = typeof departureReportsTable.$inferSelect;
