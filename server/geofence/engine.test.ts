import { describe, expect, it } from 'vitest';
import type { Position } from '../protocol/position';
import { GeofenceEngine, type GeofenceDefinition, type GeofenceEvent } from './engine';
import { covers, destination, METERS_PER_DEGREE, type FenceGeometry } from './geometry';
import { localFrame } from './fixtures';

const T = 'tenant-a';
const LAT0 = 52.5;
const LNG0 = 13.4;
const { at, rect } = localFrame([LNG0, LAT0]);

function fence(id: string, geometry: FenceGeometry, extra: Partial<GeofenceDefinition> = {}): GeofenceDefinition {
  return { id, tenantId: T, kind: 'static', geometry, ...extra };
}

let clock = 1_700_000_000_000;
function pos(vehicleId: string, e: number, n: number, ts: number, extra: Partial<Position> = {}): Position {
  const [lng, lat] = at(e, n);
  return { tenantId: T, vehicleId, lng, lat, ts, speed: null, heading: null, accuracy: 5, altitude: null, battery: null, attributes: null, ...extra };
}
const brief = (events: GeofenceEvent[]) => events.map((e) => `${e.type} ${e.geofenceId} ${e.vehicleId} ${e.at - clock}`);

function engineWith(...defs: GeofenceDefinition[]): GeofenceEngine {
  const engine = new GeofenceEngine();
  engine.setFences(defs);
  return engine;
}

/** Feeds positions one by one (live), returning all events. */
const live = (engine: GeofenceEngine, positions: Position[]) => positions.flatMap((p) => engine.evaluate([p]));

// a 100 m × 100 m zone: x 0..100, y 0..100
const ZONE = rect(0, 0, 100, 100);
const s = (sec: number) => clock + sec * 1000;

describe('enter and exit', () => {
  it('enters on the first covered position and exits on the first uncovered one', () => {
    const engine = engineWith(fence('z', ZONE));
    const events = live(engine, [pos('v', -50, 50, s(0)), pos('v', 50, 50, s(1)), pos('v', 60, 50, s(2)), pos('v', 150, 50, s(3))]);
    expect(brief(events)).toEqual(['enter z v 1000', 'exit z v 3000']);
    expect(events[0]!.position.ts).toBe(s(1));
    expect(engine.membership('v', 'z')).toBe('outside');
  });

  it('a first position inside enters at once; the boundary counts as inside', () => {
    const engine = engineWith(fence('z', ZONE));
    const [x0, y0] = at(0, 0);
    const onVertex: Position = { ...pos('v', 0, 0, s(0)), lng: x0, lat: y0 };
    expect(brief(engine.evaluate([onVertex]))).toEqual(['enter z v 0']);
    const [x1] = at(100, 0);
    const onEdge: Position = { ...pos('w', 0, 0, s(0)), lng: x1, lat: LAT0 + 20 / METERS_PER_DEGREE };
    expect(brief(engine.evaluate([onEdge]))).toEqual(['enter z w 0']);
    expect(engine.insideOf('w')).toEqual(['z']);
  });

  it('other tenants’ vehicles never trigger a fence', () => {
    const engine = engineWith(fence('z', ZONE));
    expect(engine.evaluate([pos('v', 50, 50, s(0), { tenantId: 'tenant-b' })])).toEqual([]);
  });
});

