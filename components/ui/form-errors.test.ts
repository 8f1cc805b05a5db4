import { describe, expect, it } from 'vitest';
import { RequestError } from '@/components/ui/api-fetch';
import { createVehicleRequest } from '@/server/protocol/vehicles';
import { fieldErrors, serverFieldError } from './form-errors';

const LABELS = { name: 'Name', deviceId: 'Device identifier', type: 'Type' };

describe('fieldErrors', () => {
  it('reports every field at once, in plain words', () => {
    expect(fieldErrors(createVehicleRequest, { name: '', deviceId: '', type: 'van' }, LABELS)).toEqual({
      name: 'Enter a name.',
      deviceId: 'Enter a device identifier.',
    });
  });

  it('says "enter" only for a missing value, and the reason for a wrong one', () => {
    // zod reports both a missing value and a wrong number as invalid_type: only the first is "Enter …"
    expect(fieldErrors(createVehicleRequest, { name: 42, deviceId: 'van-1' }, LABELS)).toEqual({ name: expect.stringMatching(/^Name: /) });
    expect(fieldErrors(createVehicleRequest, { deviceId: 'van-1' }, LABELS)).toEqual({ name: 'Enter a name.' });
  });

  it('is empty for good input', () => {
    expect(fieldErrors(createVehicleRequest, { name: 'Van 1', deviceId: 'van-1' }, LABELS)).toEqual({});
  });
});

describe('serverFieldError', () => {
  it("puts the server's refusal at its field without the field prefix", () => {
    const error = new RequestError(409, 'CONFLICT', 'another vehicle of this tenant already uses this deviceId', 'deviceId');
    expect(serverFieldError(error, ['name', 'deviceId'])).toEqual({ field: 'deviceId', message: 'Another vehicle of this tenant already uses this deviceId' });
    const prefixed = new RequestError(400, 'VALIDATION_ERROR', 'driverId: no driver x in this tenant', 'driverId');
    expect(serverFieldError(prefixed, ['driverId'])).toEqual({ field: 'driverId', message: 'No driver x in this tenant' });
  });

  it('keeps a refusal about no field of the form for the summary', () => {
    expect(serverFieldError(new RequestError(403, 'FORBIDDEN', 'role manager may not create vehicles'), ['name'])).toEqual({ field: null, message: 'Role manager may not create vehicles' });
    expect(serverFieldError(null, ['name'])).toBeNull();
  });
});
