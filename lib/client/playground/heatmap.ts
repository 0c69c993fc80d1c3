// The decision map: the network's probability of class 1 over the plane as colour, the p = 0.5 boundary as a dark
// line, and the training points on top.
import { EXTENT, type Points } from "./dataset.js";
import { hiDpiCanvas } from "./dom.js";
import { type Net, forward, sigmoid } from "./nn.js";

const GRID = 50; // cells per side
const ORANGE: [number, number, number] = [245, 147, 34]; // class 0
const BLUE: [number, number, number] = [8, 119, 189]; // class 1

/** White at p = 0.5, towards blue as p → 1 and orange as p → 0; light enough for the dots to stand out. */
function tint(p: number): [number, number, number] {
  const c = p >= 0.5 ? BLUE : ORANGE;
  const k = 0.7 * Math.min(1, Math.abs(p - 0.5) * 2);
  return [255 + (c[0] - 255) * k, 255 + (c[1] - 255) * k, 255 + (c[2] - 255) * k];
}

export interface DecisionMap {
  canvas: HTMLCanvasElement;
  draw(net: Net, points: Points): void;
}

/** A decision map `size` CSS pixels square. */
export function decisionMap(size: number): DecisionMap {
  const [canvas, plot] = hiDpiCanvas(size, size, "cwpg-map");
  canvas.setAttribute("data-view", "decision");
  const cells = document.createElement("canvas");
  cells.width = GRID;
  cells.height = GRID;
  const cellsCtx = cells.getContext("2d")!;
  const cellsImage = cellsCtx.createImageData(GRID, GRID);
  const toPx = (v: number) => ((v + EXTENT) / (2 * EXTENT)) * size;

  function draw(net: Net, points: Points): void {
    // probabilities at the (GRID+1)² cell corners; row 0 is the top (y = +EXTENT)
    const side = GRID + 1;
    const p = new Float64Array(side * side);
    for (let r = 0; r < side; r++) {
      for (let c = 0; c < side; c++) {
        p[r * side + c] = sigmoid(forward(net, -EXTENT + (2 * EXTENT * c) / GRID, EXTENT - (2 * EXTENT * r) / GRID));
      }
    }
    const at = (r: number, c: number) => p[r * side + c]!;
    const px = cellsImage.data;
    for (let r = 0; r < GRID; r++) {
      for (let c = 0; c < GRID; c++) {
        const [R, G, B] = tint((at(r, c) + at(r, c + 1) + at(r + 1, c) + at(r + 1, c + 1)) / 4);
        const o = 4 * (r * GRID + c);
        px[o] = R;
        px[o + 1] = G;
        px[o + 2] = B;
        px[o + 3] = 255;
      }
    }
    cellsCtx.putImageData(cellsImage, 0, 0);
    plot.imageSmoothingEnabled = true;
    plot.drawImage(cells, 0, 0, size, size);

    // the p = 0.5 boundary, by marching squares with linear interpolation along the cell edges
    const cell = size / GRID;
    plot.beginPath();
    for (let r = 0; r < GRID; r++) {
      for (let c = 0; c < GRID; c++) {
        const tl = at(r, c);
        const tr = at(r, c + 1);
        const br = at(r + 1, c + 1);
        const bl = at(r + 1, c);
        const x0 = c * cell;
        const y0 = r * cell;
        const cut = (a: number, b: number) => (0.5 - a) / (b - a);
        // crossing points on the top, right, bottom and left edges (null where the edge does not cross 0.5)
        const top = tl >= 0.5 !== tr >= 0.5 ? [x0 + cut(tl, tr) * cell, y0] : null;
        const right = tr >= 0.5 !== br >= 0.5 ? [x0 + cell, y0 + cut(tr, br) * cell] : null;
        const bottom = bl >= 0.5 !== br >= 0.5 ? [x0 + cut(bl, br) * cell, y0 + cell] : null;
        const left = tl >= 0.5 !== bl >= 0.5 ? [x0, y0 + cut(tl, bl) * cell] : null;
        const found = [top, right, bottom, left].filter((q): q is number[] => q !== null);
        const segment = (a: number[] | null, b: number[] | null) => {
          if (!a || !b) return;
          plot.moveTo(a[0]!, a[1]!);
          plot.lineTo(b[0]!, b[1]!);
        };
        if (found.length === 2) segment(found[0]!, found[1]!);
        else if (found.length === 4) {
          // saddle: the centre decides which corners are joined
          const centreSide = (tl + tr + br + bl) / 4 >= 0.5;
          if (centreSide === tl >= 0.5) {
            segment(top, right);
            segment(bottom, left);
          } else {
            segment(top, left);
            segment(right, bottom);
          }
        }
      }
    }
    plot.strokeStyle = "rgba(30, 30, 30, 0.85)";
    plot.lineWidth = 2;
    plot.stroke();

    // axes through the origin, faint
    plot.strokeStyle = "rgba(0, 0, 0, 0.12)";
    plot.lineWidth = 1;
    plot.beginPath();
    plot.moveTo(toPx(0), 0);
    plot.lineTo(toPx(0), size);
    plot.moveTo(0, toPx(0));
    plot.lineTo(size, toPx(0));
    plot.stroke();

    for (let k = 0; k < points.x.length; k++) {
      const c = points.label[k] ? BLUE : ORANGE;
      plot.beginPath();
      plot.arc(toPx(points.x[k]!), size - toPx(points.y[k]!), 3.5, 0, 2 * Math.PI);
      plot.fillStyle = `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
      plot.fill();
      plot.strokeStyle = "white";
      plot.lineWidth = 1;
      plot.stroke();
    }
  }
  return { canvas, draw };
}