describe('hysteresis', () => {
  it('a track jittering ±8 m along the boundary never flaps with h = 10 m', () => {
    const engine = engineWith(fence('z', ZONE, { hysteresisMeters: 10 }));
    let seed = 1;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const track: Position[] = [];
    for (let i = 0; i < 500; i++) track.push(pos('v', (i % 100) + 0.5, 100 + (rnd() * 16 - 8), s(i))); // north edge
    expect(live(engine, track)).toEqual([]);
    // now 12 m inside: enter; jitter around the edge: stays inside; 12 m outside: exit
    expect(brief(engine.evaluate([pos('v', 50, 88, s(600))]))).toEqual(['enter z v 600000']);
    const jitter: Position[] = [];
    for (let i = 0; i < 500; i++) jitter.push(pos('v', 50, 100 + (rnd() * 16 - 8), s(601 + i)));
    expect(live(engine, jitter)).toEqual([]);
    expect(brief(engine.evaluate([pos('v', 50, 112, s(2000))]))).toEqual(['exit z v 2000000']);
  });

  it('enter only at ≥ h inside, exit only at ≥ h outside (exactly at h counts)', () => {
    const engine = engineWith(fence('z', ZONE, { hysteresisMeters: 10 }));
    expect(live(engine, [pos('v', 50, -1, s(0)), pos('v', 50, 0, s(1)), pos('v', 50, 9.9, s(2))])).toEqual([]);
    expect(brief(engine.evaluate([pos('v', 50, 10.001, s(3))]))).toEqual(['enter z v 3000']);
    expect(live(engine, [pos('v', 50, -5, s(4)), pos('v', 50, -9.99, s(5))])).toEqual([]);
    expect(brief(engine.evaluate([pos('v', 50, -10.001, s(6))]))).toEqual(['exit z v 6000']);
  });

  it('a vehicle far away exits even though the index no longer returns the fence', () => {
    const engine = engineWith(fence('z', ZONE, { hysteresisMeters: 25 }));
    expect(brief(live(engine, [pos('v', 50, 50, s(0)), pos('v', 5000, 5000, s(1))]))).toEqual(['enter z v 0', 'exit z v 1000']);
  });

  it('holes count as boundary for hysteresis', () => {
    const [a, b] = [at(0, 0), at(300, 300)];
    const [c, d] = [at(100, 100), at(200, 200)];
    const donut: FenceGeometry = {
      type: 'Polygon',
      coordinates: [
        [[a[0], a[1]], [b[0], a[1]], [b[0], b[1]], [a[0], b[1]], [a[0], a[1]]],
        [[c[0], c[1]], [c[0], d[1]], [d[0], d[1]], [d[0], c[1]], [c[0], c[1]]],
      ],
    };
    const engine = engineWith(fence('d', donut, { hysteresisMeters: 10 }));
    expect(brief(live(engine, [pos('v', 150, 150, s(0)), pos('v', 150, 105, s(1)), pos('v', 150, 95, s(2)), pos('v', 150, 85, s(3))])))
      .toEqual(['enter d v 3000']);
    expect(brief(live(engine, [pos('v', 150, 95, s(4)), pos('v', 150, 111, s(5))]))).toEqual(['exit d v 5000']);
  });
});

describe('dwell', () => {
  it('enter only after d seconds of position time inside, emitted by the position that completes it', () => {
    const engine = engineWith(fence('depot', ZONE, { dwellSeconds: 60 }));
    expect(live(engine, [pos('v', -10, 50, s(0)), pos('v', 50, 50, s(10)), pos('v', 50, 51, s(40)), pos('v', 50, 52, s(69.999))])).toEqual([]);
    expect(engine.membership('v', 'depot')).toBe('pending');
    expect(engine.insideOf('v')).toEqual([]);
    const events = engine.evaluate([pos('v', 50, 53, s(70))]);
    expect(brief(events)).toEqual(['enter depot v 70000']);
    expect(engine.evaluate([pos('v', 50, 53, s(200))])).toEqual([]);
    expect(brief(engine.evaluate([pos('v', 150, 53, s(201))]))).toEqual(['exit depot v 201000']);
  });

  it('leaving before d emits nothing, and the next stay starts its own clock', () => {
    const engine = engineWith(fence('depot', ZONE, { dwellSeconds: 60 }));
    expect(live(engine, [pos('v', 50, 50, s(0)), pos('v', 50, 50, s(59)), pos('v', 150, 50, s(60)), pos('v', 50, 50, s(61)), pos('v', 50, 50, s(120))])).toEqual([]);
    expect(brief(engine.evaluate([pos('v', 50, 50, s(121))]))).toEqual(['enter depot v 121000']);
  });

  it('dwell with hysteresis: the band neither cancels nor confirms early', () => {
    const engine = engineWith(fence('depot', ZONE, { dwellSeconds: 30, hysteresisMeters: 10 }));
    expect(live(engine, [pos('v', 50, 50, s(0)), pos('v', 50, 104, s(20)), pos('v', 50, 95, s(29))])).toEqual([]);
    expect(brief(engine.evaluate([pos('v', 50, 104, s(30))]))).toEqual(['enter depot v 30000']); // in the band: still inside
  });

  it('d = 0 enters at once; no exit without an enter', () => {
    const engine = engineWith(fence('a', ZONE, { dwellSeconds: 0 }), fence('b', rect(200, 0, 300, 100), { dwellSeconds: 300 }));
    expect(brief(live(engine, [pos('v', 50, 50, s(0)), pos('v', 250, 50, s(10)), pos('v', 550, 50, s(20))])))
      .toEqual(['enter a v 0', 'exit a v 10000']);
  });
});

