// The hover tooltip: a plain element placed beside the pointer, kept inside the window.

export class Tooltip {
  constructor(private readonly element: HTMLElement) {
    element.hidden = true;
  }

  show(text: string, clientX: number, clientY: number): void {
    this.element.textContent = text;
    this.element.hidden = false;
    const margin = 12;
    const { innerWidth, innerHeight } = window;
    const box = this.element.getBoundingClientRect();
    const left = clientX + margin + box.width > innerWidth ? clientX - margin - box.width : clientX + margin;
    const top = clientY + margin + box.height > innerHeight ? clientY - margin - box.height : clientY + margin;
    this.element.style.left = `${Math.max(0, left)}px`;
    this.element.style.top = `${Math.max(0, top)}px`;
  }

  hide(): void {
    this.element.hidden = true;
  }
}
