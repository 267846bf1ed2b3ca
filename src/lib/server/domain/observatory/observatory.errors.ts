import { defineError } from '../../errors.ts';

/** The observatory is read by programme staff, committee members (mayors) and funders with a token. */
export const observatoryForbidden = defineError('observatory.forbidden', 'forbidden');
/** A section name the API or the CLI does not know. */
export const observatoryUnknownSection = defineError('observatory.unknown_section', 'not_found');
/**
 * The filters select fewer households than the programme's minimum cell size: a reader other
 * than staff gets no figure (every statistic would describe one of them). Details: minCellSize.
 */
export const observatoryTooFewHouseholds = defineError('observatory.too_few_households', 'invalid');