describe('cross', () => {
  const CHECKPOINT = rect(0, 0, 20, 20);

  it('a fast vehicle jumping over a small fence crosses it', () => {
    const engine = engineWith(fence('cp', CHECKPOINT));
    expect(brief(live(engine, [pos('v', -300, 10, s(0)), pos('v', 400, 12, s(10))]))).toEqual(['cross cp v 10000']);
    expect(engine.membership('v', 'cp')).toBe('outside');
  });

  it('no cross when an endpoint is inside, when the segment misses, or without a previous position', () => {
    const engine = engineWith(fence('cp', CHECKPOINT));
    expect(brief(live(engine, [pos('a', -300, 10, s(0)), pos('a', 10, 10, s(1)), pos('a', 300, 10, s(2))]))).toEqual(['enter cp a 1000', 'exit cp a 2000']);
    expect(live(engine, [pos('b', -300, 30, s(0)), pos('b', 300, 30, s(1))])).toEqual([]);
    expect(live(engine, [pos('c', 300, 10, s(0))])).toEqual([]);
  });

  it('crosses a circle, through a multipolygon part, and not through a hole', () => {
    const [lng, lat] = at(0, 0);
    const engine = engineWith(
      fence('circle', { type: 'Circle', center: [lng, lat], radiusMeters: 15 }),
      fence('multi', { type: 'MultiPolygon', coordinates: [(rect(500, 0, 510, 10) as { coordinates: number[][][] }).coordinates, (rect(600, 0, 610, 10) as { coordinates: number[][][] }).coordinates] }),
    );
    expect(brief(live(engine, [pos('v', -100, 5, s(0)), pos('v', 100, 5, s(1))]))).toEqual(['cross circle v 1000']);
    expect(brief(live(engine, [pos('w', 550, 5, s(0)), pos('w', 650, 5, s(1))]))).toEqual(['cross multi w 1000']);
    expect(live(engine, [pos('x', 550, 5, s(0)), pos('x', 590, 5, s(1))])).toEqual([]);
  });

  it('an inaccurate endpoint produces no cross', () => {
    const engine = engineWith(fence('cp', CHECKPOINT));
    expect(live(engine, [pos('v', -300, 10, s(0), { accuracy: 500 }), pos('v', 400, 12, s(10))])).toEqual([]);
    expect(live(engine, [pos('w', -300, 10, s(0)), pos('w', 400, 12, s(10), { accuracy: 500 })])).toEqual([]);
  });
});

