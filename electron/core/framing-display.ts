/**
 * The log's frames for any framing (docs/framing.md): a table's framer,
 * cutting a frame past the display limit into pieces rather than stopping.
 */
import { createFramer, type Framer, type FramingConfig } from './framing/index.js';
import { lineDisplayFramer, MAX_DISPLAY_FRAME, type DisplayFramerFactory } from './forwarder.js';

export function displayFramerFor(framing: FramingConfig): DisplayFramerFactory {
  // The default keeps its own fast path: lines handed out as views of the read.
  if (framing === 'lf') return () => lineDisplayFramer();
  return (later) => {
    // Set just below: onReady runs only after a push, once the framer exists.
    let framer: Framer | null = null;
    const drain = (): Buffer[] => {
      const frames: Buffer[] = [];
      for (let frame = framer?.next(); frame; frame = framer?.next()) frames.push(frame.request);
      return frames;
    };
    const made = createFramer(framing, MAX_DISPLAY_FRAME, {
      overLimit: 'split',
      onReady: () => later(drain()),
    });
    framer = made;
    return {
      push(chunk) {
        made.push(chunk);
        return drain();
      },
      end() {
        made.end();
        return drain();
      },
      close() {
        made.close();
      },
    };
  };
}
