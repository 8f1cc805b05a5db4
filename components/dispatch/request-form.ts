import { fieldErrors, type FieldErrors } from '@/components/ui/form-errors';
import { createDispatchRequest } from '@/server/protocol/dispatch';

/** The request form's fields: a refusal naming one shows there. */
export const REQUEST_FIELDS = ['location', 'serviceType', 'emergencyType', 'severity', 'priority', 'scheduledTime', 'windowMin', 'recurrence', 'capabilities', 'capacity', 'notes'];
const REQUEST_LABELS: Record<string, string> = {
  location: 'Location',
  serviceType: 'What is needed',
  emergencyType: 'Emergency',
  severity: 'Severity',
  priority: 'Priority',
  scheduledTime: 'When',
  windowMin: 'Window',
  recurrence: 'Repeat',
  capabilities: 'Vehicle must have',
  capacity: 'Seats / units',
  notes: 'Notes',
};

/** Every problem of a request body under the server's own schema, in the form's words. */
export function requestProblems(body: Record<string, unknown>): FieldErrors {
  const found = fieldErrors(createDispatchRequest(), body, REQUEST_LABELS);
  if (found.location && !body.location) found.location = 'Search an address or pick a point on the map.';
  if (found.scheduledTime && !body.scheduledTime) found.scheduledTime = 'Choose the day and time.';
  if (found.serviceType && !String(body.serviceType ?? '').trim()) found.serviceType = 'Say what is needed (e.g. chilled delivery).';
  return found;
}
