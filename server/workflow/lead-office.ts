import { refuse, type LeadAction } from '../../blocks/errors.js';
import { mayChangeStructure, type Writer } from '../../blocks/section/permissions.js';

/**
 * Running the report — assigning, locking, approving, reshaping, publishing — is the lead
 * office's alone: the one check every route and service makes, refusing with what was tried.
 */
export function requireLead(actor: Writer, action: LeadAction): void {
  if (!mayChangeStructure(actor)) throw refuse('lead-office-only', { action });
}
