import { useState, type KeyboardEvent } from 'react';

/**
 * Arrow keys move a highlight through a list and Enter opens the highlighted item. The
 * handler goes on the element that keeps the focus (the search box, or the list itself).
 */
export function useListKeyboard(count: number, open: (index: number) => void) {
  const [highlighted, setHighlighted] = useState(0);
  const index = count === 0 ? -1 : Math.min(highlighted, count - 1);

  const onKeyDown = (event: KeyboardEvent) => {
    if (count === 0) return;
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        setHighlighted((index + 1) % count);
        return;
      case 'ArrowUp':
        event.preventDefault();
        setHighlighted((index - 1 + count) % count);
        return;
      case 'Enter':
        event.preventDefault();
        open(index);
        return;
    }
  };
  return { highlighted: index, setHighlighted, onKeyDown };
}
