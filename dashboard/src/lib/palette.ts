/**
 * Okabe–Ito: eight colours that stay distinguishable with the common colour-vision deficiencies.
 * Series take them in this order; black is kept for text and outlines.
 */
export const OKABE_ITO = {
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  bluishGreen: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  reddishPurple: '#CC79A7',
  black: '#000000',
} as const;

/** Series colours in order of use (yellow last: weakest contrast on white). */
export const SERIES_COLOURS: readonly string[] = [
  OKABE_ITO.blue,
  OKABE_ITO.orange,
  OKABE_ITO.bluishGreen,
  OKABE_ITO.vermillion,
  OKABE_ITO.skyBlue,
  OKABE_ITO.reddishPurple,
  OKABE_ITO.black,
  OKABE_ITO.yellow,
];

/** @example seriesColour(0) // '#0072B2' */
export function seriesColour(i: number): string {
  return SERIES_COLOURS[((i % SERIES_COLOURS.length) + SERIES_COLOURS.length) % SERIES_COLOURS.length]!;
}

/**
 * A sequential blue ramp for heatmaps (intensity 0..1 → white to Okabe–Ito blue), readable in greyscale.
 * @example heatColour(0) // 'rgb(255, 255, 255)'
 */
export function heatColour(intensity: number): string {
  const t = Math.min(1, Math.max(0, intensity));
  const mix = (a: number, b: number) => Math.round(a + (b - a) * t);
  return `rgb(${mix(255, 0)}, ${mix(255, 0x72)}, ${mix(255, 0xb2)})`;
}

/** Text colour that stays readable on a heat cell. */
export function heatTextColour(intensity: number): string {
  return intensity > 0.55 ? '#ffffff' : '#1a1a1a';
}
