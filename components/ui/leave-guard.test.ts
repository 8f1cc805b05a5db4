import { describe, expect, it } from 'vitest';
import { leavesPage } from './leave-guard';

const plain = { button: 0, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false };
const link = (href: string, over: Partial<{ target: string; hasDownload: boolean }> = {}) => ({ href, target: '', hasDownload: false, ...over });
const here = 'https://fleet.example/editor?tab=zones';

describe('a click that leaves the page', () => {
  it('another page of the app: yes', () => {
    expect(leavesPage(link('/map'), here, plain)).toBe(true);
    expect(leavesPage(link('https://fleet.example/editor?tab=routes'), here, plain)).toBe(true);
  });

  it('the same page, a new tab, a download, another site, a modified click: no', () => {
    expect(leavesPage(link('/editor?tab=zones#top'), here, plain)).toBe(false);
    expect(leavesPage(link('/map', { target: '_blank' }), here, plain)).toBe(false);
    expect(leavesPage(link('/export.json', { hasDownload: true }), here, plain)).toBe(false);
    expect(leavesPage(link('https://other.example/'), here, plain)).toBe(false);
    expect(leavesPage(link('/map'), here, { ...plain, metaKey: true })).toBe(false);
    expect(leavesPage(link('/map'), here, { ...plain, button: 1 })).toBe(false);
  });
});
