import { describe, expect, it } from 'vitest';
import { parseCsv, validateVehicleCsv, type ImportContext } from './csv-import';

const context: ImportContext = {
  drivers: new Map([
    ['dana@example.com', '00000000-0000-4000-8000-000000000001'],
    ['eli@example.com', '00000000-0000-4000-8000-000000000002'],
  ]),
  assignedDrivers: new Map([['00000000-0000-4000-8000-000000000002', 'Van 1']]),
  deviceIds: new Set(['van-1']),
};

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, CRLF and a BOM', () => {
    expect(parseCsv('\uFEFFname,plate\r\n"Van, ""big""",B 1\r\n"two\nlines",\r\n')).toEqual([
      ['name', 'plate'],
      ['Van, "big"', 'B 1'],
      ['two\nlines', ''],
    ]);
  });

  it('takes ; as the separator when the header uses it (spreadsheets in many locales)', () => {
    expect(parseCsv('name;deviceId\nVan 2;van-2')).toEqual([
      ['name', 'deviceId'],
      ['Van 2', 'van-2'],
    ]);
  });
});

describe('validateVehicleCsv', () => {
  it('turns good rows into vehicles: attributes, group, driver by email, reception', () => {
    const result = validateVehicleCsv(
      'name,device_id,type,group,driverEmail,speedLimitKmh,capabilities,receptionEnabled\nVan 12,van-12,Truck,North depot,DANA@example.com,90,refrigerated|tail lift,no\nCar 1,car-1,,,,,,',
      context,
    );
    expect(result).toEqual({
      ok: true,
      vehicles: [
        {
          name: 'Van 12',
          deviceId: 'van-12',
          plate: null,
          type: 'truck',
          groupName: 'North depot',
          driverId: '00000000-0000-4000-8000-000000000001',
          receptionEnabled: false,
          attributes: { speedLimitKmh: 90, capabilities: ['refrigerated', 'tail lift'] },
        },
        { name: 'Car 1', deviceId: 'car-1', plate: null, type: 'van', groupName: null, driverId: null, receptionEnabled: true, attributes: {} },
      ],
    });
  });

  it('names every bad row and column at once (header = row 1), in plain words', () => {
    const csv = [
      'name,deviceId,type,driverEmail,speedLimitKmh',
      'Van 2,van-2,van,,', // row 2: fine
      ',van-3,van,,', // row 3: no name
      'Van 4,van 4!,spaceship,,', // row 4: bad device id and type
      'Van 5,van-1,van,,', // row 5: device id exists
      'Van 6,van-2,van,nobody@example.com,fast', // row 6: duplicate of row 2, unknown driver, bad speed
      'Van 7,van-7,van,eli@example.com,', // row 7: driver already drives Van 1
    ].join('\n');
    const result = validateVehicleCsv(csv, context);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => [e.row, e.column])).toEqual([
      [3, 'name'],
      [4, 'type'],
      [4, 'deviceId'],
      [5, 'deviceId'],
      [6, 'speedLimitKmh'],
      [6, 'driverEmail'],
      [6, 'deviceId'],
      [7, 'driverEmail'],
    ]);
    expect(result.errors[0]!.message).toBe('Enter a name.');
    expect(result.errors.find((e) => e.row === 6 && e.column === 'deviceId')!.message).toContain('row 2');
    expect(result.errors.find((e) => e.row === 7)!.message).toContain('already drives Van 1');
  });

  it('refuses a file without the required columns, with unknown columns, or without rows', () => {
    const missing = validateVehicleCsv('name,colour\nVan,red', context);
    expect(missing.ok || missing.errors.map((e) => [e.row, e.column])).toEqual([
      [1, 'colour'],
      [1, 'deviceId'],
    ]);
    const empty = validateVehicleCsv('name,deviceId\n', context);
    expect(empty.ok || empty.errors[0]).toMatchObject({ row: 2, column: 'name' });
    expect(validateVehicleCsv('', context).ok).toBe(false);
  });
});