describe('accuracy gating', () => {
  it('a fix worse than maxAccuracyMeters (default 100) neither enters, exits nor confirms a dwell', () => {
    const engine = engineWith(fence('z', ZONE), fence('strict', rect(1000, 0, 1100, 100), { maxAccuracyMeters: 10, dwellSeconds: 5 }));
    expect(engine.evaluate([pos('v', 50, 50, s(0), { accuracy: 100.1 })])).toEqual([]);
    expect(brief(engine.evaluate([pos('v', 50, 50, s(1), { accuracy: 100 })]))).toEqual(['enter z v 1000']);
    expect(engine.evaluate([pos('v', 500, 50, s(2), { accuracy: 250 })])).toEqual([]);
    expect(engine.membership('v', 'z')).toBe('inside');
    expect(brief(engine.evaluate([pos('v', 500, 50, s(3), { accuracy: null })]))).toEqual(['exit z v 3000']);
    // the strict fence: 20 m fixes are ignored, including for the dwell
    expect(live(engine, [pos('v', 1050, 50, s(10), { accuracy: 8 }), pos('v', 1050, 50, s(20), { accuracy: 20 })])).toEqual([]);
    expect(engine.membership('v', 'strict')).toBe('pending');
    expect(live(engine, [pos('v', 1500, 50, s(21), { accuracy: 20 })])).toEqual([]); // would cancel, but gated
    expect(brief(engine.evaluate([pos('v', 1050, 50, s(22), { accuracy: 3 })]))).toEqual(['enter strict v 22000']);
  });
});

describe('order, late positions and replay', () => {
  it('a late or duplicate position changes nothing', () => {
    const engine = engineWith(fence('z', ZONE));
    expect(brief(live(engine, [pos('v', 50, 50, s(10)), pos('v', 150, 50, s(20))]))).toEqual(['enter z v 10000', 'exit z v 20000']);
    expect(engine.evaluate([pos('v', 50, 50, s(15))])).toEqual([]);
    expect(engine.evaluate([pos('v', 50, 50, s(20))])).toEqual([]);
    expect(engine.membership('v', 'z')).toBe('outside');
  });

  it('a batch in any order yields the events of the same positions arriving live, once', () => {
    const track = [pos('v', -50, 50, s(0)), pos('v', 50, 50, s(1)), pos('v', 150, 50, s(2)), pos('v', 50, 50, s(3)), pos('w', 50, 50, s(2)), pos('w', -300, 10, s(5)), pos('w', 400, 10, s(6))];
    const a = engineWith(fence('z', ZONE));
    const expected = brief(live(a, track));
    expect(expected).toEqual(['enter z v 1000', 'exit z v 2000', 'enter z v 3000', 'enter z w 2000', 'exit z w 5000', 'cross z w 6000']);
    const b = engineWith(fence('z', ZONE));
    const batch = b.evaluate([...track].reverse());
    // events come in position-time order; per vehicle exactly the live sequence
    expect(batch.map((e) => e.at)).toEqual([...batch.map((e) => e.at)].sort((x, y) => x - y));
    const perVehicle = (l: string[], v: string) => l.filter((e) => e.split(' ')[2] === v);
    for (const v of ['v', 'w']) expect(perVehicle(brief(batch), v)).toEqual(perVehicle(expected, v));
    expect(b.evaluate(track)).toEqual([]); // replayed again: all duplicates
  });

  it('random tracks with hysteresis, dwell and cross: chunked, shuffled and live evaluation agree', () => {
    let seed = 42;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const defs = [
      fence('a', ZONE, { hysteresisMeters: 5, dwellSeconds: 3 }),
      fence('b', rect(80, 80, 160, 140), { hysteresisMeters: 0 }),
      fence('c', rect(30, -40, 35, 200), { dwellSeconds: 10 }),
      fence('d', { type: 'Circle', center: at(120, 20), radiusMeters: 25 }, { hysteresisMeters: 3 }),
    ];
    const positions: Position[] = [];
    for (const v of ['v1', 'v2', 'v3', 'v4']) {
      let e = rnd() * 200 - 50;
      let n = rnd() * 200 - 50;
      for (let i = 0; i < 400; i++) {
        e += (rnd() - 0.5) * (i % 50 === 0 ? 200 : 15);
        n += (rnd() - 0.5) * 15;
        positions.push(pos(v, e, n, s(i + rnd() * 0.5), { accuracy: rnd() < 0.05 ? 300 : 5 }));
      }
    }
    const liveEvents = brief(live(engineWith(...defs), [...positions].sort((x, y) => x.ts - y.ts)));
    expect(liveEvents.length).toBeGreaterThan(20);
    const shuffled = [...positions].sort(() => rnd() - 0.5);
    expect(brief(engineWith(...defs).evaluate(shuffled))).toEqual(liveEvents);
    // per-vehicle chunks (offline devices uploading later), each chunk in time order
    const chunked = engineWith(...defs);
    const events: GeofenceEvent[] = [];
    const byVehicle = new Map<string, Position[]>();
    for (const p of positions) byVehicle.set(p.vehicleId, [...(byVehicle.get(p.vehicleId) ?? []), p]);
    for (const list of byVehicle.values()) for (let i = 0; i < list.length; i += 37) events.push(...chunked.evaluate(list.slice(i, i + 37)));
    const key = (x: string) => x.split(' ').slice(1, 3).join(' ');
    const sortStable = (l: string[]) => [...l].sort((x, y) => key(x).localeCompare(key(y)));
    expect(sortStable(brief(events))).toEqual(sortStable(liveEvents));
    expect(chunked.evaluate(positions)).toEqual([]);
  });

  it('with h = 0 and d = 0, membership always equals the covered test', () => {
    let seed = 9;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const defs = [fence('z', ZONE), fence('u', { type: 'Polygon', coordinates: [[at(0, 0), at(100, 0), at(100, 100), at(70, 100), at(70, 30), at(30, 30), at(30, 100), at(0, 100), at(0, 0)]] })];
    const engine = engineWith(...defs);
    const shapes = defs.map((d) => engine.fence(d.id)!.shape);
    for (let i = 0; i < 3000; i++) {
      const p = pos('v', rnd() * 140 - 20, rnd() * 140 - 20, s(i));
      engine.evaluate([p]);
      defs.forEach((d, k) => expect(engine.membership('v', d.id)).toBe(covers(shapes[k]!, p.lng, p.lat) ? 'inside' : 'outside'));
    }
  });
});

