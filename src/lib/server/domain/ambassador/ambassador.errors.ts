import { defineError } from '../../errors.ts';

/** Only programme staff suggest, pair and end pairings. */
export const ambassadorForbidden = defineError('ambassador.forbidden', 'forbidden');
/** No ambassador profile with this id in the programme, or the member does not volunteer. */
export const ambassadorNotFound = defineError('ambassador.not_found', 'not_found');
/** No pairing with this id in the programme. */
export const ambassadorPairingNotFound = defineError('ambassador.pairing_not_found', 'not_found');
/** This ambassador already welcomes this household. */
export const ambassadorAlreadyPaired = defineError('ambassador.already_paired', 'conflict');
/** The pairing has already ended. */
export const ambassadorPairingEnded = defineError('ambassador.pairing_ended', 'conflict');
/** An ambassador cannot welcome their own household. */
export const ambassadorOwnCase = defineError('ambassador.own_case', 'conflict');
/** Only a proposed pairing can be confirmed. */
export const ambassadorNotProposed = defineError('ambassador.not_proposed', 'conflict');
