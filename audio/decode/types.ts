/** The one interface every decoder implements, and the errors they raise. */

export type AudioFormat = 'wav' | 'mp3' | 'flac' | 'ogg-vorbis';

/** One block of decoded PCM: one Float32Array per channel (same length), samples in −1 … 1. */
export interface PcmBlock {
  channels: Float32Array[];
  sampleRate: number;
}

/**
 * A decoder fed the file's bytes in order, a chunk at a time; it returns the PCM those bytes
 * completed (possibly none) and keeps only what it needs to continue.
 */
export interface StreamDecoder {
  readonly format: AudioFormat;
  decode(bytes: Uint8Array): Promise<PcmBlock[]>;
  /** End of input: returns the PCM still buffered. */
  flush(): Promise<PcmBlock[]>;
  /** Releases the decoder's (WebAssembly) memory. */
  free(): void;
}

/** A file we cannot read: unknown or unsupported format, corrupt data, too large. `code` is stable. */
export class AudioDecodeError extends Error {
  readonly code: 'unsupported_format' | 'corrupt' | 'too_large' | 'empty';
  constructor(code: AudioDecodeError['code'], message: string) {
    super(message);
    this.name = 'AudioDecodeError';
    this.code = code;
  }
}
