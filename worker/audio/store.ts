/**
 * Uploaded audio into the AUDIO bucket, streamed: the body is never held whole. Its first bytes name
 * the format (magic numbers, as the analyser reads them) and every chunk goes through a SHA-256
 * digest on its way to R2. The key names the content (`audio/<track id>/<sha256>.<ext>`), which is
 * only known at the end, and R2 cannot rename: the file lands under a temporary key and is then
 * copied, R2 to R2, under its final one (skipped when the same file is stored already).
 */
import { type AudioFormat, detectFormat, SNIFF_BYTES } from '../../audio/decode/index.ts';

/** File extension of each format in the object key. */
export const AUDIO_EXTENSIONS: Record<AudioFormat, string> = { wav: 'wav', mp3: 'mp3', flac: 'flac', 'ogg-vorbis': 'ogg' };

const CONTENT_TYPES: Record<AudioFormat, string> = { wav: 'audio/wav', mp3: 'audio/mpeg', flac: 'audio/flac', 'ogg-vorbis': 'audio/ogg' };

export interface StoredAudio {
  objectKey: string;
  sha256: string;
  format: AudioFormat;
  bytes: number;
}

const hex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');

/**
 * Streams `body` (exactly `length` bytes) into `bucket`. Throws AudioDecodeError when the first bytes
 * are not a supported format, and the stream's error when the body is shorter or longer than
 * `length`; nothing is kept then.
 *
 * @example const stored = await storeAudio(env.AUDIO, 't-1', c.req.raw.body, Number(c.req.header('content-length')));
 */
export async function storeAudio(
  bucket: R2Bucket,
  trackId: string,
  body: ReadableStream<Uint8Array>,
  length: number,
): Promise<StoredAudio> {
  const digest = new crypto.DigestStream('SHA-256');
  const hash = digest.getWriter();
  let head = new Uint8Array(0);
  let format: AudioFormat | undefined;
  const sniff = (chunk: Uint8Array) => {
    if (head.length >= SNIFF_BYTES) return;
    const joined = new Uint8Array(Math.min(SNIFF_BYTES, head.length + chunk.length));
    joined.set(head);
    joined.set(chunk.subarray(0, joined.length - head.length), head.length);
    head = joined;
  };
  const reader = body.getReader();
  // The format first: a file we will not take is refused before anything is written to R2.
  const early: Uint8Array[] = [];
  let ended = false;
  while (!format) {
    const { done, value } = await reader.read();
    if (done) ended = true;
    else {
      early.push(value);
      sniff(value);
    }
    if (ended || head.length >= SNIFF_BYTES) format = detectFormat(head);
  }
  const incoming = `audio/${trackId}/incoming/${crypto.randomUUID()}`;
  const fixed = new FixedLengthStream(length);
  const put = bucket.put(incoming, fixed.readable);
  const writer = fixed.writable.getWriter();
  try {
    const write = async (chunk: Uint8Array) => {
      await hash.write(chunk);
      await writer.write(chunk);
    };
    for (const chunk of early) await write(chunk);
    while (!ended) {
      const { done, value } = await reader.read();
      if (done) ended = true;
      else await write(value);
    }
    await hash.close();
    await writer.close();
    await put;
  } catch (err) {
    // A plain read loop rather than pipes, so every stream is settled here and none rejects unobserved.
    await Promise.allSettled([writer.abort(err), hash.abort(err), put]);
    await bucket.delete(incoming);
    throw err;
  }
  const sha256 = hex(await digest.digest);
  const stored = { objectKey: `audio/${trackId}/${sha256}.${AUDIO_EXTENSIONS[format]}`, sha256, format, bytes: length };
  try {
    if (!(await bucket.head(stored.objectKey))) {
      const object = await bucket.get(incoming);
      if (!object) throw new Error(`the upload vanished from R2 before it was copied (${incoming})`);
      const copy = new FixedLengthStream(object.size);
      await Promise.all([
        object.body.pipeTo(copy.writable),
        bucket.put(stored.objectKey, copy.readable, { sha256, httpMetadata: { contentType: CONTENT_TYPES[stored.format] } }),
      ]);
    }
  } finally {
    await bucket.delete(incoming);
  }
  return stored;
}
