/**
 * The minimap past 100 boxes: every box as a rectangle on a small canvas, the viewport as a frame;
 * a click there centres the diagram on that point.
 */
import type { Box } from '../../protocol/erd-diagram/geometry';

const MIN_BOXES = 100;
const WIDTH = 200;
const HEIGHT = 140;

export class Minimap {
  private readonly canvas: HTMLCanvasElement;
  private bounds = { minX: 0, minY: 0, scale: 1 };

  constructor(container: HTMLElement, centre: (x: number, y: number) => void) {
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'minimap';
    this.canvas.width = WIDTH * 2;
    this.canvas.height = HEIGHT * 2;
    this.canvas.setAttribute('aria-label', 'Minimap: click to move there');
    this.canvas.hidden = true;
    container.append(this.canvas);
    this.canvas.addEventListener('click', (event) => {
      const rect = this.canvas.getBoundingClientRect();
      const { minX, minY, scale } = this.bounds;
      centre(minX + (event.clientX - rect.left) / scale, minY + (event.clientY - rect.top) / scale);
    });
  }

  draw(boxes: Box[], transform: { x: number; y: number; k: number }, viewport: HTMLElement): void {
    this.canvas.hidden = boxes.length <= MIN_BOXES;
    if (this.canvas.hidden) return;
    const minX = Math.min(...boxes.map((box) => box.x));
    const minY = Math.min(...boxes.map((box) => box.y));
    const maxX = Math.max(...boxes.map((box) => box.x + box.width));
    const maxY = Math.max(...boxes.map((box) => box.y + box.height));
    const scale = Math.min(WIDTH / (maxX - minX || 1), HEIGHT / (maxY - minY || 1));
    this.bounds = { minX, minY, scale };
    const context = this.canvas.getContext('2d')!;
    const style = getComputedStyle(this.canvas);
    context.setTransform(2, 0, 0, 2, 0, 0);
    context.clearRect(0, 0, WIDTH, HEIGHT);
    context.fillStyle = style.getPropertyValue('--minimap-box') || '#888';
    for (const box of boxes) context.fillRect((box.x - minX) * scale, (box.y - minY) * scale, Math.max(1, box.width * scale), Math.max(1, box.height * scale));
    context.strokeStyle = style.getPropertyValue('--minimap-view') || '#0078d4';
    context.lineWidth = 1.5;
    const left = (-transform.x / transform.k - minX) * scale;
    const top = (-transform.y / transform.k - minY) * scale;
    context.strokeRect(left, top, (viewport.clientWidth / transform.k) * scale, (viewport.clientHeight / transform.k) * scale);
  }
}
