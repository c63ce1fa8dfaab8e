/**
 * Fixed parameters of the audio analyser. Everything runs on a mono signal resampled to
 * ANALYSIS_SAMPLE_RATE, so frame sizes (and the features built from them) do not depend on the
 * sample rate of the file.
 */

/** The analyser downmixes to mono and resamples to this rate while it reads. */
export const ANALYSIS_SAMPLE_RATE = 22_050;

/** Short-time frames for onsets, MFCCs and spectral statistics: 2048-point FFT (93 ms), Hann window. */
export const FRAME_SIZE = 2048;
/** Hop between onset frames: 256 samples = 11.6 ms, 86.1 onset frames per second. */
export const ONSET_HOP = 256;
/** MFCCs and spectral statistics use every second onset frame (hop 512 = 23.2 ms). */
export const TIMBRE_EVERY = 2;
/** Mel bands behind the onset envelope and the MFCCs (HTK mel scale, 0 Hz … Nyquist). */
export const MEL_BANDS = 40;
/** MFCCs kept per frame (DCT-II of the log-mel bands, coefficient 0 included). */
export const MFCC_COUNT = 13;

/** Long frames for chroma: 8192-point FFT (372 ms, 2.7 Hz per bin), hop 2048 (93 ms). */
export const CHROMA_FRAME_SIZE = 8192;
export const CHROMA_HOP = 2048;
/** Spectral peaks between these frequencies vote for pitch classes. */
export const CHROMA_MIN_HZ = 80;
export const CHROMA_MAX_HZ = 2000;

/** Tempo search range (BPM) and the log-normal tempo prior (centre, standard deviation in octaves). */
export const TEMPO_MIN_BPM = 40;
export const TEMPO_MAX_BPM = 240;
export const TEMPO_PRIOR_BPM = 120;
export const TEMPO_PRIOR_OCTAVES = 1;

/**
 * The input a learned audio-embedding model (the optional `audio-embedding.onnx` of a model bundle,
 * see audio/README.md) is fed: log-mel frames in the MusicNN convention
 * (16 kHz, 512-point FFT, hop 256, 96 mel bands, `log10(1 + 10000 · mel)`), grouped into patches of
 * LOG_MEL.patchFrames frames (3 s). A model trained on other parameters states its own in the bundle
 * manifest; these are the defaults the slot assumes.
 */
export const LOG_MEL = {
  sampleRate: 16_000,
  fftSize: 512,
  hop: 256,
  melBands: 96,
  fMin: 0,
  fMax: 8_000,
  /** log10(1 + logScale · melPower) */
  logScale: 10_000,
  patchFrames: 187,
  window: 'hann',
  melScale: 'htk',
} as const;
