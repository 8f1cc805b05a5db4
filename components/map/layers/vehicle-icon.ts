/**
 * The vehicle marker, drawn once on a canvas: a disc with a nose pointing up (north at angle 0)
 * and a lighter arrow in it. Used as a mask, so deck.gl tints it with each vehicle's color.
 */
export const VEHICLE_ICON = 'vehicle';
const SIZE = 64;

let atlas: HTMLCanvasElement | null = null;

export function vehicleIconAtlas(): HTMLCanvasElement {
  if (atlas) return atlas;
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = SIZE;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.beginPath();
  ctx.arc(32, 37, 17, 0, Math.PI * 2);
  ctx.fill();
  ctx.beginPath(); // nose
  ctx.moveTo(32, 5);
  ctx.lineTo(44, 25);
  ctx.lineTo(20, 25);
  ctx.closePath();
  ctx.fill();
  // The arrow is cut half-way out: lighter than the disc, yet opaque enough to be picked, so a
  // click on the middle of a marker selects it.
  ctx.globalCompositeOperation = 'destination-out';
  ctx.globalAlpha = 0.6;
  ctx.beginPath(); // small arrow cut-out
  ctx.moveTo(32, 27);
  ctx.lineTo(38.5, 44);
  ctx.lineTo(32, 40);
  ctx.lineTo(25.5, 44);
  ctx.closePath();
  ctx.fill();
  atlas = canvas;
  return canvas;
}

export const VEHICLE_ICON_MAPPING = {
  [VEHICLE_ICON]: { x: 0, y: 0, width: SIZE, height: SIZE, anchorX: 32, anchorY: 37, mask: true },
};
