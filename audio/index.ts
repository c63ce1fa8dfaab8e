/** The audio analyser: pure TypeScript core (analyser, features) and the decoders that feed it. */
export { type AnalyserStats, AudioAnalyser, type AudioAnalysis } from './analyser.ts';
export { toCatalogueFeatures } from './catalogue.ts';
export * from './constants.ts';
export type { AudioFeatureEstimates } from './heuristics.ts';
