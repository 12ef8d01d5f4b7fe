import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useStickToBottom } from '../../../renderer/src/hooks/use-stick-to-bottom';

function Pane({ version }: { version: number }) {
  const { ref, onScroll, detached, jumpToBottom } = useStickToBottom<HTMLDivElement>(version);
  return (
    <>
      <div data-testid="pane" ref={ref} onScroll={onScroll} />
      {detached ? (
        <button type="button" onClick={jumpToBottom}>
          newest
        </button>
      ) : null}
    </>
  );
}

/** jsdom lays nothing out: give the pane a content height and a view height. */
function layout(el: HTMLElement, scrollHeight: number, clientHeight: number): void {
  Object.defineProperty(el, 'scrollHeight', { configurable: true, value: scrollHeight });
  Object.defineProperty(el, 'clientHeight', { configurable: true, value: clientHeight });
}

afterEach(() => vi.unstubAllGlobals());

describe('useStickToBottom', () => {
  it('follows new rows until the user scrolls up, and again after jumping back', () => {
    const { rerender } = render(<Pane version={1} />);
    const pane = screen.getByTestId('pane');
    layout(pane, 1000, 200);
    rerender(<Pane version={2} />);
    expect(pane.scrollTop).toBe(1000);

    pane.scrollTop = 100;
    fireEvent.scroll(pane);
    layout(pane, 1200, 200);
    rerender(<Pane version={3} />);
    expect(pane.scrollTop).toBe(100);

    fireEvent.click(screen.getByRole('button', { name: 'newest' }));
    expect(pane.scrollTop).toBe(1200);
    expect(screen.queryByRole('button', { name: 'newest' })).toBeNull();
  });

  it('stays at the newest rows when the pane changes size', () => {
    let resized: () => void = () => undefined;
    vi.stubGlobal(
      'ResizeObserver',
      class {
        constructor(callback: () => void) {
          resized = callback;
        }
        observe(): void {}
        disconnect(): void {}
      },
    );
    render(<Pane version={1} />);
    const pane = screen.getByTestId('pane');
    layout(pane, 1000, 100);
    act(() => resized());
    expect(pane.scrollTop).toBe(1000);

    // Scrolled up on purpose: a resize leaves it where the user put it.
    pane.scrollTop = 10;
    fireEvent.scroll(pane);
    layout(pane, 1000, 50);
    act(() => resized());
    expect(pane.scrollTop).toBe(10);
  });
});
