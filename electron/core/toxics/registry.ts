/** Which stage each toxic type is (docs/forwarding.md describes what each one does). */
import type { Toxic, ToxicAttributes, ToxicType } from '../../shared/protocol/toxics.js';
import { BandwidthStage } from './bandwidth.js';
import { LatencyStage } from './latency.js';
import { LimitDataStage } from './limit-data.js';
import { ResetPeerStage } from './reset-peer.js';
import { SlicerStage } from './slicer.js';
import { SlowCloseStage } from './slow-close.js';
import type { StageOutput, ToxicStage } from './stage.js';
import { TimeoutStage } from './timeout.js';

type StageMakers = {
  [T in ToxicType]: (out: StageOutput, attributes: ToxicAttributes[T]) => ToxicStage<ToxicAttributes[T]>;
};

const MAKERS: StageMakers = {
  latency: (out, a) => new LatencyStage(out, a),
  bandwidth: (out, a) => new BandwidthStage(out, a),
  slow_close: (out, a) => new SlowCloseStage(out, a),
  timeout: (out, a) => new TimeoutStage(out, a),
  reset_peer: (out, a) => new ResetPeerStage(out, a),
  slicer: (out, a) => new SlicerStage(out, a),
  limit_data: (out, a) => new LimitDataStage(out, a),
};

/** A stage for one toxic on one connection's direction. */
export function makeStage(toxic: Toxic, out: StageOutput): ToxicStage {
  const make = MAKERS[toxic.type] as (out: StageOutput, attributes: unknown) => ToxicStage;
  return make(out, toxic.attributes);
}
