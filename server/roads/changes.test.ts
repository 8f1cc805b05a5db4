import { describe, expect, it } from 'vitest';
import { notifyRoadNetworkChanged, onRoadNetworkChanged } from './changes';

describe('onRoadNetworkChanged', () => {
  it('tells every listener until it is removed, and a failing listener does not silence the others', async () => {
    const heard: string[] = [];
    const errors: unknown[] = [];
    const stopA = onRoadNetworkChanged((t) => void heard.push(`a:${t}`));
    const stopBad = onRoadNetworkChanged(() => {
      throw new Error('boom');
    });
    const stopB = onRoadNetworkChanged(async (t) => {
      await new Promise((r) => setTimeout(r, 1));
      heard.push(`b:${t}`);
    });
    await notifyRoadNetworkChanged('t1', (e) => errors.push(e));
    expect(heard.sort()).toEqual(['a:t1', 'b:t1']);
    expect(errors).toHaveLength(1);
    stopA();
    stopBad();
    await notifyRoadNetworkChanged('t2');
    expect(heard.sort()).toEqual(['a:t1', 'b:t1', 'b:t2']);
    stopB();
  });
});