describe('fence changes mid-stream', () => {
  it('moved, added and removed fences apply from the next position', () => {
    const engine = engineWith(fence('z', ZONE));
    expect(brief(engine.evaluate([pos('v', 50, 50, s(0))]))).toEqual(['enter z v 0']);
    engine.upsert(fence('z', rect(1000, 1000, 1100, 1100))); // moved away
    expect(brief(engine.evaluate([pos('v', 51, 50, s(1))]))).toEqual(['exit z v 1000']);
    engine.upsert(fence('y', rect(40, 40, 60, 60)));
    expect(brief(engine.evaluate([pos('v', 52, 50, s(2))]))).toEqual(['enter y v 2000']);
    expect(engine.remove('y')).toBe(true);
    expect(engine.remove('y')).toBe(false);
    expect(engine.evaluate([pos('v', 500, 50, s(3))])).toEqual([]); // no exit from a deleted fence
    expect(engine.insideOf('v')).toEqual([]);
    engine.upsert(fence('y', rect(40, 40, 60, 60)));
    expect(brief(engine.evaluate([pos('v', 52, 50, s(4))]))).toEqual(['enter y v 4000']); // a new fence, a new enter
  });

  it('a vehicle parked deep inside notices its fence shrinking under it', () => {
    const engine = engineWith(fence('big', rect(-5000, -5000, 5000, 5000)));
    expect(brief(live(engine, [pos('v', 0, 0, s(0)), pos('v', 1, 0, s(1)), pos('v', 2, 0, s(2))]))).toEqual(['enter big v 0']);
    engine.upsert(fence('big', rect(100, 100, 5000, 5000)));
    expect(brief(engine.evaluate([pos('v', 2, 1, s(3))]))).toEqual(['exit big v 3000']);
    engine.setFences([fence('big', rect(-5000, -5000, 5000, 5000))]);
    expect(brief(live(engine, [pos('v', 2, 2, s(4)), pos('v', 3, 2, s(5)), pos('v', 4900, 0, s(6)), pos('v', 5001, 0, s(7))])))
      .toEqual(['enter big v 4000', 'exit big v 7000']);
  });

  it('changing hysteresis or dwell keeps memberships; invalid definitions change nothing', () => {
    const engine = engineWith(fence('z', ZONE, { dwellSeconds: 100 }));
    engine.evaluate([pos('v', 50, 50, s(0))]);
    engine.upsert(fence('z', ZONE, { dwellSeconds: 5 }));
    expect(brief(engine.evaluate([pos('v', 50, 50, s(6))]))).toEqual(['enter z v 6000']);
    expect(() => engine.upsert(fence('z', { type: 'Polygon', coordinates: [[[0, 0], [1, 1], [0, 0]]] }))).toThrow(/geofence z: .*at least 4/);
    expect(() => engine.setFences([fence('a', ZONE), fence('a', ZONE)])).toThrow(/duplicate/);
    expect(() => engine.upsert(fence('z', ZONE, { hysteresisMeters: -1 }))).toThrow(/hysteresisMeters/);
    expect(engine.fenceCount).toBe(1);
    expect(engine.fence('z')!.dwellMs).toBe(5000);
  });
});

