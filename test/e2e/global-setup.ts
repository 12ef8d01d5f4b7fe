/**
 * Builds the window once for every end-to-end file, so that each can start
 * browser mode without building again.
 */
import { buildRenderer } from '../../scripts/build-renderer.js';
import { chromiumMissing } from '../helpers/browser.js';

export default async function setup(): Promise<void> {
  if (chromiumMissing() && process.env.CI !== 'true') return;
  await buildRenderer();
}
