/** The framings: one decoder per file, one interface, one factory (see docs/framing.md). */
export {
  createFramer,
  delimiterBytes,
  framingConfigOf,
  framingProblem,
  isLineFraming,
  requestText,
  MAX_DELIMITER_BYTES,
} from './create-framer.js';
export {
  DEFAULT_FRAMING,
  OVER_LIMIT,
  systemClock,
  type Clock,
  type Frame,
  type Framer,
  type FramerOptions,
  type FramingConfig,
  type LengthFieldConfig,
  type OverLimitPolicy,
} from './framer.js';
