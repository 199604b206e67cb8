// Keys on the lane list: arrows up and down choose a lane, left and right pan, plus and minus
// zoom, Home fits, N/] and P/[ go to the focused lane's next and previous event, '.' shows the
// position, Enter travels to the cursor, Escape clears the selection.

export interface KeyActions {
  moveFocus(delta: number): void;
  zoomKey(scale: number): void;
  panFraction(fraction: number): void;
  fit(): void;
  step(direction: 'next' | 'previous'): void;
  showPosition(): void;
  travelToCursor(): void;
  clearSelection(): void;
}

export function attachKeyboardInput(target: HTMLElement, actions: KeyActions): void {
  target.addEventListener('keydown', (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const big = e.shiftKey ? 0.5 : 0.1;
    switch (e.key) {
      case 'ArrowUp': actions.moveFocus(-1); break;
      case 'ArrowDown': actions.moveFocus(1); break;
      case 'ArrowLeft': actions.panFraction(-big); break;
      case 'ArrowRight': actions.panFraction(big); break;
      case '+': case '=': actions.zoomKey(2); break;
      case '-': case '_': actions.zoomKey(0.5); break;
      case 'Home': case '0': actions.fit(); break;
      case 'n': case 'N': case ']': actions.step('next'); break;
      case 'p': case 'P': case '[': actions.step('previous'); break;
      case '.': actions.showPosition(); break;
      case 'Enter': actions.travelToCursor(); break;
      case 'Escape': actions.clearSelection(); break;
      default: return;
    }
    e.preventDefault();
  });
}
