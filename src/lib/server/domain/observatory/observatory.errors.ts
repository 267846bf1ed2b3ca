import { defineError } from '../../errors.ts';

/** The observatory is read by programme staff, committee members (mayors) and funders with a token. */
export const observatoryForbidden = defineError('observatory.forbidden', 'forbidden');
/** A section name the API or the CLI does not know. */
export const observatoryUnknownSection = defineError('observatory.unknown_section', 'not_found');
