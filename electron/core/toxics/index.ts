/**
 * The toxics: one file each, all the same {@link ToxicStage} shape, and the
 * pipe that chains them on one direction of a connection.
 */
export type { Handover, StageOutput, ToxicStage } from './stage.js';
export { makeStage } from './registry.js';
export { ToxicPipe, type PipeSink } from './pipe.js';
