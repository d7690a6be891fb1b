// Draws the kiosk's icon at every size the installers want (build/icons/<n>x<n>.png): a green
// rounded square with a white check mark. Drawn here, pixel by pixel, so that nothing is
// downloaded and no binary sits in git; `npm run dist` runs it before electron-builder.
//   node build/scripts/make-icons.mjs [output folder]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512];

const BACKGROUND = [11, 110, 79];
const MARK = [255, 255, 255];

function clamp01(x) {
  return Math.min(1, Math.max(0, x));
}

/** Distance from p to the segment a-b. */
function segmentDistance(px, py, ax, ay, bx, by) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = clamp01(((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** Coverage (0..1) of the unit-square icon at (x, y) in [0,1]², for a pixel of size `pixel`. */
function shade(x, y, pixel) {
  // Rounded square: signed distance to a box with corner radius r.
  const r = 0.2;
  const qx = Math.abs(x - 0.5) - (0.5 - r);
  const qy = Math.abs(y - 0.5) - (0.5 - r);
  const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
  const square = clamp01(0.5 - outside / pixel);
  // Check mark: two thick strokes.
  const stroke = 0.075;
  const d = Math.min(segmentDistance(x, y, 0.26, 0.53, 0.43, 0.7), segmentDistance(x, y, 0.43, 0.7, 0.76, 0.32));
  const mark = clamp01(0.5 - (d - stroke) / pixel);
  return { square, mark };
}

export function drawIcon(size) {
  const png = new PNG({ width: size, height: size });
  const pixel = 1 / size;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const { square, mark } = shade((px + 0.5) / size, (py + 0.5) / size, pixel);
      const i = (py * size + px) * 4;
      for (let c = 0; c < 3; c++) png.data[i + c] = Math.round(BACKGROUND[c] * (1 - mark) + MARK[c] * mark);
      png.data[i + 3] = Math.round(255 * square);
    }
  }
  return PNG.sync.write(png, { colorType: 6 });
}

export function writeIcons(folder) {
  mkdirSync(folder, { recursive: true });
  return ICON_SIZES.map((size) => {
    const file = join(folder, `${size}x${size}.png`);
    writeFileSync(file, drawIcon(size));
    return file;
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const folder = resolve(process.argv[2] ?? join(root, 'build', 'icons'));
  writeIcons(folder);
  process.stdout.write(`icons: ${ICON_SIZES.join(', ')} px in ${folder}\n`);
}
