/**
 * The editor section's world: the listener preview's (two genres, their fans, a listener with two
 * sides of taste, a trained model), plus an editor key minted through the admin API.
 */
import { apiCall } from '../../scripts/lib/local-worker.ts';
import { type ListenerWorld, seedListenerWorld } from './listener-world.ts';

export { BOTH_SIDES } from './listener-world.ts';

/** A fan of bossa nova only: an editorial slot targeted at synthwave never reaches them. */
export const BOSSA_FAN = 'u-e2e-bos-0';
/** A fan of synthwave who plays from the editorial playlist itself in the test. */
export const SYNTH_FAN = 'u-e2e-syn-3';

export interface EditorWorld extends ListenerWorld {
  editorKey: string;
}

export async function seedEditorWorld(url: string, adminToken: string, persistTo: string, now = Date.now()): Promise<EditorWorld> {
  const world = await seedListenerWorld(url, adminToken, persistTo, now);
  const editor = await apiCall<{ key: string; role: string }>(url, adminToken, '/v1/admin/keys', {
    body: { role: 'editor', name: 'e2e editor key' },
  });
  if (editor.status !== 201) throw new Error(`minting the editor key failed: ${editor.status} ${JSON.stringify(editor.body)}`);
  return { ...world, editorKey: editor.body.key };
}
