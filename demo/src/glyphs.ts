/**
 * A 5x7 bitmap font (A–Z, 0–9, space) so labels render the same on every
 * machine: system fonts differ between hosts and would break deterministic output.
 */
const GLYPH_WIDTH = 5;
const GLYPH_HEIGHT = 7;
/** Blank columns between two glyphs. */
const GLYPH_GAP = 1;

// Seven rows per glyph, top to bottom; '#' is ink.
const FONT: Record<string, string> = {
  ' ': '..... ..... ..... ..... ..... ..... .....',
  A: '.###. #...# #...# ##### #...# #...# #...#',
  B: '####. #...# #...# ####. #...# #...# ####.',
  C: '.###. #...# #.... #.... #.... #...# .###.',
  D: '####. #...# #...# #...# #...# #...# ####.',
  E: '##### #.... #.... ####. #.... #.... #####',
  F: '##### #.... #.... ####. #.... #.... #....',
  G: '.###. #...# #.... #.### #...# #...# .####',
  H: '#...# #...# #...# ##### #...# #...# #...#',
  I: '.###. ..#.. ..#.. ..#.. ..#.. ..#.. .###.',
  J: '..### ...#. ...#. ...#. ...#. #..#. .##..',
  K: '#...# #..#. #.#.. ##... #.#.. #..#. #...#',
  L: '#.... #.... #.... #.... #.... #.... #####',
  M: '#...# ##.## #.#.# #.#.# #...# #...# #...#',
  N: '#...# #...# ##..# #.#.# #..## #...# #...#',
  O: '.###. #...# #...# #...# #...# #...# .###.',
  P: '####. #...# #...# ####. #.... #.... #....',
  Q: '.###. #...# #...# #...# #.#.# #..#. .##.#',
  R: '####. #...# #...# ####. #.#.. #..#. #...#',
  S: '.#### #.... #.... .###. ....# ....# ####.',
  T: '##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..',
  U: '#...# #...# #...# #...# #...# #...# .###.',
  V: '#...# #...# #...# #...# #...# .#.#. ..#..',
  W: '#...# #...# #...# #.#.# #.#.# #.#.# .#.#.',
  X: '#...# #...# .#.#. ..#.. .#.#. #...# #...#',
  Y: '#...# #...# .#.#. ..#.. ..#.. ..#.. ..#..',
  Z: '##### ....# ...#. ..#.. .#... #.... #####',
  '0': '.###. #...# #..## #.#.# ##..# #...# .###.',
  '1': '..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.',
  '2': '.###. #...# ....# ...#. ..#.. .#... #####',
  '3': '##### ...#. ..#.. ...#. ....# #...# .###.',
  '4': '...#. ..##. .#.#. #..#. ##### ...#. ...#.',
  '5': '##### #.... ####. ....# ....# #...# .###.',
  '6': '..##. .#... #.... ####. #...# #...# .###.',
  '7': '##### ....# ...#. ..#.. .#... .#... .#...',
  '8': '.###. #...# #...# .###. #...# #...# .###.',
  '9': '.###. #...# #...# .#### ....# ...#. .##..',
};

/** A one-bit image of a line of text: `bits[row * columns + column]` is 1 where there is ink. */
export interface TextBitmap {
  columns: number;
  rows: number;
  bits: Uint8Array;
}

/** Lays out `text` (case-insensitive) in the bitmap font; throws on characters the font lacks. */
export function textBitmap(text: string): TextBitmap {
  const chars = [...text.toUpperCase()];
  const columns = Math.max(0, chars.length * (GLYPH_WIDTH + GLYPH_GAP) - GLYPH_GAP);
  const bits = new Uint8Array(columns * GLYPH_HEIGHT);
  chars.forEach((char, index) => {
    const glyph = FONT[char];
    if (glyph === undefined) throw new Error(`the demo font has no glyph for ${JSON.stringify(char)}`);
    const rows = glyph.split(' ');
    const left = index * (GLYPH_WIDTH + GLYPH_GAP);
    rows.forEach((row, rowIndex) => {
      for (let column = 0; column < GLYPH_WIDTH; column += 1) {
        if (row[column] === '#') bits[rowIndex * columns + left + column] = 1;
      }
    });
  });
  return { columns, rows: GLYPH_HEIGHT, bits };
}

/**
 * Paints `text` into an RGB buffer with its top-left corner at (left, top),
 * each font pixel a `scale` x `scale` square; ink outside the image is clipped.
 */
export function stampText(
  image: { data: Uint8Array; width: number; height: number },
  text: string,
  left: number,
  top: number,
  scale: number,
  color: readonly [number, number, number],
): void {
  const bitmap = textBitmap(text);
  for (let y = 0; y < bitmap.rows * scale; y += 1) {
    const imageY = top + y;
    if (imageY < 0 || imageY >= image.height) continue;
    for (let x = 0; x < bitmap.columns * scale; x += 1) {
      const imageX = left + x;
      if (imageX < 0 || imageX >= image.width) continue;
      if (!bitmap.bits[Math.floor(y / scale) * bitmap.columns + Math.floor(x / scale)]) continue;
      const offset = (imageY * image.width + imageX) * 3;
      image.data[offset] = color[0];
      image.data[offset + 1] = color[1];
      image.data[offset + 2] = color[2];
    }
  }
}
