/**
 * Runs before every window test file: unmounts what a test rendered, so the
 * next test starts from an empty document, and gives async queries room.
 */
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// waitFor and findBy* wait for what they check, not for a time: 1 s (the
// default) fails on a busy two-core machine before a whole window has rendered.
configure({ asyncUtilTimeout: 5000 });

afterEach(() => {
  cleanup();
});

/*
 * jsdom lays nothing out: every element is 0 px tall, so a virtualized list
 * would show no rows at all. Scrolling logs get the height a window would
 * give them (600 px, some 27 log rows).
 */
Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
  configurable: true,
  get(this: HTMLElement): number {
    return this.getAttribute('role') === 'log' ? 600 : 0;
  },
});
