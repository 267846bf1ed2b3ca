import type { CaseSource, PersonStatus, YesNoUnsure } from '../../db/schema/index.ts';

/*
 * The observatory's own types, with no code: the rules, the repository and the services all
 * import them from here, so that pure rules import no repository.
 */

/** What the observatory knows of one household's project: dates, place, profile, household. */
export type ObservatoryCase = {
	id: string;
	source: CaseSource;
	stage: string;
	advisorId: string | null;
	/** The first contact: creation of the case. */
	contactAt: Date;
	/** First entry into each stage the case went through (stage key → date). */
	stageEntries: Record<string, Date>;
	installedOn: string | null;
	installedCommuneCode: string | null;
	leftOn: string | null;
	leftReason: string | null;
	abandonedReason: string | null;
	businessCreatedOn: string | null;
	businessClosedOn: string | null;
	lastSignOfLifeAt: Date | null;
	wouldMoveWithoutProgramme: YesNoUnsure | null;
	/** The household agreed to its data being used for research (the research extract keeps only these). */
	researchConsent: boolean;
	candidate: {
		status: PersonStatus | null;
		sector: string | null;
		pcs: string | null;
		birthYear: number | null;
		originCountry: string | null;
		originArea: string | null;
	} | null;
	/** Persons of the household, the candidate included (at least 1). */
	householdSize: number;
	adults: number;
	children: number;
	isDemo: boolean;
};

/**
 * Who reads the observatory. Programme staff (admins, advisors) see everything, including figures
 * per advisor; committee members (mayors) and funders (API token) see the programme's aggregated
 * figures, never a person. Every reader sees only their own programme.
 */
export type ObservatoryViewer = {
	programmeId: string;
	kind: 'staff' | 'committee' | 'funder';
	/** The signed-in user, or null for a funder's token. */
	userId: string | null;
	/** Admins may also download the research extract and edit the impact assumptions. */
	isAdmin: boolean;
};
