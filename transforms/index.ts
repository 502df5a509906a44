/** The built-in transforms, in the order the engine applies them. */
import type { Transform } from '../src/transform.js';
import { foldCleanup } from './fold-cleanup.js';

export const builtinTransforms: readonly Transform[] = [foldCleanup];