describe('membership survives a restart', () => {
  it('snapshot → JSON → restore continues without duplicate enters, keeping dwell and order', () => {
    const defs = [fence('z', ZONE), fence('depot', rect(200, 0, 300, 100), { dwellSeconds: 60 }), fence('cp', rect(500, 0, 510, 10))];
    const track = [
      pos('v', 50, 50, s(0)), pos('w', 250, 50, s(0)), pos('x', 400, 5, s(0)),
      pos('v', 60, 50, s(10)), pos('w', 250, 50, s(30)), pos('x', 600, 5, s(30)),
      pos('v', 150, 50, s(40)), pos('w', 250, 50, s(60)), pos('w', 400, 50, s(70)),
    ];
    const single = brief(live(engineWith(...defs), track));
    expect(single).toEqual(['enter z v 0', 'cross cp x 30000', 'exit z v 40000', 'enter depot w 60000', 'exit depot w 70000']);

    const first = engineWith(...defs);
    const before = live(first, track.slice(0, 4));
    const saved = JSON.parse(JSON.stringify(first.snapshotMembership()));
    const second = engineWith(...defs);
    second.restoreMembership(saved);
    expect(second.evaluate([pos('v', 50, 50, s(5))])).toEqual([]); // late after the restart too
    const after = live(second, track.slice(4));
    expect(brief([...before, ...after])).toEqual(single);
    expect(() => second.restoreMembership({ version: 2 } as never)).toThrow(/unsupported/);
  });
});

describe('circles', () => {
  it('enter and exit by great-circle distance', () => {
    const [lng, lat] = at(0, 0);
    const engine = engineWith(fence('c', { type: 'Circle', center: [lng, lat], radiusMeters: 100 }, { hysteresisMeters: 5 }));
    const p = (m: number, t: number): Position => {
      const [x, y] = destination(lng, lat, m, 77);
      return { ...pos('v', 0, 0, s(t)), lng: x, lat: y };
    };
    expect(live(engine, [p(150, 0), p(100, 1), p(96, 2)])).toEqual([]);
    expect(brief(engine.evaluate([p(94.9, 3)]))).toEqual(['enter c v 3000']);
    expect(live(engine, [p(104, 4)])).toEqual([]);
    expect(brief(engine.evaluate([p(105.1, 5)]))).toEqual(['exit c v 5000']);
  });
});
