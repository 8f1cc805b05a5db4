'use client';

import { TextLayer, type TextLayerProps } from '@deck.gl/layers';
import { useEffect } from 'react';
import { useMapHandle } from '../map-context';
import type { VehicleStore } from '../vehicle-store';

/** Names appear from this zoom on (a few streets in view). */
export const LABEL_MIN_ZOOM = 14;
const MAX_LABELS = 250;
const REPICK_MS = 500;

/**
 * Text settings of the labels. `characterSet: 'auto'`: the font atlas holds every character the
 * names use (deck.gl's default is ASCII only, which drew "Zoë 🚐" as "Zo"); it grows with new
 * characters and is otherwise reused.
 */
export const LABEL_TEXT_STYLE: Partial<TextLayerProps<Label>> = {
  characterSet: 'auto',
  fontFamily: 'ui-sans-serif, system-ui, sans-serif, "Noto Color Emoji", "Apple Color Emoji", "Segoe UI Emoji"',
  fontWeight: 600,
  background: true,
  getBackgroundColor: [255, 255, 255, 220],
  backgroundPadding: [4, 1],
};

interface Label {
  id: string;
  name: string;
}

/**
 * Vehicle names under their markers at close zoom: the drawn vehicles in view (at most
 * MAX_LABELS) are picked twice a second; their positions follow the glide, and the layer is
 * rebuilt only in frames where the labels or a drawn position changed.
 */
export function LabelsLayer({ store, visible }: { store: VehicleStore; visible: boolean }) {
  const { map, layers } = useMapHandle();

  useEffect(() => {
    if (!visible) return;
    let raf = 0;
    let labels: Label[] = [];
    let pickedAt = 0;
    let frame = 0;
    let seenDrawn = -1, seenMembership = -1;
    const tick = () => {
      raf = requestAnimationFrame(tick);
      const now = performance.now();
      if (map.getZoom() < LABEL_MIN_ZOOM) {
        if (labels.length) layers.set('labels', null);
        labels = [];
        seenDrawn = -1;
        return;
      }
      let repicked = false;
      if (now - pickedAt > REPICK_MS) {
        repicked = true;
        pickedAt = now;
        const bounds = map.getBounds();
        const picked: Label[] = [];
        for (let slot = 0; slot < store.count && picked.length < MAX_LABELS; slot++) {
          if (!store.sizes[slot]) continue;
          const [lng, lat] = store.drawnAt(slot);
          if (bounds.contains([lng, lat])) picked.push({ id: store.infos[slot]!.id, name: store.infos[slot]!.name });
        }
        labels = picked;
      }
      if (!repicked && store.drawnVersion === seenDrawn && store.membershipVersion === seenMembership) return;
      seenDrawn = store.drawnVersion;
      seenMembership = store.membershipVersion;
      frame += 1;
      layers.set(
        'labels',
        new TextLayer<Label>({
          id: 'labels',
          data: labels,
          getText: (l) => l.name,
          getPosition: (l) => {
            const slot = store.slotOf(l.id);
            return slot === undefined ? [0, -90] : store.drawnAt(slot);
          },
          updateTriggers: { getPosition: frame },
          getSize: 12,
          getColor: [15, 23, 42, 255],
          getPixelOffset: [0, 22],
          ...LABEL_TEXT_STYLE,
        }),
      );
    };
    raf = requestAnimationFrame(tick);
    return () => {
      cancelAnimationFrame(raf);
      layers.set('labels', null);
    };
  }, [store, visible, map, layers]);

  return null;
}
